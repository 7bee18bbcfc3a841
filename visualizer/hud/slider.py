"""The speed slider: detents at the configured presets, evenly spaced along a track.

Contract: ``SpeedSlider(track, speeds)``; ``speed_at(x)`` is the preset whose detent is
nearest to ``x`` (a click, a drag or a touch snaps to it); ``knob_x(speed)`` places the
knob, between detents (on a log scale) for a speed that is not a preset (``--speed 7``),
and at the track's end for a speed beyond it, which ``beyond(speed)`` tells (−1 slower
than the slowest preset, +1 faster than the fastest, 0 on the track);
``hit(point)`` says whether a pointer grabs it (generously, for fingers).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from visualizer.scene.layout import Rect


@dataclass(frozen=True)
class SpeedSlider:
    track: Rect  # the line the knob runs along, through its vertical middle
    speeds: tuple[float, ...]

    def detent_x(self, index: int) -> float:
        if len(self.speeds) == 1:
            return self.track.centre_x
        return self.track.x + self.track.width * index / (len(self.speeds) - 1)

    def speed_at(self, x: float) -> float:
        distances = [abs(x - self.detent_x(i)) for i in range(len(self.speeds))]
        return self.speeds[distances.index(min(distances))]

    def knob_x(self, speed: float) -> float:
        ordered = sorted(range(len(self.speeds)), key=lambda i: self.speeds[i])
        low, high = ordered[0], ordered[-1]
        if speed <= self.speeds[low]:
            return self.detent_x(low)
        for a, b in itertools.pairwise(ordered):
            if speed <= self.speeds[b]:
                share = math.log(speed / self.speeds[a]) / math.log(self.speeds[b] / self.speeds[a])
                return self.detent_x(a) + share * (self.detent_x(b) - self.detent_x(a))
        return self.detent_x(high)

    def beyond(self, speed: float) -> int:
        return -1 if speed < min(self.speeds) else 1 if speed > max(self.speeds) else 0

    def hit(self, point: tuple[float, float]) -> bool:
        reach = max(self.track.height, 24.0)  # a fingertip's worth above and below
        x, y = point
        middle = self.track.y + self.track.height / 2
        return (
            self.track.x - reach <= x <= self.track.x + self.track.width + reach
            and abs(y - middle) <= reach
        )
