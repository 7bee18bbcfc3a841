"""The show: the trainer thread, the choreographer, the HUD and the renderer, wired once.

Contract: ``Show(config, ctx)`` starts a trainer and owns it; ``tick(dt)`` advances the
choreography and returns the ``Frame``; ``draw(frame, target)`` renders it with its HUD;
``close()`` stops the trainer. Records flow one way: trainer → choreographer → renderer.
When a cycle finishes, its record joins the history behind the curves, and if it ended
an epoch its metrics line is written (``--metrics-out``).

Trainer events other than records are handled here: a diverged run restarts from the
next seed; a run that finished leaves the last batch on screen; a crashed trainer raises
``TrainerCrashed`` with the thread's traceback.
"""

from __future__ import annotations

import logging

import moderngl

from visualizer.choreography import Choreographer, Frame
from visualizer.config import Config
from visualizer.hud.controller import HudController, View
from visualizer.hud.history import ShowHistory
from visualizer.hud.model import build_hud
from visualizer.metrics_log import MetricsLog
from visualizer.render.renderer import Renderer
from visualizer.training.records import Diverged, RunFinished, StepRecord, TrainerFailed
from visualizer.training.trainer import Trainer

log = logging.getLogger(__name__)

RECORD_TIMEOUT = 30.0  # seconds a blocking show waits for the trainer before giving up


class TrainerCrashed(RuntimeError):
    """The trainer thread raised; the message is its error, ``details`` its traceback."""

    def __init__(self, failure: TrainerFailed) -> None:
        super().__init__(f"the trainer stopped: {failure.message}")
        self.details = failure.details


class Show:
    def __init__(
        self,
        config: Config,
        ctx: moderngl.Context,
        *,
        wait_for_records: bool = False,
        metrics: MetricsLog | None = None,
    ) -> None:
        """``wait_for_records``: block for the trainer when a cycle ends (offscreen runs are
        then the same on any machine); a window never blocks and shows "waiting" instead."""
        self.config = config
        self._wait = wait_for_records
        self._metrics = metrics
        self.seed = config.training.seed
        self.run = 1  # the trainer numbers runs the same way: each reset starts the next
        self.finished = False
        self.history = ShowHistory()
        self.trainer = Trainer(config)
        self.choreographer = Choreographer(config.choreography, self._next_record)
        self.renderer = Renderer(ctx, config)
        self.controller = HudController(
            self.choreographer, config.network, config.hud.drawing_hold_seconds
        )
        self.frame: Frame | None = None
        self.trainer.start()

    def tick(self, dt: float) -> Frame:
        self.controller.tick(dt)
        frame = self.choreographer.tick(dt)
        for record in frame.completed:
            self.history.add(record)
            if record.ends_epoch and self._metrics is not None:
                self._metrics.write(record)
        self.frame = frame
        return frame

    def draw(self, frame: Frame, target: moderngl.Framebuffer) -> None:
        view = self.view(frame)
        hud = build_hud(
            frame,
            view.hud,
            self.history,
            self.controller.interaction(view),
            self.config.choreography.speeds,
            self.finished,
        )
        self.renderer.draw(frame, target, hud, self.controller.probe)

    def view(self, frame: Frame | None = None) -> View:
        """What is on screen, for the HUD's hit testing."""
        renderer = self.renderer
        return View(
            frame or self.frame, renderer.hud_layout, renderer.layout, renderer.input_grid()
        )

    def reset(self, seed: int) -> None:
        """Start a fresh run from ``seed``: new weights, and new images if the seed is new."""
        self.seed = seed
        self.run += 1
        self.finished = False
        self.history.reset()
        self.controller.stop_drawing()
        self.trainer.reset(seed)
        self.choreographer.restart()

    def close(self) -> None:
        self.trainer.stop()
        self.renderer.release()

    def _next_record(self) -> StepRecord | None:
        while True:
            blocking = self._wait and not self.finished
            event = self.trainer.wait(RECORD_TIMEOUT) if blocking else self.trainer.take()
            if event is None:
                if blocking:
                    raise TimeoutError(f"the trainer sent nothing for {RECORD_TIMEOUT:.0f} s")
                return None
            if event_run(event) not in (None, self.run):
                continue  # computed before a reset took effect
            if isinstance(event, StepRecord):
                return event
            if isinstance(event, RunFinished):
                self.finished = True
                log.info("run %d (seed %d) finished", event.run, event.seed)
                return None
            if isinstance(event, Diverged):
                log.warning(
                    "run %d diverged at epoch %d batch %d (loss %s); restarting with seed %d",
                    event.run,
                    event.epoch,
                    event.batch,
                    event.loss,
                    event.seed + 1,
                )
                self.reset(event.seed + 1)
                continue
            if isinstance(event, TrainerFailed):
                raise TrainerCrashed(event)


def event_run(event) -> int | None:
    """The run an event belongs to (a crash belongs to none)."""
    return getattr(event, "run", None)
