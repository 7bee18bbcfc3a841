"""The lesson picker on screen: its button in the controls bar, and its list when open.

``paint_picker_button`` is painted with the static HUD, beside the view buttons and in
their style (``render/hud/toggles.py``); ``draw_picker`` draws the open list every frame,
over the stage. Where everything sits comes from ``visualizer.hud.picker``, which
the pointer is hit-tested against too.
"""

from __future__ import annotations

from visualizer.hud.layout import MIN_TEXT_PX
from visualizer.hud.model import HudContent
from visualizer.hud.picker import KEY, LABEL, PickerView, picker_button
from visualizer.hud.toggles import Toggle
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import (
    DIM,
    FAINT,
    PANEL_EDGE,
    PANEL_OPAQUE,
    TEXT,
    TOGGLE_OFF,
    TOGGLE_ON,
    TRACK,
)
from visualizer.scene.layout import Rect

RADIUS = 0.5  # the open list's corners, in text units


def paint_picker_button(pen: Pen, content: HudContent) -> None:
    """The button, styled as the view buttons beside it: lit while the list is open."""
    if content.lesson_button is None:
        return
    u = content.layout.unit
    button = picker_button(content.layout, Toggle.WEIGHTS in dict(content.toggles))
    pen.ui.rect(button.inset(-1), PANEL_EDGE, 0.5 * button.height + 1)
    pen.ui.rect(button, TOGGLE_ON if content.lesson_button else TOGGLE_OFF, 0.5 * button.height)
    pen.flush()
    middle, colour = button.y + button.height / 2, TEXT if content.lesson_button else DIM
    room = button.width - 0.8 * u
    if content.hints:  # keys work: the key too, as on the view buttons
        where = (button.x + button.width - 0.7 * u, middle)
        key, _ = pen.write(KEY, where, 0.7 * u, FAINT, "right")
        where, anchor = (button.x + 0.7 * u, middle), "left"
        room = button.width - 1.7 * u - key
    else:
        where, anchor = (button.centre_x, middle), "centre"
    label = content.words(LABEL)
    pen.write_within(label, where, 0.85 * u, room, colour, anchor, bold=content.lesson_button)


def picker_rim(u: float) -> float:
    """How far inside its edge the open list is opaque: its corners' radius and a pixel of
    anti-aliasing, and one more."""
    return RADIUS * u + 2.0


def _descriptions_fit(pen: Pen, view: PickerView, u: float) -> bool:
    """Whether every row has room for its description under its title (a short list,
    with large text on a small screen, shows the titles alone, all alike)."""
    for row, lesson in view.rows:
        description = pen.words.lesson(lesson.name)[1]
        lines, px = pen.text.fit(description, 0.8 * u, row.width - 1.4 * u, False, MIN_TEXT_PX)
        line = pen.text.measure("Ag", max(px, MIN_TEXT_PX))[1]
        if len(lines) * line > row.height - 1.7 * u:
            return False
    return True


def draw_picker_frame(pen: Pen, panel: Rect, u: float, flush: bool = True) -> None:
    """The open list's panel and its edge: all of it that lies within ``picker_rim`` of
    its edge (the rows and words keep further in)."""
    pen.ui.rect(panel.inset(-1), PANEL_EDGE, RADIUS * u + 1)
    pen.ui.rect(panel, PANEL_OPAQUE, RADIUS * u)
    if flush:
        pen.flush()


def draw_picker(pen: Pen, view: PickerView | None, u: float) -> None:
    """The open list: a title, one row per lesson (title, description, in the pen's
    language), and how to leave."""
    if view is None:
        return
    words = pen.words
    panel = view.panel
    draw_picker_frame(pen, view.panel, u, flush=False)
    for k, (row, _) in enumerate(view.rows):
        if k == view.highlighted:
            pen.ui.rect(row.inset(0.1 * u), TRACK, 0.35 * u)
        if k == view.current:  # a bar at the row's left edge: the lesson on screen
            pen.ui.rect(Rect(row.x, row.y + 0.5 * u, 0.22 * u, row.height - u), TEXT, 0.11 * u)
    pen.flush()
    inner = panel.inset(0.6 * u)
    title_width, _ = pen.write(
        words("hud.picker.title"), (inner.x, inner.y), 1.1 * u, TEXT, bold=True
    )
    where = (inner.x + inner.width, inner.y + 0.2 * u)
    room = inner.width - title_width - 0.5 * u
    pen.write_within(words("hud.picker.note"), where, 0.75 * u, room, DIM, "topright")
    described = _descriptions_fit(pen, view, u)  # else every row its title alone
    for k, (row, lesson) in enumerate(view.rows):
        x, width = row.x + 0.8 * u, row.width - 1.4 * u
        title, description = words.lesson(lesson.name)  # every lesson is a shipped one
        where = (x, row.y + 0.45 * u)
        title_width, _ = pen.write_within(title, where, 1.0 * u, width, TEXT, bold=True)
        if k == view.current:
            where = (x + title_width + 0.6 * u, row.y + 0.6 * u)
            room = width - title_width - 0.6 * u
            pen.write_within(words("hud.picker.current"), where, 0.7 * u, room, FAINT)
        if described:
            pen.write_fitted(description, (x, row.y + 1.7 * u), 0.8 * u, width, DIM)
    # How to leave, at the bottom: on two lines where one is too long for the panel.
    lines, px = pen.text.fit(words("hud.picker.footer"), 0.7 * u, inner.width, False, MIN_TEXT_PX)
    y = panel.bottom - 0.5 * u
    for line in reversed(lines):
        y -= pen.write(line, (panel.centre_x, y), px, FAINT, "bottom")[1]
