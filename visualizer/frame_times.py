"""How smoothly the show runs: the time between frames shown over the last minute.

Contract: ``FrameTimes(window_seconds)``; ``shown(now)`` is called once per frame shown,
with ``now`` in monotonic seconds (the caller's clock: nothing here reads one).
``summary()`` describes the intervals that ended within the last ``window_seconds``:
frames per second, the mean interval and its 95th percentile in milliseconds (the
stutters an average hides); None before two frames were shown.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FrameSummary:
    fps: float
    mean_ms: float
    p95_ms: float


class FrameTimes:
    def __init__(self, window_seconds: float = 60.0) -> None:
        self._window = window_seconds
        self._last: float | None = None
        self._ends: deque[float] = deque()  # when each kept interval ended …
        self._seconds: deque[float] = deque()  # … and how long it was

    def shown(self, now: float) -> None:
        """A frame reached the screen at ``now``."""
        if self._last is not None:
            self._ends.append(now)
            self._seconds.append(now - self._last)
        self._last = now
        while self._ends and self._ends[0] < now - self._window:
            self._ends.popleft()
            self._seconds.popleft()

    def summary(self) -> FrameSummary | None:
        if not self._seconds:
            return None
        seconds = np.array(self._seconds)
        total = float(seconds.sum())
        return FrameSummary(
            fps=len(seconds) / total if total > 0 else 0.0,
            mean_ms=1000.0 * total / len(seconds),
            p95_ms=1000.0 * float(np.percentile(seconds, 95)),
        )
