"""``--metrics-out``: one JSON object per finished epoch, appended as a line and flushed.

Contract: each line holds at least ``epoch, train_loss, train_acc, test_loss, test_acc``
(accuracies as fractions 0..1) plus ``run``, ``seed`` and ``step``. The same writer serves
headless, offscreen and window modes; in the show a line is written when the cycle that
ends the epoch finishes, not when the trainer computed it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from visualizer.errors import UserError
from visualizer.training.records import StepRecord


class MetricsLog:
    """Writes epoch metrics as JSON lines to a file opened once, up front."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            # Appended: an exhibit restarted by its service manager keeps its record.
            self._file: TextIO = self.path.open("a", encoding="utf-8")
        except OSError as error:
            raise UserError(
                f"cannot write metrics to {self.path}: {error.strerror or error}; "
                "choose a writable --metrics-out path"
            ) from None

    def write(self, record: StepRecord) -> None:
        """Append the epoch line of ``record`` (which must end an epoch)."""
        metrics = record.epoch_metrics
        if metrics is None:
            raise ValueError(f"step {record.step} ends no epoch: it has no metrics to write")
        line = {
            "run": record.run,
            "seed": record.seed,
            "epoch": metrics.epoch,
            "step": record.step,
            "train_loss": metrics.train_loss,
            "train_acc": metrics.train_accuracy,
            "test_loss": metrics.test_loss,
            "test_acc": metrics.test_accuracy,
        }
        self._file.write(json.dumps(line) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> MetricsLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
