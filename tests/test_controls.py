"""Keys and window events become commands (synthetic pygame events, no display needed)."""

from __future__ import annotations

import pygame
import pytest

from visualizer.controls import Action, Command, commands_for

SPEEDS = (1.0, 5.0, 10.0)


def key(code: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="", scancode=0)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (key(pygame.K_ESCAPE), [Command(Action.QUIT)]),
        (key(pygame.K_q), [Command(Action.QUIT)]),
        (pygame.event.Event(pygame.QUIT), [Command(Action.QUIT)]),
        (key(pygame.K_SPACE), [Command(Action.TOGGLE_PAUSE)]),
        (key(pygame.K_1), [Command(Action.SET_SPEED, 1.0)]),
        (key(pygame.K_2), [Command(Action.SET_SPEED, 5.0)]),
        (key(pygame.K_3), [Command(Action.SET_SPEED, 10.0)]),
        (key(pygame.K_4), []),  # only as many presets as the config has
        (key(pygame.K_F11), [Command(Action.TOGGLE_FULLSCREEN)]),
        (key(pygame.K_F12), [Command(Action.SCREENSHOT)]),
        (key(pygame.K_F5), [Command(Action.RELOAD_SHADERS)]),
        (key(pygame.K_x), []),
        (
            pygame.event.Event(pygame.WINDOWSIZECHANGED, x=800, y=600),
            [Command(Action.RESIZE, (800, 600))],
        ),
        (pygame.event.Event(pygame.MOUSEMOTION, pos=(1, 1), rel=(1, 1), buttons=(0, 0, 0)), []),
    ],
)
def test_events_map_to_commands(event, expected):
    assert commands_for(event, SPEEDS, (800, 600)) == expected
