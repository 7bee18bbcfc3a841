"""What the keyboard and the window do: pygame events in, plain commands out.

Contract: ``commands_for(event, speeds)`` returns the commands one event asks for. Keeping
this mapping free of side effects lets tests feed synthetic events, and lets kiosk mode
filter commands without touching the event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import pygame


class Action(Enum):
    QUIT = "quit"
    TOGGLE_PAUSE = "toggle pause"
    SET_SPEED = "set speed"
    TOGGLE_FULLSCREEN = "toggle fullscreen"
    SCREENSHOT = "screenshot"
    RELOAD_SHADERS = "reload shaders"
    RESIZE = "resize"


@dataclass(frozen=True)
class Command:
    action: Action
    value: float | tuple[int, int] | None = None


_KEYS = {
    pygame.K_ESCAPE: Action.QUIT,
    pygame.K_q: Action.QUIT,
    pygame.K_SPACE: Action.TOGGLE_PAUSE,
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


def commands_for(event: pygame.event.Event, speeds: tuple[float, ...]) -> list[Command]:
    if event.type == pygame.QUIT:
        return [Command(Action.QUIT)]
    if event.type in (pygame.WINDOWSIZECHANGED, pygame.VIDEORESIZE):
        size = (event.x, event.y) if event.type == pygame.WINDOWSIZECHANGED else event.size
        return [Command(Action.RESIZE, (int(size[0]), int(size[1])))]
    if event.type != pygame.KEYDOWN:
        return []
    if event.key in _DIGITS[: len(speeds)]:
        return [Command(Action.SET_SPEED, speeds[_DIGITS.index(event.key)])]
    action = _KEYS.get(event.key)
    return [Command(action)] if action else []
