"""A visitor's story: a fresh run told in about three minutes, as plain logic.

Contract: ``Story(kiosk, choreography)`` is told when a visitor arrives (``begin``, once
the caller has started a fresh run whose first record trains one batch), when
each record starts playing (``started(record)``, which returns the speed to play it at,
or None to leave the speed as it is) and how much show time passes (``tick(dt)``, not
while paused); ``stop()`` ends it early and returns the speed to go back to. No clock of
its own, no GL; all its times are wall seconds. Its stages:

1. ``FIRST``: the fresh run's first batch, slowly (``kiosk.visitor_slow_seconds`` for
   forward, backward and update together), each phase captioned;
2. ``TIMELAPSE``: for about ``kiosk.visitor_timelapse_seconds``, each batch shown for
   ``kiosk.visitor_timelapse_cycle_seconds`` and ``kiosk.visitor_batches_per_cycle`` of
   them trained for each one shown (the HUD says how many, from each record);
3. ``LATE``: one batch trained alone and shown slowly again, to compare with the first;
   then the show goes on at its configured speed.

How many batches a record trains is handed to the trainer as the record before it is
taken (``batches_after_next``: ``Trainer.take``), so the late batch is trained alone
however the threads run: the record computed while the time-lapse ran out is still a
time-lapse one, and the next is the late batch. Nothing is skipped: every batch is
trained, counted in the record shown after it and in the loss curve.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from visualizer.config import ChoreographyConfig, KioskConfig
from visualizer.training.records import StepRecord


class StoryStage(Enum):
    STARTING = "starting"  # waiting for the fresh run's first record
    FIRST = "first"
    TIMELAPSE = "time-lapse"
    LATE = "late"


@dataclass(frozen=True)
class FirstBatch:
    """The first batch's figures, for the late batch to be compared with."""

    step: int
    loss: float
    right: int  # images predicted correctly
    size: int  # images in the batch


@dataclass(frozen=True)
class StoryView:
    """Where the story is, for the HUD's captions."""

    stage: StoryStage
    first: FirstBatch | None


class Story:
    def __init__(self, kiosk: KioskConfig, choreography: ChoreographyConfig) -> None:
        cycle = (
            choreography.forward_seconds
            + choreography.backward_seconds
            + choreography.update_seconds
        )
        self.slow_speed = cycle / kiosk.visitor_slow_seconds
        self.timelapse_speed = cycle / kiosk.visitor_timelapse_cycle_seconds
        self._timelapse_seconds = kiosk.visitor_timelapse_seconds
        self._timelapse_batches = kiosk.visitor_batches_per_cycle
        self._usual_batches = choreography.batches_per_cycle
        self._usual_speed = choreography.speed
        self.stage: StoryStage | None = None  # None: no story is being told
        self._first: FirstBatch | None = None
        self._timelapse_left = 0.0  # seconds of the time-lapse still to play
        self._fast_records_left: int | None = None  # once it has run out: before the late one

    @property
    def playing(self) -> bool:
        return self.stage is not None

    @property
    def view(self) -> StoryView | None:
        return StoryView(self.stage, self._first) if self.stage is not None else None

    def begin(self) -> float:
        """A visitor arrived and a fresh run is starting, its first record trained alone:
        the speed to wait for it at (the first batch's)."""
        self.stage = StoryStage.STARTING
        self._first = None
        self._fast_records_left = None
        return self.slow_speed

    def stop(self) -> float | None:
        """End the story early; the usual speed to go back to, if one was being told."""
        if self.stage is None:
            return None
        self.stage = None
        return self._usual_speed

    @property
    def batches_after_next(self) -> int:
        """How many batches the record after the next one taken should train."""
        if self.stage in (StoryStage.STARTING, StoryStage.FIRST):
            return self._timelapse_batches
        if self.stage is StoryStage.TIMELAPSE:
            if self._fast_records_left is None:
                return self._timelapse_batches
            # The time-lapse has run out: the next record taken is its last, and the one
            # after it the late batch, trained alone.
            return 1 if self._fast_records_left else self._usual_batches
        return self._usual_batches

    def tick(self, dt: float) -> None:
        """``dt`` wall seconds passed while the show played (not paused)."""
        if self.stage is StoryStage.TIMELAPSE and self._fast_records_left is None:
            self._timelapse_left -= dt
            if self._timelapse_left <= 0.0:
                self._fast_records_left = 1

    def started(self, record: StepRecord) -> float | None:
        """``record`` starts playing: the speed to play it at (None: as it is)."""
        stage = self.stage
        if stage is StoryStage.STARTING:
            if record.step != 1:  # not a fresh run's first batch: there is no story to tell
                return self.stop()
            right = round(record.accuracy * len(record.labels))
            self._first = FirstBatch(record.step, record.loss, right, len(record.labels))
            self.stage = StoryStage.FIRST
            return self.slow_speed
        if stage is StoryStage.FIRST:
            self.stage = StoryStage.TIMELAPSE
            self._timelapse_left = self._timelapse_seconds
            return self.timelapse_speed
        if stage is StoryStage.TIMELAPSE:
            if self._fast_records_left is None or self._fast_records_left > 0:
                if self._fast_records_left is not None:
                    self._fast_records_left -= 1
                return None
            self.stage = StoryStage.LATE
            return self.slow_speed
        if stage is StoryStage.LATE:
            return self.stop()
        return None
