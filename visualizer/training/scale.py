"""The run's scale: the largest value of each run-relative channel in the records shown.

Several channels of the picture are drawn against "the largest seen in this run so far"
(docs/legend.md): the halos against the largest error, the backward particles against
the largest total gradient, the flash and the update's sparks against the largest change.
Gradients shrink by orders of magnitude as a run converges; measured against the run,
early corrections look large and later ones visibly shrink.

Contract: ``RunScale.start(sizes)`` is a run's scale before its first record; a record
carries the scale before it (``StepRecord.scale_before``) and, as ``StepRecord.scale``,
the scale with itself included. The scale is part of a run's state, so a resumed run, or a
trainer that replaces a failed one, draws its frames exactly as an uninterrupted run would.
Only records that are shown count (with ``batches_per_cycle`` > 1 the silent batches do
not): the scale is of what the viewer has seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RunScale:
    error: tuple[float, ...]  # per layer 0..L: the largest RMS error of a neuron over a batch
    gradient_total: tuple[float, ...]  # per gap: the largest Σ|∂J/∂w|
    change: tuple[float, ...]  # per gap: the largest |Δw|
    change_total: float  # the largest Σ|Δw| of one update, over all gaps

    @classmethod
    def start(cls, sizes: Sequence[int]) -> RunScale:
        gaps = len(sizes) - 1
        return cls((0.0,) * len(sizes), (0.0,) * gaps, (0.0,) * gaps, 0.0)

    def including(
        self,
        errors: Sequence[np.ndarray],
        gradients: Sequence[np.ndarray],
        changes: Sequence[np.ndarray],
    ) -> RunScale:
        """The scale once a record with these per-neuron RMS errors (per layer), |∂J/∂w|
        and |Δw| (per gap) has been shown."""
        return RunScale(
            error=_larger(self.error, [float(e.max()) for e in errors]),
            gradient_total=_larger(self.gradient_total, [float(g.sum()) for g in gradients]),
            change=_larger(self.change, [float(c.max()) for c in changes]),
            change_total=max(self.change_total, float(sum(c.sum() for c in changes))),
        )

    def as_array(self) -> np.ndarray:
        """The scale as one float vector (for checkpoints); ``from_array`` reads it back."""
        return np.array([*self.error, *self.gradient_total, *self.change, self.change_total])

    @classmethod
    def from_array(cls, values: np.ndarray, sizes: Sequence[int]) -> RunScale:
        layers, gaps = len(sizes), len(sizes) - 1
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (layers + 2 * gaps + 1,) or not np.all(
            np.isfinite(values) & (values >= 0)
        ):
            raise ValueError(
                f"a run scale for {layers} layers has {layers + 2 * gaps + 1} values >= 0"
            )
        numbers = [float(v) for v in values]
        return cls(
            tuple(numbers[:layers]),
            tuple(numbers[layers : layers + gaps]),
            tuple(numbers[layers + gaps : layers + 2 * gaps]),
            numbers[-1],
        )


def _larger(old: tuple[float, ...], new: Sequence[float]) -> tuple[float, ...]:
    return tuple(max(a, b) for a, b in zip(old, new))
