"""The user's data as read: a ``Table``, the limits it must keep, and how it refuses.

Contract: a ``Table`` holds every sample of the user's data, neither split nor
standardised; ``refuse(path, where, problem)`` is the one-line ``UserError`` every reader
raises (naming the file, the line or column, and the problem), ``unreadable`` the one for
an ``OSError``. The limits are the show's: what it can draw and hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from visualizer.config import MAX_SOFTMAX_UNITS, DataWidths
from visualizer.errors import UserError

MAX_FEATURES = 64  # the most non-image inputs the show draws as neurons
MAX_IMAGE_SIDE = 32  # the largest image, as data.shapes.image_size allows
MAX_CLASSES = MAX_SOFTMAX_UNITS
MAX_ROWS = 100_000  # as data.train_size allows


@dataclass(frozen=True)
class Table:
    """Every sample of the user's data, as read (neither split nor standardised)."""

    inputs: np.ndarray  # (N, d) float64; images flattened row by row, in 0..1
    labels: np.ndarray  # (N,) int64 indices into ``class_names``
    class_names: tuple[str, ...]
    image_side: int | None  # the inputs are image_side × image_side images, or None
    feature_names: tuple[str, ...] | None  # one per column of non-image inputs
    digest: str  # SHA-256 of the bytes read: an edited file is other data

    def __post_init__(self) -> None:  # shared by every run that reads the file
        self.inputs.flags.writeable = False
        self.labels.flags.writeable = False

    def widths(self, test_share: float) -> DataWidths:
        """What a network trained on this table with ``test_share`` held out must fit."""
        counts = np.bincount(self.labels)
        train = sum(count - held_out(count, test_share) for count in counts.tolist())
        return DataWidths(self.inputs.shape[1], len(self.class_names), self.image_side, train)


def held_out(count: int, test_share: float) -> int:
    """How many of a class's ``count`` samples are held out: about ``test_share`` of them,
    at least one, never all."""
    return min(count - 1, max(1, math.floor(test_share * count + 0.5)))


def unreadable(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"data file {path} not found; check the path"
    return f"cannot read data file {path}: {error.strerror or error}"


def refuse(path: Path, where: str, problem: str) -> UserError:
    """``data file PATH, WHERE: PROBLEM`` (``where`` starts with ", " or is empty)."""
    return UserError(f"data file {path}{where}: {problem}")


def one_line(error: Exception) -> str:
    return " ".join(str(error).split())
