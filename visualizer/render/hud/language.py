"""The language switch (``HudLayout.language``): a globe and the language's own name
(``language.name``: "Deutsch"), and where keys work its key, G; on a switch narrower than
``LANGUAGE_WIDTH`` (large text on a small screen), the globe and the code ("DE").

It is painted with the static HUD in every state, so a visitor always finds it; the
controller hit-tests the same rectangle (``visualizer.hud.controller``)."""

from __future__ import annotations

from visualizer.hud.layout import LANGUAGE_WIDTH
from visualizer.hud.model import HudContent
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import DIM, FAINT, PANEL_EDGE, TEXT, TOGGLE_OFF
from visualizer.scene.layout import Rect

KEY = "G"


def paint_language_switch(pen: Pen, content: HudContent) -> None:
    button, u = content.layout.language, content.layout.unit
    pen.ui.rect(button.inset(-1), PANEL_EDGE, 0.5 * button.height + 1)
    pen.ui.rect(button, TOGGLE_OFF, 0.5 * button.height)
    middle = button.y + button.height / 2
    globe = 0.42 * button.height
    _globe(pen, Rect(button.x + 0.6 * u, middle - globe / 2, globe, globe))
    pen.flush()
    left = button.x + 0.6 * u + globe + 0.4 * u
    right = button.x + button.width - 0.7 * u
    if button.width < LANGUAGE_WIDTH * u - 0.5:
        name = content.words.code.upper()
    else:
        if content.hints:  # keys work: the key too, as on the view buttons
            width, _ = pen.write(KEY, (right, middle), 0.7 * u, FAINT, "right")
            right -= width + 0.4 * u
        name = content.words("language.name")
    pen.write_within(name, (left, middle), 0.85 * u, right - left, TEXT, "left", bold=True)


def _globe(pen: Pen, box: Rect) -> None:
    """A ring with its equator and meridian: the sign for languages."""
    stroke = max(0.1 * box.width, 1.5)
    pen.ui.rect(box, DIM, box.width / 2)
    pen.ui.rect(box.inset(stroke), TOGGLE_OFF, box.width / 2 - stroke)
    middle_y, middle_x = box.y + box.height / 2, box.centre_x
    pen.ui.line((box.x, middle_y), (box.x + box.width, middle_y), stroke, DIM)
    pen.ui.line((middle_x, box.y), (middle_x, box.bottom), stroke, DIM)
