"""Reading a file the user or the disk gave us, only if it is a regular file of bounded size.

Contract: ``read_regular(path, limit)`` returns the bytes of ``path`` if it is a regular
file of at most ``limit`` bytes. It never blocks on a FIFO (the file is opened without
blocking and checked before a byte is read) and never reads a device such as
``/dev/zero``. ``NotRegular`` says what is wrong in a few words; I/O failures, a missing
file included, raise ``OSError``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotRegular(ValueError):
    """Not a regular file of bounded size; the message says why, in a few words."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes."""
    # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(f"it is {_kind(mode)}, not a regular file")
        data = file.read(limit + 1)  # the file may have grown since it was opened
    if len(data) > limit:
        raise NotRegular(f"it is larger than {limit:,} bytes")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
