"""What the show has shown so far: the data behind the curves and the test grid.

Contract: ``ShowHistory.add(record)`` is called when the cycle that shows ``record`` ends
(so the curves advance exactly then, never earlier). It keeps every batch's loss (the
ones trained silently between shown batches too), every finished epoch's metrics and the
latest test predictions. A record from another run starts a fresh history. ``version``
changes whenever anything does, so the HUD knows when to repaint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from visualizer.training.records import EpochMetrics, StepRecord


@dataclass
class ShowHistory:
    run: tuple[int, int] | None = None  # (run, seed)
    steps: list[int] = field(default_factory=list)  # the global batch number of each loss
    losses: list[float] = field(default_factory=list)  # J of each trained batch
    epochs: list[EpochMetrics] = field(default_factory=list)
    version: int = 0

    def add(self, record: StepRecord) -> None:
        if self.run != (record.run, record.seed):
            self.run = (record.run, record.seed)
            self.steps.clear()
            self.losses.clear()
            self.epochs.clear()
        first_silent = record.step - len(record.silent_losses)
        self.steps.extend(range(first_silent, record.step + 1))
        self.losses.extend((*record.silent_losses, record.loss))
        if record.epoch_metrics is not None:
            self.epochs.append(record.epoch_metrics)
        self.version += 1

    def reset(self) -> None:
        self.run = None
        self.steps.clear()
        self.losses.clear()
        self.epochs.clear()
        self.version += 1

    @property
    def latest(self) -> EpochMetrics | None:
        return self.epochs[-1] if self.epochs else None

    def train_accuracy(self) -> np.ndarray:
        return np.array([m.train_accuracy for m in self.epochs])

    def test_accuracy(self) -> np.ndarray:
        return np.array([m.test_accuracy for m in self.epochs])
