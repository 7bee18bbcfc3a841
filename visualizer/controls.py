"""What the keyboard, the mouse, touch and the window do: pygame events in, commands out.

Contract: ``commands_for(event, speeds, size, kiosk)`` returns the commands one event asks
for. With a ``KioskKeys`` policy, Esc, Q and the window's close button do nothing; only
the exit chord quits; the other keys work only if the config allows them; pointing and
touching always work (visitors use the slider, the inspector and the canvas).
Pointer positions are in window pixels, whether they come from a mouse or a finger
(touch coordinates arrive as fractions of the window). Keeping this mapping free of side
effects lets tests feed synthetic events, and lets kiosk mode filter commands without
touching the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pygame

from visualizer.kiosk import Chord


class Action(Enum):
    QUIT = "quit"  # Esc also closes the drawing canvas first
    TOGGLE_PAUSE = "toggle pause"
    STEP = "step to the next phase"
    RESTART = "restart the run"
    NEW_SEED = "start a run with new images"
    SET_SPEED = "set speed"
    TOGGLE_LEGEND = "toggle legend"
    DRAW = "draw your own"
    CLEAR_DRAWING = "clear the drawing"
    TOGGLE_FULLSCREEN = "toggle fullscreen"
    SCREENSHOT = "screenshot"
    RELOAD_SHADERS = "reload shaders"
    RESIZE = "resize"
    POINTER_DOWN = "pointer down"  # value: (x, y, erase)
    POINTER_MOVE = "pointer move"  # value: (x, y)
    POINTER_UP = "pointer up"


@dataclass(frozen=True)
class Command:
    action: Action
    value: float | tuple | None = None


@dataclass(frozen=True)
class KioskKeys:
    exit_chord: Chord
    allow_keys: bool  # Space, S, R, N, D, L, C, speeds and screenshots


_ALWAYS = {Action.RESIZE, Action.POINTER_DOWN, Action.POINTER_MOVE, Action.POINTER_UP}


_KEYS = {
    pygame.K_ESCAPE: Action.QUIT,
    pygame.K_q: Action.QUIT,
    pygame.K_SPACE: Action.TOGGLE_PAUSE,
    pygame.K_s: Action.STEP,
    pygame.K_r: Action.RESTART,
    pygame.K_n: Action.NEW_SEED,
    pygame.K_l: Action.TOGGLE_LEGEND,
    pygame.K_d: Action.DRAW,
    pygame.K_c: Action.CLEAR_DRAWING,
    pygame.K_F11: Action.TOGGLE_FULLSCREEN,
    pygame.K_F12: Action.SCREENSHOT,
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
        return [Command(Action.QUIT)]
    allowed = [c for c in _commands(event, speeds, size) if c.action is not Action.QUIT]
    if kiosk.allow_keys:
        return [
            c for c in allowed if c.action not in (Action.TOGGLE_FULLSCREEN, Action.RELOAD_SHADERS)
        ]
    return [c for c in allowed if c.action in _ALWAYS]


def _commands(
    event: pygame.event.Event, speeds: tuple[float, ...], size: tuple[int, int]
) -> list[Command]:
    kind = event.type
    if kind == pygame.QUIT:
        return [Command(Action.QUIT)]
    if kind in (pygame.WINDOWSIZECHANGED, pygame.VIDEORESIZE):
        new = (event.x, event.y) if kind == pygame.WINDOWSIZECHANGED else event.size
        return [Command(Action.RESIZE, (int(new[0]), int(new[1])))]
    if kind == pygame.KEYDOWN:
        if event.key in _DIGITS[: len(speeds)]:
            return [Command(Action.SET_SPEED, speeds[_DIGITS.index(event.key)])]
        action = _KEYS.get(event.key)
        return [Command(action)] if action else []
    if kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION, pygame.MOUSEBUTTONUP):
        if getattr(event, "touch", False):
            return []  # SDL mirrors touches as mouse events; the finger events count
        x, y = event.pos
        if kind == pygame.MOUSEBUTTONDOWN and event.button in (1, _ERASE_BUTTON):
            return [Command(Action.POINTER_DOWN, (x, y, event.button == _ERASE_BUTTON))]
        if kind == pygame.MOUSEMOTION:
            return [Command(Action.POINTER_MOVE, (x, y))]
        if kind == pygame.MOUSEBUTTONUP and event.button in (1, _ERASE_BUTTON):
            return [Command(Action.POINTER_UP)]
        return []
    if kind in (pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERUP):
        x, y = event.x * size[0], event.y * size[1]
        if kind == pygame.FINGERDOWN:
            return [Command(Action.POINTER_DOWN, (x, y, False))]
        if kind == pygame.FINGERMOTION:
            return [Command(Action.POINTER_MOVE, (x, y))]
        return [Command(Action.POINTER_UP)]
    return []
