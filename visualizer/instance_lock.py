"""One kiosk per state folder: a lock that a second instance finds taken.

Contract: ``instance_lock(folder)`` is a context manager that creates ``folder`` and holds
an exclusive lock on ``folder/instance.lock`` (``fcntl.flock`` on POSIX, ``msvcrt`` on
Windows) until it exits, or the process ends, whatever way it ends: the kernel releases
it, so a killed kiosk never leaves a stale lock behind. If another process holds it, a
``UserError`` says so in one line, naming that process's id. The lock file is opened
without following a symlink.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from visualizer.errors import UserError

LOCK_NAME = "instance.lock"
_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)


@contextlib.contextmanager
def instance_lock(folder: Path) -> Iterator[None]:
    path = Path(folder) / LOCK_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, _FLAGS, 0o644)
    except OSError as error:
        raise UserError(
            f"cannot use the state folder {folder}: {error.strerror or error}; "
            "choose one this user can write (XDG_DATA_HOME)"
        ) from None
    try:
        if not _try_lock(fd):
            raise UserError(
                f"another Neural Particles kiosk (process {_holder(fd)}) is already using "
                f"{folder}; stop it first, or give this one its own folder (XDG_DATA_HOME)"
            )
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """The process id the holder wrote into the file (Windows may refuse the read)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return text if text.isdigit() else "unknown"
