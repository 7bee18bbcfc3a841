"""F9 in the window: a clip starts and stops, with a mark on screen that the clip never shows.

Contract: ``WindowClips(show, record)``; with ``record`` (``--record FILE``) a clip into that
file starts with the first picture. Each frame, after the show is drawn: ``capture(screen,
size, dt)`` gives the picture to the clip being recorded, then ``draw_mark(screen)`` draws
the mark (a red dot, "REC" and the clip's length) over it, so the mark is on screen and
not in the clip; ``poll()`` reports the clips that have been completed in the background.
``toggle(size)`` (F9) stops the clip being recorded, or starts an MP4 named by the time in
the Pictures folder, as F12's screenshots are. ``follow(show)``: another show is on screen
(another lesson); a clip goes on recording it. ``close()``, on quitting, completes every
clip and waits for it.

Nothing here stops the show: a clip that cannot be started or written (no encoder
installed, a full disk) is logged and said in a HUD notice; a completed clip is a line on
stdout and in the log. A window that changes size ends its clip (a clip's frames all have
one size).
"""

from __future__ import annotations

import logging
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import moderngl

from visualizer.recording.recorder import ClipFailed, Recorder
from visualizer.recording.target import INSTALL, clip_format, clip_in_pictures, encoder_missing
from visualizer.show import Show

log = logging.getLogger(__name__)

WINDOW_FPS = 30  # the clip's rate: half of 60 Hz halves the reading and the encoding


class WindowClips:
    def __init__(self, show: Show, record: Path | None = None) -> None:
        self._show = show
        self._first = record  # started with the first picture
        self._recorder: Recorder | None = None
        self._completing: list[Recorder] = []

    def follow(self, show: Show) -> None:
        self._show = show

    @property
    def recording(self) -> bool:
        return self._recorder is not None

    def toggle(self, size: tuple[int, int]) -> None:
        if self._recorder is not None:
            self._stop()
        else:
            self._start(clip_in_pictures(datetime.now()), size)

    def capture(self, screen: moderngl.Framebuffer, size: tuple[int, int], dt: float) -> None:
        if self._first is not None:
            path, self._first = self._first, None
            self._start(path, size)
        recorder = self._recorder
        if recorder is None:
            return
        if recorder.picture != size:
            self._stop()
            self._show.say("show.notice.recording_resized")
            return
        recorder.capture(screen, dt)
        if recorder.failed:
            self._stop()  # poll() says why, once the encoder has let go of the file

    def draw_mark(self, screen: moderngl.Framebuffer) -> None:
        if self._recorder is not None:
            self._show.renderer.draw_recording_mark(screen, self._recorder.seconds)

    def poll(self) -> None:
        for recorder in [recorder for recorder in self._completing if recorder.done]:
            self._completing.remove(recorder)
            self._report(recorder)

    def close(self) -> None:
        if self._recorder is not None:
            self._stop()
        for recorder in self._completing:
            self._report(recorder)
        self._completing.clear()

    def _start(self, path: Path, size: tuple[int, int]) -> None:
        format = clip_format(path)
        missing = encoder_missing(format)
        if missing is not None:
            log.warning("%s", missing)
            self._show.say("show.notice.recording_needs_video", format=format.name, install=INSTALL)
            return
        try:
            self._recorder = Recorder(path, size, Fraction(WINDOW_FPS), live=True)
        except ClipFailed as error:
            log.error("%s; the show goes on", error)
            self._show.say("show.notice.clip_not_started")
            return
        log.info("recording %s", path)

    def _stop(self) -> None:
        assert self._recorder is not None
        self._recorder.stop()  # completed on its own thread: the show does not wait
        self._completing.append(self._recorder)
        self._recorder = None

    def _report(self, recorder: Recorder) -> None:
        try:
            clip = recorder.result()
        except ClipFailed as error:
            log.error("%s; the show goes on", error)
            self._show.say("show.notice.clip_not_saved")
            return
        print(f"clip saved: {clip.describe()}", flush=True)
