"""The show in the window, and its replacement when another lesson starts.

Contract: ``Stage(config, ctx, size, lessons, ...)`` (the rest as ``Show`` takes it) builds
the first ``Show``; ``stage.show`` is the one on screen. ``switch(size)`` asks that show
for a lesson to start (``Show.take_lesson_request``: a visitor's pick, or the kiosk's
rotation) and, if there is one, builds that lesson's config (``LessonMenu.config_for``:
the command line over the lesson), closes the old show — its trainer joined, a
checkpoint saved when checkpointing — and builds the new one on the same GL context, for
a target of ``size``, starting afresh (a checkpoint left by the old lesson is not the new
one's), its visitor's story begun at once when a visitor picked it, in the language on screen;
it returns whether the show changed. A lesson that the command line's keys do
not fit is not started: the error is logged and the old show tells the visitor.
``close()`` closes the show on screen. The metrics log, if any, goes on across lessons.
"""

from __future__ import annotations

import logging
from pathlib import Path

import moderngl

from visualizer.config import Config
from visualizer.errors import UserError
from visualizer.lessons import LessonMenu
from visualizer.metrics_log import MetricsLog
from visualizer.show import Show

log = logging.getLogger(__name__)


class Stage:
    def __init__(
        self,
        config: Config,
        ctx: moderngl.Context,
        size: tuple[int, int],
        lessons: LessonMenu | None,
        *,
        metrics: MetricsLog | None = None,
        checkpoint_dir: Path | None = None,
        wait_for_records: bool = False,
    ) -> None:
        """``wait_for_records`` and ``checkpoint_dir`` are each show's (``Show``)."""
        self._ctx = ctx
        self._lessons = lessons
        self._metrics = metrics
        self._checkpoint_dir = checkpoint_dir
        self._wait = wait_for_records
        self.show = self._build(config, size, lessons, resume=True, picked=False, language=None)

    def switch(self, size: tuple[int, int]) -> bool:
        """Start the lesson the show asks for, if any; True if the show on screen changed."""
        request = self.show.take_lesson_request()
        if request is None or self._lessons is None:
            return False
        try:
            config = self._lessons.config_for(request.name)
        except UserError as error:
            log.error("cannot start the lesson %s: %s", request.name, error)
            self.show.say("show.notice.lesson_failed")  # the log says why, in English
            return False
        if request.seed is not None:
            config = config.replace(training={"seed": request.seed})
        language = self.show.controller.language  # the next lesson goes on in it
        self.show.close()
        lessons = self._lessons.showing(request.name)
        # A lesson a visitor picked (the rotation's come with a seed) has its visitor.
        picked = request.seed is None
        self.show = self._build(config, size, lessons, False, picked, language)
        log.info("lesson %s (seed %d)", request.name, config.training.seed)
        return True

    def close(self) -> None:
        self.show.close()

    def _build(
        self,
        config: Config,
        size: tuple[int, int],
        lessons: LessonMenu | None,
        resume: bool,
        picked: bool,
        language: str | None,
    ) -> Show:
        return Show(
            config,
            self._ctx,
            size,
            metrics=self._metrics,
            checkpoint_dir=self._checkpoint_dir,
            wait_for_records=self._wait,
            lessons=lessons,
            resume=resume,
            visitor_present=picked,
            language=language,
        )
