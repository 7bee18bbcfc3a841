"""The trainer's supervisor: it owns the trainer thread's lifetime and keeps a run going.

Contract: ``Supervisor(config, checkpoint_dir=None, wait_for_records=False, resume=True)``
starts a trainer (continuing ``checkpoint_dir``'s run when checkpointing, unless not to
``resume``: a lesson switched to starts afresh) and hands the show, as
plain data, what it must act on:

- ``take()`` → a ``StepRecord`` to play; ``Resumed``, the run's history so far (a
  checkpoint's, or a replaced trainer's); ``StartOver``, the run on screen is gone, so
  forget its record, curves and drawing; or None, nothing yet. With
  ``wait_for_records`` it blocks for the trainer (``TimeoutError`` after
  ``RECORD_TIMEOUT``), except after a finished run or while waiting to retry;
- ``notice``: what to tell the visitor and for how many more seconds (a restart, a
  divergence, the retry's countdown, or whatever the show passes to ``say``: a clip that
  could not be saved), counted down by ``tick(dt)``; no wall clock here. A notice is a
  catalogue key and its values (``visualizer.said``), written in the language on screen
  when it shows.

``reset(seed)`` starts the next run from ``seed``; ``close()`` saves a checkpoint (when
checkpointing; also ``save_checkpoint()`` alone, when the display is lost) and stops the
trainer, within ``SAVE_TIMEOUT`` + ``STOP_TIMEOUT``. ``take`` and ``reset`` pass
``batches_per_cycle`` on to the trainer (``Trainer.take``: how many batches the record
after the one taken trains). What it does with the trainer's events:

- ``TrainerFailed``: logged, and the trainer replaced by one that continues the run from
  the state after the last record it produced (``Trainer.snapshot``; else from the run's
  start); if that fails again before a single record, the next seed starts afresh, and
  after ``FAILURES_BEFORE_WAITING`` failures in a row it waits ``RETRY_SECONDS`` before
  the next try (``restarts`` counts the failures);
- ``Diverged`` (a NaN loss, or one that exploded: ``training/health.py``): a new run from
  the next seed;
- ``RunFinished``: ``finished`` until the next reset;
- ``Resumed``: counted in ``resumes`` and passed on;
- anything computed before a reset took effect: dropped.

``run`` and ``seed`` are the run on screen (learnt from the trainer's first event, since
a checkpoint may continue another); run numbers only grow, whatever fails.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from visualizer.config import Config
from visualizer.said import Said
from visualizer.training.records import Diverged, Resumed, RunFinished, StepRecord, TrainerFailed
from visualizer.training.run import RunState
from visualizer.training.trainer import Trainer

log = logging.getLogger(__name__)

RECORD_TIMEOUT = 30.0  # seconds a blocking supervisor waits for the trainer before giving up
NOTICE_SECONDS = 12.0  # how long a notice (a restart, a divergence) stays in the HUD
SAVE_TIMEOUT = 0.5  # of the one-second budget for a clean shutdown …
STOP_TIMEOUT = 0.25  # … and joining the trainer (a daemon thread: it ends with the process)
FAILURES_BEFORE_WAITING = 3  # trainers failing in a row, without a record between them …
RETRY_SECONDS = 60.0  # … make the supervisor wait this long before it tries again


@dataclass(frozen=True)
class StartOver:
    """The run on screen is gone (a reset, a diverged run, a failed trainer): what comes
    next belongs to the run that replaces it."""


@dataclass(frozen=True)
class Notice:
    """What to tell the visitor instead of the phase's caption, for ``seconds`` more."""

    said: Said
    seconds: float


