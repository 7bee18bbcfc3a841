"""The GIF encoder's own process: pictures in on standard input, an animated GIF out.

    python gif_encoder.py FILE WIDTH HEIGHT RATE_NUMERATOR RATE_DENOMINATOR

Run by ``gif.GifWriter`` as a script (it imports nothing of the app, only numpy and
Pillow). Each picture arrives as 4 bytes (little-endian: how many clip frames it stands
for) and WIDTH × HEIGHT × 4 bytes (RGBA, bottom row first, as OpenGL reads it); the end of
the input ends the file. A failure is one line on stderr and exit status 1.

``GifFile`` is the encoding: each picture is quantised to a palette of its own (Pillow's
fast octree: about 11 ms for 1280×720 here, a ninth of median cut's time; no dithering,
whose noise would shimmer from frame to frame), and only the rectangle that changed since
the previous picture is stored, with that palette; the first picture's palette is the
file's global one. Delays are whole centiseconds, GIF's unit, rounded so that their
running sum keeps the clip's clock (at 30 fps: 3, 4, 3, 3, 4, 3 …). The clip loops
forever. Pictures go to the file as they come, so memory does not grow with the clip.

Why Pillow: it is Python's standard imaging library, and its GIF encoder is the one most
GIFs made in Python come from. Its whole-file ``save`` keeps every frame in memory, so the
file is written with its GIF plugin's frame-at-a-time ``getheader`` and ``getdata``.
"""

from __future__ import annotations

import struct
import sys
from fractions import Fraction
from typing import BinaryIO

import numpy as np
from PIL import GifImagePlugin, Image

LONGEST_DELAY = 65535  # centiseconds: a delay is 16 bits; a longer pause is split
UNCHANGED = 1  # disposal method "do not dispose": the next frame is drawn over this one
HEADER = struct.Struct("<I")


class GifFile:
    def __init__(self, file: BinaryIO, size: tuple[int, int], rate: Fraction) -> None:
        self._file = file
        self.size = size
        self._rate = rate
        self._frames = 0  # clip frames written, for the delays' running sum
        self._previous: np.ndarray | None = None

    def add(self, rgba: bytes | bytearray | memoryview, frames: int) -> None:
        """One picture (RGBA, bottom row first) standing for ``frames`` clip frames."""
        width, height = self.size
        picture = np.frombuffer(rgba, np.uint8).reshape(height, width, 4)[::-1, :, :3]
        rows, columns = self._changed(picture)
        patch = Image.fromarray(np.ascontiguousarray(picture[rows, columns]))
        image = patch.quantize(256, Image.Quantize.FASTOCTREE)
        chunks = []
        if self._previous is None:
            chunks += GifImagePlugin.getheader(image, info={"loop": 0})[0]
        local = {"include_color_table": self._previous is not None}
        offset = (columns.start, rows.start)
        delay = self._delay(frames)
        while True:
            piece = min(delay, LONGEST_DELAY)
            chunks += _frame(image, offset, piece, local)
            delay -= piece
            if delay <= 0:
                break
            image = image.crop((0, 0, 1, 1))  # a very long pause: one pixel more, unchanged
        self._previous = picture.copy()
        self._file.writelines(chunks)

    def close(self) -> None:
        self._file.write(b";")  # the trailer
        self._file.close()

    def _changed(self, picture: np.ndarray) -> tuple[slice, slice]:
        """The rows and columns that differ from the previous picture (all, at first)."""
        if self._previous is None:
            return slice(0, picture.shape[0]), slice(0, picture.shape[1])
        changed = (picture != self._previous).any(axis=2)
        rows = np.flatnonzero(changed.any(axis=1))
        if rows.size == 0:  # nothing changed; GIF still needs a pixel for the frame's delay
            return slice(0, 1), slice(0, 1)
        columns = np.flatnonzero(changed.any(axis=0))
        return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(columns[0]), int(columns[-1]) + 1)

    def _delay(self, frames: int) -> int:
        """Centiseconds for the next ``frames`` clip frames, so that the sum keeps time."""
        start = round(100 * self._frames / self._rate)
        self._frames += frames
        return round(100 * self._frames / self._rate) - start


def _frame(image: Image.Image, offset: tuple[int, int], delay: int, options: dict) -> list:
    params = {"duration": 10 * delay, "disposal": UNCHANGED, **options}  # duration in ms
    return GifImagePlugin.getdata(image, offset, **params)


def _read_exactly(stream: BinaryIO, buffer: bytearray) -> bool:
    """Fill ``buffer`` from ``stream``; False at the end of the input."""
    view, filled = memoryview(buffer), 0
    while filled < len(buffer):
        count = stream.readinto(view[filled:])  # type: ignore[attr-defined]
        if not count:
            if filled:
                raise EOFError("the input ended inside a picture")
            return False
        filled += count
    return True


def main(argv: list[str]) -> int:
    path, width, height, numerator, denominator = argv
    size = (int(width), int(height))
    header, picture = bytearray(HEADER.size), bytearray(size[0] * size[1] * 4)
    try:
        gif = GifFile(open(path, "wb"), size, Fraction(int(numerator), int(denominator)))  # noqa: SIM115
        while _read_exactly(sys.stdin.buffer, header):
            if not _read_exactly(sys.stdin.buffer, picture):
                raise EOFError("the input ended inside a picture")
            gif.add(picture, HEADER.unpack(header)[0])
        gif.close()
    except (OSError, EOFError) as error:
        print(getattr(error, "strerror", None) or error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
