"""The HUD's live parts, drawn over the picture every frame: the phase with its caption,
progress bar and time left, the slider's knob, the drawing canvas's frame and the
inspector's card; and, while F9 records, the recording mark."""

from __future__ import annotations

import numpy as np

from visualizer.hud.inspector import card_lines
from visualizer.hud.layout import MIN_TEXT_PX, slider_track
from visualizer.hud.model import HudContent, HudDynamic
from visualizer.hud.slider import SpeedSlider
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import (
    BACKWARD_PHASE_BAR,
    CANVAS_FRAME,
    DIM,
    FAINT,
    FORWARD_PHASE_BAR,
    INSPECTOR_CARD,
    MARK_DISC,
    RECORDING_DOT,
    TEXT,
)
from visualizer.scene.layout import Rect


def draw_phase(pen: Pen, dynamic: HudDynamic, phase: Rect, u: float) -> None:
    """The title (on one line: a long one, German's, shrinks) and the caption, fitted to
    the column, then the progress bar."""
    centre = phase.centre_x
    _, height = pen.write_within(
        dynamic.title, (centre, phase.y), 1.2 * u, phase.width, TEXT, "top", True
    )
    caption_y = max(phase.y + 1.55 * u, phase.y + height)
    lines, bottom = pen.write_fitted(
        dynamic.caption, (centre, caption_y), 0.85 * u, phase.width, DIM, "top"
    )
    if dynamic.progress is None:
        return
    bar_y = max(phase.y + 2.85 * u, bottom + 0.05 * u)
    bar = Rect(phase.x + 0.1 * phase.width, bar_y, 0.8 * phase.width, 0.28 * u)
    colour = BACKWARD_PHASE_BAR if dynamic.backward else FORWARD_PHASE_BAR
    if dynamic.seconds_left is None:
        pen.bar(bar, dynamic.progress, colour, bar.height / 2)
        return
    # Paused, the title says so: the time left need not say it again.
    left = pen.words("hud.live.seconds_left", n=pen.words.number(dynamic.seconds_left))
    px, right = 0.7 * u, phase.x + phase.width
    where, anchor = (bar.x + bar.width, bar.bottom + 0.15 * u), "topright"  # under the bar …
    if lines > 1:  # … or, a wrapped caption having taken that room, beside the title …
        room = right - centre - pen.text.measure(dynamic.title, 1.2 * u, True)[0] / 2 - 0.5 * u
        where = (right, phase.y + 0.35 * u)
        px = pen.within(left, px, room)
        if pen.text.measure(left, px)[0] > room:  # … or at the end of a shorter bar
            px = max(0.7 * u, MIN_TEXT_PX)
            width, height = pen.text.measure(left, px)
            middle = max(bar.y + bar.height / 2, bottom + height / 2)  # the text clear above
            bar = Rect(bar.x, middle - bar.height / 2, right - bar.x - width - 0.5 * u, bar.height)
            where, anchor = (right, middle), "right"
    pen.bar(bar, dynamic.progress, colour, bar.height / 2)
    pen.write(left, where, px, FAINT, anchor)


def draw_knob(pen: Pen, content: HudContent, speed: float) -> None:
    """The slider's knob at the current speed, with its label above (beyond the track: at
    its end, with arrows by the label pointing on)."""
    layout, u = content.layout, content.layout.unit
    track = slider_track(layout)
    slider = SpeedSlider(track, content.speeds)
    x, middle = slider.knob_x(speed), track.y + track.height / 2
    pen.ui.rect(Rect(x - 0.55 * u, middle - 0.55 * u, 1.1 * u, 1.1 * u), TEXT, 0.55 * u)
    label, px = pen.words.speed(speed), 0.85 * u
    pen.write(label, (x, middle - 0.75 * u), px, TEXT, "bottom", bold=True)
    side = slider.beyond(speed)
    if side:  # the knob waits at the track's end; arrows by its label point on, that way
        half, y = pen.text.measure(label, px, True)[0] / 2, middle - 1.2 * u
        for tip in (half + 0.6 * u, half + 1.0 * u):
            arm = x + side * (tip - 0.3 * u)
            chevron = [(arm, y - 0.3 * u), (x + side * tip, y), (arm, y + 0.3 * u)]
            pen.ui.polyline(np.array(chevron), 0.14 * u, TEXT)


def draw_canvas_frame(pen: Pen, grid: Rect, u: float) -> None:
    """A frame around the input grid, which is the canvas (its tiles show the drawing)."""
    frame = grid.inset(-0.45 * u)
    corners = [
        (frame.x, frame.y),
        (frame.x + frame.width, frame.y),
        (frame.x + frame.width, frame.bottom),
        (frame.x, frame.bottom),
    ]
    for start, end in zip(corners, corners[1:] + corners[:1]):
        pen.ui.line(start, end, 0.18 * u, CANVAS_FRAME)


def draw_inspector(pen: Pen, dynamic: HudDynamic, u: float) -> None:
    """The inspected neuron's card, beside the pointer and inside the window."""
    if dynamic.inspector is None:
        return
    values, (x, y) = dynamic.inspector
    lines = card_lines(values, pen.words)
    px = max(0.8 * u, MIN_TEXT_PX)
    line = 1.15 * px
    # As wide as its longest line: the placeholders and the numbers differ in length.
    longest = max(pen.text.measure(text, px, i == 0)[0] for i, text in enumerate(lines))
    width = longest + 1.0 * u
    card = Rect(
        min(x + u, pen.size[0] - width - u),
        max(y - len(lines) * line - u, u),
        width,
        len(lines) * line + 0.8 * u,
    )
    pen.ui.rect(card, INSPECTOR_CARD, 0.4 * u)
    pen.flush()
    for i, text in enumerate(lines):
        colour = TEXT if i == 0 else DIM
        where = (card.x + 0.5 * u, card.y + 0.4 * u + i * line)
        pen.write(text, where, px, colour, bold=i == 0)


def draw_recording(pen: Pen, seconds: float, stage: Rect, u: float) -> None:
    """A red dot, "REC" and the clip's length, in the stage's top-left corner (clear of the
    network, whose outputs sit further in)."""
    minutes, rest = divmod(int(seconds), 60)
    label = f"REC {minutes}:{rest:02d}"
    px = max(0.85 * u, MIN_TEXT_PX)
    width = pen.text.measure(label, px, True)[0]
    pill = Rect(stage.x + 0.5 * u, stage.y + 0.5 * u, width + 2.4 * u, 1.6 * u)
    dot = 0.7 * u
    middle = pill.y + pill.height / 2
    pen.ui.rect(pill, MARK_DISC, pill.height / 2)
    pen.ui.rect(Rect(pill.x + 0.55 * u, middle - dot / 2, dot, dot), RECORDING_DOT, dot / 2)
    pen.flush()
    pen.write(label, (pill.x + 1.6 * u, middle), px, TEXT, "left", bold=True)
