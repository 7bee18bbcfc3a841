"""The view buttons in the controls bar (``visualizer.hud.toggles`` places them): each
names its view and, where keys work, its key; a view that is on has its button lit."""

from __future__ import annotations

from visualizer.hud.model import HudContent
from visualizer.hud.toggles import Toggle, toggle_buttons
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import DIM, FAINT, PANEL_EDGE, TEXT, TOGGLE_OFF, TOGGLE_ON


def paint_toggles(pen: Pen, content: HudContent) -> None:
    if not content.toggles:
        return
    layout, u = content.layout, content.layout.unit
    on = dict(content.toggles)
    buttons = toggle_buttons(layout, Toggle.WEIGHTS in on)
    for toggle, rect in buttons:
        pen.ui.rect(rect.inset(-1), PANEL_EDGE, 0.5 * rect.height + 1)
        pen.ui.rect(rect, TOGGLE_ON if on[toggle] else TOGGLE_OFF, 0.5 * rect.height)
    pen.flush()
    keys = bool(content.hints)  # no keys in a kiosk that allows none
    for toggle, rect in buttons:
        label = content.words(toggle.label)
        middle = rect.y + rect.height / 2
        colour = TEXT if on[toggle] else DIM
        bold = on[toggle]
        if keys:  # the label shrinks, where it must, to stay clear of its key
            key, _ = pen.write(
                toggle.key, (rect.x + rect.width - 0.7 * u, middle), 0.7 * u, FAINT, "right"
            )
            room = rect.width - 1.7 * u - key
            where = (rect.x + 0.7 * u, middle)
            pen.write_within(label, where, 0.85 * u, room, colour, "left", bold)
        else:
            room = rect.width - 0.8 * u
            where = (rect.centre_x, middle)
            pen.write_within(label, where, 0.85 * u, room, colour, "centre", bold)
