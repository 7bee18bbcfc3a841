"""The HUD's touch controls for its views: the equations, the weight tiles, the confusion
matrix and the legend, and calm motion (``ui.reduced_motion``) — buttons in the controls
bar, each with its key.

Contract: ``toggle_buttons(layout, images)`` returns each ``Toggle``'s button (a
``Rect``), drawn and hit-tested alike; ``images``: the input is an image grid (only then
are there weight tiles to show). They follow the speed slider, or where the layout
stacks them (portrait, a narrow bar), take the hints' row under it; their size is the
layout's (``hud/layout.py``). They are shown only when someone may want them
(``HudController`` decides: paused, a view on, a touch seen, or a kiosk), so that the
show's picture is the same as before while nobody uses them.
"""

from __future__ import annotations

from enum import Enum

from visualizer.hud.layout import (
    BUTTON_GAP,
    BUTTON_HEIGHT,
    STACKED_BUTTON_HEIGHT,
    TRACK_TO_BUTTONS,
    HudLayout,
    slider_track,
)
from visualizer.scene.layout import Rect


class Toggle(Enum):
    """A view a button turns on and off: its label's catalogue key and its key."""

    EXPLAIN = ("hud.toggles.explain", "E")
    WEIGHTS = ("hud.toggles.weights", "W")
    MATRIX = ("hud.toggles.matrix", "M")
    LEGEND = ("hud.toggles.legend", "L")
    CALM = ("hud.toggles.calm", "Z")  # reduced motion

    @property
    def label(self) -> str:
        """The catalogue key of the button's label (``visualizer/words.py``)."""
        return self.value[0]

    @property
    def key(self) -> str:
        return self.value[1]


def toggle_buttons(layout: HudLayout, images: bool) -> tuple[tuple[Toggle, Rect], ...]:
    """Where each button is (the weight tiles' only for image inputs)."""
    toggles = [t for t in Toggle if images or t is not Toggle.WEIGHTS]
    u, controls = layout.unit, layout.controls
    width, height, gap = layout.button_width, BUTTON_HEIGHT * u, BUTTON_GAP * u
    row = len(toggles) * width + (len(toggles) - 1) * gap
    if layout.stacked:  # the hints' row, under the slider and its speeds' labels
        height = STACKED_BUTTON_HEIGHT * u
        x = controls.centre_x - row / 2
        y = controls.bottom - height
    else:
        track = slider_track(layout)
        x = track.x + track.width + TRACK_TO_BUTTONS * u  # clear of the last speed's label
        y = track.y + track.height / 2 - height / 2
    return tuple(
        (toggle, Rect(x + i * (width + gap), y, width, height)) for i, toggle in enumerate(toggles)
    )


def toggle_at(layout: HudLayout, images: bool, point: tuple[float, float]) -> Toggle | None:
    """The button under ``point``, if any."""
    for toggle, rect in toggle_buttons(layout, images):
        if rect.contains(point):
            return toggle
    return None
