"""What the show has shown so far: the data behind the curves and the test grid.

Contract: ``ShowHistory.add(record)`` is called when the cycle that shows ``record`` ends
(so the curves advance exactly then, never earlier). It keeps every batch's loss (the
ones trained silently between shown batches too; in a long run, each span's extremes:
``training/thinning.py``, so the memory stays bounded), every finished epoch's figures
and the latest test predictions. ``resume(event)`` starts from a resumed run's history (its test
predictions come with the next epoch). A record from another run starts afresh.
``version`` changes whenever anything does, so the HUD knows when to repaint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from visualizer.training.records import EpochSummary, Resumed, StepRecord
from visualizer.training.thinning import LossCurve


@dataclass
class ShowHistory:
    run: tuple[int, int] | None = None  # (run, seed)
    curve: LossCurve = field(default_factory=LossCurve)  # J of the trained batches
    epochs: list[EpochSummary] = field(default_factory=list)
    test_probabilities: np.ndarray | None = None  # of the latest epoch, one row per test image
    version: int = 0

    def add(self, record: StepRecord) -> None:
        if self.run != (record.run, record.seed):
            self._start((record.run, record.seed))
        elif self.steps and record.step <= self.steps[-1]:
            return  # already here: a resumed run's history can end with the record on screen
        first_silent = record.step - len(record.silent_losses)
        losses = (*record.silent_losses, record.loss)
        for step, loss in zip(range(first_silent, record.step + 1), losses, strict=True):
            self.curve.append(step, loss)
        metrics = record.epoch_metrics
        if metrics is not None:
            self.epochs.append(metrics.summary)
            self.test_probabilities = metrics.test_probabilities
        self.version += 1

    def resume(self, event: Resumed) -> None:
        self._start((event.run, event.seed))
        self.curve = LossCurve.from_points(event.batch_steps, event.batch_losses)
        self.epochs.extend(event.epochs)
        self.version += 1

    def reset(self) -> None:
        self._start(None)
        self.version += 1

    @property
    def steps(self) -> list[int]:
        """The batch number of each loss kept, in order."""
        return self.curve.steps

    @property
    def losses(self) -> list[float]:
        return self.curve.losses

    @property
    def latest(self) -> EpochSummary | None:
        return self.epochs[-1] if self.epochs else None

    def train_accuracy(self) -> np.ndarray:
        return np.array([e.train_accuracy for e in self.epochs])

    def test_accuracy(self) -> np.ndarray:
        return np.array([e.test_accuracy for e in self.epochs])

    def _start(self, run: tuple[int, int] | None) -> None:
        self.run = run
        self.curve = LossCurve()
        self.epochs.clear()
        self.test_probabilities = None
