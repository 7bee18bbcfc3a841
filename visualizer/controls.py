"""What the keyboard, the mouse, touch and the window do: pygame events in, commands out.

Contract: ``commands_for(event, speeds, size, kiosk)`` returns the commands one event asks
for. With a ``KioskKeys`` policy, Esc, Q and the window's close button do nothing; only
the exit chord quits; the other keys work only if the config allows them; pointing and
touching always work (visitors use the slider, the inspector and the canvas).
Pointer positions are in window pixels, whether they come from a mouse or a finger
(touch coordinates arrive as fractions of the window). A command is one of a few frozen
types: ``Plain(action)`` carries nothing more; ``SetSpeed``, ``PointerDown``,
``PointerMove`` and ``Resize`` carry their data. Keeping this mapping free of side effects
lets tests feed synthetic events, and lets kiosk mode filter commands without touching the
event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pygame

from visualizer.kiosk import Chord


class Action(Enum):
    """What a command without data asks for."""

    QUIT = "quit"  # Esc also closes the drawing canvas first
    TOGGLE_PAUSE = "toggle pause"
    STEP = "step to the next phase"
    RESTART = "restart the run"
    NEW_SEED = "start a run with new images"
    TOGGLE_LEGEND = "toggle legend"
    TOGGLE_EXPLAIN = "toggle the equations"
    TOGGLE_WEIGHTS = "toggle the weight tiles"
    TOGGLE_MATRIX = "toggle the confusion matrix"
    TOGGLE_CALM = "toggle reduced motion"
    DRAW = "draw your own"
    CLEAR_DRAWING = "clear the drawing"
    LESSONS = "open or close the lesson picker"
    LESSON_UP = "highlight the lesson above"
    LESSON_DOWN = "highlight the lesson below"
    LESSON_START = "start the highlighted lesson"
    NEXT_LANGUAGE = "the words on screen in the next language"
    TOGGLE_FULLSCREEN = "toggle fullscreen"
    SCREENSHOT = "screenshot"
    RECORD = "start or stop recording a clip"
    RELOAD_SHADERS = "reload shaders"
    POINTER_UP = "pointer up"


@dataclass(frozen=True)
class Plain:
    """A command that carries nothing but its action."""

    action: Action


@dataclass(frozen=True)
class SetSpeed:
    speed: float


@dataclass(frozen=True)
class PointerDown:
    x: float
    y: float
    erase: bool  # the right mouse button rubs out
    touch: bool = False  # a finger, not a mouse


@dataclass(frozen=True)
class PointerMove:
    x: float
    y: float


@dataclass(frozen=True)
class Resize:
    size: tuple[int, int]


# What one event can ask for: the type says what data comes with it.
Command = Plain | SetSpeed | PointerDown | PointerMove | Resize


@dataclass(frozen=True)
class KioskKeys:
    exit_chord: Chord
    allow_keys: bool  # Space, S, R, N, D, L, E, W, M, Z, C, K, speeds, screenshots and clips


_DEVELOPER = (Plain(Action.TOGGLE_FULLSCREEN), Plain(Action.RELOAD_SHADERS))  # never in a kiosk


def _always(command: Command) -> bool:
    """Pointing, touching and the window's size work in every kiosk."""
    pointing = isinstance(command, PointerDown | PointerMove | Resize)
    return pointing or command == Plain(Action.POINTER_UP)


_KEYS = {
    pygame.K_ESCAPE: Action.QUIT,
    pygame.K_q: Action.QUIT,
    pygame.K_SPACE: Action.TOGGLE_PAUSE,
    pygame.K_s: Action.STEP,
    pygame.K_r: Action.RESTART,
    pygame.K_n: Action.NEW_SEED,
    pygame.K_l: Action.TOGGLE_LEGEND,
    pygame.K_e: Action.TOGGLE_EXPLAIN,
    pygame.K_w: Action.TOGGLE_WEIGHTS,
    pygame.K_m: Action.TOGGLE_MATRIX,
    pygame.K_z: Action.TOGGLE_CALM,
    pygame.K_d: Action.DRAW,
    pygame.K_c: Action.CLEAR_DRAWING,
    pygame.K_k: Action.LESSONS,
    pygame.K_g: Action.NEXT_LANGUAGE,
    pygame.K_UP: Action.LESSON_UP,
    pygame.K_DOWN: Action.LESSON_DOWN,
    pygame.K_RETURN: Action.LESSON_START,
    pygame.K_KP_ENTER: Action.LESSON_START,
    pygame.K_F11: Action.TOGGLE_FULLSCREEN,
    pygame.K_F12: Action.SCREENSHOT,
    pygame.K_F9: Action.RECORD,
    pygame.K_F5: Action.RELOAD_SHADERS,
}
_DIGITS = [
    pygame.K_1,
    pygame.K_2,
    pygame.K_3,
    pygame.K_4,
    pygame.K_5,
    pygame.K_6,
    pygame.K_7,
    pygame.K_8,
    pygame.K_9,
]
_ERASE_BUTTON = 3  # the right mouse button


def commands_for(
    event: pygame.event.Event,
    speeds: tuple[float, ...],
    size: tuple[int, int],
    kiosk: KioskKeys | None = None,
) -> list[Command]:
    if kiosk is None:
        return _commands(event, speeds, size)
    if event.type == pygame.KEYDOWN and kiosk.exit_chord.matches(event.key, event.mod):
        return [Plain(Action.QUIT)]
    allowed = [c for c in _commands(event, speeds, size) if c != Plain(Action.QUIT)]
    if kiosk.allow_keys:
        return [c for c in allowed if c not in _DEVELOPER]
    return [c for c in allowed if _always(c)]


def _commands(
    event: pygame.event.Event, speeds: tuple[float, ...], size: tuple[int, int]
) -> list[Command]:
    kind = event.type
    if kind == pygame.QUIT:
        return [Plain(Action.QUIT)]
    if kind in (pygame.WINDOWSIZECHANGED, pygame.VIDEORESIZE):
        new = (event.x, event.y) if kind == pygame.WINDOWSIZECHANGED else event.size
        return [Resize((int(new[0]), int(new[1])))]
    if kind == pygame.KEYDOWN:
        if event.key in _DIGITS[: len(speeds)]:
            return [SetSpeed(speeds[_DIGITS.index(event.key)])]
        action = _KEYS.get(event.key)
        return [Plain(action)] if action else []
    if kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP):
        if getattr(event, "touch", False):
            return []  # SDL mirrors touches as mouse events; the finger events count
        x, y = event.pos
        if kind == pygame.MOUSEBUTTONDOWN and event.button in (1, _ERASE_BUTTON):
            return [PointerDown(x, y, event.button == _ERASE_BUTTON)]
        if kind == pygame.MOUSEMOTION:
            return [PointerMove(x, y)]
        if kind == pygame.MOUSEBUTTONUP and event.button in (1, _ERASE_BUTTON):
            return [Plain(Action.POINTER_UP)]
        return []
    if kind in (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP):
        x, y = event.x * size[0], event.y * size[1]
        if kind == pygame.FINGERDOWN:
            return [PointerDown(x, y, False, touch=True)]
        if kind == pygame.FINGERMOTION:
            return [PointerMove(x, y)]
        return [Plain(Action.POINTER_UP)]
    return []
