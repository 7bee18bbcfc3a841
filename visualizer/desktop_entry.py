"""The freedesktop menu entry: ``--install-desktop-entry`` and ``--uninstall-desktop-entry``.

Contract: ``install_desktop_entry(data_home)`` writes ``applications/neural-particles.desktop``
and the icons ``icons/hicolor/NxN/apps/neural-particles.png`` under ``data_home`` (by
default ``$XDG_DATA_HOME`` or ``~/.local/share``, where Linux and BSD desktops look for a
user's applications) and returns the paths written. ``uninstall_desktop_entry(data_home)``
removes exactly those files, returning the ones that were there. A file that cannot be
written or removed raises a ``UserError`` naming it; so does an installation path that a
``.desktop`` file cannot express (a line break, a tab, bytes that are not UTF-8). Files
are written atomically and never through a symlink planted at their path; a ``%`` in a
path is escaped as the spec says (``%%`` in ``Exec``), and such a program is started
through ``env`` because GLib looks for ``Exec``'s program before unescaping it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from visualizer.atomic_file import write_atomically
from visualizer.errors import UserError, excerpt
from visualizer.resources import resource_path

APP_ID = "neural-particles"  # the command, the icon name and the .desktop file's name
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)  # assets/icons/neural-particles-N.png
_CHECKOUT = Path(__file__).resolve().parents[1]  # a source checkout, if main.py is there

# Characters that make the Desktop Entry spec's Exec quoting necessary, and those that must
# be backslashed inside the quotes.
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_EXEC_ESCAPED = set('"`$\\')


def default_data_home() -> Path:
    """``$XDG_DATA_HOME`` if it is set to an absolute path (the spec ignores others)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def install_desktop_entry(data_home: Path | None = None) -> list[Path]:
    """Write the menu entry and its icons under ``data_home``; returns the paths written."""
    data_home = default_data_home() if data_home is None else data_home
    icons = resource_path("assets") / "icons"
    copies = [(icons / f"{APP_ID}-{size}.png", target) for size, target in _icon_files(data_home)]
    for source, _ in copies:  # checked first, so that a failure leaves nothing half-done
        if not source.is_file():
            raise UserError(
                f"the icon {source} is missing from this installation; "
                "reinstall with 'pip install neural-particles' or run from a full checkout"
            )
    written = [_write(_desktop_file(data_home), desktop_entry_text())]
    written += [_write(target, source.read_bytes()) for source, target in copies]
    return written


def uninstall_desktop_entry(data_home: Path | None = None) -> list[Path]:
    """Remove what ``install_desktop_entry`` wrote; returns the paths that were removed."""
    data_home = default_data_home() if data_home is None else data_home
    removed = []
    for path in [_desktop_file(data_home), *(target for _, target in _icon_files(data_home))]:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise UserError(
                f"cannot remove {path}: {error.strerror or error}; delete it by hand"
            ) from None
        removed.append(path)
    return removed


def desktop_entry_text() -> str:
    """The ``.desktop`` file, launching this installation of the app; a ``UserError``
    if its path holds what a ``.desktop`` file cannot express."""
    command = _command()
    not_installed = command[1:] == ["-m", "visualizer"] and (_CHECKOUT / "main.py").is_file()
    for path in [command[0], *([str(_CHECKOUT)] if not_installed else [])]:
        _check_expressible(path)
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=Neural Particles",
        "GenericName=Neural Network Visualizer",
        "Comment=Watch a real neural network learn circles from squares, shown as light",
        f"Exec={' '.join(_exec_quote(argument) for argument in _launchable(command))}",
        f"TryExec={_escape(command[0])}",  # the entry hides itself if the app is deleted
        f"Icon={APP_ID}",
        "Terminal=false",
        # One main category (two would list the app twice); AI is a sub-category of both.
        "Categories=Education;ArtificialIntelligence;",
        "Keywords=neural network;machine learning;backpropagation;deep learning;AI;",
        "StartupNotify=true",
    ]
    if not_installed:  # ``python -m`` finds the package only in the working directory
        lines.append(f"Path={_escape(str(_CHECKOUT))}")
    if Path(command[0]).name == APP_ID:
        # pygame names the window's X11 class after argv[0], so only then does it match.
        lines.append(f"StartupWMClass={APP_ID}")
    return "\n".join(lines) + "\n"


def _command() -> list[str]:
    """How the menu starts this installation: its command, a bundle, or the interpreter."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle is its own executable
        return [str(Path(sys.executable).resolve())]
    # The command beside this interpreter first: a venv's bin/ is often not on PATH.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which(APP_ID, path=search)
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "visualizer"]


def _launchable(command: list[str]) -> list[str]:
    """GLib looks for an entry's program by its literal name, before ``%%`` becomes ``%``,
    and hides the entry when it finds none: a program whose path holds a ``%`` is
    started through ``env``, whose own path holds none."""
    if "%" not in command[0]:
        return command
    return [shutil.which("env") or "/usr/bin/env", *command]


def _check_expressible(path: str) -> None:
    """A .desktop file is UTF-8 text whose values hold no control characters."""
    try:
        path.encode("utf-8")
        unsayable = any(ord(c) < 0x20 or ord(c) == 0x7F for c in path)
    except UnicodeEncodeError:
        unsayable = True
    if unsayable:
        raise UserError(
            f"cannot write a menu entry for {excerpt(path)}: a .desktop file cannot hold a "
            "path with a line break, a tab or bytes that are not UTF-8; install the app in "
            "a folder whose path has none"
        )


def _exec_quote(argument: str) -> str:
    """One Exec argument: quoted if need be, then escaped as a string, ``%`` doubled."""
    if _EXEC_RESERVED & set(argument):
        argument = '"' + "".join("\\" + c if c in _EXEC_ESCAPED else c for c in argument) + '"'
    return _escape(argument).replace("%", "%%")


def _escape(value: str) -> str:
    """A string value as the spec stores it: backslashes doubled."""
    return value.replace("\\", "\\\\")


def _desktop_file(data_home: Path) -> Path:
    return data_home / "applications" / f"{APP_ID}.desktop"


def _icon_files(data_home: Path) -> list[tuple[int, Path]]:
    hicolor = data_home / "icons" / "hicolor"
    return [(size, hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png") for size in ICON_SIZES]


def _write(path: Path, content: str | bytes) -> Path:
    """Atomically, replacing (never writing through) a symlink planted at ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content.encode("utf-8") if isinstance(content, str) else content)
    except OSError as error:
        raise UserError(
            f"cannot write {path}: {error.strerror or error}; make that folder writable "
            "or point XDG_DATA_HOME at one that is"
        ) from None
    return path
