"""The lesson picker: a button in the controls bar and, when open, the list of lessons.

Contract: ``LessonPicker(menu, hold_seconds)`` holds the lessons a visitor may pick
(``menu.lessons``), the one on screen (``menu.current``) and whether the list is open.
Where things are, in pixels, for any ``HudLayout``: ``picker_button(layout, images)``, one
more of the view buttons (``hud/toggles.py``: shown with them, their size, after the last
of them; where they are stacked, at the end of the speed slider's row, as theirs take
the hints'),
and ``picker_rows(layout, count)``, the open list above the controls bar, over the stage,
one touch-sized row per lesson inside ``picker_panel``. ``press(point, layout, button)``
handles a pointer press and says whether it was the picker's (``button``: the button's
rectangle while it is on screen): the button opens or closes the list; a row picks its
lesson; any other press closes an open list (and is used up). ``toggle()`` is the key K;
``move(step)`` and ``pick_highlighted()`` the arrow keys and Enter; ``hover`` follows a
mouse over the rows. ``tick(dt)``: a list left alone for ``hold_seconds`` closes, so that
an exhibit's visitor who walks away does not leave it over the show. ``take_choice()``
hands a picked lesson's name over, once. ``view(layout)`` is the open list as the HUD
draws it (``PickerView``), None when closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.hud.layout import BUTTON_GAP, BUTTON_HEIGHT, HudLayout, slider_track
from visualizer.hud.toggles import toggle_buttons
from visualizer.lessons import Lesson, LessonMenu
from visualizer.scene.layout import Rect

PANEL_WIDTH = 34.0
HEADER = 2.6  # the panel's title, above the rows
FOOTER = 1.7  # the panel's hint, below them
ROW = 4.4  # a title and up to two lines of description
LABEL = "hud.picker.button"  # the catalogue key of the button's label
KEY = "K"


@dataclass(frozen=True)
class PickerView:
    """The open list, as the HUD draws it."""

    panel: Rect
    rows: tuple[tuple[Rect, Lesson], ...]
    current: int | None  # the lesson on screen, if it is one of the rows
    highlighted: int | None  # under the pointer, or chosen by the arrow keys


def picker_button(layout: HudLayout, images: bool) -> Rect:
    """The button that opens the list (drawn and hit-tested alike); ``images``: the view
    buttons include the weight tiles' (as ``toggle_buttons`` takes it)."""
    u = layout.unit
    if not layout.stacked:  # the next in the view buttons' row
        last = toggle_buttons(layout, images)[-1][1]
        return Rect(last.x + last.width + BUTTON_GAP * u, last.y, last.width, last.height)
    track = slider_track(layout)
    width, height = layout.button_width, BUTTON_HEIGHT * u
    right = layout.controls.x + layout.controls.width
    return Rect(right - width, track.y + track.height / 2 - height / 2, width, height)


def picker_panel(layout: HudLayout, count: int) -> Rect:
    """The open list: centred over the stage, resting on the bar with the button (in
    portrait over the panels under the stage too). Where the stage is too short for it
    (large text on a small screen), it rises over the panels beside the stage as well, up
    to the top bar, and takes their width too, centred on the screen."""
    u, stage = layout.unit, layout.stage
    bottom = layout.controls.y - layout.margin
    needed = (HEADER + FOOTER + ROW * count) * u
    if needed <= bottom - stage.y:
        width = min(PANEL_WIDTH * u, stage.width)
        return Rect(stage.centre_x - width / 2, bottom - needed, width, needed)
    top = min(layout.batch.y, layout.curves.y)  # the panels' top, under the top bar
    width = min(PANEL_WIDTH * u, max(stage.width, layout.controls.width))
    height = min(needed, bottom - top)
    return Rect(layout.controls.centre_x - width / 2, bottom - height, width, height)


def picker_rows(layout: HudLayout, count: int) -> tuple[Rect, ...]:
    """One row per lesson inside the panel, shorter when the stage is short."""
    u = layout.unit
    panel = picker_panel(layout, count)
    inner = panel.inset(0.6 * u)
    row = (panel.height - (HEADER + FOOTER) * u) / count
    return tuple(
        Rect(inner.x, panel.y + HEADER * u + k * row, inner.width, row) for k in range(count)
    )


class LessonPicker:
    def __init__(self, menu: LessonMenu, hold_seconds: float) -> None:
        self.hold_seconds = hold_seconds
        self._idle = 0.0  # seconds since the open list was last touched
        self.lessons = menu.lessons
        names = [lesson.name for lesson in self.lessons]
        self.current = names.index(menu.current) if menu.current in names else None
        self.open = False
        self.highlighted: int | None = None
        self._choice: str | None = None

    def toggle(self) -> None:
        self.open = not self.open
        self.highlighted = self.current if self.open else None
        self._idle = 0.0

    def tick(self, dt: float) -> None:
        if self.open:
            self._idle += dt
            if self._idle >= self.hold_seconds:
                self.close()

    def close(self) -> None:
        self.open = False
        self.highlighted = None

    def move(self, step: int) -> None:
        """Highlight the row ``step`` rows down (up, if negative) of the open list."""
        if not self.open:
            return
        self._idle = 0.0
        start = self.highlighted if self.highlighted is not None else -1 if step > 0 else 0
        self.highlighted = (start + step) % len(self.lessons)

    def pick_highlighted(self) -> None:
        if self.open and self.highlighted is not None:
            self._pick(self.highlighted)

    def press(self, point: tuple[float, float], layout: HudLayout, button: Rect | None) -> bool:
        """A pointer press: True if the picker used it (see the module's contract)."""
        if button is not None and button.contains(point):
            self.toggle()
            return True
        if not self.open:
            return False
        row = self._row_at(point, layout)
        if row is None:
            self.close()  # a press beside the list puts it away
        else:
            self._pick(row)
        return True

    def hover(self, point: tuple[float, float], layout: HudLayout) -> bool:
        """The pointer moved: highlight the row under it. True if the list is open."""
        if not self.open:
            return False
        row = self._row_at(point, layout)
        if row is not None:
            self.highlighted = row
            self._idle = 0.0
        return True

    def take_choice(self) -> str | None:
        choice, self._choice = self._choice, None
        return choice

    def view(self, layout: HudLayout) -> PickerView | None:
        if not self.open:
            return None
        count = len(self.lessons)
        rows = tuple(zip(picker_rows(layout, count), self.lessons))
        return PickerView(picker_panel(layout, count), rows, self.current, self.highlighted)

    def _pick(self, row: int) -> None:
        self._choice = self.lessons[row].name
        self.close()

    def _row_at(self, point: tuple[float, float], layout: HudLayout) -> int | None:
        for k, rect in enumerate(picker_rows(layout, len(self.lessons))):
            if rect.contains(point):
                return k
        return None
