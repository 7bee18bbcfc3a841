"""What the recorder asks of a clip's writer (``mp4.Mp4Writer``, ``gif.GifWriter``).

Contract: a writer is built with ``(path, size, rate)``: the file to write, the pictures'
size in pixels and the clip's frames per second; ``size`` is then the clip's own (an MP4
drops an odd last column or row). ``write(rgba, frames)`` takes one picture as OpenGL
reads it (RGBA, bottom row first) to stand for ``frames`` frames of the clip;
``finish()`` completes the file; ``abort()`` stops without completing it. Any failure to
write raises ``ClipWriteError`` with the reason in a few words.
"""

from __future__ import annotations

from typing import Protocol


class ClipWriteError(Exception):
    """A clip could not be written; the message says why, in a few words."""


class ClipWriter(Protocol):
    size: tuple[int, int]

    def write(self, rgba: memoryview, frames: int) -> None: ...

    def finish(self) -> None: ...

    def abort(self) -> None: ...
