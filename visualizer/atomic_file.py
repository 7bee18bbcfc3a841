"""Writing a file so that it is either the old one or the whole new one, never a part.

Contract: ``write_atomically(path, content, sync=True)`` writes ``content`` (bytes, or a
function that writes into a binary file) to a new temporary file beside ``path``, created
exclusively (so never through a symlink someone planted), flushes it, and renames it over
``path``, which replaces ``path`` itself (a symlink there is replaced, not followed).
With ``sync`` the file and then its directory are synced around the rename, so that it
survives a power cut (a file rewritten every few seconds may skip that, sparing the
flash storage of an exhibit's computer). On any
failure the temporary is removed, ``path`` is as it was, and the ``OSError`` propagates.
A ``path`` that exists as something other than a file or a symlink (a folder, a device
such as ``/dev/full``, a FIFO) raises ``IsADirectoryError``/``FileExistsError`` at once.

Temporaries are named ``.<stem>-<pid>-<random>.tmp``: ``temporaries(path)`` finds the
ones a killed writer left behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


def write_atomically(
    path: Path, content: bytes | Callable[[BinaryIO], None], sync: bool = True
) -> None:
    """Replace ``path`` with ``content`` in one rename (see the module's contract)."""
    path = Path(path)
    _check_replaceable(path)
    # Not mkstemp: its files are private (0600) whatever the umask says.
    temp = path.with_name(f".{path.stem}-{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        with open(temp, "xb") as file:
            if isinstance(content, bytes):
                file.write(content)
            else:
                content(file)
            file.flush()
            if sync:
                os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if sync:
        _fsync_directory(path.parent)


def temporaries(path: Path) -> list[Path]:
    """Temporaries of ``path`` that a writer killed before its rename left behind."""
    path = Path(path)
    return sorted(path.parent.glob(f".{path.stem}-*{TEMP_SUFFIX}"))


def _check_replaceable(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise FileExistsError(errno.EEXIST, "it exists and is not a file", str(path))


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; Windows cannot open a directory (NTFS journals it)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
