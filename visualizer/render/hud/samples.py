"""The samples on the HUD: this batch (left) and the held-out test samples (right).

An image is a tile of the image atlas; a sample that is not an image is a bar chart of its
values (each bar ∝ the value, against the largest |value| among the test samples and this
batch; below the middle line when negative). Under a batch image: its label, then (once the
forward pass has predicted) the predicted class and its confidence; on a test image, after
each epoch, a tick or a cross, and under it the predicted class and a confidence bar.
"""

from __future__ import annotations

from visualizer.hud.layout import MIN_TEXT_PX
from visualizer.hud.model import HudContent
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import DIM, FAINT, FOCUS_FRAME, RIGHT, SAMPLE_BAR, TILE_BACK, WRONG
from visualizer.scene.layout import Rect

BATCH_TILES_PER_ROW = 4
CAPTION_LINES = 2.6  # a batch image's two caption lines and their gaps, in caption sizes
MIN_TILE_SHARE = 0.5  # of its cell's height, a batch image keeps at least this (text allowing)
FIT = 0.96  # a caption line may fill this share of its cell
# Under each test image, a strip with its prediction; shares of the tile's side.
STRIP_GAP, STRIP, ROW_GAP = 0.06, 0.26, 0.1


def paint_batch(pen: Pen, content: HudContent) -> None:
    rect, u, words = content.layout.batch, content.layout.unit, content.words
    inner = pen.header(rect, u, words("hud.batch.title"), words("hud.batch.note"))
    class_names = content.class_names
    batch = content.batch
    if batch is None:
        return
    grid = Rect(inner.x, inner.y + 1.7 * u, inner.width, inner.height - 1.7 * u)
    rows = -(-len(batch.labels) // BATCH_TILES_PER_ROW)
    cell_w = grid.width / BATCH_TILES_PER_ROW
    cell_h = grid.height / rows
    tile, caption = batch_tile(cell_w, cell_h, u)
    shapes = _labels_as_shapes(pen, class_names, caption, cell_w)
    for i, label in enumerate(batch.labels):
        row, column = divmod(i, BATCH_TILES_PER_ROW)
        x = grid.x + column * cell_w + (cell_w - tile) / 2
        y = grid.y + row * cell_h
        box = Rect(x, y, tile, tile)
        if i == batch.focus:
            pen.ui.rect(box.inset(-0.2 * u), FOCUS_FRAME, 0.3 * u)
        pen.ui.rect(box, TILE_BACK, 0.15 * u)
        _sample(pen, content, box, i, batch.inputs[i])
        centre = x + tile / 2
        where = (centre, y + tile + 0.15 * caption)
        if shapes:
            _shape_label(pen, class_names[label], where, caption)
        else:
            pen.write_within(
                words.class_name(class_names[label]), where, caption, FIT * cell_w, DIM, "top"
            )
        if batch.predictions is None or batch.confidences is None:
            continue
        predicted = batch.predictions[i]
        right = predicted == label
        colour = RIGHT if right else WRONG
        pen.mark(right, (x + tile - 0.1 * tile, y + 0.1 * tile), 0.3 * tile)
        # The prediction as a little outline of its shape (or its name), then the confidence.
        # A long class name leaves no room for both: a right answer then shows its
        # confidence (the tick says the class is the label), a wrong one the class it gave.
        confidence = words.percent(batch.confidences[i])
        line_y = y + tile + 1.15 * caption
        width, height = pen.text.measure(confidence, caption)
        icon = 0.62 * height
        name = class_names[predicted]
        mark = pen.class_mark_width(name, icon)
        if mark + 0.3 * icon + width > FIT * cell_w:
            text = confidence if right else words.class_name(name)
            pen.write_within(text, (centre, line_y), caption, FIT * cell_w, colour, "top")
            continue
        left = centre - (mark + 0.3 * icon + width) / 2
        box = Rect(left, line_y + (height - icon) / 2, icon, icon)
        pen.class_mark(name, box, colour)
        pen.write(confidence, (left + mark + 0.3 * icon, line_y), caption, colour)


def batch_tile(cell_w: float, cell_h: float, u: float) -> tuple[float, float]:
    """A batch image's side and its captions' text size in a cell: two caption lines under
    the image, but never at its cost — large text on a small screen keeps the captions at a
    size that leaves the image half its cell's height (down to the smallest text)."""
    keep = min(cell_w * 0.86, MIN_TILE_SHARE * cell_h)
    caption = max(min(0.72 * u, (cell_h - keep) / CAPTION_LINES), MIN_TEXT_PX)
    return min(cell_w * 0.86, cell_h - CAPTION_LINES * caption), caption


LABEL_GAP = 0.85  # a label may fill this share of its cell: a gap to the next one's


def _labels_as_shapes(pen: Pen, class_names: tuple[str, ...], px: float, cell: float) -> bool:
    """Whether the labels are drawn as their classes' shapes: where a name is too long for
    its cell (a long language, a small screen) and every class has a shape to draw."""
    widths = [pen.text.measure(pen.words.class_name(name), px)[0] for name in class_names]
    height = pen.text.measure("Ag", px)[1]
    return max(widths) > LABEL_GAP * cell and all(
        pen.class_mark_width(name, height) < width for name, width in zip(class_names, widths)
    )


def _shape_label(pen: Pen, name: str, top: tuple[float, float], px: float) -> None:
    """A label drawn as its class's outline, centred under the image."""
    height = pen.text.measure("Ag", px)[1]
    icon = 0.62 * height
    pen.class_mark(name, Rect(top[0] - icon / 2, top[1] + (height - icon) / 2, icon, icon), DIM)


def paint_tests(pen: Pen, content: HudContent) -> None:
    rect, u, words = content.layout.tests, content.layout.unit, content.words
    title = words("hud.tests.title_images" if content.image_side else "hud.tests.title_samples")
    inner = pen.header(rect, u, title, words("hud.tests.note"))
    tests = content.tests
    if tests is None:
        return
    footer = 2.3 * u
    grid = Rect(inner.x, inner.y + 1.7 * u, inner.width, inner.height - 1.7 * u - footer)
    offset = len(content.batch.labels) if content.batch else 0  # after the batch in the atlas
    for i, (tile, strip) in enumerate(tile_cells(grid, len(tests.labels))):
        pen.ui.rect(tile, TILE_BACK, 0.1 * u)
        _sample(pen, content, tile, offset + i, tests.inputs[i])
        if tests.predictions is None or tests.confidences is None:
            continue
        right = tests.predictions[i] == tests.labels[i]
        corner = (tile.x + tile.width * 0.82, tile.y + tile.width * 0.18)
        pen.mark(right, corner, 0.34 * tile.width)
        predicted = content.class_names[tests.predictions[i]]
        _prediction_strip(pen, strip, predicted, tests.confidences[i], right)
    notes = [words("hud.tests.waiting")]
    if tests.predictions is not None:
        correct = sum(p == t for p, t in zip(tests.predictions, tests.labels))
        total = len(tests.labels)
        notes = [
            score(content, tests.epoch, correct, total),
            words("hud.tests.strip"),
        ]
    y = inner.bottom - footer + 0.2 * u
    for note, px, colour in zip(notes, (0.8 * u, 0.7 * u), (DIM, FAINT)):
        _, y = pen.write_fitted(note, (inner.x, y), px, inner.width, colour)


def score(content: HudContent, epoch: int, right: int, total: int) -> str:
    """ "after epoch 3: 31 of 40 right", in the content's language (the matrix says it too)."""
    number = content.words.number
    return content.words(
        "hud.tests.score", epoch=number(epoch), right=number(right), total=number(total)
    )


def _prediction_strip(
    pen: Pen, strip: Rect, predicted: str, confidence: float, right: bool
) -> None:
    """The predicted class as its outline (or name), then a bar as long as its probability."""
    colour = RIGHT if right else WRONG
    pen.class_mark(predicted, Rect(strip.x, strip.y, strip.height, strip.height), colour)
    start = strip.x + pen.class_mark_width(predicted, strip.height) + 0.4 * strip.height
    track = Rect(
        start, strip.y + 0.3 * strip.height, strip.x + strip.width - start, 0.4 * strip.height
    )
    pen.bar(track, confidence, colour, track.height / 2)


def _sample(pen: Pen, content: HudContent, box: Rect, atlas_index: int, values) -> None:
    """One sample in its tile: the image, or a bar per value."""
    if content.image_side is not None:
        pen.ui.image(box, atlas_index)
        return
    inner = box.inset(0.12 * box.width)
    count = len(values)
    pitch = inner.width / count
    middle = inner.y + inner.height / 2  # standardised values have either sign
    for k, value in enumerate(values):
        height = 0.5 * inner.height * abs(float(value)) / content.value_scale
        top = middle - height if value >= 0 else middle
        bar = Rect(inner.x + k * pitch + 0.15 * pitch, top, 0.7 * pitch, height)
        pen.ui.rect(bar, SAMPLE_BAR, 0.0)
    pen.ui.line((inner.x, middle), (inner.x + inner.width, middle), 1.0, FAINT)


def tile_cells(area: Rect, count: int) -> list[tuple[Rect, Rect]]:
    """Each test image's tile and the prediction strip under it, in as many columns as
    make the tiles largest, centred in ``area``."""
    pitch = 1.0 + STRIP_GAP + STRIP + ROW_GAP  # a row's height, in tiles

    def tile_side(columns: int) -> float:
        return min(0.86 * area.width / columns, area.height / -(-count // columns) / pitch)

    columns = max(range(1, count + 1), key=tile_side)
    tile = tile_side(columns)
    step = area.width / columns
    cells = []
    for i in range(count):
        row, column = divmod(i, columns)
        x = area.x + column * step + (step - tile) / 2
        y = area.y + row * tile * pitch
        strip = Rect(x, y + tile * (1.0 + STRIP_GAP), tile, tile * STRIP)
        cells.append((Rect(x, y, tile, tile), strip))
    return cells
