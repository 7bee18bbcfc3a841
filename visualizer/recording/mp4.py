"""An MP4 clip (H.264, yuv420p) written by the ffmpeg that imageio-ffmpeg ships.

Contract: as ``writer``'s; ``Mp4Writer(path, size, rate, preset)`` runs ffmpeg in a
process of its own (``process``) with x264's ``preset``. Pictures go to it raw, as OpenGL
reads them (RGBA, bottom row first); ffmpeg flips them, converts them with BT.709's matrix
(which players assume for HD pictures, and which the file then declares) to yuv420p, the
only chroma layout every player and slide program decodes, and writes the index at the
front of the file (``+faststart``), so that a slide or a web page plays before the whole
file has loaded. yuv420p needs even sides: an odd last column or row is left out
(``self.size`` is the clip's).

Why ffmpeg: it is the encoder every player agrees with, and imageio-ffmpeg's wheels carry
its binary, so nothing else needs installing. imageio-ffmpeg's own ``write_frames`` is not
used: it sends ffmpeg's messages to our stderr and cannot report how ffmpeg ended, so a
full disk would go unnoticed; its binary is run here the same way, through a pipe.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg  # type: ignore[import-untyped]

from visualizer.recording.process import EncoderProcess

FINISH_SECONDS = 60.0  # for ffmpeg to encode what it holds and write the index
COLOURS = "color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv"


class Mp4Writer:
    def __init__(self, path: Path, size: tuple[int, int], rate: Fraction, preset: str) -> None:
        width, height = (side - side % 2 for side in size)
        self.size = (width, height)
        filters = (
            f"vflip,crop={width}:{height}:0:0,"  # GL's rows start at the bottom
            f"scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,setparams={COLOURS}"
        )
        command = [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgba",
            "-s",
            f"{size[0]}x{size[1]}",
            "-r",
            str(rate.limit_denominator(1001)),
            "-i",
            "-",
            "-an",
            "-vf",
            filters,
            "-c:v",
            "libx264",
            "-preset",
            preset,
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
            "-y",
            str(path),
        ]
        self._ffmpeg = EncoderProcess(command, "ffmpeg")

    def write(self, rgba: memoryview, frames: int) -> None:
        for _ in range(frames):  # a picture that stands for several frames is sent as many
            self._ffmpeg.send(rgba)

    def finish(self) -> None:
        self._ffmpeg.finish(FINISH_SECONDS)

    def abort(self) -> None:
        self._ffmpeg.abort()
