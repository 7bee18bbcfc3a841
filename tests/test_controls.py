"""Keys, mouse, touch and window events become commands (synthetic events, no display)."""

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
        (key(pygame.K_s), [Command(Action.STEP)]),
        (key(pygame.K_r), [Command(Action.RESTART)]),
        (key(pygame.K_n), [Command(Action.NEW_SEED)]),
        (key(pygame.K_l), [Command(Action.TOGGLE_LEGEND)]),
        (key(pygame.K_d), [Command(Action.DRAW)]),
        (key(pygame.K_c), [Command(Action.CLEAR_DRAWING)]),
        (
            pygame.event.Event(pygame.MOUSEMOTION, pos=(1, 2), rel=(1, 1), buttons=(0, 0, 0)),
            [Command(Action.POINTER_MOVE, (1, 2))],
        ),
        (
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(3, 4), button=1),
            [Command(Action.POINTER_DOWN, (3, 4, False))],
        ),
        (
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(3, 4), button=3),
            [Command(Action.POINTER_DOWN, (3, 4, True))],  # the right button erases
        ),
        (pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(3, 4), button=2), []),
        (
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(3, 4), button=1),
            [Command(Action.POINTER_UP)],
        ),
        (
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(3, 4), button=1, touch=True),
            [],  # SDL's mirror of a touch: the finger event is the one that counts
        ),
        (
            pygame.event.Event(pygame.FINGERDOWN, x=0.5, y=0.25, dx=0, dy=0, finger_id=0),
            [Command(Action.POINTER_DOWN, (400.0, 150.0, False))],  # fractions of 800×600
        ),
        (
            pygame.event.Event(pygame.FINGERMOTION, x=0.1, y=0.5, dx=0, dy=0, finger_id=0),
            [Command(Action.POINTER_MOVE, (80.0, 300.0))],
        ),
        (
            pygame.event.Event(pygame.FINGERUP, x=0.1, y=0.5, dx=0, dy=0, finger_id=0),
            [Command(Action.POINTER_UP)],
        ),
    ],
)
def test_events_map_to_commands(event, expected):
    assert commands_for(event, SPEEDS, (800, 600)) == expected
