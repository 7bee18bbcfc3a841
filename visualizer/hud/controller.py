"""The HUD's interaction: pointer (mouse or touch) and keys in, changes to the show out.

Contract: the app calls ``pointer_down/move/up`` with pixel positions and the ``keys``
commands; each call gets a ``View`` of what is on screen (the frame and the layouts), so
this module needs no GL. It owns the interaction state: the legend, the slider being
dragged, the inspected neuron, the drawing canvas and the network's answer to it.

Draw your own: ``start_drawing`` freezes the show and turns the input grid into an 8×8
canvas; releasing a stroke runs the network on the drawing (``visualizer.scene.probe``,
with the weights on screen) and plays that forward pass. The trainer, its data and its
weights are never touched. ``stop_drawing`` (Esc, or ``hold_seconds`` after the answer)
resumes the show.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.choreography import Choreographer, Frame
from visualizer.config import NetworkConfig
from visualizer.hud.canvas import DrawCanvas
from visualizer.hud.inspector import inspect, neuron_at
from visualizer.hud.layout import HudLayout, slider_track
from visualizer.hud.model import Interaction
from visualizer.hud.slider import SpeedSlider
from visualizer.scene.layout import NetworkLayout, Rect
from visualizer.scene.probe import probe_look
from visualizer.scene.signals import RecordLook


@dataclass(frozen=True)
class View:
    """What is on screen, for hit testing."""

    frame: Frame
    hud: HudLayout
    network: NetworkLayout
    grid: Rect | None  # the input image's grid, the drawing canvas


class HudController:
    def __init__(
        self, choreographer: Choreographer, network: NetworkConfig, hold_seconds: float
    ) -> None:
        self._choreographer = choreographer
        self._network = network
        self._hold_seconds = hold_seconds
        self.legend = False
        self.keys_enabled = True
        self.canvas: DrawCanvas | None = None
        self.drawing_look: RecordLook | None = None  # the network's forward pass on the drawing
        self._dragging_slider = False
        self._stroke: bool | None = None  # painting (False) or erasing (True), while held
        self._hover: tuple[int, int, tuple[float, float]] | None = None
        self._paused_before_drawing = False
        self._idle = 0.0  # seconds since the drawing was last touched

    @property
    def drawing(self) -> bool:
        return self.canvas is not None

    # ---------------------------------------------------------------- pointer

    def pointer_down(self, point: tuple[float, float], erase: bool, view: View) -> None:
        slider = SpeedSlider(slider_track(view.hud), self._choreographer.speeds)
        if slider.hit(point):  # a touch control for visitors, in kiosk mode too
            self._dragging_slider = True
            self._choreographer.set_speed(slider.speed_at(point[0]))
        elif view.grid is not None and view.grid.contains(point):
            self.start_drawing(view)  # nothing to draw on before the first record
            if self.drawing:
                self._stroke = erase
                self._paint(point, view)
        elif self.drawing:
            return
        else:
            self._inspect(point, view)

    def pointer_move(self, point: tuple[float, float], view: View) -> None:
        if self._dragging_slider:
            slider = SpeedSlider(slider_track(view.hud), self._choreographer.speeds)
            self._choreographer.set_speed(slider.speed_at(point[0]))
        elif self._stroke is not None:
            self._paint(point, view)
        elif not self.drawing:
            self._inspect(point, view)

    def pointer_up(self, view: View) -> None:
        self._dragging_slider = False
        if self._stroke is not None:
            self._stroke = None
            self._answer(view)

    # ---------------------------------------------------------------- keys

    def toggle_legend(self) -> None:
        self.legend = not self.legend

    def start_drawing(self, view: View) -> None:
        side = view.network.grid_side
        if self.drawing or view.frame.record is None or view.grid is None or not side:
            return
        self.canvas = DrawCanvas(side)
        self.drawing_look = None
        self._hover = None
        self._paused_before_drawing = self._choreographer.paused
        self._choreographer.paused = True
        self._choreographer.begin_probe()
        self._idle = 0.0
        self._answer(view)

    def stop_drawing(self) -> None:
        if not self.drawing:
            return
        self.canvas = None
        self.drawing_look = None
        self._stroke = None
        self._choreographer.end_probe()
        self._choreographer.paused = self._paused_before_drawing

    def clear_canvas(self, view: View) -> None:
        if self.canvas is not None:
            self.canvas.clear()
            self._answer(view)

    def tick(self, dt: float) -> None:
        """Wall time passing: a drawing left alone gives the show back after a while."""
        if self.drawing and self._stroke is None:
            self._idle += dt
            if self._idle >= self._hold_seconds:
                self.stop_drawing()

    # ---------------------------------------------------------------- state

    def interaction(self, view: View) -> Interaction:
        inspector = None
        record = view.frame.record
        if self._hover is not None and record is not None and not self.drawing:
            layer, index, point = self._hover
            inspector = (inspect(record, layer, index), point)
        answer = None
        look = self.drawing_look
        if look is not None and self.canvas is not None and not self.canvas.empty:
            answer = (look.prediction, float(look.probabilities[look.prediction]))
        return Interaction(
            legend=self.legend,
            inspector=inspector,
            canvas=self.canvas.pixels if self.canvas else None,
            drawing_answer=answer,
            keys_enabled=self.keys_enabled,
        )

    # ---------------------------------------------------------------- internals

    def _inspect(self, point: tuple[float, float], view: View) -> None:
        hit = neuron_at(view.network, point)
        self._hover = None if hit is None else (*hit, point)

    def _paint(self, point: tuple[float, float], view: View) -> None:
        canvas, grid = self.canvas, view.grid
        if canvas is None or grid is None:  # no canvas, or nowhere on screen to map it to
            return
        cell_x = (point[0] - grid.x) / grid.width * canvas.side
        cell_y = (point[1] - grid.y) / grid.height * canvas.side
        canvas.paint(cell_x, cell_y, erase=bool(self._stroke))
        self._idle = 0.0

    def _answer(self, view: View) -> None:
        """Run the network on the drawing, with the weights on screen, and play it."""
        record, canvas = view.frame.record, self.canvas
        if record is None or canvas is None:  # a drawing is only ever made over a record
            return
        # The weights the wires show, and BatchNorm's running statistics of the same moment.
        weights, running_stats = record.parameters_at(view.frame.update_landed)
        self.drawing_look = probe_look(self._network, weights, running_stats, canvas.pixels)
        self._choreographer.begin_probe()
        self._idle = 0.0
