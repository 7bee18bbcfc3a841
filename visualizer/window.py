"""The desktop window: pygame with an OpenGL 3.3 core context.

Contract: ``Window(settings, kiosk)`` opens the window (in kiosk mode borderless and
fullscreen on the configured display), creates its moderngl context and presents a first
frame of the backdrop at once, before the rest of the program has loaded, so a
double-click shows a window in about half a second. A window is never larger than the
screen. Failing to open a window or to get
OpenGL 3.3 raises a ``UserError`` saying what to do; so does finding no display at all
(SDL would fall back to a video driver that shows nothing), unless ``SDL_VIDEODRIVER``
asks for such a driver on purpose.
"""

from __future__ import annotations

import logging
import os
import warnings

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# Without this, Windows scales a DPI-unaware window's pixels up and everything blurs.
os.environ.setdefault("SDL_WINDOWS_DPI_AWARENESS", "permonitorv2")
import pygame

from visualizer.config import KioskConfig, WindowConfig
from visualizer.errors import UserError, one_line
from visualizer.render.context import GLUnavailable, gl_missing_message, window_context
from visualizer.render.palette import WINDOW_BACKDROP
from visualizer.resources import resource_path

TITLE = "Neural Particles"


ICON = "neural-particles-64.png"
log = logging.getLogger(__name__)
INVISIBLE_DRIVERS = ("offscreen", "dummy")  # SDL's fallbacks when no display answers
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY")


class Window:
    def __init__(self, settings: WindowConfig, kiosk: KioskConfig) -> None:
        try:
            pygame.display.init()
        except pygame.error as error:
            raise UserError(_no_display(error)) from None
        _refuse_an_invisible_driver()
        icon = resource_path("assets") / "icons" / ICON
        if icon.is_file():  # the title bar and the task bar show it
            pygame.display.set_icon(pygame.image.load(str(icon)))
        pygame.display.gl_set_attribute(pygame.GL_CONTEXT_MAJOR_VERSION, 3)
        pygame.display.gl_set_attribute(pygame.GL_CONTEXT_MINOR_VERSION, 3)
        pygame.display.gl_set_attribute(
            pygame.GL_CONTEXT_PROFILE_MASK, pygame.GL_CONTEXT_PROFILE_CORE
        )
        flags = pygame.OPENGL | pygame.DOUBLEBUF
        size = (settings.width, settings.height)
        display = 0
        if kiosk.enabled:
            flags |= pygame.FULLSCREEN | pygame.NOFRAME
            display = min(kiosk.display, pygame.display.get_num_displays() - 1)
            size = (0, 0)  # that display's resolution
        elif settings.fullscreen:
            flags |= pygame.FULLSCREEN
            size = (0, 0)
        else:
            flags |= pygame.RESIZABLE
            size = _fit_the_screen(size)
        try:
            with warnings.catch_warnings():
                # Some drivers (Xvfb's among them) cannot sync; the fps cap paces us then.
                warnings.simplefilter("ignore")
                pygame.display.set_mode(size, flags, display=display, vsync=int(settings.vsync))
        except pygame.error as error:
            if "GL" in str(error):  # a display, but no OpenGL 3.3 core context on it
                raise GLUnavailable(gl_missing_message(error)) from None
            raise UserError(_no_display(error)) from None
        pygame.display.set_caption(TITLE)
        self.ctx = window_context()
        self.ctx.clear(*WINDOW_BACKDROP)  # the show's colour: the network fades in on it
        self.present()

    @property
    def size(self) -> tuple[int, int]:
        return pygame.display.get_window_size()

    def toggle_fullscreen(self) -> None:
        pygame.display.toggle_fullscreen()

    def show_cursor(self, visible: bool) -> None:
        if pygame.mouse.get_visible() != visible:
            pygame.mouse.set_visible(visible)

    def present(self) -> None:
        pygame.display.flip()

    def close(self) -> None:
        pygame.display.quit()


def _fit_the_screen(size: tuple[int, int]) -> tuple[int, int]:
    """A window larger than the screen shows no more, yet every frame costs its whole size
    (a 16384² one takes seconds a frame, and would keep a SIGTERM waiting)."""
    screens = pygame.display.get_desktop_sizes()
    if not screens:
        return size
    fitted = (min(size[0], screens[0][0]), min(size[1], screens[0][1]))
    if fitted != size:
        log.info("a %d×%d window does not fit the screen; opening %d×%d", *size, *fitted)
    return fitted


def _refuse_an_invisible_driver() -> None:
    """With no display to talk to, SDL falls back to a driver that shows nothing, and the
    show would run unseen for ever: say so instead, unless the user chose that driver."""
    if pygame.display.get_driver() in INVISIBLE_DRIVERS and not os.environ.get("SDL_VIDEODRIVER"):
        pygame.display.quit()
        given = [f"{name}={os.environ[name]}" for name in DISPLAY_VARIABLES if os.environ.get(name)]
        why = f"{' and '.join(given)} did not answer" if given else "DISPLAY is not set"
        raise UserError(
            f"no display found ({one_line(why, 80)}); run it in a desktop session or point "
            "DISPLAY (or WAYLAND_DISPLAY) at one, e.g. DISPLAY=:0, or use --offscreen or "
            "--headless"
        )


def _no_display(error: pygame.error) -> str:
    return (
        f"cannot open a window ({error}); run it on a desktop session, "
        "or use --offscreen (renders without a display) or --headless (no graphics)"
    )
