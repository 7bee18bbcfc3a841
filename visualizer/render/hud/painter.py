"""The HUD on screen: panels painted into the backplate, a few live elements on top.

Contract: ``HudPainter(ui, text)``; ``paint(content, size)`` draws the static HUD (panels,
counters, the batch strip and the output bars or the equations, the curves and the test
grid (or the confusion matrix) or the legend, the slider's track, the hints or the view
buttons) into whatever framebuffer is bound — the synapse layer calls
it into its baked pictures, so on most frames the HUD costs nothing. ``draw_live(dynamic,
content, size, grid)`` draws what changes every frame: the phase and its caption, the
progress bar, the time left, the slider's knob, the drawing canvas's frame and the
inspector's card and the open lesson list (from a picture of its own while it stays the
same: ``panel_picture``); ``draw_recording(seconds, layout)`` the recording mark, over a
picture already captured for the clip; ``covered(dynamic, content)`` where ``draw_live``
will hide the live layers; ``release()`` frees the list's picture. What to
say comes from ``visualizer.hud.model``, in the words of ``HudContent.words``; each part is
drawn by its room (``panels``, ``samples``, ``curves``, ``legend``, ``live``,
``equations``, ``confusion``, ``toggles``, ``language``: the language switch; ``picker``:
the lesson picker's button and, while it is open, its list).
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.hud.layout import HudLayout
from visualizer.hud.model import HudContent, HudDynamic
from visualizer.render.hud.confusion import paint_confusion
from visualizer.render.hud.curves import paint_curves
from visualizer.render.hud.equations import paint_equations
from visualizer.render.hud.language import paint_language_switch
from visualizer.render.hud.legend import legend_panels, paint_legend
from visualizer.render.hud.live import (
    draw_canvas_frame,
    draw_inspector,
    draw_knob,
    draw_phase,
    draw_recording,
)
from visualizer.render.hud.panel_picture import PanelPicture
from visualizer.render.hud.panels import paint_controls, paint_numbers, paint_output, paint_status
from visualizer.render.hud.pen import Pen
from visualizer.render.hud.picker import (
    draw_picker,
    draw_picker_frame,
    paint_picker_button,
    picker_rim,
)
from visualizer.render.hud.plane import map_colours, paint_plane
from visualizer.render.hud.samples import paint_batch, paint_tests
from visualizer.render.hud.toggles import paint_toggles
from visualizer.render.text import TextRenderer
from visualizer.render.ui import UiBatch
from visualizer.scene.layout import Rect

NOTHING = (0.0, 0.0, 0.0, 0.0)  # covers no sprite: none fits inside an empty box


class HudPainter:
    def __init__(self, ui: UiBatch, text: TextRenderer) -> None:
        self._ui = ui
        self._text = text
        self._picker = PanelPicture(ui.ctx)  # the open lesson list, over the live layers
        self._atlas_keys: tuple | None = None  # whose images the atlas holds
        self._picture_key: tuple | None = None  # which decision map the picture holds

    def paint(
        self, content: HudContent, size: tuple[int, int], rows: tuple[int, int] | None = None
    ) -> None:
        """The static HUD, into whatever framebuffer is bound (a baked picture); only its
        text that reaches into ``rows`` (top, bottom), when given (see hud_staging.Painter)."""
        self._text.rows = rows
        try:
            self._paint(content, size)
        finally:
            self._text.rows = None

    def _paint(self, content: HudContent, size: tuple[int, int]) -> None:
        pen = Pen(self._ui, self._text, size, content.words)
        layout = content.layout
        self._update_atlas(content)
        self._update_picture(content)
        left: tuple[Rect, ...] = (layout.batch, layout.output)
        if content.explanation is not None:  # the equations take the batch's and output's place
            left = (layout.batch.union(layout.output),)
        right: tuple[Rect, ...] = (layout.curves, layout.tests)
        # The legend takes the place of the curves and the test images (and, where they
        # are too short for it, of the batch and its output too).
        legend = legend_panels(content) if content.legend else ()
        if legend:
            right = (legend[-1],)
            left = legend[:-1] or left
        for panel in left + right:
            pen.panel(panel, layout.unit)
        pen.flush()
        paint_status(pen, content)
        paint_numbers(pen, content)
        if content.explanation is not None:
            paint_equations(pen, content, content.explanation)
        elif len(legend) < 2:
            paint_batch(pen, content)
            paint_output(pen, content)
        if legend:
            paint_legend(pen, content, legend)
        else:
            paint_curves(pen, content)
            if content.confusion is not None:
                paint_confusion(pen, content, content.confusion)
            elif content.plane is not None:
                paint_plane(pen, content, content.plane)
            else:
                paint_tests(pen, content)
        paint_controls(pen, content)
        paint_picker_button(pen, content)
        pen.flush()
        paint_toggles(pen, content)
        paint_language_switch(pen, content)

    def draw_live(
        self, dynamic: HudDynamic, content: HudContent, size: tuple[int, int], grid: Rect | None
    ) -> None:
        """The parts that change every frame, over the picture; ``grid``: the input image
        (the drawing canvas), if it is drawn as a grid."""
        pen = Pen(self._ui, self._text, size, content.words)
        u = content.layout.unit
        draw_phase(pen, dynamic, content.layout.phase, u)
        draw_knob(pen, content, dynamic.speed)
        if dynamic.canvas is not None and grid is not None:
            draw_canvas_frame(pen, grid, u)
        pen.flush()
        draw_inspector(pen, dynamic, u)
        view = dynamic.picker
        if view is not None:
            key = (view, u, content.words)  # all that the list shows depends on
            self._picker.draw(
                key,
                view.panel,
                picker_rim(u),
                lambda: draw_picker(pen, view, u),
                lambda: draw_picker_frame(pen, view.panel, u),
            )

    def covered(self, dynamic: HudDynamic, content: HudContent) -> tuple[float, ...]:
        """The box (x0, y0, x1, y1, layout pixels) where ``draw_live`` will draw opaquely
        over the live layers, a pixel clear of its edges' anti-aliasing, or ``NOTHING``:
        they may leave out what lies wholly inside."""
        view = dynamic.picker
        if view is None:
            return NOTHING
        box = view.panel.inset(math.ceil(picker_rim(content.layout.unit)) + 1)
        return (box.x, box.y, box.x + box.width, box.y + box.height)

    def release(self) -> None:
        self._picker.release()

    def draw_recording(self, seconds: float, layout: HudLayout) -> None:
        """The recording mark (a clip ``seconds`` long so far)."""
        draw_recording(Pen(self._ui, self._text, layout.size), seconds, layout.stage, layout.unit)

    def _update_atlas(self, content: HudContent) -> None:
        """The atlas holds this batch's images, then the test images (samples that are not
        images are drawn as bar charts, without it)."""
        batch, tests, side = content.batch, content.tests, content.image_side
        keys = (batch.key if batch else None, tests.key[0] if tests else None)
        if keys == self._atlas_keys or batch is None or side is None:
            return
        images = np.concatenate([batch.inputs] + ([tests.inputs] if tests else []))
        self._ui.set_images(images, side)
        self._atlas_keys = keys

    def _update_picture(self, content: HudContent) -> None:
        """The picture holds the decision map on screen."""
        plane = content.plane
        if plane is None or plane.map.key == self._picture_key:
            return
        self._ui.set_picture(map_colours(plane.map.probabilities))
        self._picture_key = plane.map.key
