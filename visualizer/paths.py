"""Where the app keeps its files for a user: logs and checkpoints, per platform.

Linux (and BSD) follow the XDG base directories: logs and the running show's state (the
status file) in ``$XDG_STATE_HOME`` (default ``~/.local/state``), data in
``$XDG_DATA_HOME`` (default ``~/.local/share``). macOS uses ``~/Library/Logs`` and
``~/Library/Application Support`` (data and state); Windows ``%LOCALAPPDATA%``.
Each gets a ``neural-particles`` folder. Screenshots and clips go to the user's Pictures
folder, or the working folder if there is none. Nothing is created here; callers create
what they write into.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "neural-particles"


def user_log_dir() -> Path:
    if sys.platform == "win32":
        return _windows_base() / APP / "logs"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / APP
    return user_state_dir()


def user_state_dir() -> Path:
    if sys.platform in ("win32", "darwin"):
        return user_data_dir()
    return _xdg("XDG_STATE_HOME", Path.home() / ".local" / "state") / APP


def user_data_dir() -> Path:
    if sys.platform == "win32":
        return _windows_base() / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    return _xdg("XDG_DATA_HOME", Path.home() / ".local" / "share") / APP


def checkpoint_dir() -> Path:
    return user_data_dir() / "checkpoints"


def pictures_folder() -> Path:
    """``~/Pictures`` if it exists, else the working folder: where F12 and F9 save."""
    pictures = Path.home() / "Pictures"
    return pictures if pictures.is_dir() else Path.cwd()


def _xdg(variable: str, default: Path) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else default  # the spec ignores relative ones


def _windows_base() -> Path:
    return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
