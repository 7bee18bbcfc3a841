"""Where a clip goes, checked before anything is drawn.

Contract: ``check_clip_target(path)`` returns the path's ``ClipFormat`` or raises a
``UserError`` with one line: an extension other than ``.mp4`` or ``.gif``, a path that is a
folder, a folder that does not exist or cannot be written, or the encoding library not
installed (the line says how to install it; the one-folder app has none).
``encoder_missing(format)`` is that last line, or None. ``clip_in_pictures(now)`` names a
window's clip by the time, in the Pictures folder as F12's screenshots are.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from visualizer.errors import UserError
from visualizer.paths import pictures_folder

INSTALL = "pip install 'neural-particles[video]'"


@dataclass(frozen=True)
class ClipFormat:
    suffix: str
    name: str
    library: str  # the module that encodes it …
    package: str  # … and the PyPI package that brings it


MP4 = ClipFormat(".mp4", "MP4 (H.264)", "imageio_ffmpeg", "imageio-ffmpeg")
GIF = ClipFormat(".gif", "GIF", "PIL", "Pillow")
FORMATS = {format.suffix: format for format in (MP4, GIF)}


def clip_format(path: Path) -> ClipFormat:
    format = FORMATS.get(path.suffix.lower())
    if format is None:
        raise UserError(f"a clip is an .mp4 or a .gif file; got {str(path)[:200]!r}")
    return format


def check_clip_target(path: Path) -> ClipFormat:
    """The clip's format, once ``path`` is known to be writable and its encoder installed."""
    format = clip_format(path)
    if path.is_dir():
        raise UserError(f"cannot record to {path}: it is a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        raise UserError(f"cannot record to {path}: the folder {folder} does not exist")
    try:  # the permission bits do not tell (a read-only disk, root): try it
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise UserError(
            f"cannot record to {path}: the folder cannot be written ({error.strerror or error})"
        ) from None
    missing = encoder_missing(format)
    if missing is not None:
        raise UserError(missing)
    return format


def encoder_missing(format: ClipFormat) -> str | None:
    """One line saying how to install the format's encoder, or None if it is installed."""
    if getattr(sys, "frozen", False):  # the one-folder app leaves the encoders out
        return (
            f"the one-folder app does not record {format.name} clips; record with the app "
            f"installed by pip: {INSTALL}"
        )
    try:
        library = importlib.import_module(format.library)
        if format is MP4:
            library.get_ffmpeg_exe()  # the wheel carries the binary; a source build may not
    except (ImportError, RuntimeError) as error:
        return (
            f"recording {format.name} needs {format.package} ({error}): install it with {INSTALL}"
        )
    return None


def clip_in_pictures(now: datetime, format: ClipFormat = MP4) -> Path:
    """``neural-particles-<date>-<time>-<ms>.mp4`` in the Pictures folder (or the working one)."""
    name = f"neural-particles-{now:%Y%m%d-%H%M%S}-{now.microsecond // 1000:03d}{format.suffix}"
    return pictures_folder() / name
