"""Losing the display: save what matters before Xlib ends the process.

When the connection to the X server breaks (the server crashed or was restarted, the
session ended), Xlib calls its "IO error handler" and then exits the process at once,
with status 1: no Python code runs after that, so a kiosk would lose the training since
its last checkpoint. ``on_display_lost(callback)`` installs a handler that runs
``callback`` (the show saves a checkpoint; True if it did), logs it, then hands over to
the handler it replaced (SDL's, which restores the screen's mode, then Xlib's, which
exits with status 1, so a service manager starts the app again).

Only SDL's X11 video driver is covered (``pygame.display.get_driver() == "x11"``): it is
the one whose loss kills the process without a word. Returns whether it was installed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
from collections.abc import Callable
from typing import Any

import pygame

log = logging.getLogger(__name__)

_IO_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)  # int (*)(Display *)
_installed: list[Any] = []  # ctypes must keep the C functions alive


def on_display_lost(callback: Callable[[], bool]) -> bool:
    """Run ``callback`` if the X connection breaks; False when that cannot be arranged."""
    driver = pygame.display.get_driver() if pygame.display.get_init() else None
    name = ctypes.util.find_library("X11") if driver == "x11" else None
    if name is None:
        return False
    try:
        xlib = ctypes.CDLL(name)  # the library SDL already loaded: dlopen shares it
    except OSError:
        return False
    xlib.XSetIOErrorHandler.argtypes = [_IO_ERROR_HANDLER]
    xlib.XSetIOErrorHandler.restype = ctypes.c_void_p
    previous: list[Any] = [None]  # the handler replaced, once known

    def handle(display: int) -> int:
        log.error("the connection to the display was lost; saving before the app exits")
        try:
            if callback():
                log.info("saved a checkpoint after losing the display")
        except BaseException:  # nothing may escape into C; the exit comes regardless
            log.exception("could not save after losing the display")
        for handler in logging.getLogger().handlers:
            with contextlib.suppress(OSError):
                handler.flush()
        return previous[0](display) if previous[0] else 0

    handler = _IO_ERROR_HANDLER(handle)
    replaced = xlib.XSetIOErrorHandler(handler)
    previous[0] = _IO_ERROR_HANDLER(replaced) if replaced else None
    _installed.extend((handler, previous[0]))
    return True
