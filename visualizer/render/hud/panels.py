"""The HUD's plain panels: epoch and batch, the numbers, the output bars, the controls.

Their words and figures come from the content's catalogue (``HudContent.words``)."""

from __future__ import annotations

import numpy as np

from visualizer.hud.layout import MIN_TEXT_PX, SPEED_LABEL, slider_track
from visualizer.hud.model import HudContent
from visualizer.hud.picker import picker_button
from visualizer.hud.slider import SpeedSlider
from visualizer.hud.toggles import Toggle, toggle_buttons
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import DIM, FAINT, TEXT, TRACK
from visualizer.scene.layout import Rect


def paint_status(pen: Pen, content: HudContent) -> None:
    """Epoch n / N and batch b / B, top left."""
    rect, u, words = content.layout.status, content.layout.unit, content.words
    half = rect.width / 2
    for offset, label, value, total in (
        (0.0, words("hud.status.epoch"), content.epoch, content.epochs),
        (half, words("hud.status.batch"), content.batch_number, content.batches),
    ):
        x = rect.x + offset
        pen.write_within(label, (x, rect.y), 0.8 * u, half - 0.5 * u, DIM)
        if value is None:
            pen.write("–", (x, rect.y + 1.1 * u), 1.7 * u, TEXT, bold=True)
            continue
        where = (x, rect.y + 1.1 * u)
        width, _ = pen.write(words.number(value), where, 1.7 * u, TEXT, bold=True)
        pen.write(f" / {words.number(total or 0)}", (x + width, rect.y + 1.6 * u), 0.95 * u, DIM)


def paint_numbers(pen: Pen, content: HudContent) -> None:
    """The batch's loss and the last epoch's accuracies, top right."""
    rect, u, words = content.layout.numbers, content.layout.unit, content.words
    columns = (
        (loss_names(content)[0], None if content.loss is None else words.number(content.loss, 3)),
        (words("hud.numbers.train"), _percent(content, content.train_accuracy)),
        (words("hud.numbers.test"), _percent(content, content.test_accuracy)),
    )
    width = rect.width / len(columns)
    for i, (label, value) in enumerate(columns):
        x = rect.x + rect.width - (len(columns) - i - 1) * width  # right-aligned columns
        pen.write_within(label, (x, rect.y), 0.8 * u, width - 0.4 * u, DIM, "topright")
        where = (x, rect.y + 1.1 * u)  # "100 %" is wide: shrunk to its column, if it must
        pen.write_within(value or "–", where, 1.5 * u, width - 0.6 * u, TEXT, "topright", True)
    where = (rect.x + rect.width, rect.y + 2.85 * u)
    note = words("hud.numbers.test_note")
    pen.write_within(note, where, 0.7 * u, rect.width, FAINT, "topright")


