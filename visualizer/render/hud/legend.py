"""The on-screen legend: every channel of the picture, its swatch and the number behind it.

docs/legend.md has the exact formulas. The legend takes the place of the curves and the
test images (``L``, and in the kiosk's attract hold). Each swatch is a small drawing of
the thing it explains, in the same colours. The weight tiles (W) get a row while they
are on, and BatchNorm's strips and Dropout's cross when the network has those layers; a
legend too long for two lines a row gives its rows the footer's room and writes its
short entries on one line. The equations and the confusion matrix name what they show
themselves. Where one column's rows would be too short for two lines of the smallest text
(large text on a small screen), the legend spreads over the left column's panels too.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from visualizer.hud.layout import MIN_TEXT_PX
from visualizer.hud.model import HudContent
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import (
    BACKWARD_LIGHT,
    DIM,
    DROPPED_MARK,
    FAINT,
    FORWARD_LIGHT,
    NEGATIVE_WEIGHT,
    NEURON_BODY,
    NEURON_RIM,
    NORMALISATION_BAND,
    PANEL_OPAQUE,
    POSITIVE_WEIGHT,
    SPARK_LIGHT,
    TEXT,
    TRUE_CLASS_RING,
    UPDATE_SPARK_LIGHT,
    WRONG_SPARK_LIGHT,
)
from visualizer.scene.layout import Rect

Swatch = Callable[[Pen, Rect], None]
BACKWARD_SWATCH = (*BACKWARD_LIGHT, 1.0)  # the red of the backward pass's light
ROUND = 1e3  # a corner radius larger than any swatch: the shape is a disc
LIT_PIXEL = (0.85, 0.85, 0.85, 1.0)


def legend_panels(content: HudContent) -> tuple[Rect, ...]:
    """Where the legend goes: in the curves' and test images' place, and in the left
    column's too where one column's rows would be too short for two lines of the smallest
    text (large text on a small screen) and the equations do not have that column."""
    layout = content.layout
    right = layout.curves.union(layout.tests)
    rows = len(_entries(content))
    if content.explanation is None and _row_height(right, layout.unit, rows) < CRAMPED:
        return layout.batch.union(layout.output), right
    return (right,)


CRAMPED = 2.4 * MIN_TEXT_PX  # a row shorter than this would overlap its two lines
FOOTER = 2.1  # the cycle's line under the rows, in layout units


def _row_height(panel: Rect, u: float, rows: int) -> float:
    inner = panel.inset(0.6 * u)
    return min(2.6 * u, (inner.height - 1.9 * u - FOOTER * u) / rows)


def paint_legend(pen: Pen, content: HudContent, panels: tuple[Rect, ...]) -> None:
    """The legend's rows, shared out over ``panels`` (``legend_panels``) in order; the
    cycle's line under the last panel's rows when they leave room for it."""
    u, words = content.layout.unit, content.words
    note = words("hud.legend.hide") if content.hints else None  # no keys in the kiosk
    entries = _entries(content)
    per_panel = -(-len(entries) // len(panels))
    footer = True
    for k, panel in enumerate(panels):
        title = words("hud.legend.title")
        inner = pen.header(panel, u, title, note) if k == 0 else panel.inset(0.6 * u)
        share = entries[k * per_panel : (k + 1) * per_panel]
        footer = _paint_rows(pen, inner, u, share, _row_height(panel, u, per_panel))
    if footer:
        inner = panels[-1].inset(0.6 * u)
        batch = content.batch
        images = (
            words.count("hud.legend.images", len(batch.labels))
            if batch
            else words("hud.legend.some_images")
        )
        cycle = words("hud.legend.cycle", images=images)
        pen.write_fitted(cycle, (inner.x, inner.bottom - FOOTER * u), 0.75 * u, inner.width, DIM)


def _paint_rows(
    pen: Pen, inner: Rect, u: float, entries: tuple[tuple[Swatch, str, str], ...], row: float
) -> bool:
    """Each entry's swatch, then what it is and the number behind it, in two lines. Rows
    too short for two lines (a long legend: more layers, the tiles) take the footer's room
    and write the short entries on one line; False when they did."""
    top, x = inner.y + 1.9 * u, inner.x + 2.2 * u
    width = inner.x + inner.width - x
    text_size = min(0.78 * u, row / 2.8)  # two lines to a row
    texts = [text for _, what, number in entries for text in (what, number)]
    line = _tallest(pen, texts, text_size)
    joined = [False] * len(entries)  # the number on the line of its name
    pitches = [row] * len(entries)
    footer = 2 * line <= row
    if not footer:
        joined = [
            _size(pen, f"{what}: {number}", text_size)[0] <= width for _, what, number in entries
        ]
        heights = [line if one else 2 * line for one in joined]
        gap = max(inner.bottom - top - sum(heights), 0.0) / len(entries)
        pitches = [height + gap for height in heights]
    y = top
    for (draw_swatch, what, number), one_line, pitch in zip(entries, joined, pitches):
        swatch = min(1.2 * u, 0.7 * pitch)
        draw_swatch(pen, Rect(inner.x, y + (pitch - swatch) / 2, 1.33 * swatch, swatch))
        if one_line:
            name_width, _ = pen.write(f"{what}:", (x, y), text_size, TEXT)
            pen.write(number, (x + name_width + 0.3 * text_size, y), text_size, DIM)
        else:
            _, height = pen.write_within(what, (x, y), text_size, width, TEXT)
            pen.write_within(number, (x, y + height), text_size, width, DIM)
        y += pitch
    return footer


def _tallest(pen: Pen, lines: list[str], px: float) -> int:
    """The height of the tallest of ``lines`` as ``pen.write`` draws them at ``px``."""
    return max(_size(pen, line, px)[1] for line in lines)


def _size(pen: Pen, text: str, px: float) -> tuple[int, int]:
    """``text``'s width and height as ``pen.write`` draws it at ``px``."""
    return pen.text.measure(text, max(px, MIN_TEXT_PX))


