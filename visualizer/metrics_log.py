"""``--metrics-out``: one JSON object per finished epoch, appended as a line.

Contract: each line holds at least ``epoch, train_loss, train_acc, test_loss, test_acc``
(accuracies as fractions 0..1) plus ``run``, ``seed`` and ``step``. The same writer serves
headless, offscreen and window modes; in the show a line is written when the cycle that
ends the epoch finishes, not when the trainer computed it.

A failed write (a full disk, a file system gone read-only) raises ``MetricsWriteFailed``,
a ``UserError``: headless mode stops with one line. A show must go on, so it calls
``write_or_report`` instead, which logs each kind of failure once (not every epoch) and
returns a notice for the HUD the first time (its cause in words a visitor reads, the
details in the log). Lines are written unbuffered, so nothing
failed lingers in a buffer to fail again at exit; a line the disk cut short is followed
by a line break before the next, so every later line stands on its own.
"""

from __future__ import annotations

import errno
import json
import logging
from pathlib import Path
from typing import BinaryIO

from visualizer.errors import UserError
from visualizer.said import Said
from visualizer.training.records import StepRecord

log = logging.getLogger(__name__)

# The causes a notice names (``show.notice.metrics.*``); any other says "the log says why".
CAUSES = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EROFS: "read_only",
    errno.EACCES: "not_allowed",
    errno.EPERM: "not_allowed",
}


class MetricsWriteFailed(UserError):
    """A metrics line could not be written; ``kind`` tells failures apart (an errno)."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.reason = error.strerror or str(error)
        self.kind = error.errno
        super().__init__(f"cannot write metrics to {path}: {self.reason}")


class MetricsLog:
    """Writes epoch metrics as JSON lines to a file opened once, up front."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._reported: set[int | None] = set()  # kinds of failure already logged
        self._torn = False  # the last line was cut short by a failure
        try:
            # Appended: an exhibit restarted by its service manager keeps its record.
            self._file: BinaryIO = self.path.open("ab", buffering=0)
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
        data = (("\n" if self._torn else "") + json.dumps(line) + "\n").encode()
        written = 0
        try:
            while written < len(data):  # an unbuffered write may be short
                written += self._file.write(data[written:])
        except OSError as error:
            self._torn = self._torn or written > 0
            raise MetricsWriteFailed(self.path, error) from None
        self._torn = False

    def write_or_report(self, record: StepRecord) -> Said | None:
        """``write``, for a show that goes on: a notice for the HUD the first time a kind
        of failure happens (logged then, and only then); otherwise None."""
        try:
            self.write(record)
        except MetricsWriteFailed as failure:
            if failure.kind in self._reported:
                return None
            self._reported.add(failure.kind)
            log.error("%s; the show goes on, and tries again at every epoch", failure)
            cause = CAUSES.get(failure.kind, "other") if failure.kind is not None else "other"
            return Said(f"show.notice.metrics.{cause}")
        return None

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> MetricsLog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
