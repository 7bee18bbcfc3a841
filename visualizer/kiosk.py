"""Kiosk behaviour for an unattended exhibit, as plain logic driven by elapsed time.

Contract:
- ``parse_chord("ctrl+alt+shift+q")`` → ``Chord``; ``Chord.matches(key, mods)``: the only
  way to leave a kiosk from the keyboard (Esc, Q and the window's close button are off).
- ``AttractCycle``: when a run has trained its last epoch, hold the result on screen for
  ``hold_seconds``, then ask for the next run (with the next seed, so new images);
  ``next_lesson(rotation, current)`` says which lesson that run belongs to when
  ``kiosk.lessons`` rotates them.
- ``CursorIdle``: the pointer shows when moved or touched, and hides when left alone.
- ``IdleTiers``: visitor mode's two tiers of idleness: awake while touched; after
  ``idle_seconds`` without a touch it asks "still watching?" for ``ask_seconds`` (a
  countdown); then it is asleep (the attract state) until a touch wakes it.
- ``offered_languages(home, kiosk_languages, shipped)``: the languages the switch offers,
  the home language first: the first of ``kiosk.languages`` as they are listed, or, when
  they are [] (every shipped one offered), ``ui.language``.
- ``LanguageReturn``: after ``idle_seconds`` without a touch, once, it is time to go back to
  the home language (visitor mode goes back as it falls asleep instead: ``Show``).
- ``drift(seconds, amplitude, period)``: a whole-pixel offset that wanders slowly over a
  Lissajous path, so no pixel of the screen shows the same thing for weeks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from visualizer.errors import excerpt

MODIFIERS = ("ctrl", "alt", "shift", "meta")
NAMED_KEYS = (
    "escape",
    "space",
    "return",
    "tab",
    "backspace",
    "delete",
    "insert",
    "home",
    "end",
    "pause",
)


# Names pygame has a K_ constant for (tests/test_kiosk.py checks each), in ASCII only: a
# full-width "f１" is refused here rather than crashing the kiosk at its start. SDL's
# F16 … F24 have no constant in pygame.
_KEY_NAMES = frozenset((*(f"f{n}" for n in range(1, 16)), *NAMED_KEYS))
_NO_KEY = "{|}~"  # ASCII signs SDL has no key code for (shifted on every layout it knows)


@dataclass(frozen=True)
class Chord:
    modifiers: tuple[int, ...]  # pygame KMOD masks, each of which must be held
    key: int

    def matches(self, key: int, mods: int) -> bool:
        return key == self.key and all(mods & mask for mask in self.modifiers)


def chord_parts(text: str) -> tuple[tuple[str, ...], str]:
    """``"ctrl+alt+shift+q"`` → ``(("ctrl", "alt", "shift"), "q")``; ValueError says why not."""
    parts = [part.strip().lower() for part in text.split("+") if part.strip()]
    if not parts:
        raise ValueError("a chord needs at least one key, e.g. ctrl+alt+shift+q")
    *modifiers, key = parts
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        raise ValueError(f"unknown modifier {unknown[0]!r}; use {', '.join(MODIFIERS)}")
    if key in MODIFIERS:
        raise ValueError("a chord must end in a key that is not a modifier, e.g. +q")
    single = len(key) == 1 and key.isascii() and key.isprintable() and key not in _NO_KEY
    if key not in _KEY_NAMES and not single:
        raise ValueError(
            f"unknown key {excerpt(key)}; use a letter, digit or sign on the keyboard, "
            f"f1 … f15 or one of {', '.join(NAMED_KEYS)}"
        )
    return tuple(modifiers), key


def parse_chord(text: str) -> Chord:
    """The chord as pygame key codes (needs pygame; validation alone does not)."""
    import pygame

    masks = {
        "ctrl": pygame.KMOD_CTRL,
        "alt": pygame.KMOD_ALT,
        "shift": pygame.KMOD_SHIFT,
        "meta": pygame.KMOD_META,
    }
    modifiers, key = chord_parts(text)
    code = ord(key) if len(key) == 1 else getattr(pygame, f"K_{key.upper()}")
    return Chord(tuple(masks[m] for m in modifiers), code)


class AttractCycle:
    """Counts the hold after a finished run; ``tick`` says when to start the next one."""

    def __init__(self, hold_seconds: float) -> None:
        self.hold_seconds = hold_seconds
        self.held = 0.0

    def tick(self, dt: float, finished: bool) -> bool:
        if not finished:
            self.held = 0.0
            return False
        self.held += dt
        if self.held >= self.hold_seconds:
            self.held = 0.0
            return True
        return False

    @property
    def seconds_left(self) -> float:
        return max(self.hold_seconds - self.held, 0.0)


def next_lesson(rotation: tuple[str, ...], current: str | None) -> str:
    """The lesson after ``current`` in ``rotation`` (round again after the last); the
    first when ``current`` is not in it."""
    if current not in rotation:
        return rotation[0]
    return rotation[(rotation.index(current) + 1) % len(rotation)]


class CursorIdle:
    """Whether the pointer should be visible: after movement, until ``hide_after`` passes."""

    def __init__(self, hide_after: float) -> None:
        self.hide_after = hide_after
        self.idle = hide_after  # hidden at start

    def moved(self) -> None:
        self.idle = 0.0

    def tick(self, dt: float) -> bool:
        self.idle += dt
        return self.idle < self.hide_after


class IdleTiers:
    """Awake, asking ("still watching?") or asleep; asleep at the start, with no one there."""

    def __init__(self, idle_seconds: float, ask_seconds: float) -> None:
        self.idle_seconds = idle_seconds
        self.ask_seconds = ask_seconds
        self.idle = idle_seconds + ask_seconds  # seconds since the last touch

    @property
    def asleep(self) -> bool:
        return self.idle >= self.idle_seconds + self.ask_seconds

    @property
    def asking(self) -> bool:
        return self.idle_seconds <= self.idle and not self.asleep

    @property
    def seconds_left(self) -> float:
        """While asking: how long until it falls asleep."""
        return max(self.idle_seconds + self.ask_seconds - self.idle, 0.0)

    def touch(self) -> bool:
        """Someone is there; True if this woke it from sleep."""
        woke = self.asleep
        self.idle = 0.0
        return woke

    def tick(self, dt: float) -> bool:
        """``dt`` seconds without a touch; True if it fell asleep just now."""
        was_asleep = self.asleep
        self.idle += dt
        return self.asleep and not was_asleep


def offered_languages(
    home: str, kiosk_languages: tuple[str, ...], shipped: tuple[str, ...]
) -> tuple[str, ...]:
    """The languages the switch offers, the one the exhibit returns to first."""
    return tuple(dict.fromkeys(kiosk_languages or (home, *shipped)))  # each once, in order


class LanguageReturn:
    """Counts the seconds since the last touch; ``tick`` says when to go home, once."""

    def __init__(self, idle_seconds: float) -> None:
        self.idle_seconds = idle_seconds
        self.idle = 0.0

    def touch(self) -> None:
        self.idle = 0.0

    def tick(self, dt: float) -> bool:
        """``dt`` seconds without a touch; True if ``idle_seconds`` passed just now."""
        was_idle = self.idle >= self.idle_seconds
        self.idle += dt
        return self.idle >= self.idle_seconds and not was_idle


def drift(seconds: float, amplitude: int, period: float) -> tuple[int, int]:
    """The layout's offset in whole pixels at ``seconds``, within ±``amplitude``."""
    if amplitude <= 0 or period <= 0:
        return 0, 0
    phase = 2.0 * math.pi * seconds / period
    # Incommensurate frequencies, so the path covers the square rather than a line.
    return round(amplitude * math.sin(phase)), round(amplitude * math.sin(1.618 * phase + 1.0))