def _entries(content: HudContent) -> tuple[tuple[Swatch, str, str], ...]:
    """Every channel on screen: its swatch, what it looks like, the number behind it (the
    catalogue's ``hud.legend.<channel>.what`` and ``.number``)."""
    flash = "flash_momentum" if content.momentum else "flash"
    inputs = (_pixels, "pixels") if content.image_side is not None else (_glow, "inputs")
    channels: tuple[tuple[Swatch, str], ...] = (
        (_comets, "comets"),
        (_arrow, "arrows"),
        (_glow, "glow"),
        (_halo, "halo"),
        (_dashed, "dead"),
        *_layer_entries(content),
        inputs,
        (_ring, "ring"),
        (_wires, "wires"),
        (_flash, flash),
        (_update_sparks, "sparks"),
        (_verdict, "verdict"),
        (_marks, "marks"),
    )
    if content.weights:  # the tiles are on
        channels += ((_tiles, "tiles"),)
    words = content.words
    return tuple(
        (swatch, words(f"hud.legend.{name}.what"), words(f"hud.legend.{name}.number"))
        for swatch, name in channels
    )


def _layer_entries(content: HudContent) -> tuple[tuple[Swatch, str], ...]:
    """Seed 004's layers, when the network has them."""
    entries: tuple[tuple[Swatch, str], ...] = ()
    if content.batch_norm:
        entries += ((_strip, "batch_norm"),)
    if content.dropout:
        entries += ((_crossed, "dropout"),)
    return entries


def _tiles(pen: Pen, box: Rect) -> None:
    """A tile of weights: blue and amber squares, as bright as each |w|."""
    cell = box.height / 3
    pattern = ((1.0, -0.4, 0.7), (-0.9, 0.3, -0.2), (0.5, -1.0, 0.9))
    x0 = box.centre_x - 1.5 * cell
    for row, values in enumerate(pattern):
        for column, w in enumerate(values):
            hue = POSITIVE_WEIGHT if w > 0 else NEGATIVE_WEIGHT
            square = Rect(x0 + column * cell, box.y + row * cell, cell, cell)
            pen.ui.rect(square, (*hue, abs(w)), 0.0)


