"""The decision map of a network with two inputs, in place of the test samples.

The plane of the two inputs, coloured by the class the network answers at each point —
brighter where it is surer (``map_colours``: brightness ∝ how far the top probability is
above chance; at chance, nothing) — with the run's samples on it: training samples as
dots, test samples as rings, each in the colour of its true class. It is painted again
when the update lands, from the record's new weights (``scene/decision_map.py``).
"""

from __future__ import annotations

import numpy as np

from visualizer.hud.model import HudContent, PlaneView
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import CLASS_COLOURS, DIM, PANEL_OPAQUE, TILE_BACK
from visualizer.scene.layout import Rect

DOT = 0.28  # a training sample's dot, in text units (a test sample's ring is larger)


def map_colours(probabilities: np.ndarray) -> np.ndarray:
    """(rows, columns, classes) probabilities → (rows, columns, 3) colours: the answer's
    class colour, as bright as the answer is sure above chance."""
    classes = probabilities.shape[-1]
    answer = probabilities.argmax(axis=-1)
    top = probabilities.max(axis=-1)
    sureness = (top - 1.0 / classes) / (1.0 - 1.0 / classes)
    colours = np.asarray(CLASS_COLOURS[:classes])[answer]
    base = np.asarray(TILE_BACK[:3])
    return base + (colours - base) * sureness[..., None]


def paint_plane(pen: Pen, content: HudContent, plane: PlaneView) -> None:
    rect, u, words = content.layout.tests, content.layout.unit, content.words
    inner = pen.header(rect, u, words("hud.plane.title"), words("hud.plane.note"))
    footer = 2.3 * u
    area = Rect(inner.x, inner.y + 1.7 * u, inner.width, inner.height - 1.7 * u - footer)
    side = min(area.width, area.height)
    square = Rect(area.x + (area.width - side) / 2, area.y, side, side)
    pen.ui.picture(square)
    x_min, x_max, y_min, y_max = plane.map.bounds

    def at(points: np.ndarray) -> np.ndarray:
        xs = square.x + (points[:, 0] - x_min) / (x_max - x_min) * square.width
        ys = square.bottom - (points[:, 1] - y_min) / (y_max - y_min) * square.height
        return np.stack([xs, ys], axis=1)

    dot = DOT * u
    for (x, y), label in zip(at(plane.train[0]), plane.train[1]):
        pen.ui.rect(Rect(x - dot - 1, y - dot - 1, 2 * dot + 2, 2 * dot + 2), PANEL_OPAQUE, dot + 1)
        pen.ui.rect(Rect(x - dot, y - dot, 2 * dot, 2 * dot), (*CLASS_COLOURS[label], 1.0), dot)
    ring = 1.6 * dot
    for (x, y), label in zip(at(plane.test[0]), plane.test[1]):
        outer = Rect(x - ring, y - ring, 2 * ring, 2 * ring)
        pen.ui.rect(outer, (*CLASS_COLOURS[label], 1.0), ring)
        pen.ui.rect(outer.inset(0.35 * ring), PANEL_OPAQUE, 0.65 * ring)
    y = inner.bottom - footer + 0.2 * u
    _, y = pen.write_fitted(words("hud.plane.key"), (inner.x, y), 0.8 * u, inner.width, DIM)
    names = tuple(words.class_name(name) for name in content.class_names)
    _colour_key(pen, names, inner.x, y + 0.2 * u, 0.75 * u)


def _colour_key(pen: Pen, names: tuple[str, ...], x: float, y: float, px: float) -> None:
    """Each class's colour, then its name, in a row."""
    for index, name in enumerate(names):
        r = 0.35 * px
        pen.ui.rect(Rect(x, y + 0.5 * px - r, 2 * r, 2 * r), (*CLASS_COLOURS[index], 1.0), r)
        width, _ = pen.write(name, (x + 2.8 * r, y), px, DIM)
        x += 2.8 * r + width + px
