"""The learning curves: the loss of every batch, and each epoch's train and test accuracy.

One chart above the other; where that leaves a chart too short for its scale (large
text, ``ui.text_scale``, on a small screen), side by side, each title and the accuracy's
legend on lines of their own."""

from __future__ import annotations

import numpy as np

from visualizer.hud.layout import MIN_TEXT_PX
from visualizer.hud.model import HudContent
from visualizer.render.hud.panels import loss_names
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import DIM, FAINT, PANEL_OPAQUE, TEST_CURVE, TEXT, TRAIN_CURVE
from visualizer.scene.layout import Rect

MARKERS = 40  # the last this many test accuracies get a hollow marker


def paint_curves(pen: Pen, content: HudContent) -> None:
    rect, u, words = content.layout.curves, content.layout.unit, content.words
    inner = pen.header(rect, u, words("hud.curves.title"))
    history = content.history
    charts = Rect(inner.x, inner.y + 1.6 * u, inner.width, inner.height - 1.6 * u)
    loss_area, accuracy_area = charts.halves(0.5 * u)
    small = max(0.62 * u, MIN_TEXT_PX)
    titles = 1.2 * u  # room above a plot for its title
    side_by_side = _plot_area(loss_area, u, titles).height < SHORT_PLOT * small
    if side_by_side:
        loss_area, accuracy_area = _columns(charts, u)
        titles = 2.3 * u  # the accuracy's legend under its title

    pen.write_within(
        loss_names(content)[1], (loss_area.x, loss_area.y), 0.75 * u, loss_area.width, DIM
    )
    loss_plot = _plot_area(loss_area, u, titles)
    top = max(history.losses) if history.losses else 1.0
    last_batch = history.steps[-1] if history.steps else 0
    batch = words("hud.curves.batch", n=words.number(last_batch))
    _axes(pen, loss_plot, u, words.number(top, 2), words.number(0), batch)
    if len(history.losses) > 1:
        xs = np.asarray(history.steps, float)
        points = _plot(loss_plot, xs, np.asarray(history.losses), xs.max(), top, 0.0)
        pen.ui.polyline(points, 0.12 * u, TEXT)

    area = accuracy_area
    title, train_key, test_key = (
        words(f"hud.curves.{key}") for key in ("accuracy", "train", "test")
    )
    legend_y = area.y + (1.1 * u if side_by_side else 0.0)
    key_px = 0.75 * u
    test_width, _ = pen.write(
        test_key, (area.x + area.width, legend_y), key_px, TEST_CURVE, "topright"
    )
    where = (area.x + area.width - test_width - 0.6 * u, legend_y)
    train_width, _ = pen.write(train_key, where, key_px, TRAIN_CURVE, "topright")
    # The title, on the key's line where there is room beside it (else shrunk to fit).
    room = area.width - (0.0 if side_by_side else test_width + train_width + 1.2 * u)
    pen.write_within(title, (area.x, area.y), 0.75 * u, room, DIM)
    plot = _plot_area(area, u, titles)
    epochs = len(history.epochs)
    top_label, middle_label = words.percent(1.0), words.percent(0.5)
    _axes(pen, plot, u, top_label, middle_label, words("hud.curves.epoch", n=words.number(epochs)))
    if not epochs:
        return
    xs = np.arange(1, epochs + 1, dtype=float)
    span = max(epochs, 2)
    train = _plot(plot, xs, history.train_accuracy(), span, 1.0, 0.5)
    test = _plot(plot, xs, history.test_accuracy(), span, 1.0, 0.5)
    if epochs > 1:
        pen.ui.polyline(train, 0.12 * u, TRAIN_CURVE)
        pen.ui.polyline(test, 0.08 * u, TEST_CURVE)
    for x, y in test[-MARKERS:]:  # hollow markers tell test from train without colour
        pen.ui.rect(Rect(x - 0.22 * u, y - 0.22 * u, 0.44 * u, 0.44 * u), TEST_CURVE, 0.22 * u)
        pen.ui.rect(Rect(x - 0.1 * u, y - 0.1 * u, 0.2 * u, 0.2 * u), PANEL_OPAQUE, 0.1 * u)


SHORT_PLOT = 2.6  # a plot shorter than this many lines of its scale's text is too short


def _plot_area(area: Rect, u: float, titles: float) -> Rect:
    """A chart's plot inside its area: room above for ``titles`` (pixels), on the left for
    the scale, below for its end."""
    return Rect(
        area.x + 2.2 * u, area.y + titles, area.width - 2.4 * u, area.height - titles - 1.1 * u
    )


def _columns(charts: Rect, u: float) -> tuple[Rect, Rect]:
    """The left and the right half of ``charts``, a gap apart."""
    half = (charts.width - u) / 2
    return (
        Rect(charts.x, charts.y, half, charts.height),
        Rect(charts.x + half + u, charts.y, half, charts.height),
    )


def _axes(pen: Pen, plot: Rect, u: float, top: str, bottom: str, right: str) -> None:
    pen.ui.line((plot.x, plot.y), (plot.x, plot.bottom), 0.08 * u, FAINT)
    pen.ui.line((plot.x, plot.bottom), (plot.x + plot.width, plot.bottom), 0.08 * u, FAINT)
    small = max(0.62 * u, MIN_TEXT_PX)
    pen.write(top, (plot.x - 0.3 * u, plot.y), small, FAINT, "topright")
    pen.write(bottom, (plot.x - 0.3 * u, plot.bottom), small, FAINT, "bottomright")
    where = (plot.x + plot.width, plot.bottom + 0.15 * u)
    pen.write(right, where, small, FAINT, "topright")


def _plot(
    area: Rect, xs: np.ndarray, ys: np.ndarray, x_max: float, y_top: float, y_bottom: float
) -> np.ndarray:
    """Data → pixels inside ``area`` (x from 0 or 1 to x_max, y from y_bottom to y_top)."""
    px = area.x + area.width * xs / max(x_max, 1e-9)
    share = (np.clip(ys, y_bottom, y_top) - y_bottom) / max(y_top - y_bottom, 1e-9)
    py = area.bottom - area.height * share
    return np.stack([px, py], axis=1)
