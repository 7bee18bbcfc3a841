"""The show: the trainer thread, the choreographer, the HUD and the renderer, wired once.

Contract: ``Show(config, ctx)`` starts a trainer and owns it; ``tick(dt)`` advances the
choreography and returns the ``Frame``; ``draw(frame, target)`` renders it with its HUD;
``close()`` saves a checkpoint (when checkpointing) and stops the trainer. Records flow
one way: trainer → choreographer → renderer. When a cycle finishes, its record joins the
history behind the curves, and if it ended an epoch its metrics line is written.

It keeps the show going whatever the trainer does:
- a run that resumes from a checkpoint brings its history (``Resumed``) for the curves;
- a diverged run (NaN loss) starts again from the next seed;
- a trainer that crashes is logged and replaced by a new one (the watchdog) that
  continues the run from the state after the last record it produced (else from the
  last checkpoint, else from the start); if that fails again before a single record,
  the next seed starts afresh, and after ``FAILURES_BEFORE_WAITING`` failures in a row
  the watchdog waits ``RETRY_SECONDS`` before the next try. The render loop never stops;
- in kiosk mode, a finished run is held on screen (with the legend) for
  ``kiosk.hold_seconds``, then the next run starts with the next seed: the attract cycle.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import moderngl

from visualizer.choreography import Choreographer, Frame
from visualizer.config import Config
from visualizer.hud.controller import HudController, View
from visualizer.hud.history import ShowHistory
from visualizer.hud.model import build_hud
from visualizer.kiosk import AttractCycle
from visualizer.metrics_log import MetricsLog
from visualizer.render.renderer import Renderer
from visualizer.training.records import Diverged, Resumed, RunFinished, StepRecord, TrainerFailed
from visualizer.training.run import RunState
from visualizer.training.trainer import Trainer

log = logging.getLogger(__name__)

RECORD_TIMEOUT = 30.0  # seconds a blocking show waits for the trainer before giving up
NOTICE_SECONDS = 12.0  # how long a notice (a restart, a divergence) stays in the HUD
SAVE_TIMEOUT = 0.5  # of the one-second budget for a clean shutdown
FAILURES_BEFORE_WAITING = 3  # trainers failing in a row, without a record between them …
RETRY_SECONDS = 60.0  # … make the watchdog wait this long before it tries again


class Show:
    def __init__(
        self,
        config: Config,
        ctx: moderngl.Context,
        *,
        wait_for_records: bool = False,
        metrics: MetricsLog | None = None,
        checkpoint_dir: Path | None = None,
    ) -> None:
        """``wait_for_records``: block for the trainer when a cycle ends (offscreen runs are
        then the same on any machine); a window never blocks and shows "waiting" instead.
        ``checkpoint_dir``: save there every ``kiosk.checkpoint_every_epochs`` epochs and
        resume from it (kiosk mode)."""
        self.config = config
        self._wait = wait_for_records
        self._metrics = metrics
        self._checkpoint_dir = checkpoint_dir
        self.seed = config.training.seed
        self.run: int | None = None  # learnt from the trainer's first event
        self._highest_run = 1  # run numbers only grow, whatever fails
        self.finished = False
        self.restarts = 0  # trainers the watchdog had to replace
        self.resumes = 0  # runs continued from a checkpoint or a replaced trainer's state
        self._failures_in_a_row = 0  # trainer failures since the last record
        self._retry_in: float | None = None  # seconds until the watchdog tries again
        self.history = ShowHistory()
        self.choreographer = Choreographer(config.choreography, self._next_record)
        self.renderer = Renderer(ctx, config)
        self.controller = HudController(
            self.choreographer, config.network, config.hud.drawing_hold_seconds
        )
        self._attract = AttractCycle(config.kiosk.hold_seconds) if config.kiosk.enabled else None
        self._notice: tuple[str, float] | None = None  # text, seconds left
        self.frame: Frame | None = None
        self._closed = False
        self.trainer = self._start_trainer(self.seed, 1)

    def tick(self, dt: float) -> Frame:
        self.controller.tick(dt)
        if self._retry_in is not None:
            self._retry_in -= dt
            if self._retry_in <= 0.0:
                self._retry_in = None
                self._start_next_seed()
        if self._notice is not None:
            text, left = self._notice
            self._notice = (text, left - dt) if left > dt else None
        if self._attract is not None:
            self.controller.legend = self.finished  # the attract mode explains itself
            if self._attract.tick(dt, self.finished):
                self.reset(self.seed + 1)
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
            self.notice(),
        )
        self.renderer.draw(frame, target, hud, self.controller.drawing_look)

    def notice(self) -> str | None:
        """What the HUD says instead of the phase's caption, if anything."""
        if self.finished and self._attract is not None:
            return f"A new run with new images starts in {self._attract.seconds_left:.0f} s"
        if self._retry_in is not None:
            return f"The trainer keeps failing; trying again in {math.ceil(self._retry_in)} s"
        return self._notice[0] if self._notice else None

    def view(self, frame: Frame | None = None) -> View:
        """What is on screen, for the HUD's hit testing."""
        renderer = self.renderer
        return View(
            frame or self.frame, renderer.hud_layout, renderer.layout, renderer.input_grid()
        )

    def reset(self, seed: int) -> None:
        """Start a fresh run from ``seed``: new weights, and new images if the seed is new."""
        self.seed = seed
        if self.run is not None:
            self.run += 1  # the trainer numbers its runs the same way
            self._highest_run = max(self._highest_run, self.run)
        self.finished = False
        self.history.reset()
        self.controller.stop_drawing()
        self.trainer.reset(seed)
        self.choreographer.restart()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._checkpointing and self.trainer.alive:
            self.trainer.save_now(SAVE_TIMEOUT)
        self.trainer.stop()
        self.renderer.release()

    # ---------------------------------------------------------------- internals

    @property
    def _checkpointing(self) -> bool:
        return self._checkpoint_dir is not None and self.config.kiosk.checkpoint_every_epochs > 0

    def _start_trainer(
        self, seed: int, run: int, restore: RunState | None = None, resume: bool = True
    ) -> Trainer:
        saving = self._checkpointing
        self._highest_run = max(self._highest_run, run)
        trainer = Trainer(
            self.config,
            seed=seed,
            run=run,
            checkpoint_dir=self._checkpoint_dir if saving else None,
            checkpoint_every=max(self.config.kiosk.checkpoint_every_epochs, 1),
            resume=saving and resume,
            restore=restore,
        )
        trainer.start()
        return trainer

    def _next_record(self) -> StepRecord | None:
        while True:
            if self._retry_in is not None:
                return None  # the watchdog is waiting before its next try
            blocking = self._wait and not self.finished
            event = self.trainer.wait(RECORD_TIMEOUT) if blocking else self.trainer.take()
            if event is None:
                if blocking:
                    raise TimeoutError(f"the trainer sent nothing for {RECORD_TIMEOUT:.0f} s")
                return None
            if isinstance(event, TrainerFailed):
                self._replace_trainer(event)
                continue
            if self.run is None:
                self.run, self.seed = event.run, event.seed
                self._highest_run = max(self._highest_run, event.run)
            if event.run != self.run:
                continue  # computed before a reset took effect
            if isinstance(event, StepRecord):
                self._failures_in_a_row = 0
                return event
            if isinstance(event, Resumed):
                self.resumes += 1
                log.info(
                    "resumed run %d (seed %d) after %d batches",
                    event.run,
                    event.seed,
                    len(event.batch_losses),
                )
                self.history.resume(event)
            elif isinstance(event, RunFinished):
                self.finished = True
                log.info("run %d (seed %d) finished", event.run, event.seed)
                return None
            elif isinstance(event, Diverged):
                log.warning(
                    "run %d diverged at epoch %d batch %d (loss %s); restarting with seed %d",
                    event.run,
                    event.epoch,
                    event.batch,
                    event.loss,
                    event.seed + 1,
                )
                self._say("The run diverged (its loss became NaN); starting again with new images")
                self.reset(event.seed + 1)

    def _replace_trainer(self, failure: TrainerFailed) -> None:
        """The watchdog: log the failure, start a new trainer, keep the show going."""
        self.restarts += 1
        self._failures_in_a_row += 1
        log.error(
            "the trainer failed; starting a new one (restart %d):\n%s",
            self.restarts,
            failure.details,
        )
        self.trainer.stop()
        snapshot = self.trainer.snapshot
        run = self.run or self._highest_run
        self.run = None  # whatever the new trainer resumes, or starts, is the run now
        self.history.reset()
        self.controller.stop_drawing()
        self.choreographer.restart()
        if self._failures_in_a_row >= FAILURES_BEFORE_WAITING:
            log.error(
                "the trainer failed %d times in a row; trying again in %.0f s",
                self._failures_in_a_row,
                RETRY_SECONDS,
            )
            self._retry_in = RETRY_SECONDS  # said by notice() meanwhile
        elif self._failures_in_a_row > 1:
            # What it continued from fails again: give up on that run, not on the show.
            self._start_next_seed()
        elif snapshot is not None and (snapshot.run, snapshot.seed) == (run, self.seed):
            self.trainer = self._start_trainer(self.seed, run, restore=snapshot.state)
            self._say("The trainer stopped after an error and was restarted where it left off")
        else:  # no record yet, or a reset the failed trainer never carried out
            self.trainer = self._start_trainer(self.seed, run, resume=False)
            self._say("The trainer stopped after an error and was restarted from the start")

    def _start_next_seed(self) -> None:
        self.seed += 1
        self.trainer = self._start_trainer(self.seed, self._highest_run + 1, resume=False)
        self._say("The trainer stopped after an error and was restarted with new images")

    def _say(self, notice: str) -> None:
        self._notice = (notice, NOTICE_SECONDS)
