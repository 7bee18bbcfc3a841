"""When a run has stopped learning: its loss is not a number, or it has exploded.

Contract: ``broken_loss(record)`` returns the loss that shows ``record``'s run has broken
down, or None while it is learning (or at least not worse than guessing). Two signs:

- **diverged**: the batch's objective J is NaN or infinite;
- **exploded**: at an epoch's end, the training set's mean data loss is above
  ``EXPLODED_LOSS``, ten times ln 2 ≈ 6.93: ten times the loss of a network that answers
  50/50 for every image (both outputs here are two-class cross-entropy, which starts
  near ln 2). A network there is confidently wrong about many images, its accuracy is
  at chance, and with a learning rate that got it there it does not come back (η = 100
  with momentum 0.999: losses of 217, 354, 1,245 over 30 epochs, 50% throughout). The
  epoch's data loss is used, not a batch's J: L2's term alone can make J large at the
  start of a sound run, and one batch can be unlucky.

The trainer reports both as ``Diverged``; the show then starts the next seed, and
headless mode stops with its "diverged" line and exit status 1.
"""

from __future__ import annotations

import math

from visualizer.training.records import StepRecord

EXPLODED_LOSS = 10.0 * math.log(2.0)


def broken_loss(record: StepRecord) -> float | None:
    """J if it is not finite; the epoch's training loss if it exploded; else None."""
    if not math.isfinite(record.loss):
        return record.loss
    metrics = record.epoch_metrics
    if metrics is not None and not metrics.train_loss <= EXPLODED_LOSS:
        return metrics.train_loss
    return None
