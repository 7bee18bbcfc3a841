"""Which frames of a clip each rendered picture fills, so that a clip plays in real time.

Contract: ``ClipClock(rate)`` for a clip of ``rate`` frames per second; ``advance(dt)``,
called once per rendered picture with the seconds since the previous one (ignored for the
first, which is at 0 s), returns how many clip frames that picture fills: clip frame n is
due at n / rate seconds, and a picture fills every frame that has come due since the last
picture. A picture faster than the clip fills none (60 fps on screen, 30 in the clip: every
other picture); a picture after a stall fills several, so the clip keeps the time the show
took. The arithmetic is exact (fractions), so an offscreen run whose ``dt`` is one clip
frame gets exactly one frame per picture, however long it runs.
"""

from __future__ import annotations

import math
from fractions import Fraction

HAIR = Fraction(1, 10**9)


def every_nth(rate: Fraction, most: int) -> Fraction:
    """``rate`` divided by the smallest whole number that brings it to ``most`` or under
    (60 → 30: every other picture). A rate from a float ``dt`` may be a hair over a whole
    number (1 / 0.016666666666666666 > 60): such a hair does not count."""
    return rate / max(1, math.ceil(rate / most - HAIR))


class ClipClock:
    def __init__(self, rate: Fraction) -> None:
        self.rate = rate
        self.seconds = Fraction(0)  # since the first picture
        self.frames = 0  # clip frames filled so far
        self._started = False

    def advance(self, dt: float) -> int:
        if self._started:
            self.seconds += Fraction(dt)
        self._started = True
        due = math.floor(self.seconds * self.rate) + 1
        filled, self.frames = due - self.frames, due
        return filled
