"""The HUD on screen: panels painted into the backplate, a few live elements on top.

Contract: ``paint(content, framebuffer)`` draws the static HUD (panels, counters, the
batch strip, the output bars, the curves, the test grid, the slider's track, the hints)
into a framebuffer — the synapse layer calls it into its baked pictures, so on most
frames the HUD costs nothing. ``draw_live(dynamic, content, target)`` draws what changes
every frame: the phase and its caption, the progress bar, the time left, the slider's
knob, the inspector's card and the drawing canvas's frame.

Correct and wrong predictions differ in shape (a tick or a cross), not only in colour.
Text that could outgrow its column (the captions, the notes under the test images) is
shrunk a little to fit, never below the smallest text size, and wrapped beyond that.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from visualizer.choreography import speed_label
from visualizer.hud.inspector import card_lines
from visualizer.hud.layout import MIN_TEXT_PX, slider_track
from visualizer.hud.model import HudContent, HudDynamic, count_of
from visualizer.hud.slider import SpeedSlider
from visualizer.render.text import TextRenderer
from visualizer.render.ui import UiBatch
from visualizer.scene.layout import Rect
from visualizer.scene.sparks import RIGHT_COLOUR, UPDATE_COLOUR, WRONG_COLOUR
from visualizer.training.shapes import CLASS_NAMES

PANEL = (0.065, 0.085, 0.15, 0.82)
PANEL_EDGE = (0.24, 0.3, 0.44, 0.55)
TRACK = (0.2, 0.25, 0.36, 1.0)
TEXT = (0.9, 0.93, 1.0, 1.0)
DIM = (0.6, 0.66, 0.78, 1.0)
FAINT = (0.38, 0.44, 0.56, 1.0)
RIGHT = (0.5, 0.88, 0.62, 1.0)
WRONG = (1.0, 0.52, 0.45, 1.0)
TRAIN_COLOUR = (0.5, 0.72, 1.0, 1.0)  # blue …
TEST_COLOUR = (1.0, 0.72, 0.35, 1.0)  # … and amber, also drawn with different markers
RED = (1.0, 0.2, 0.32, 1.0)  # the backward pass's colour in the legend's swatches
PHASE_COLOURS = {False: (0.95, 0.95, 1.0, 1.0), True: (1.0, 0.3, 0.4, 1.0)}
FOCUS_FRAME = (1.0, 1.0, 1.0, 0.95)
TILE_BACK = (0.02, 0.025, 0.05, 1.0)
BATCH_TILES_PER_ROW = 4
SHRINK_LIMIT = 0.85  # text that does not fit shrinks this far at most, then wraps
# Under each test image, a strip with its prediction; shares of the tile's side.
STRIP_GAP, STRIP, ROW_GAP = 0.06, 0.26, 0.1


class HudLayer:
    def __init__(self, ui: UiBatch, text: TextRenderer) -> None:
        self._ui = ui
        self._text = text
        self._atlas_keys: tuple | None = None

    # ---------------------------------------------------------------- painted

    def paint(self, content: HudContent, size: tuple[int, int]) -> None:
        """The static HUD, into whatever framebuffer is bound (a baked picture)."""
        layout = content.layout
        self._update_atlas(content)
        panels = layout.panels
        if content.legend:  # the legend takes the place of the curves and the test images
            panels = (layout.batch, layout.output, _union(layout.curves, layout.tests))
        for panel in panels:
            self._panel(panel, layout.unit)
        self._ui.flush(size)
        self._status(content, size)
        self._numbers(content, size)
        self._batch(content, size)
        self._output(content, size)
        if content.legend:
            self._legend(content, size)
        else:
            self._curves(content, size)
            self._tests(content, size)
        self._controls(content, size)
        self._ui.flush(size)

    def _header(self, size, panel: Rect, u: float, title: str, note: str | None = None) -> Rect:
        """A panel's title (and a note on the right); returns the panel's inner area."""
        inner = _inset(panel, 0.6 * u)
        self._write(size, title, (inner.x, inner.y), u, TEXT, bold=True)
        if note:
            self._write(
                size, note, (inner.x + inner.width, inner.y + 0.15 * u), 0.75 * u, DIM, "topright"
            )
        return inner

    def _panel(self, rect: Rect, unit: float) -> None:
        radius = 0.5 * unit
        self._ui.rect(
            Rect(rect.x - 1, rect.y - 1, rect.width + 2, rect.height + 2), PANEL_EDGE, radius + 1
        )
        self._ui.rect(rect, PANEL, radius)

    def _status(self, content: HudContent, size) -> None:
        rect, u = content.layout.status, content.layout.unit
        half = rect.width / 2
        for offset, label, value, total in (
            (0.0, "Epoch", content.epoch, content.epochs),
            (half, "Batch", content.batch_number, content.batches),
        ):
            x = rect.x + offset
            self._write(size, label, (x, rect.y), 0.8 * u, DIM)
            if value is None:
                self._write(size, "–", (x, rect.y + 1.1 * u), 1.7 * u, TEXT, bold=True)
                continue
            width, _ = self._write(
                size, str(value), (x, rect.y + 1.1 * u), 1.7 * u, TEXT, bold=True
            )
            self._write(size, f" / {total}", (x + width, rect.y + 1.6 * u), 0.95 * u, DIM)

    def _numbers(self, content: HudContent, size) -> None:
        rect, u = content.layout.numbers, content.layout.unit
        columns = (
            (_loss_names(content)[0], None if content.loss is None else f"{content.loss:.3f}"),
            ("Train acc.", _percent(content.train_accuracy)),
            ("Test acc.", _percent(content.test_accuracy)),
        )
        width = rect.width / len(columns)
        for i, (label, value) in enumerate(columns):
            x = rect.x + rect.width - (len(columns) - i - 1) * width  # right-aligned columns
            self._write(size, label, (x, rect.y), 0.8 * u, DIM, "topright")
            self._write(
                size, value or "–", (x, rect.y + 1.1 * u), 1.5 * u, TEXT, "topright", bold=True
            )
        self._write(
            size,
            "test = held-out images",
            (rect.x + rect.width, rect.y + 2.85 * u),
            0.7 * u,
            FAINT,
            "topright",
        )

    def _batch(self, content: HudContent, size) -> None:
        rect, u = content.layout.batch, content.layout.unit
        inner = self._header(size, rect, u, "This batch", "label, then prediction")
        batch = content.batch
        if batch is None:
            return
        grid = Rect(inner.x, inner.y + 1.7 * u, inner.width, inner.height - 1.7 * u)
        rows = -(-len(batch.labels) // BATCH_TILES_PER_ROW)
        cell_w = grid.width / BATCH_TILES_PER_ROW
        cell_h = grid.height / rows
        caption = max(0.72 * u, 13.0)
        tile = min(cell_w * 0.86, cell_h - 2.6 * caption)
        for i, label in enumerate(batch.labels):
            row, column = divmod(i, BATCH_TILES_PER_ROW)
            x = grid.x + column * cell_w + (cell_w - tile) / 2
            y = grid.y + row * cell_h
            box = Rect(x, y, tile, tile)
            if i == batch.focus:
                self._ui.rect(_inset(box, -0.2 * u), FOCUS_FRAME, 0.3 * u)
            self._ui.rect(box, TILE_BACK, 0.15 * u)
            self._ui.image(box, i)
            centre = x + tile / 2
            self._write(
                size, CLASS_NAMES[label], (centre, y + tile + 0.15 * caption), caption, DIM, "top"
            )
            if batch.predictions is not None:
                predicted = batch.predictions[i]
                right = predicted == label
                colour = RIGHT if right else WRONG
                self._mark(right, (x + tile - 0.1 * tile, y + 0.1 * tile), 0.3 * tile)
                # The prediction as a little outline of its shape, then the confidence.
                confidence = f"{batch.confidences[i]:.0%}"
                line_y = y + tile + 1.15 * caption
                width, height = self._text.measure(confidence, max(caption, 13.0))
                icon = 0.62 * height
                left = centre - (1.3 * icon + width) / 2
                self._shape_icon(
                    predicted, Rect(left, line_y + (height - icon) / 2, icon, icon), colour
                )
                self._write(size, confidence, (left + 1.3 * icon, line_y), caption, colour)

    def _output(self, content: HudContent, size) -> None:
        rect, u = content.layout.output, content.layout.unit
        inner = self._header(size, rect, u, "Highlighted image: output")
        if content.output is None:
            self._write(
                size, "appears when the forward pass", (inner.x, inner.y + 1.8 * u), 0.8 * u, DIM
            )
            self._write(size, "reaches the outputs", (inner.x, inner.y + 2.8 * u), 0.8 * u, DIM)
            return
        row = min(2.2 * u, (inner.height - 1.6 * u) / len(content.output))
        name_width = 4.8 * u
        bar_width = inner.width - name_width - 3.2 * u
        best = int(np.argmax(content.output))
        for k, probability in enumerate(content.output):
            y = inner.y + 1.7 * u + k * row
            self._write(size, CLASS_NAMES[k], (inner.x, y + 0.1 * u), 0.9 * u, TEXT, bold=k == best)
            if k == content.truth:
                self._write(size, "true", (inner.x, y + 1.05 * u), 0.65 * u, DIM)
            bar = Rect(inner.x + name_width, y + 0.3 * u, bar_width, 0.7 * u)
            self._bar(bar, probability, TEXT, 0.2 * u)
            self._write(
                size,
                f"{probability:.0%}",
                (inner.x + inner.width, y + 0.1 * u),
                0.9 * u,
                TEXT,
                "topright",
            )

    def _curves(self, content: HudContent, size) -> None:
        rect, u = content.layout.curves, content.layout.unit
        inner = self._header(size, rect, u, "Learning")
        history = content.history
        charts = Rect(inner.x, inner.y + 1.6 * u, inner.width, inner.height - 1.6 * u)
        loss_area, accuracy_area = _split_rows(charts, 0.5 * u)
        title = _loss_names(content)[1]
        self._write(size, title, (loss_area.x, loss_area.y), 0.75 * u, DIM)
        loss_plot = Rect(
            loss_area.x + 2.2 * u,
            loss_area.y + 1.2 * u,
            loss_area.width - 2.4 * u,
            loss_area.height - 2.3 * u,
        )
        top = max(history.losses) if history.losses else 1.0
        self._axes(
            loss_plot,
            size,
            u,
            f"{top:.2f}",
            "0",
            f"batch {history.steps[-1] if history.steps else 0}",
        )
        if len(history.losses) > 1:
            xs = np.asarray(history.steps, float)
            self._ui.polyline(
                _plot(loss_plot, xs, np.asarray(history.losses), xs.max(), top, 0.0), 0.12 * u, TEXT
            )

        self._write(size, "Accuracy, each epoch", (accuracy_area.x, accuracy_area.y), 0.75 * u, DIM)
        legend_x = accuracy_area.x + accuracy_area.width
        self._write(size, "test", (legend_x, accuracy_area.y), 0.75 * u, TEST_COLOUR, "topright")
        self._write(
            size, "train", (legend_x - 2.6 * u, accuracy_area.y), 0.75 * u, TRAIN_COLOUR, "topright"
        )
        plot = Rect(
            accuracy_area.x + 2.2 * u,
            accuracy_area.y + 1.2 * u,
            accuracy_area.width - 2.4 * u,
            accuracy_area.height - 2.3 * u,
        )
        epochs = len(history.epochs)
        self._axes(plot, size, u, "100%", "50%", f"epoch {epochs}")
        if epochs:
            xs = np.arange(1, epochs + 1, dtype=float)
            span = max(epochs, 2)
            train = _plot(plot, xs, history.train_accuracy(), span, 1.0, 0.5)
            test = _plot(plot, xs, history.test_accuracy(), span, 1.0, 0.5)
            if epochs > 1:
                self._ui.polyline(train, 0.12 * u, TRAIN_COLOUR)
                self._ui.polyline(test, 0.08 * u, TEST_COLOUR)
            for x, y in test[-40:]:  # hollow markers tell test from train without colour
                self._ui.rect(
                    Rect(x - 0.22 * u, y - 0.22 * u, 0.44 * u, 0.44 * u), TEST_COLOUR, 0.22 * u
                )
                self._ui.rect(
                    Rect(x - 0.1 * u, y - 0.1 * u, 0.2 * u, 0.2 * u), (*PANEL[:3], 1.0), 0.1 * u
                )

    def _legend(self, content: HudContent, size) -> None:
        """Every channel and the number behind it (docs/legend.md has the exact formulas)."""
        layout, u = content.layout, content.layout.unit
        panel = _union(layout.curves, layout.tests)
        note = "L hides this" if content.hints else None  # no keys in the kiosk
        inner = self._header(size, panel, u, "How to read it", note)
        entries = (
            (self._swatch_comet, "white comets, rising", "the forward signal |a·w|"),
            (self._swatch_arrow, "red arrows, falling", "the gradient |∂J/∂w|"),
            (self._swatch_glow, "a neuron's glow", "its activation a"),
            (self._swatch_halo, "a neuron's red halo", "its share of the error |δ|"),
            (self._swatch_pixels, "input tiles: light, red", "pixel x; its error |∂ℓ/∂x|"),
            (functools.partial(self._swatch_percent, size), "% under an output", "its probability"),
            (self._swatch_ring, "white ring", "the true class"),
            (self._swatch_wires, "wire width, colour", "|w|; blue w > 0, amber w < 0"),
            (self._swatch_flash, "flash at the update", "how much w changed, |Δw|"),
            (self._swatch_update_sparks, "sparks on the wires", "where |Δw| is largest"),
            (self._swatch_verdict, "sparks at the outputs", "gold: right; pale: wrong"),
            (self._swatch_marks, "tick or cross", "right or wrong"),
        )
        footer = 2.1 * u
        top = inner.y + 1.9 * u
        row = min(2.6 * u, (inner.bottom - footer - top) / len(entries))
        text_size = min(0.78 * u, row / 2.8)  # two lines to a row
        swatch = min(1.2 * u, 0.7 * row)
        for i, (draw_swatch, what, number) in enumerate(entries):
            y = top + i * row
            draw_swatch(Rect(inner.x, y + (row - swatch) / 2, 1.33 * swatch, swatch))
            x = inner.x + 2.2 * u
            _, height = self._write(size, what, (x, y), text_size, TEXT)
            self._write(size, number, (x, y + height), text_size, DIM)
        images = count_of(len(content.batch.labels), "image") if content.batch else "images"
        cycle = f"One cycle = one batch of {images}: forward, backward, update."
        self._write_fitted(
            size, cycle, (inner.x, inner.bottom - footer), 0.75 * u, inner.width, DIM
        )

    def _swatch_comet(self, box: Rect) -> None:
        x = box.centre_x
        self._ui.line(
            (x, box.bottom), (x, box.y + 0.3 * box.height), box.width * 0.08, (1.0, 0.97, 0.92, 0.5)
        )
        self._ui.rect(
            Rect(x - 0.17 * box.height, box.y, 0.34 * box.height, 0.34 * box.height),
            (1, 0.97, 0.92, 1),
            1e3,
        )

    def _swatch_arrow(self, box: Rect) -> None:
        x, red = box.centre_x, RED
        self._ui.line(
            (x, box.y), (x, box.bottom - 0.3 * box.height), box.width * 0.08, (*red[:3], 0.5)
        )
        self._ui.line(
            (x - 0.25 * box.height, box.bottom - 0.35 * box.height),
            (x, box.bottom),
            0.12 * box.height,
            red,
        )
        self._ui.line(
            (x + 0.25 * box.height, box.bottom - 0.35 * box.height),
            (x, box.bottom),
            0.12 * box.height,
            red,
        )

    def _swatch_glow(self, box: Rect) -> None:
        r = 0.5 * box.height
        centre = (box.centre_x, box.y + r)
        for scale, alpha in ((1.0, 0.18), (0.75, 0.35), (0.5, 1.0)):
            self._ui.rect(
                Rect(centre[0] - r * scale, centre[1] - r * scale, 2 * r * scale, 2 * r * scale),
                (1, 1, 1, alpha),
                1e3,
            )

    def _swatch_halo(self, box: Rect) -> None:
        r = 0.5 * box.height
        x, y = box.centre_x, box.y + r
        self._ui.rect(Rect(x - r, y - r, 2 * r, 2 * r), RED, r)
        self._ui.rect(Rect(x - 0.75 * r, y - 0.75 * r, 1.5 * r, 1.5 * r), (*PANEL[:3], 1.0), r)
        self._ui.rect(Rect(x - 0.45 * r, y - 0.45 * r, 0.9 * r, 0.9 * r), (0.3, 0.36, 0.48, 1.0), r)

    def _swatch_wires(self, box: Rect) -> None:
        self._ui.line(
            (box.x, box.bottom), (box.x + 0.6 * box.width, box.y), 0.16 * box.height, TRAIN_COLOUR
        )
        self._ui.line(
            (box.x + 0.4 * box.width, box.bottom),
            (box.x + box.width, box.y),
            0.08 * box.height,
            TEST_COLOUR,
        )

    def _swatch_flash(self, box: Rect) -> None:
        self._ui.line(
            (box.x, box.bottom),
            (box.x + box.width, box.y),
            0.22 * box.height,
            (1.0, 0.84, 0.45, 1.0),
        )

    def _swatch_ring(self, box: Rect) -> None:
        r = 0.5 * box.height
        x, y = box.centre_x, box.y + r
        self._ui.rect(Rect(x - r, y - r, 2 * r, 2 * r), (0.9, 0.9, 0.9, 1.0), r)
        self._ui.rect(Rect(x - 0.8 * r, y - 0.8 * r, 1.6 * r, 1.6 * r), (*PANEL[:3], 1.0), r)

    def _swatch_marks(self, box: Rect) -> None:
        r = 0.5 * box.height
        self._mark(True, (box.x + r, box.y + r), box.height * 0.9)
        self._mark(False, (box.x + box.width - r * 0.4, box.y + r), box.height * 0.9)

    def _swatch_pixels(self, box: Rect) -> None:
        """A lit pixel and one the error reaches."""
        side = 0.6 * box.height
        y = box.y + 0.2 * box.height
        for x, colour in ((box.x, (0.85, 0.85, 0.85, 1.0)), (box.x + box.width - side, RED)):
            self._ui.rect(Rect(x, y, side, side), colour, 0.1 * side)

    def _swatch_percent(self, size, box: Rect) -> None:
        centre = (box.centre_x, box.y + box.height / 2)
        self._write(size, "62%", centre, 0.7 * box.height, DIM, "centre")

    def _swatch_update_sparks(self, box: Rect) -> None:
        self._ui.line((box.x, box.bottom), (box.x + box.width, box.y), 0.06 * box.height, FAINT)
        for t in (0.2, 0.5, 0.8):
            x, y = box.x + t * box.width, box.bottom - t * box.height
            r = 0.12 * box.height
            self._ui.rect(Rect(x - r, y - r, 2 * r, 2 * r), (*UPDATE_COLOUR, 1.0), r)

    def _swatch_verdict(self, box: Rect) -> None:
        """Gold sparks flying out (right), pale ones falling (wrong)."""
        r = 0.1 * box.height
        gold = [(0.1, 0.3), (0.3, 0.05), (0.45, 0.4), (0.2, 0.7)]
        pale = [(0.7, 0.55), (0.85, 0.8), (0.95, 0.6)]
        for points, colour in ((gold, RIGHT_COLOUR), (pale, WRONG_COLOUR)):
            for fx, fy in points:
                x, y = box.x + fx * box.width, box.y + fy * box.height
                self._ui.rect(Rect(x - r, y - r, 2 * r, 2 * r), (*colour, 1.0), r)

    def _axes(self, plot: Rect, size, u: float, top: str, bottom: str, right: str) -> None:
        self._ui.line((plot.x, plot.y), (plot.x, plot.bottom), 0.08 * u, FAINT)
        self._ui.line((plot.x, plot.bottom), (plot.x + plot.width, plot.bottom), 0.08 * u, FAINT)
        small = max(0.62 * u, 13.0)
        self._write(size, top, (plot.x - 0.3 * u, plot.y), small, FAINT, "topright")
        self._write(size, bottom, (plot.x - 0.3 * u, plot.bottom), small, FAINT, "bottomright")
        self._write(
            size, right, (plot.x + plot.width, plot.bottom + 0.15 * u), small, FAINT, "topright"
        )

    def _tests(self, content: HudContent, size) -> None:
        rect, u = content.layout.tests, content.layout.unit
        inner = self._header(size, rect, u, "Test images", "never trained on")
        tests = content.tests
        if tests is None:
            return
        footer = 2.3 * u
        grid = Rect(inner.x, inner.y + 1.7 * u, inner.width, inner.height - 1.7 * u - footer)
        offset = len(content.batch.labels) if content.batch else 0
        for i, (tile, strip) in enumerate(_tile_cells(grid, len(tests.labels))):
            self._ui.rect(tile, TILE_BACK, 0.1 * u)
            self._ui.image(tile, offset + i)
            if tests.predictions is not None:
                right = tests.predictions[i] == tests.labels[i]
                self._mark(
                    right,
                    (tile.x + tile.width * 0.82, tile.y + tile.width * 0.18),
                    0.34 * tile.width,
                )
                self._prediction_strip(strip, tests.predictions[i], tests.confidences[i], right)
        notes = ["predicted after each epoch"]
        if tests.predictions is not None:
            right = sum(p == t for p, t in zip(tests.predictions, tests.labels))
            notes = [
                f"after epoch {tests.epoch}: {right} of {len(tests.labels)} right",
                "under each: prediction, confidence",
            ]
        y = inner.bottom - footer + 0.2 * u
        for note, px, colour in zip(notes, (0.8 * u, 0.7 * u), (DIM, FAINT)):
            _, y = self._write_fitted(size, note, (inner.x, y), px, inner.width, colour)

    def _prediction_strip(
        self, strip: Rect, predicted: int, confidence: float, right: bool
    ) -> None:
        """The predicted class as its outline, then a bar as long as its probability."""
        colour = RIGHT if right else WRONG
        self._shape_icon(predicted, Rect(strip.x, strip.y, strip.height, strip.height), colour)
        start = strip.x + 1.4 * strip.height
        track = Rect(
            start, strip.y + 0.3 * strip.height, strip.x + strip.width - start, 0.4 * strip.height
        )
        self._bar(track, confidence, colour, track.height / 2)

    def _controls(self, content: HudContent, size) -> None:
        layout, u = content.layout, content.layout.unit
        track = slider_track(layout)
        slider = SpeedSlider(track, content.speeds)
        middle = track.y + track.height / 2
        self._write(size, "Speed", (layout.controls.x, middle), 0.95 * u, TEXT, "left", bold=True)
        self._ui.rect(track, TRACK, track.height / 2)
        for i, speed in enumerate(content.speeds):
            x = slider.detent_x(i)
            self._ui.rect(Rect(x - 0.12 * u, middle - 0.45 * u, 0.24 * u, 0.9 * u), DIM, 0.12 * u)
            self._write(size, speed_label(speed), (x, middle + 0.7 * u), 0.8 * u, DIM, "top")
        if layout.portrait:  # too narrow for one row: the hints go underneath
            bottom = (layout.controls.centre_x, layout.controls.bottom)
            self._write(size, content.hints, bottom, 0.8 * u, DIM, "bottom")
        else:
            right = layout.controls.x + layout.controls.width
            self._write(size, content.hints, (right, middle), 0.8 * u, DIM, "right")

    # ---------------------------------------------------------------- live

    def draw_live(
        self,
        dynamic: HudDynamic,
        content: HudContent,
        size: tuple[int, int],
        stage_grid: Rect | None,
    ) -> None:
        layout, u = content.layout, content.layout.unit
        self._phase(dynamic, layout.phase, u, size)
        track = slider_track(layout)
        slider = SpeedSlider(track, content.speeds)
        x, middle = slider.knob_x(dynamic.speed), track.y + track.height / 2
        self._ui.rect(Rect(x - 0.55 * u, middle - 0.55 * u, 1.1 * u, 1.1 * u), TEXT, 0.55 * u)
        self._write(
            size,
            speed_label(dynamic.speed),
            (x, middle - 0.75 * u),
            0.85 * u,
            TEXT,
            "bottom",
            bold=True,
        )
        if dynamic.canvas is not None and stage_grid is not None:
            # A frame around the input grid, which is the canvas (its tiles show the drawing).
            frame = _inset(stage_grid, -0.45 * u)
            corners = [
                (frame.x, frame.y),
                (frame.x + frame.width, frame.y),
                (frame.x + frame.width, frame.bottom),
                (frame.x, frame.bottom),
            ]
            for start, end in zip(corners, corners[1:] + corners[:1]):
                self._ui.line(start, end, 0.18 * u, (1.0, 1.0, 1.0, 0.9))
        self._ui.flush(size)
        if dynamic.inspector is not None:
            self._inspector(dynamic, u, size)

    def _phase(self, dynamic: HudDynamic, phase: Rect, u: float, size) -> None:
        """The title and the caption, fitted to the column, then the progress bar."""
        centre = phase.centre_x
        _, bottom = self._write_fitted(
            size, dynamic.title, (centre, phase.y), 1.2 * u, phase.width, TEXT, "top", True
        )
        caption_y = max(phase.y + 1.55 * u, bottom)
        lines, bottom = self._write_fitted(
            size, dynamic.caption, (centre, caption_y), 0.85 * u, phase.width, DIM, "top"
        )
        if dynamic.progress is None:
            return
        bar_y = max(phase.y + 2.85 * u, bottom + 0.05 * u)
        bar = Rect(phase.x + 0.1 * phase.width, bar_y, 0.8 * phase.width, 0.28 * u)
        self._bar(bar, dynamic.progress, PHASE_COLOURS[dynamic.backward], bar.height / 2)
        if dynamic.seconds_left is None:
            return
        left = f"{dynamic.seconds_left} s left" + (" (paused)" if dynamic.paused else "")
        where = (bar.x + bar.width, bar.bottom + 0.15 * u)  # under the bar …
        if lines > 1:  # … or beside the title, when a wrapped caption has taken that room
            where = (phase.x + phase.width, phase.y + 0.35 * u)
        self._write(size, left, where, 0.7 * u, FAINT, "topright")

    def _bar(self, track: Rect, share: float, colour, radius: float) -> None:
        """A rounded track filled ``share`` of its length (never less than its round end)."""
        self._ui.rect(track, TRACK, radius)
        fill = Rect(track.x, track.y, max(track.width * share, 2 * radius), track.height)
        self._ui.rect(fill, colour, radius)

    def _inspector(self, dynamic: HudDynamic, u: float, size) -> None:
        values, (x, y) = dynamic.inspector
        lines = card_lines(values)
        px = max(0.8 * u, MIN_TEXT_PX)
        line = 1.15 * px
        # As wide as its longest line: the placeholders and the numbers differ in length.
        width = max(self._text.measure(text, px, i == 0)[0] for i, text in enumerate(lines))
        width += 1.0 * u
        card = Rect(
            min(x + u, size[0] - width - u),
            max(y - len(lines) * line - u, u),
            width,
            len(lines) * line + 0.8 * u,
        )
        self._ui.rect(card, (0.04, 0.05, 0.1, 0.94), 0.4 * u)
        self._ui.flush(size)
        for i, text in enumerate(lines):
            colour = TEXT if i == 0 else DIM
            self._write(
                size,
                text,
                (card.x + 0.5 * u, card.y + 0.4 * u + i * line),
                px,
                colour,
                bold=i == 0,
            )

    # ---------------------------------------------------------------- helpers

    def _update_atlas(self, content: HudContent) -> None:
        batch, tests = content.batch, content.tests
        keys = (batch.key if batch else None, tests.key[0] if tests else None)
        if keys == self._atlas_keys or batch is None:
            return
        images = [batch.images] + ([tests.images] if tests else [])
        side = round(np.sqrt(batch.images.shape[1]))
        self._ui.set_images(np.concatenate(images), side)
        self._atlas_keys = keys

    def _shape_icon(self, label: int, box: Rect, colour) -> None:
        """A small outline of a circle or a square: the class, drawn rather than named."""
        stroke = max(box.width * 0.16, 1.5)
        radius = box.width / 2 if CLASS_NAMES[label] == "circle" else box.width * 0.08
        self._ui.rect(box, colour, radius)
        self._ui.rect(_inset(box, stroke), (*PANEL[:3], 1.0), max(radius - stroke, 0.0))

    def _mark(self, right: bool, centre: tuple[float, float], size: float) -> None:
        """A tick in a disc for right, a cross for wrong: two shapes, not two colours."""
        x, y = centre
        r = size / 2
        colour = RIGHT if right else WRONG
        self._ui.rect(Rect(x - r, y - r, size, size), (0.02, 0.03, 0.06, 0.9), r)
        width = max(size * 0.16, 1.5)
        if right:
            self._ui.line((x - 0.45 * r, y), (x - 0.1 * r, y + 0.38 * r), width, colour)
            self._ui.line((x - 0.1 * r, y + 0.38 * r), (x + 0.5 * r, y - 0.4 * r), width, colour)
        else:
            self._ui.line((x - 0.4 * r, y - 0.4 * r), (x + 0.4 * r, y + 0.4 * r), width, colour)
            self._ui.line((x - 0.4 * r, y + 0.4 * r), (x + 0.4 * r, y - 0.4 * r), width, colour)

    def _write(
        self, size, text, position, px, colour, anchor="topleft", bold=False
    ) -> tuple[int, int]:
        return self._text.draw(size, text, position, max(px, MIN_TEXT_PX), colour, anchor, bold)

    def _write_fitted(
        self, size, text, position, px, width, colour, anchor="topleft", bold=False
    ) -> tuple[int, float]:
        """``text`` within ``width`` (a top anchor): returns its lines and their bottom."""
        lines, px = self._fit(text, px, width, bold)
        x, y = position
        for line in lines:
            y += self._write(size, line, (x, y), px, colour, anchor, bold)[1]
        return len(lines), y

    def _fit(self, text: str, px: float, width: float, bold: bool) -> tuple[list[str], float]:
        """One line at ``px`` if it fits, else a little smaller (never below the minimum),
        else wrapped at that size."""
        px = max(px, MIN_TEXT_PX)
        wide = self._text.measure(text, px, bold)[0]
        if wide <= width:
            return [text], px
        # Widths scale about linearly with the size: try the size that should just fit.
        smaller = max(MIN_TEXT_PX, SHRINK_LIMIT * px, math.floor(px * width / wide))
        if self._text.measure(text, smaller, bold)[0] <= width:
            return [text], smaller
        return self._wrap(text, smaller, width, bold), smaller

    def _wrap(self, text: str, px: float, width: float, bold: bool) -> list[str]:
        lines: list[str] = []
        for word in text.split():
            joined = f"{lines[-1]} {word}" if lines else word
            if lines and self._text.measure(joined, px, bold)[0] <= width:
                lines[-1] = joined
            else:
                lines.append(word)
        return lines


def _tile_cells(area: Rect, count: int) -> list[tuple[Rect, Rect]]:
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


def _loss_names(content: HudContent) -> tuple[str, str]:
    """The loss number's label and the loss curve's title: one quantity, J, named alike
    (and for its L2 term, when it has one)."""
    if content.l2:
        return "Loss + L2", "Loss + L2, each batch"
    return "Batch loss", "Loss, each batch"


def _union(first: Rect, second: Rect) -> Rect:
    x, y = min(first.x, second.x), min(first.y, second.y)
    right = max(first.x + first.width, second.x + second.width)
    return Rect(x, y, right - x, max(first.bottom, second.bottom) - y)


def _inset(rect: Rect, by: float) -> Rect:
    return Rect(rect.x + by, rect.y + by, rect.width - 2 * by, rect.height - 2 * by)


def _split_rows(rect: Rect, gap: float) -> tuple[Rect, Rect]:
    half = (rect.height - gap) / 2
    return Rect(rect.x, rect.y, rect.width, half), Rect(
        rect.x, rect.y + half + gap, rect.width, half
    )


def _plot(
    area: Rect, xs: np.ndarray, ys: np.ndarray, x_max: float, y_top: float, y_bottom: float
) -> np.ndarray:
    """Data → pixels inside ``area`` (x from 0 or 1 to x_max, y from y_bottom to y_top)."""
    px = area.x + area.width * xs / max(x_max, 1e-9)
    share = (np.clip(ys, y_bottom, y_top) - y_bottom) / max(y_top - y_bottom, 1e-9)
    py = area.bottom - area.height * share
    return np.stack([px, py], axis=1)


def _percent(value: float | None) -> str | None:
    return None if value is None else f"{value:.0%}"
