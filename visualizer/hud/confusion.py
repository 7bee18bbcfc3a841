"""The confusion matrix of the held-out samples after an epoch.

Contract: ``confusion_counts(labels, probabilities, classes)`` counts, for every true
class (a row) and predicted class (a column), how many test samples the network put
there: the predicted class is each row of ``probabilities``' most probable one (as the
test grid shows it). The counts of a row add up to that class's test samples; the
diagonal holds the right answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ConfusionView:
    """The matrix on screen: ``counts`` of the last finished epoch, or None before one."""

    epoch: int
    counts: tuple[tuple[int, ...], ...] | None  # [true class][predicted class]


def confusion_counts(labels: np.ndarray, probabilities: np.ndarray, classes: int) -> np.ndarray:
    """(classes, classes) integer counts: rows the true class, columns the predicted one."""
    predictions = probabilities.argmax(axis=1)
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(labels, dtype=np.int64), predictions), 1)
    return counts
