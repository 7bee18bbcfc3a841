"""Keys, mouse, touch and window events become commands (synthetic events, no display)."""

from __future__ import annotations

import pygame
import pytest

from visualizer.controls import (
    Action,
    Plain,
    PointerDown,
    PointerMove,
    Resize,
    SetSpeed,
    commands_for,
)

SPEEDS = (1.0, 5.0, 10.0)


def key(code: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="", scancode=0)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (key(pygame.K_ESCAPE), [Plain(Action.QUIT)]),
        (key(pygame.K_q), [Plain(Action.QUIT)]),
        (pygame.event.Event(pygame.QUIT), [Plain(Action.QUIT)]),
        (key(pygame.K_SPACE), [Plain(Action.TOGGLE_PAUSE)]),
        (key(pygame.K_1), [SetSpeed(1.0)]),
        (key(pygame.K_2), [SetSpeed(5.0)]),
        (key(pygame.K_3), [SetSpeed(10.0)]),
        (key(pygame.K_4), []),  # only as many presets as the config has
        (key(pygame.K_F11), [Plain(Action.TOGGLE_FULLSCREEN)]),
        (key(pygame.K_F12), [Plain(Action.SCREENSHOT)]),
        (key(pygame.K_F9), [Plain(Action.RECORD)]),
        (key(pygame.K_F5), [Plain(Action.RELOAD_SHADERS)]),
        (key(pygame.K_x), []),
        (
            pygame.event.Event(pygame.WINDOWSIZECHANGED, x=800, y=600),
            [Resize((800, 600))],
        ),
        (key(pygame.K_s), [Plain(Action.STEP)]),
        (key(pygame.K_r), [Plain(Action.RESTART)]),
        (key(pygame.K_n), [Plain(Action.NEW_SEED)]),
        (key(pygame.K_l), [Plain(Action.TOGGLE_LEGEND)]),
        (key(pygame.K_z), [Plain(Action.TOGGLE_CALM)]),
        (key(pygame.K_d), [Plain(Action.DRAW)]),
        (key(pygame.K_c), [Plain(Action.CLEAR_DRAWING)]),
        (
            pygame.event.Event(pygame.MOUSEMOTION, pos=(1, 2), rel=(1, 1), buttons=(0, 0, 0)),
            [PointerMove(1, 2)],
        ),
        (
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(3, 4), button=1),
            [PointerDown(3, 4, False)],
        ),
        (
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(3, 4), button=3),
            [PointerDown(3, 4, True)],  # the right button erases
        ),
        (pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(3, 4), button=2), []),
        (
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(3, 4), button=1),
            [Plain(Action.POINTER_UP)],
        ),
        (
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(3, 4), button=1, touch=True),
            [],  # SDL's mirror of a touch: the finger event is the one that counts
        ),
        (
            pygame.event.Event(pygame.FINGERDOWN, x=0.5, y=0.25, dx=0, dy=0, finger_id=0),
            [PointerDown(400.0, 150.0, False, touch=True)],  # fractions of 800×600
        ),
        (
            pygame.event.Event(pygame.FINGERMOTION, x=0.1, y=0.5, dx=0, dy=0, finger_id=0),
            [PointerMove(80.0, 300.0)],
        ),
        (
            pygame.event.Event(pygame.FINGERUP, x=0.1, y=0.5, dx=0, dy=0, finger_id=0),
            [Plain(Action.POINTER_UP)],
        ),
    ],
)
def test_events_map_to_commands(event, expected):
    assert commands_for(event, SPEEDS, (800, 600)) == expected
