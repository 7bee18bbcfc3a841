"""What every room of the HUD draws with: shapes, text and the marks rooms share.

Contract: ``Pen(ui, text, size, words)`` draws into whatever framebuffer is bound, of
``size`` pixels; ``words`` is the language rooms write in (classes named in it). Text is
never smaller than ``MIN_TEXT_PX``; ``write_fitted`` shrinks a text a little to fit a
width, then wraps it; ``write_within`` keeps one line and shrinks it as far as it takes
(large text, ``ui.text_scale``, on a small screen). Shapes collect in the
``UiBatch`` until ``flush``; text is drawn at once, so a room flushes its shapes before
writing over them.

Correct and wrong predictions differ in shape (a tick or a cross), not only in colour,
and a predicted class is drawn as its shape where it has one.
"""

from __future__ import annotations

import math

from visualizer.hud.layout import MIN_TEXT_PX
from visualizer.render.palette import (
    DIM,
    MARK_DISC,
    PANEL,
    PANEL_EDGE,
    PANEL_OPAQUE,
    RGBA,
    RIGHT,
    TEXT,
    TRACK,
    WRONG,
)
from visualizer.render.text import TextRenderer
from visualizer.render.ui import UiBatch
from visualizer.scene.layout import Rect
from visualizer.words import DEFAULT_LANGUAGE, Words, words_for

# A class drawn as its outline: corner radius as a share of the icon's side.
CLASS_ICON_CORNERS = {"circle": 0.5, "square": 0.08}
ICON_STROKE = 0.16  # an icon's outline, as a share of its side
MIN_STROKE_PX = 1.5  # thinner outlines vanish on a software renderer's coverage
NAME_SCALE = 1.3  # a class named in place of an icon: its text size, in icon heights


class Pen:
    def __init__(
        self,
        ui: UiBatch,
        text: TextRenderer,
        size: tuple[int, int],
        words: Words | None = None,
    ) -> None:
        self.ui = ui
        self.text = text
        self.size = size
        self.words = words or words_for(DEFAULT_LANGUAGE)

    def flush(self) -> None:
        """Draw the shapes collected so far (before text that goes over them)."""
        self.ui.flush(self.size)

    def write(
        self,
        text: str,
        position: tuple[float, float],
        px: float,
        colour: RGBA,
        anchor: str = "topleft",
        bold: bool = False,
    ) -> tuple[int, int]:
        """Draw ``text`` (never below the smallest size); returns its width and height."""
        return self.text.draw(self.size, text, position, max(px, MIN_TEXT_PX), colour, anchor, bold)

    def write_fitted(
        self,
        text: str,
        position: tuple[float, float],
        px: float,
        width: float,
        colour: RGBA,
        anchor: str = "topleft",
        bold: bool = False,
    ) -> tuple[int, float]:
        """``text`` within ``width`` (a top anchor): returns its lines and their bottom."""
        lines, px = self.text.fit(text, px, width, bold, MIN_TEXT_PX)
        x, y = position
        for line in lines:
            y += self.write(line, (x, y), px, colour, anchor, bold)[1]
        return len(lines), y

    def within(self, text: str, px: float, width: float, bold: bool = False) -> float:
        """``px``, or smaller (never below the smallest size) for ``text`` to fit ``width``."""
        wide = self.text.measure(text, max(px, MIN_TEXT_PX), bold)[0]
        if wide <= width:
            return px
        return max(MIN_TEXT_PX, math.floor(px * width / wide))

    def write_within(
        self,
        text: str,
        position: tuple[float, float],
        px: float,
        width: float,
        colour: RGBA,
        anchor: str = "topleft",
        bold: bool = False,
    ) -> tuple[int, int]:
        """``text`` on one line, shrunk if it must be to fit ``width``."""
        return self.write(text, position, self.within(text, px, width, bold), colour, anchor, bold)

    def panel(self, rect: Rect, unit: float) -> None:
        radius = 0.5 * unit
        self.ui.rect(rect.inset(-1), PANEL_EDGE, radius + 1)
        self.ui.rect(rect, PANEL, radius)

    def header(self, panel: Rect, unit: float, title: str, note: str | None = None) -> Rect:
        """A panel's title (and a note on the right); returns the panel's inner area."""
        inner = panel.inset(0.6 * unit)
        width, _ = self.write_within(title, (inner.x, inner.y), unit, inner.width, TEXT, bold=True)
        room = inner.width - width - 0.5 * unit  # beside the title, or not at all
        if note and self.text.measure(note, MIN_TEXT_PX)[0] <= room:
            where = (inner.x + inner.width, inner.y + 0.15 * unit)
            self.write_within(note, where, 0.75 * unit, room, DIM, "topright")
        return inner

    def bar(self, track: Rect, share: float, colour: RGBA, radius: float) -> None:
        """A rounded track filled ``share`` of its length (never less than its round end)."""
        self.ui.rect(track, TRACK, radius)
        fill = Rect(track.x, track.y, max(track.width * share, 2 * radius), track.height)
        self.ui.rect(fill, colour, radius)

    def class_mark_width(self, class_name: str, side: float) -> float:
        """How wide ``class_mark`` draws a class at this height."""
        if class_name in CLASS_ICON_CORNERS:
            return side
        name = self.words.class_name(class_name)
        return self.text.measure(name, max(side * NAME_SCALE, MIN_TEXT_PX))[0]

    def class_mark(self, class_name: str, box: Rect, colour: RGBA) -> None:
        """A small outline of the class's shape (the class drawn rather than named), or
        for a class with no shape of its own, its name, from the box's left edge (``class_name``:
        the data's own name, which says the shape; the name written is the language's)."""
        corner = CLASS_ICON_CORNERS.get(class_name)
        if corner is None:
            middle = (box.x, box.y + box.height / 2)
            name = self.words.class_name(class_name)
            self.write(name, middle, box.height * NAME_SCALE, colour, "left")
            return
        stroke = max(box.width * ICON_STROKE, MIN_STROKE_PX)
        radius = box.width * corner
        self.ui.rect(box, colour, radius)
        self.ui.rect(box.inset(stroke), PANEL_OPAQUE, max(radius - stroke, 0.0))

    def mark(self, right: bool, centre: tuple[float, float], size: float) -> None:
        """A tick in a disc for right, a cross for wrong: two shapes, not two colours."""
        x, y = centre
        r = size / 2
        colour = RIGHT if right else WRONG
        self.ui.rect(Rect(x - r, y - r, size, size), MARK_DISC, r)
        width = max(size * ICON_STROKE, MIN_STROKE_PX)
        if right:
            self.ui.line((x - 0.45 * r, y), (x - 0.1 * r, y + 0.38 * r), width, colour)
            self.ui.line((x - 0.1 * r, y + 0.38 * r), (x + 0.5 * r, y - 0.4 * r), width, colour)
        else:
            self.ui.line((x - 0.4 * r, y - 0.4 * r), (x + 0.4 * r, y + 0.4 * r), width, colour)
            self.ui.line((x - 0.4 * r, y + 0.4 * r), (x + 0.4 * r, y - 0.4 * r), width, colour)