def _disc(pen: Pen, centre: tuple[float, float], radius: float, colour) -> None:
    x, y = centre
    pen.ui.rect(Rect(x - radius, y - radius, 2 * radius, 2 * radius), colour, radius)


def _comets(pen: Pen, box: Rect) -> None:
    """A filled comet (a·w > 0: it lifts the neuron) beside a hollow one fading out."""
    left = Rect(box.x, box.y, box.width / 2, box.height)
    x = left.centre_x
    tail = (*FORWARD_LIGHT, 0.5)
    pen.ui.line((x, box.bottom), (x, box.y + 0.3 * box.height), box.width * 0.06, tail)
    head = Rect(x - 0.17 * box.height, box.y, 0.34 * box.height, 0.34 * box.height)
    pen.ui.rect(head, (*FORWARD_LIGHT, 1.0), ROUND)
    x, r = box.x + 0.75 * box.width, 0.15 * box.height
    for i, alpha in enumerate((0.9, 0.5, 0.15)):  # from the bottom up, fading out
        y = box.bottom - r - i * 0.33 * box.height
        disc = Rect(x - r, y - r, 2 * r, 2 * r)
        pen.ui.rect(disc, (*FORWARD_LIGHT, alpha), ROUND)
        pen.ui.rect(disc.inset(0.3 * r), PANEL_OPAQUE, ROUND)


def _dashed(pen: Pen, box: Rect) -> None:
    """A neuron's dashed outline."""
    r = 0.42 * box.height
    x, y = box.centre_x, box.y + 0.5 * box.height
    dashes = 8
    for k in range(dashes):
        first = 2 * math.pi * k / dashes
        last = first + 2 * math.pi * 0.3 / dashes
        start = (x + r * math.cos(first), y + r * math.sin(first))
        end = (x + r * math.cos(last), y + r * math.sin(last))
        pen.ui.line(start, end, 0.12 * box.height, (*NEURON_RIM, 1.0))


def _crossed(pen: Pen, box: Rect) -> None:
    """A dark neuron, crossed out."""
    r = 0.42 * box.height
    x, y = box.centre_x, box.y + 0.5 * box.height
    _disc(pen, (x, y), r, (*NEURON_BODY, 1.0))
    reach = 1.1 * r
    for side in (-1, 1):
        start, end = (x - reach, y - side * reach), (x + reach, y + side * reach)
        pen.ui.line(start, end, 0.12 * box.height, (*DROPPED_MARK, 1.0))


def _strip(pen: Pen, box: Rect) -> None:
    """A column of the batch's z, shifted and narrow, beside the same values normalised:
    centred on the middle line, spread to unit size."""
    pen.ui.rect(box, (*NORMALISATION_BAND, 1.0), 0.1 * box.height)
    middle = box.y + 0.5 * box.height
    pen.ui.line((box.x, middle), (box.x + box.width, middle), 1.0, (*NEURON_RIM, 1.0))
    spread = (-1.4, -0.8, -0.3, 0.1, 0.5, 1.0, 1.5)  # x̂, about unit spread
    tick = (*FORWARD_LIGHT, 0.85)
    for column, (shift, size) in enumerate(((0.28, 0.08), (0.0, 0.28))):
        x = box.x + (0.27 + 0.46 * column) * box.width
        for value in spread:
            y = middle - (shift + size * value) * box.height
            pen.ui.line((x - 0.16 * box.width, y), (x + 0.16 * box.width, y), 1.0, tick)


def _arrow(pen: Pen, box: Rect) -> None:
    x, red = box.centre_x, BACKWARD_SWATCH
    tip = (x, box.bottom)
    pen.ui.line((x, box.y), (x, box.bottom - 0.3 * box.height), box.width * 0.08, (*red[:3], 0.5))
    for side in (-1, 1):
        start = (x + side * 0.25 * box.height, box.bottom - 0.35 * box.height)
        pen.ui.line(start, tip, 0.12 * box.height, red)


