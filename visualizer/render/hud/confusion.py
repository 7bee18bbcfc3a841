"""The confusion matrix, in the test samples' place: rows the true class, columns the
predicted one, after each epoch.

Each cell is coloured in proportion to its count against the largest count of the matrix
(zero draws nothing): the diagonal, the right answers, in the green of a right answer,
the rest in the red of a wrong one. The counts are written in the cells when they fit
(2 to 10 classes). Classes are named along both sides — by their number where a name
is wider than a column, with the numbers named down the rows.
"""

from __future__ import annotations

from visualizer.hud.confusion import ConfusionView
from visualizer.hud.layout import MIN_TEXT_PX
from visualizer.hud.model import HudContent
from visualizer.render.hud.pen import Pen
from visualizer.render.hud.samples import score
from visualizer.render.palette import DIM, FAINT, RGBA, RIGHT, TEXT, TILE_BACK, WRONG
from visualizer.scene.layout import Rect

DARK_TEXT_SHARE = 0.55  # on a cell this bright, a count is written dark
CELL_GAP = 0.06  # between cells, as a share of a cell


def paint_confusion(pen: Pen, content: HudContent, view: ConfusionView) -> None:
    rect, u, words = content.layout.tests, content.layout.unit, content.words
    inner = pen.header(rect, u, words("hud.confusion.title"), words("hud.confusion.note"))
    names = tuple(words.class_name(name) for name in content.class_names)
    truth, predicted = words("hud.confusion.truth"), words("hud.confusion.predicted")
    footer = 1.5 * u
    area = Rect(inner.x, inner.y + 1.7 * u, inner.width, inner.height - 1.7 * u - footer)
    label_px = max(0.72 * u, MIN_TEXT_PX)
    classes = len(names)
    numbered = _numbered(pen, names, area, label_px)
    row_names = [f"{k + 1} {name}" if numbered else name for k, name in enumerate(names)]
    widest = max(pen.text.measure(text, label_px)[0] for text in (*row_names, truth))
    left = widest + 0.4 * u
    top = 2.6 * label_px  # "predicted", then the column names
    side = min((area.width - left) / classes, (area.height - top) / classes)
    x = area.x + left + (area.width - left - side * classes) / 2  # centred in what is left
    grid = Rect(x, area.y + top, side * classes, side * classes)
    pen.write(truth, (area.x, area.y), label_px, FAINT)
    room = area.x + area.width - grid.x
    pen.write_within(predicted, (grid.x, area.y), label_px, room, FAINT)
    for k in range(classes):
        column = str(k + 1) if numbered else names[k]
        centre = grid.x + (k + 0.5) * side
        pen.write(column, (centre, grid.y - 0.1 * label_px), label_px, DIM, "bottom")
        row_y = grid.y + (k + 0.5) * side
        pen.write(row_names[k], (grid.x - 0.3 * u, row_y), label_px, DIM, "right")
    _cells(pen, view, grid, side, u)
    y = inner.bottom - footer + 0.3 * u
    if view.counts is None:
        note = words("hud.confusion.waiting")
    else:
        right = sum(view.counts[k][k] for k in range(classes))
        note = score(content, view.epoch, right, sum(map(sum, view.counts)))
    pen.write_fitted(note, (inner.x, y), 0.8 * u, inner.width, DIM)


def _numbered(pen: Pen, names: tuple[str, ...], area: Rect, px: float) -> bool:
    """Whether the columns are too narrow for the classes' names."""
    column = area.width / (len(names) + 2)
    return max(pen.text.measure(name, px)[0] for name in names) > 0.92 * column


def _cells(pen: Pen, view: ConfusionView, grid: Rect, side: float, u: float) -> None:
    """Each cell's colour, then its count where it fits."""
    counts = view.counts
    classes = round(grid.width / side)
    gap = CELL_GAP * side
    largest = max((max(row) for row in counts), default=0) if counts else 0
    boxes = {}
    for row in range(classes):
        for column in range(classes):
            box = Rect(
                grid.x + column * side + gap / 2,
                grid.y + row * side + gap / 2,
                side - gap,
                side - gap,
            )
            boxes[row, column] = box
            pen.ui.rect(box, TILE_BACK, 0.12 * side)
            count = counts[row][column] if counts else 0
            if count:
                share = count / largest
                colour = RIGHT if row == column else WRONG
                pen.ui.rect(box, _shade(colour, share), 0.12 * side)
    pen.flush()
    if not counts or not largest:
        return
    px = min(max(0.8 * u, MIN_TEXT_PX), 0.5 * side)
    if px < MIN_TEXT_PX or pen.text.measure(str(largest), px)[0] > 0.9 * (side - gap):
        return  # too small to read: the colours alone tell
    for (row, column), box in boxes.items():
        count = counts[row][column]
        if count:
            dark = count / largest > DARK_TEXT_SHARE
            where = (box.centre_x, box.y + box.height / 2)
            pen.write(str(count), where, px, TILE_BACK if dark else TEXT, "centre", bold=True)


def _shade(colour: RGBA, share: float) -> RGBA:
    """From the tile's dark towards ``colour``, by ``share``."""
    r, g, b = (base + (c - base) * share for base, c in zip(TILE_BACK[:3], colour[:3]))
    return (r, g, b, 1.0)
