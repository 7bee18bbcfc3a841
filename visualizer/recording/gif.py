"""An animated GIF clip, encoded with Pillow in a process of its own (``gif_encoder``).

Contract: as ``writer``'s. Each picture goes to the encoder's input as a 4-byte count of
the clip frames it stands for, then its RGBA bytes; ``gif_encoder`` says how it is
encoded. The encoder is run as a script with this Python, so it needs Pillow and numpy
where the app has them, and nothing else.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

from visualizer.recording import gif_encoder
from visualizer.recording.process import EncoderProcess

FINISH_SECONDS = 30.0  # for the encoder to write what it holds


class GifWriter:
    def __init__(self, path: Path, size: tuple[int, int], rate: Fraction) -> None:
        self.size = size
        command = [
            sys.executable,
            gif_encoder.__file__,
            str(path),
            str(size[0]),
            str(size[1]),
            str(rate.numerator),
            str(rate.denominator),
        ]
        self._encoder = EncoderProcess(command, "the GIF encoder")

    def write(self, rgba: memoryview, frames: int) -> None:
        self._encoder.send(gif_encoder.HEADER.pack(frames))
        self._encoder.send(rgba)

    def finish(self) -> None:
        self._encoder.finish(FINISH_SECONDS)

    def abort(self) -> None:
        self._encoder.abort()