class Supervisor:
    """Starts, replaces and numbers the trainer's runs; see the module's contract."""

    def __init__(
        self,
        config: Config,
        *,
        checkpoint_dir: Path | None = None,
        wait_for_records: bool = False,
        resume: bool = True,
    ) -> None:
        self._config = config
        self._checkpoint_dir = checkpoint_dir
        self._wait = wait_for_records
        self.seed = config.training.seed
        self.run: int | None = None  # learnt from the trainer's first event
        self._highest_run = 1  # the highest run number used so far
        self.finished = False
        self.restarts = 0  # trainers that had to be replaced
        self.resumes = 0  # runs continued from a checkpoint or a replaced trainer's state
        self._failures_in_a_row = 0  # trainer failures since the last record
        self._retry_in: float | None = None  # seconds until the next try
        self._notice: Notice | None = None
        self.trainer = self._start_trainer(self.seed, 1, resume=resume)

    def take(self, batches_per_cycle: int | None = None) -> StepRecord | Resumed | StartOver | None:
        """The next thing the show must act on (see the module's contract)."""
        while True:
            if self._retry_in is not None:
                return None  # waiting before the next try
            blocking = self._wait and not self.finished
            event = (
                self.trainer.wait(RECORD_TIMEOUT, batches_per_cycle)
                if blocking
                else self.trainer.take(batches_per_cycle)
            )
            if event is None:
                if blocking:
                    raise TimeoutError(f"the trainer sent nothing for {RECORD_TIMEOUT:.0f} s")
                return None
            if isinstance(event, TrainerFailed):
                self._replace_trainer(event)
                return StartOver()
            if self.run is None:
                self.run, self.seed = self._use_run_number(event.run), event.seed
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
                self.say(_broke(event.loss))
                self.reset(event.seed + 1)
                return StartOver()

    def tick(self, dt: float) -> None:
        """Let ``dt`` seconds pass: the wait before the next try, the notice's time."""
        if self._retry_in is not None:
            self._retry_in -= dt
            if self._retry_in <= 0.0:
                self._retry_in = None
                self._start_next_seed()
        notice = self._notice
        if notice is not None:
            self._notice = (
                dataclasses.replace(notice, seconds=notice.seconds - dt)
                if notice.seconds > dt
                else None
            )

    @property
    def notice(self) -> Notice | None:
        if self._retry_in is not None:
            said = Said.of("show.notice.retrying", seconds=math.ceil(self._retry_in))
            return Notice(said, self._retry_in)
        return self._notice

    def say(self, said: Said) -> None:
        """Tell the visitor ``said`` for ``NOTICE_SECONDS``, instead of the phase's caption."""
        self._notice = Notice(said, NOTICE_SECONDS)

    def reset(self, seed: int, batches_per_cycle: int | None = None) -> None:
        """Start the next run from ``seed``: new weights, and new images if the seed is new
        (its first record trains ``batches_per_cycle`` batches, if given)."""
        self.seed = seed
        if self.run is not None:
            self.run = self._use_run_number(self.run + 1)  # as the trainer numbers it
        self.finished = False
        self.trainer.reset(seed, batches_per_cycle)

    def close(self) -> None:
        self.save_checkpoint()
        self.trainer.stop(STOP_TIMEOUT)

    def save_checkpoint(self) -> bool:
        """Write a checkpoint now when checkpointing (at shutdown, or the display is gone),
        waiting at most ``SAVE_TIMEOUT``; True if one was written."""
        return self._checkpointing and self.trainer.alive and self.trainer.save_now(SAVE_TIMEOUT)

    # ---------------------------------------------------------------- internals

    @property
    def _checkpointing(self) -> bool:
        return self._checkpoint_dir is not None and self._config.kiosk.checkpoint_every_epochs > 0

    def _use_run_number(self, run: int) -> int:
        """Every run number used passes here, so that a new run's number is always new."""
        self._highest_run = max(self._highest_run, run)
        return run

    def _start_trainer(
        self, seed: int, run: int, restore: RunState | None = None, resume: bool = True
    ) -> Trainer:
        saving = self._checkpointing
        trainer = Trainer(
            self._config,
            seed=seed,
            run=self._use_run_number(run),
            checkpoint_dir=self._checkpoint_dir if saving else None,
            checkpoint_every=max(self._config.kiosk.checkpoint_every_epochs, 1),
            resume=saving and resume,
            restore=restore,
        )
        trainer.start()
        return trainer

    def _replace_trainer(self, failure: TrainerFailed) -> None:
        """Log the failure and start a new trainer (or wait before the next try)."""
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
        if self._failures_in_a_row >= FAILURES_BEFORE_WAITING:
            log.error(
                "the trainer failed %d times in a row; trying again in %.0f s",
                self._failures_in_a_row,
                RETRY_SECONDS,
            )
            self._retry_in = RETRY_SECONDS  # said by notice meanwhile
        elif self._failures_in_a_row > 1:
            # What it continued from fails again: give up on that run, not on the show.
            self._start_next_seed()
        elif snapshot is not None and (snapshot.run, snapshot.seed) == (run, self.seed):
            self.trainer = self._start_trainer(self.seed, run, restore=snapshot.state)
            self.say(Said("show.notice.restarted_where_it_left_off"))
        else:  # no record yet, or a reset the failed trainer never carried out
            self.trainer = self._start_trainer(self.seed, run, resume=False)
            self.say(Said("show.notice.restarted_from_the_start"))

    def _start_next_seed(self) -> None:
        self.seed += 1
        self.trainer = self._start_trainer(self.seed, self._highest_run + 1, resume=False)
        self.say(Said("show.notice.restarted_with_new_images"))


def _broke(loss: float) -> Said:
    """How a run broke down, for the HUD (``training/health.py``)."""
    if math.isfinite(loss):
        return Said.of("show.notice.exploded", loss=round(loss))
    return Said("show.notice.diverged")
