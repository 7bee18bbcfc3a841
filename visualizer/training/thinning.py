"""The loss of every batch of a run, in bounded memory, with the curve's shape kept honest.

Contract: ``LossCurve()`` starts empty; ``append(step, loss)`` adds a batch's loss (steps
increase; gaps are allowed). ``steps`` and ``losses`` are the points kept, in order;
``len()`` is how many. Every point is kept until the run passes ``SPANS`` (4,096)
batches, more than a default run's 3,000. From then on the steps are cut into ``SPANS``
equal spans (a power of two of batches each, doubling as the run grows) and each span
keeps only its lowest and its highest loss, each at its own step; the span in progress
keeps its latest loss too. So at most ``CAPACITY`` (8,193) points are kept, however long
the run: a million-epoch run holds the same 8,193, not 15 million. Drawn through its
points, the curve still has the run's real envelope: every spike and every dip is
there, at its true height and its true batch, and the last point is the latest loss.
(Averaging spans instead would flatten the spikes; dropping points would lose them.)

The points kept depend on the series alone, not on when it was thinned, so a run
resumed from a checkpoint thins exactly as one never interrupted: ``from_points`` takes
back what ``steps`` and ``losses`` gave, and refuses (``ValueError``) what they could not
have given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

SPANS = 4096
CAPACITY = 2 * SPANS + 1


@dataclass
class LossCurve:
    """(step, loss) points: all of them, or each span's extremes once there are many."""

    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    _width: int = field(default=1, compare=False, repr=False)  # batches per span

    def __len__(self) -> int:
        return len(self.steps)

    def append(self, step: int, loss: float) -> None:
        steps, losses = self.steps, self.losses
        if steps and step <= steps[-1]:
            raise ValueError(f"step {step} does not follow step {steps[-1]}")
        width = self._width
        while (step - 1) // width >= SPANS:
            width *= 2
        if width != self._width:  # spans merge pairwise: thin them all (log₂ times a run)
            self._width = width
            steps.append(step)
            losses.append(loss)
            self._thin(0)
            return
        # Only the span of the last point so far and the new point's span can change.
        first = len(steps)
        if first:
            span = (steps[-1] - 1) // width
            while first > 0 and (steps[first - 1] - 1) // width == span:
                first -= 1
        steps.append(step)
        losses.append(loss)
        if len(steps) - first > 2:  # two points of a span are its extremes already
            self._thin(first)

    def copy(self) -> LossCurve:
        return LossCurve(list(self.steps), list(self.losses), self._width)

    @classmethod
    def from_every_loss(cls, losses: Sequence[float]) -> LossCurve:
        """The curve of a run whose every batch's loss this is, from step 1 on."""
        curve = cls()
        for step, loss in enumerate(losses, start=1):
            curve.append(step, float(loss))
        return curve

    @classmethod
    def from_points(cls, steps: Sequence[int], losses: Sequence[float]) -> LossCurve:
        """The curve whose ``steps`` and ``losses`` these were; ValueError if none was."""
        curve = cls()
        for step, loss in zip(steps, losses, strict=True):
            if step < 1:
                raise ValueError(f"steps start at 1, not {step}")
            curve.append(int(step), float(loss))
        if (curve.steps, curve.losses) != (list(steps), list(losses)):
            raise ValueError("these points are not what thinning keeps")
        return curve

    # ---------------------------------------------------------------- internals

    def _thin(self, first: int) -> None:
        """Reduce the spans from point ``first`` on (a span's start) to their extremes: the
        first of equal lows and of equal highs, and the last span's latest point too."""
        steps, losses, width = self.steps, self.losses, self._width
        kept_steps: list[int] = []
        kept_losses: list[float] = []
        start, end = first, len(steps)
        while start < end:
            span = (steps[start] - 1) // width
            low = high = stop = start
            while stop < end and (steps[stop] - 1) // width == span:
                if losses[stop] < losses[low]:
                    low = stop
                elif losses[stop] > losses[high]:
                    high = stop
                stop += 1
            chosen = {low, high, stop - 1} if stop == end else {low, high}
            for i in sorted(chosen):
                kept_steps.append(steps[i])
                kept_losses.append(losses[i])
            start = stop
        steps[first:] = kept_steps
        losses[first:] = kept_losses