def paint_output(pen: Pen, content: HudContent) -> None:
    """The highlighted image's class probabilities, as bars."""
    rect, u, words = content.layout.output, content.layout.unit, content.words
    image = content.image_side is not None
    inner = pen.header(rect, u, words(f"hud.output.title_{'image' if image else 'sample'}"))
    if content.output is None:
        waiting = words("hud.output.waiting")
        pen.write_fitted(waiting, (inner.x, inner.y + 1.8 * u), 0.8 * u, inner.width, DIM)
        return
    count = len(content.output)
    columns = _output_columns(count, inner.height - 1.6 * u)
    per_column = -(-count // columns)
    row = min(2.2 * u, (inner.height - 1.6 * u) / per_column)
    s = min(1.0, row / (LINE_BOX * 0.9 * u))  # many classes in a low panel: smaller rows
    gap = 1.2 * u
    column_width = (inner.width - (columns - 1) * gap) / columns
    name_width = 4.8 * u if columns == 1 else min(4.8 * u, 0.3 * column_width)
    bar_width = column_width - name_width - 3.2 * s * u
    best = int(np.argmax(content.output))
    for k, probability in enumerate(content.output):
        column, place = divmod(k, per_column)
        x = inner.x + column * (column_width + gap)
        y = inner.y + 1.7 * u + place * row
        name = (x, y + 0.1 * s * u)
        class_name = words.class_name(content.class_names[k])
        width, _ = pen.write_within(
            class_name, name, 0.9 * s * u, name_width - 0.3 * s * u, TEXT, bold=k == best
        )
        if k == content.truth:
            below = s == 1.0 and row >= TRUE_BELOW_ROWS * u  # room under the name
            _truth(pen, content, (x, y), width, name_width, s * u, below)
        bar = Rect(x + name_width, y + 0.3 * s * u, bar_width, 0.7 * s * u)
        pen.bar(bar, probability, TEXT, 0.2 * s * u)
        where = (x + column_width, y + 0.1 * s * u)
        pen.write(words.percent(probability), where, 0.9 * s * u, TEXT, "topright")


LINE_BOX = 1.4  # a line of text is this many times its size tall


def _output_columns(count: int, height: float) -> int:
    """Side-by-side columns the output's rows need so that each row holds a line of the
    smallest text (ten classes in a low panel: two columns of five)."""
    columns = 1
    while columns < count and height / -(-count // columns) < LINE_BOX * MIN_TEXT_PX:
        columns += 1
    return columns


TRUE_BELOW_ROWS = 1.9  # rows at least this many text units tall have room under a name


def _truth(
    pen: Pen,
    content: HudContent,
    at: tuple[float, float],
    name: float,
    room: float,
    u: float,
    below: bool,
) -> None:
    """The true class's mark: "true" under its name, or beside it when the rows are tight,
    or where even that has no room before the bar (a long name), a tick: the right answer."""
    (x, y), truth = at, content.words("hud.output.truth")
    if below:
        pen.write(truth, (x, y + 1.05 * content.layout.unit), 0.65 * u, DIM)
        return
    px = max(0.65 * u, MIN_TEXT_PX)
    if name + 0.6 * u + pen.text.measure(truth, px)[0] <= room:
        pen.write(truth, (x + name + 0.3 * u, y + 0.3 * u), px, DIM)
        return
    pen.mark(True, (x + name + 0.5 * u, y + 0.55 * u), 0.7 * u)


def paint_controls(pen: Pen, content: HudContent) -> None:
    """The speed slider's track and marks, and the key hints."""
    layout, u = content.layout, content.layout.unit
    track = slider_track(layout)
    slider = SpeedSlider(track, content.speeds)
    middle = track.y + track.height / 2
    label = content.words("hud.controls.speed")
    where, room = (layout.controls.x, middle), SPEED_LABEL * u - 0.4 * u
    pen.write_within(label, where, 0.95 * u, room, TEXT, "left", bold=True)
    pen.ui.rect(track, TRACK, track.height / 2)
    for i, speed in enumerate(content.speeds):
        x = slider.detent_x(i)
        pen.ui.rect(Rect(x - 0.12 * u, middle - 0.45 * u, 0.24 * u, 0.9 * u), DIM, 0.12 * u)
        pen.write(pen.words.speed(speed), (x, middle + 0.7 * u), 0.8 * u, DIM, "top")
    if content.toggles and (layout.stacked or not _hints_clear(pen, content)):
        return  # the view buttons take the hints' place
    if layout.stacked:  # too narrow for one row: the hints go underneath (a long line shrinks)
        bottom = (layout.controls.centre_x, layout.controls.bottom)
        pen.write_within(content.hints, bottom, 0.8 * u, layout.controls.width, DIM, "bottom")
    else:
        right = layout.controls.x + layout.controls.width
        pen.write(content.hints, (right, middle), 0.8 * u, DIM, "right")


def _hints_clear(pen: Pen, content: HudContent) -> bool:
    """Whether the hints fit beside the view buttons, right-aligned in the controls bar."""
    layout = content.layout
    buttons = toggle_buttons(layout, Toggle.WEIGHTS in dict(content.toggles))
    last = buttons[-1][1]
    if content.lesson_button is not None:  # the lesson picker's button ends their row
        last = picker_button(layout, Toggle.WEIGHTS in dict(content.toggles))
    right = last.x + last.width
    width = pen.text.measure(content.hints, max(0.8 * layout.unit, MIN_TEXT_PX))[0]
    return right + layout.unit <= layout.controls.x + layout.controls.width - width


def loss_names(content: HudContent) -> tuple[str, str]:
    """The loss number's label and the loss curve's title: one quantity, J, named alike
    (and for its L2 term, when it has one)."""
    words = content.words
    if content.l2:
        return words("hud.numbers.loss_l2"), words("hud.curves.loss_l2")
    return words("hud.numbers.loss"), words("hud.curves.loss")


def _percent(content: HudContent, value: float | None) -> str | None:
    return None if value is None else content.words.percent(value)