def _glow(pen: Pen, box: Rect) -> None:
    r = 0.5 * box.height
    centre = (box.centre_x, box.y + r)
    for scale, alpha in ((1.0, 0.18), (0.75, 0.35), (0.5, 1.0)):
        square = Rect(centre[0] - r * scale, centre[1] - r * scale, 2 * r * scale, 2 * r * scale)
        pen.ui.rect(square, (1.0, 1.0, 1.0, alpha), ROUND)


def _halo(pen: Pen, box: Rect) -> None:
    """Red light around a neuron's body."""
    r = 0.5 * box.height
    centre = (box.centre_x, box.y + r)
    for scale, alpha in ((1.0, 0.3), (0.8, 0.75)):
        _disc(pen, centre, r * scale, (*BACKWARD_LIGHT, alpha))
    _disc(pen, centre, 0.55 * r, (*NEURON_BODY, 1.0))
    _disc(pen, centre, 0.45 * r, (*NEURON_RIM, 1.0))


def _pixels(pen: Pen, box: Rect) -> None:
    """A lit pixel and one the error reaches."""
    side = 0.6 * box.height
    y = box.y + 0.2 * box.height
    for x, colour in ((box.x, LIT_PIXEL), (box.x + box.width - side, BACKWARD_SWATCH)):
        pen.ui.rect(Rect(x, y, side, side), colour, 0.1 * side)


def _ring(pen: Pen, box: Rect) -> None:
    r = 0.5 * box.height
    x, y = box.centre_x, box.y + r
    pen.ui.rect(Rect(x - r, y - r, 2 * r, 2 * r), (*TRUE_CLASS_RING, 1.0), r)
    pen.ui.rect(Rect(x - 0.8 * r, y - 0.8 * r, 1.6 * r, 1.6 * r), PANEL_OPAQUE, r)


def _wires(pen: Pen, box: Rect) -> None:
    pen.ui.line(
        (box.x, box.bottom),
        (box.x + 0.6 * box.width, box.y),
        0.16 * box.height,
        (*POSITIVE_WEIGHT, 1.0),
    )
    pen.ui.line(
        (box.x + 0.4 * box.width, box.bottom),
        (box.x + box.width, box.y),
        0.08 * box.height,
        (*NEGATIVE_WEIGHT, 1.0),
    )


def _flash(pen: Pen, box: Rect) -> None:
    pen.ui.line(
        (box.x, box.bottom), (box.x + box.width, box.y), 0.22 * box.height, (*SPARK_LIGHT, 1.0)
    )


def _update_sparks(pen: Pen, box: Rect) -> None:
    pen.ui.line((box.x, box.bottom), (box.x + box.width, box.y), 0.06 * box.height, FAINT)
    for t in (0.2, 0.5, 0.8):
        centre = (box.x + t * box.width, box.bottom - t * box.height)
        _disc(pen, centre, 0.12 * box.height, (*UPDATE_SPARK_LIGHT, 1.0))


def _verdict(pen: Pen, box: Rect) -> None:
    """Gold sparks flying out (right), pale ones falling (wrong)."""
    gold = [(0.1, 0.3), (0.3, 0.05), (0.45, 0.4), (0.2, 0.7)]
    pale = [(0.7, 0.55), (0.85, 0.8), (0.95, 0.6)]
    for points, colour in ((gold, SPARK_LIGHT), (pale, WRONG_SPARK_LIGHT)):
        for fx, fy in points:
            centre = (box.x + fx * box.width, box.y + fy * box.height)
            _disc(pen, centre, 0.1 * box.height, (*colour, 1.0))


def _marks(pen: Pen, box: Rect) -> None:
    r = 0.5 * box.height
    pen.mark(True, (box.x + r, box.y + r), box.height * 0.9)
    pen.mark(False, (box.x + box.width - r * 0.4, box.y + r), box.height * 0.9)
