"""Pacing: which phase of which record is on screen, and how far along it is.

Contract: a ``Choreographer`` is pure Python with no clock of its own. ``tick(dt)`` is told
how many wall seconds passed (capped at ``max_frame_seconds``), advances the show by
``dt × speed`` and returns a ``Frame``. Each record plays three phases — forward
(``forward_seconds`` at 1×), backward (``backward_seconds``) and the update
(``update_seconds``), in which the weights settle — and when a cycle ends, its record is
handed to ``cycle_ended`` (the curves and the metrics advance then) and the next is taken
from ``take_next``. No finished record is kept: a tick of any length, crossing any number
of cycles, holds one record at a time. Changing speed keeps the phase's progress;
pausing freezes the show (progress and the animation time alike). A show that opens
paused (``start_paused``), or is reset while paused, still takes its first record and
holds it at the start of its forward pass.

Two clocks come out of it: ``show_time`` (dt × speed) paces the data — phases, the wave
front, the counters — and ``motion_time`` (dt × √speed) only animates the particles' flow
and the sparks, so that at 10× the light runs about three times faster instead of
smearing. Both stop while paused.

A visitor's drawing plays as a *probe*: ``begin_probe()`` freezes the show and plays a
forward pass alone, lasting ``PROBE_SECONDS`` of wall time at any speed, then holds it
until ``end_probe()``; meanwhile frames carry its progress in ``drawing_progress`` and
keep the show's own (frozen) phase, and ``network_pass()`` says what the network is
showing.

Nothing else in the program sleeps or paces; the renderer only reads frames.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from visualizer.config import ChoreographyConfig
from visualizer.training.records import StepRecord

# The wave front crosses the network in the first part of a pass, then rests at the far
# end so the result (the prediction, the input's error) can be seen before the next phase.
TRAVEL_FRACTION = 0.8
PROBE_SECONDS = 4.0  # a drawing's forward pass, in wall seconds


class Phase(Enum):
    WAITING = "waiting"  # no record to show yet
    FORWARD = "forward"
    BACKWARD = "backward"
    UPDATE = "update"


_NEXT_PHASE = {Phase.FORWARD: Phase.BACKWARD, Phase.BACKWARD: Phase.UPDATE}


@dataclass(frozen=True)
class Frame:
    """Everything time-dependent the renderer needs for one picture."""

    record: StepRecord | None
    phase: Phase
    progress: float  # 0..1 through the phase
    wavefront: float  # in layers: 0 = input … L = output; rises forward, falls backward
    show_time: float  # show seconds so far (speed-scaled, frozen while paused)
    motion_time: float  # animation seconds so far (√speed-scaled, frozen while paused)
    phase_started_at: float  # show_time at which this phase began
    speed: float
    paused: bool
    seconds_left: float  # wall seconds until the phase ends at the current speed
    cycle: int  # how many records have started playing
    # While a visitor's drawing plays (a probe): how far its forward pass has got, 0..1.
    drawing_progress: float | None = None

    @property
    def layer_count(self) -> int:
        return len(self.record.activations) - 1 if self.record else 0

    @property
    def settled(self) -> float:
        """How far the wires have settled into the record's new weights: 0 before its
        update, easing to 1 through it, 1 while the record waits for its successor (with
        no record, after a reset, the dropped record's update never happened)."""
        if self.phase is Phase.WAITING:
            return 0.0 if self.record is None else 1.0
        if self.phase is not Phase.UPDATE:
            return 0.0
        return smoothstep(0.1, 0.75, self.progress)

    @property
    def update_landed(self) -> bool:
        """Whether the picture shows the new weights more than the old."""
        return self.settled >= 0.5

    def network_pass(self) -> tuple[Phase, float, float]:
        """Phase, progress and wave front of what the network shows: the drawing's forward
        pass while one plays, else the show's."""
        progress = self.drawing_progress
        if progress is None:
            return self.phase, self.progress, self.wavefront
        return Phase.FORWARD, progress, forward_wavefront(progress, self.layer_count)


def forward_wavefront(progress: float, layers: int) -> float:
    """How many layers a forward pass has crossed at ``progress``."""
    return min(progress / TRAVEL_FRACTION, 1.0) * layers


def smoothstep(edge0: float, edge1: float, x: float) -> float:
    """0 below ``edge0``, 1 above ``edge1``, and a smooth S between."""
    t = min(max((x - edge0) / (edge1 - edge0), 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


class Choreographer:
    """Turns elapsed time into phases of the records taken from ``take_next``."""

    def __init__(
        self,
        timing: ChoreographyConfig,
        take_next: Callable[[], StepRecord | None],
        cycle_ended: Callable[[StepRecord], None] = lambda record: None,
    ) -> None:
        self._timing = timing
        self._take_next = take_next
        self._cycle_ended = cycle_ended
        self._durations = {
            Phase.FORWARD: timing.forward_seconds,
            Phase.BACKWARD: timing.backward_seconds,
            Phase.UPDATE: timing.update_seconds,
        }
        self.speed = timing.speed
        self.paused = timing.start_paused
        self._record: StepRecord | None = None
        self._phase = Phase.WAITING
        self._elapsed = 0.0  # show seconds into the current phase
        self._show_time = 0.0
        self._motion_time = 0.0
        self._phase_started_at = 0.0
        self._cycle = 0
        self._probe_elapsed: float | None = None  # wall seconds into the drawing's pass

    @property
    def speeds(self) -> tuple[float, ...]:
        return self._timing.speeds

    def set_speed(self, speed: float) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        self.speed = float(speed)

    def restart(self) -> None:
        """Drop the record on screen and wait for a new one (after a reset of the trainer)."""
        self._record = None
        self._enter(Phase.WAITING, self._show_time)

    def begin_probe(self) -> None:
        """Play a drawing's forward pass from its start, the show frozen meanwhile."""
        self._probe_elapsed = 0.0

    def end_probe(self) -> None:
        self._probe_elapsed = None

    @property
    def probing(self) -> bool:
        return self._probe_elapsed is not None

    def step(self) -> None:
        """Jump to the start of the next phase (S while paused); the data stay exact."""
        if self._phase is Phase.WAITING:
            self._advance(0.0)
            return
        left = self._durations[self._phase] - self._elapsed
        self._show_time += left
        self._advance(left)

    def tick(self, dt: float) -> Frame:
        """Advance by ``dt`` wall seconds (capped) and describe the result."""
        wall = min(max(dt, 0.0), self._timing.max_frame_seconds)
        if self._probe_elapsed is not None:
            return self._probe_frame(self._probe_elapsed + wall, wall)
        if not self.paused:
            self._motion_time += wall * self.speed**0.5
            step = wall * self.speed
            self._show_time += step
            self._advance(step)
        elif self._record is None:
            # Paused with nothing on screen (at the start, or after a reset): the first
            # record is shown at its start, still, rather than "getting ready" until played.
            self._advance(0.0)
        return self._frame()

    # ---------------------------------------------------------------- internals

    def _advance(self, step: float) -> None:
        """Spend ``step`` show seconds, crossing as many phase boundaries as it takes."""
        while True:
            if self._phase is Phase.WAITING:
                if not self._start_next_record(self._show_time - step):
                    return  # nothing to show: the time is spent waiting
                continue
            left = self._durations[self._phase] - self._elapsed
            if step < left:
                self._elapsed += step
                return
            step -= left
            boundary = self._show_time - step
            if self._phase is Phase.UPDATE:
                if self._record is not None:  # always: only WAITING may have no record
                    self._cycle_ended(self._record)
                if not self._start_next_record(boundary):
                    self._enter(Phase.WAITING, boundary)
                    return
            else:
                self._enter(_NEXT_PHASE[self._phase], boundary)

    def _start_next_record(self, started_at: float) -> bool:
        record = self._take_next()
        if record is None:
            return False
        self._record = record
        self._cycle += 1
        self._enter(Phase.FORWARD, started_at)
        return True

    def _enter(self, phase: Phase, started_at: float) -> None:
        self._phase = phase
        self._elapsed = 0.0
        self._phase_started_at = started_at

    def _frame(self) -> Frame:
        duration = self._durations.get(self._phase, 0.0)
        progress = self._elapsed / duration if duration else 0.0
        return Frame(
            record=self._record,
            phase=self._phase,
            progress=progress,
            wavefront=self._wavefront(progress),
            show_time=self._show_time,
            motion_time=self._motion_time,
            phase_started_at=self._phase_started_at,
            speed=self.speed,
            paused=self.paused,
            seconds_left=(duration - self._elapsed) / self.speed,
            cycle=self._cycle,
        )

    def _probe_frame(self, elapsed: float, wall: float) -> Frame:
        """``elapsed`` wall seconds into the drawing's pass, ``wall`` of them in this tick."""
        self._probe_elapsed = elapsed
        self._motion_time += wall
        progress = min(elapsed / PROBE_SECONDS, 1.0)
        return dataclasses.replace(self._frame(), drawing_progress=progress)

    def _wavefront(self, progress: float) -> float:
        if self._record is None:
            return 0.0
        layers = len(self._record.activations) - 1
        if self._phase is Phase.FORWARD:
            return forward_wavefront(progress, layers)
        if self._phase is Phase.BACKWARD:
            return layers - forward_wavefront(progress, layers)
        return 0.0
