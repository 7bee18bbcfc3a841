"""GL contexts and render targets: a window's default framebuffer or an offscreen one.

Contract: ``window_context()`` wraps the current pygame OpenGL window;
``offscreen_context()`` opens a standalone EGL context (no display needed);
``OffscreenTarget`` is a framebuffer of a given size that can be read back as RGB. Either
way the renderer draws into a ``moderngl.Framebuffer``; ``drifted_viewport`` is the
viewport that moves what is drawn by the kiosk's drift. Any failure to get OpenGL 3.3
raises ``GLUnavailable`` with one line saying what is missing and what to do.
"""

from __future__ import annotations

import moderngl
import numpy as np

from visualizer.errors import UserError

REQUIRED_GL = 330


class GLUnavailable(UserError):
    """No usable OpenGL 3.3 context."""


def window_context() -> moderngl.Context:
    """The moderngl context of the pygame window that was just opened."""
    try:
        ctx = moderngl.create_context(require=REQUIRED_GL)
    except Exception as error:  # moderngl raises plain Exceptions for driver failures
        raise GLUnavailable(gl_missing_message(error)) from None
    return ctx


def gl_missing_message(error: Exception) -> str:
    return (
        f"OpenGL 3.3 is needed for the window but could not be used ({_short(error)}); "
        "update the graphics driver, or run --offscreen / --headless"
    )


def offscreen_context() -> moderngl.Context:
    """A standalone EGL context: renders with no display (Mesa's llvmpipe works)."""
    try:
        return moderngl.create_standalone_context(
            require=REQUIRED_GL,
            # moderngl's stub types every keyword setting as a dict; the backend is a name.
            backend="egl",  # type: ignore[arg-type]
        )
    except Exception as error:
        raise GLUnavailable(
            f"offscreen rendering needs OpenGL 3.3 through EGL ({_short(error)}); update the "
            "graphics driver (on Debian/Ubuntu: install libegl1 and libgl1-mesa-dri)"
        ) from None


def renderer_name(ctx: moderngl.Context) -> str:
    return ctx.info.get("GL_RENDERER", "unknown")


class OffscreenTarget:
    """An RGBA8 colour framebuffer of a fixed size."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int]) -> None:
        self.size = size
        self._texture = ctx.texture(size, 4)
        self.framebuffer = ctx.framebuffer(color_attachments=[self._texture])

    def read_rgb(self) -> np.ndarray:
        """The picture as an (height, width, 3) uint8 array, top row first."""
        data = self.framebuffer.read(components=3, alignment=1)
        image = np.frombuffer(data, dtype=np.uint8).reshape(self.size[1], self.size[0], 3)
        return image[::-1].copy()  # GL's first row is the bottom one

    def release(self) -> None:
        self.framebuffer.release()
        self._texture.release()


def drifted_viewport(size: tuple[int, int], offset: tuple[int, int]) -> tuple[int, int, int, int]:
    """The viewport that moves pixel-space drawing by ``offset`` (x right, y down)."""
    return offset[0], -offset[1], *size  # GL counts rows from the bottom


def _short(error: Exception) -> str:
    return " ".join(str(error).split())[:160] or type(error).__name__
