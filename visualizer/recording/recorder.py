"""The recorder: pictures read from a framebuffer and encoded on a background thread.

Contract: ``Recorder(path, size, rate, live=…)`` opens a writer for ``path``'s format (see
``target``; check the path first) on a temporary file beside ``path``, for pictures of
``size`` pixels and a clip of ``rate`` frames per second (a GIF takes every n-th frame, to
at most ``GIF_MOST_FPS``). After each picture is drawn, ``capture(framebuffer, dt)`` (``dt``:
seconds since the previous picture) reads it if the clip's clock says it fills a frame
(``clock``) and hands it to the encoding thread. ``stop()`` asks that thread to complete
the file and returns at once; ``done`` says whether it has; ``result()`` waits for it and
returns a ``ClipSummary``, or raises ``ClipFailed`` (a ``UserError``: one line naming the
file and the reason) after removing the partial file. ``failed`` turns true as soon as
the writer fails (a full disk), so that the caller can stop. ``abort()`` stops and removes
the file. The temporary file becomes ``path`` only once complete: ``path`` is never half a
clip.

Costs on the show's thread: one read of the picture, as RGBA (the framebuffer's own
format: a quarter of the time of RGB on llvmpipe, 0.2 ms for 1280×720), into one of
``POOL`` reusable buffers; no allocation, no encoding. The pool bounds the queue: when the
encoder has not given a buffer back, a ``live`` recorder (the window's) drops the picture
and counts it, and its clip frames go to the next picture, so the clip still keeps the
show's time; otherwise (offscreen) it waits: every frame is recorded. A live MP4 is
encoded with x264's fastest preset (``LIVE_PRESET``: ffmpeg takes a fifth of a core for
1280×720 at 30 fps here, for about twice the file size of ``PRESET``'s), so that it keeps
up beside a software renderer (docs/benchmarks.md).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from secrets import token_hex

import moderngl

from visualizer.errors import UserError
from visualizer.logs import FILE_ONLY
from visualizer.recording.clock import ClipClock, every_nth
from visualizer.recording.target import MP4, ClipFormat, clip_format
from visualizer.recording.writer import ClipWriteError, ClipWriter

log = logging.getLogger(__name__)

POOL = 3  # pictures read and not yet encoded, at most
PRESET = "veryfast"  # x264: a quarter of a core for 720p at 30 fps here; "medium" 2.5× that
LIVE_PRESET = "ultrafast"
GIF_MOST_FPS = 30  # a GIF of every frame at 60 fps would be twice as large for little gain


class ClipFailed(UserError):
    """A clip could not be written; the message names the file and the reason."""


@dataclass(frozen=True)
class ClipSummary:
    path: Path
    format: ClipFormat
    picture: tuple[int, int]  # the size drawn …
    size: tuple[int, int]  # … and the clip's (even sides for H.264)
    frames: int  # clip frames, at …
    rate: Fraction
    dropped: int  # pictures the encoder could not take in time

    def describe(self) -> str:
        (width, height), fps = self.size, float(self.rate)
        line = (
            f"{self.path} ({self.format.name}, {width}×{height}, {self.frames} frames at "
            f"{fps:.4g} fps: {self.frames / fps:.1f} s)"
        )
        if self.size != self.picture:
            odd = [side for side, length in zip(("column", "row"), self.picture) if length % 2]
            verb = "are" if len(odd) == 2 else "is"
            line += f"; H.264 needs even sides: the last {' and '.join(odd)} {verb} left out"
        if self.dropped:
            line += f"; {self.dropped} pictures dropped: the encoder fell behind"
        return line


class Recorder:
    def __init__(self, path: Path, size: tuple[int, int], rate: Fraction, *, live: bool) -> None:
        self.path = path
        self.format = clip_format(path)
        self.picture = size
        if self.format is not MP4:
            rate = every_nth(rate, GIF_MOST_FPS)
        self._clock = ClipClock(rate)
        self._live = live
        self.dropped = 0
        self._owed = 0  # clip frames of dropped pictures, for the next picture to fill
        self._error: str | None = None
        self._aborted = False
        self._stopped = False
        # Written by the encoder (so with the user's usual permissions), renamed when done.
        self._temporary = path.with_name(f".{path.name}.{os.getpid()}-{token_hex(4)}.part")
        try:
            self._writer = _open_writer(self.format, self._temporary, size, rate, live)
        except ClipWriteError as error:
            self._temporary.unlink(missing_ok=True)
            raise ClipFailed(f"cannot write the clip {path}: {error}") from None
        self.size = self._writer.size
        self._free: queue.Queue[bytearray] = queue.Queue()
        for _ in range(POOL):
            self._free.put(bytearray(size[0] * size[1] * 4))
        self._full: queue.Queue[tuple[bytearray, int] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._encode, name="clip encoder", daemon=True)
        self._thread.start()

    @property
    def seconds(self) -> float:
        """How long the clip is so far."""
        return float(self._clock.seconds)

    @property
    def failed(self) -> bool:
        return self._error is not None

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def capture(self, framebuffer: moderngl.Framebuffer, dt: float) -> None:
        """Read the picture just drawn in ``framebuffer``, if the clip needs it."""
        frames = self._clock.advance(dt) + self._owed
        if frames == 0 or self._stopped:
            return
        try:
            buffer = self._free.get(block=not self._live)
        except queue.Empty:
            self.dropped += 1
            self._owed = frames
            return
        self._owed = 0
        framebuffer.read_into(buffer, viewport=(0, 0, *self.picture), components=4, alignment=1)
        self._full.put((buffer, frames))

    def stop(self) -> None:
        """Complete the clip on the encoding thread; returns at once."""
        if not self._stopped:
            self._stopped = True
            self._full.put(None)

    def result(self) -> ClipSummary:
        """Wait for the clip to be complete; ``ClipFailed`` if it could not be written."""
        self.stop()
        self._thread.join()
        if self._error is not None:
            raise ClipFailed(f"cannot write the clip {self.path}: {self._error}")
        frames = self._clock.frames - self._owed
        summary = ClipSummary(
            self.path, self.format, self.picture, self.size, frames, self._clock.rate, self.dropped
        )
        if self.dropped:
            log.warning("%s: %d pictures dropped", self.path, self.dropped)
        # The caller prints the whole line; the log file keeps it.
        log.info("clip saved: %s", summary.describe(), extra={FILE_ONLY: True})
        return summary

    def abort(self) -> None:
        """Stop and remove the clip (the show is ending with an error)."""
        self._aborted = True
        self.stop()
        self._thread.join()

    # ---------------------------------------------------------------- the encoding thread

    def _encode(self) -> None:
        while (item := self._full.get()) is not None:
            buffer, frames = item
            if self._error is None and not self._aborted:
                try:
                    self._writer.write(memoryview(buffer), frames)
                except ClipWriteError as error:
                    self._error = str(error)
                except Exception as error:  # a bug: the show must not wait for this thread
                    log.exception("the clip's encoder failed")
                    self._error = f"{type(error).__name__}: {error}"
            self._free.put(buffer)  # always given back, so a waiting capture never hangs
        self._complete()

    def _complete(self) -> None:
        if self._error is None and not self._aborted:
            try:
                self._writer.finish()
                os.replace(self._temporary, self.path)
                return
            except ClipWriteError as error:
                self._error = str(error)
            except OSError as error:
                self._error = error.strerror or str(error)
        else:
            self._writer.abort()
        try:
            self._temporary.unlink(missing_ok=True)
        except OSError as error:
            log.warning("cannot remove the partial clip %s: %s", self._temporary, error)


def _open_writer(
    format: ClipFormat, path: Path, size: tuple[int, int], rate: Fraction, live: bool
) -> ClipWriter:
    """The format's writer; its library is imported only now (an optional extra)."""
    if format is MP4:
        from visualizer.recording.mp4 import Mp4Writer

        return Mp4Writer(path, size, rate, LIVE_PRESET if live else PRESET)
    from visualizer.recording.gif import GifWriter

    return GifWriter(path, size, rate)
