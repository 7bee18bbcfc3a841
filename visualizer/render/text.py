"""Crisp text: FreeType renders each distinct run once into a texture, then quads draw it.

Contract: ``TextRenderer.draw(target_size, text, position, size_px, colour, anchor, bold)``
draws a run of text at pixel coordinates (when ``rows`` are set, only a run that reaches
into them) and returns its size; ``measure`` gives a run's size and ``fit`` the lines and
size at which a text fits a width (shrunk a little, then wrapped). Runs are cached by
(text, size, weight) and re-rendered only when one of those changes; the cache keeps the
most recently used ``CAPACITY`` runs so a show that runs for weeks does not grow.
The font is the bundled Inter (assets/fonts, SIL Open Font License), so the app looks the
same everywhere.
"""

from __future__ import annotations

import math
import os
from collections import OrderedDict
from dataclasses import dataclass

import moderngl
import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame.freetype

from visualizer.errors import UserError
from visualizer.render import gl_state
from visualizer.render.shaders import ShaderLibrary
from visualizer.resources import resource_path

CAPACITY = 512
SHRINK_LIMIT = 0.85  # text that does not fit shrinks this far at most, then wraps
FONT_FILES = {False: "Inter-Regular.otf", True: "Inter-SemiBold.otf"}
_ANCHORS = {
    "topleft": (0.0, 0.0),
    "top": (0.5, 0.0),
    "topright": (1.0, 0.0),
    "left": (0.0, 0.5),
    "centre": (0.5, 0.5),
    "right": (1.0, 0.5),
    "bottomleft": (0.0, 1.0),
    "bottom": (0.5, 1.0),
    "bottomright": (1.0, 1.0),
}


@dataclass
class _Run:
    texture: moderngl.Texture
    width: int
    height: int


class TextRenderer:
    def __init__(self, ctx: moderngl.Context, shaders: ShaderLibrary) -> None:
        self._ctx = ctx
        self._program = shaders.program("text")
        self._quad = ctx.buffer(reserve=4 * 4 * 4)
        self._vao = ctx.vertex_array(self._program, [(self._quad, "2f 2f", "a_position", "a_uv")])
        self._runs: OrderedDict[tuple[str, int, bool], _Run] = OrderedDict()
        self._fonts: dict[tuple[int, bool], pygame.freetype.Font] = {}
        self.renders = 0  # FreeType renders so far: unchanged text must not add to it
        # Only runs that reach into these pixel rows (top, bottom) are drawn, when given:
        # the HUD is painted band by band, and a draw call costs even when it is clipped.
        self.rows: tuple[int, int] | None = None
        pygame.freetype.init()

    def measure(self, text: str, size_px: float, bold: bool = False) -> tuple[int, int]:
        run = self._run(text, size_px, bold)
        return run.width, run.height

    def draw(
        self,
        target_size: tuple[int, int],
        text: str,
        position: tuple[float, float],
        size_px: float,
        colour: tuple[float, float, float, float],
        anchor: str = "topleft",
        bold: bool = False,
    ) -> tuple[int, int]:
        """Draw ``text`` with its ``anchor`` point at ``position``; returns its size."""
        if not text:
            return 0, 0
        run = self._run(text, size_px, bold)
        ax, ay = _ANCHORS[anchor]
        # Whole pixels keep the glyphs as sharp as FreeType drew them.
        x0 = round(position[0] - ax * run.width)
        y0 = round(position[1] - ay * run.height)
        x1, y1 = x0 + run.width, y0 + run.height
        if self.rows is not None and (y1 <= self.rows[0] or y0 >= self.rows[1]):
            return run.width, run.height
        quad = np.array(
            [[x0, y0, 0, 0], [x1, y0, 1, 0], [x0, y1, 0, 1], [x1, y1, 1, 1]], dtype="f4"
        )
        self._quad.write(quad.tobytes())
        gl_state.use(self._ctx, gl_state.OVER)
        run.texture.use(0)
        self._program["u_coverage"] = 0
        self._program["u_viewport"] = target_size
        self._program["u_colour"] = colour
        self._vao.render(moderngl.TRIANGLE_STRIP)
        return run.width, run.height

    def fit(
        self, text: str, size_px: float, width: float, bold: bool, minimum: float
    ) -> tuple[list[str], float]:
        """One line at ``size_px`` if it fits ``width``, else a little smaller (down to
        ``SHRINK_LIMIT`` of it, never below ``minimum``), else wrapped at that size."""
        size_px = max(size_px, minimum)
        wide = self.measure(text, size_px, bold)[0]
        if wide <= width:
            return [text], size_px
        # Widths scale about linearly with the size: try the size that should just fit.
        smaller = max(minimum, SHRINK_LIMIT * size_px, math.floor(size_px * width / wide))
        if self.measure(text, smaller, bold)[0] <= width:
            return [text], smaller
        return self._wrap(text, smaller, width, bold), smaller

    def _wrap(self, text: str, size_px: float, width: float, bold: bool) -> list[str]:
        lines: list[str] = []
        for word in text.split():
            joined = f"{lines[-1]} {word}" if lines else word
            if lines and self.measure(joined, size_px, bold)[0] <= width:
                lines[-1] = joined
            else:
                lines.append(word)
        return lines

    def release(self) -> None:
        for run in self._runs.values():
            run.texture.release()
        self._runs.clear()
        self._vao.release()
        self._quad.release()

    def _run(self, text: str, size_px: float, bold: bool) -> _Run:
        key = (text, max(1, round(size_px)), bold)
        run = self._runs.get(key)
        if run is not None:
            self._runs.move_to_end(key)
            return run
        surface, _ = self._font(key[1], bold).render(text, fgcolor=(255, 255, 255))
        coverage = np.ascontiguousarray(pygame.surfarray.array_alpha(surface).T)
        height, width = coverage.shape
        texture = self._ctx.texture((width, height), 1, coverage.tobytes(), alignment=1)
        run = self._runs[key] = _Run(texture, width, height)
        self.renders += 1
        while len(self._runs) > CAPACITY:
            _, oldest = self._runs.popitem(last=False)
            oldest.texture.release()
        return run

    def _font(self, size: int, bold: bool) -> pygame.freetype.Font:
        font = self._fonts.get((size, bold))
        if font is None:
            path = resource_path("assets") / "fonts" / FONT_FILES[bold]
            try:
                font = pygame.freetype.Font(str(path), size)
            except (OSError, FileNotFoundError) as error:
                raise UserError(
                    f"cannot load the font {path}: {error}; reinstall the app"
                ) from None
            font.antialiased = True
            font.pad = True  # room for descenders, so runs of one size line up
            self._fonts[(size, bold)] = font
        return font
