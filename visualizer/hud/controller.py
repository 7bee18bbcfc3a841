"""The HUD's interaction: pointer (mouse or touch) and keys in, changes to the show out.

Contract: the app calls ``pointer_down/move/up`` with pixel positions and the ``keys``
commands; each call gets a ``View`` of what is on screen (the frame and the layouts), so
this module needs no GL. It owns the interaction state: the legend, the slider being
dragged, the inspected neuron, the drawing canvas and the network's answer to it, and the
views of issue 15 — the equations (``E``; on by default while paused, off while drawing),
the weight tiles (``W``) and the confusion matrix (``M``) — and calm motion (``Z``,
``reduced_motion``: the renderer draws less that moves), with their touch buttons
(``hud/toggles.py``). The equations explain the neuron last pointed at (it stays chosen
when the pointer moves on; a press on nothing gives the choice back to the show).

The language switch (``layout.language``, and the key ``G``) comes first of all, in every
state (a drawing, the open lesson list, a kiosk without keys): a press moves the words on
screen to the next of ``languages`` (the languages offered; the kiosk's ``kiosk.languages``),
after the last back to the first. The lesson picker (``visualizer.hud.picker``), when the
show has one, comes next: its button and its open list take the pointer before anything
under them.

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
from visualizer.hud.picker import LessonPicker, picker_button
from visualizer.hud.slider import SpeedSlider
from visualizer.hud.toggles import Toggle, toggle_at, toggle_buttons
from visualizer.scene.layout import NetworkLayout, Rect
from visualizer.scene.probe import probe_look
from visualizer.scene.signals import RecordLook
from visualizer.words import DEFAULT_LANGUAGE, available_languages, words_for


@dataclass(frozen=True)
class View:
    """What is on screen, for hit testing."""

    frame: Frame
    hud: HudLayout
    network: NetworkLayout
    grid: Rect | None  # the input image's grid, the drawing canvas


class HudController:
    def __init__(
        self,
        choreographer: Choreographer,
        network: NetworkConfig,
        hold_seconds: float,
        picker: LessonPicker | None = None,
    ) -> None:
        self._choreographer = choreographer
        self._network = network
        self._hold_seconds = hold_seconds
        self.picker = picker
        self.legend = False
        self.keys_enabled = True
        self.explain_choice: bool | None = None  # None: the equations show while paused
        self.weights = False  # the weight tiles over the first hidden layer
        self.matrix = False  # the confusion matrix in place of the test samples
        self.reduced_motion = False  # calm motion: no drift, sparks or flash; fewer particles
        self.language = DEFAULT_LANGUAGE  # the words on screen (visualizer/words.py)
        self.languages = available_languages()  # what the switch offers (Show sets them)
        self.touch_controls = False  # the view buttons always show (a kiosk's touch screen)
        self.touched = False  # a finger has touched the screen: the view buttons show
        self._chosen: tuple[int, int] | None = None  # the neuron the equations explain
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

    def pointer_down(
        self, point: tuple[float, float], erase: bool, view: View, touch: bool = False
    ) -> None:
        """A press (``erase``: with the right button; ``touch``: by a finger)."""
        buttons = self.toggles_shown(view)  # as they were on screen when pressed
        self.touched = self.touched or touch
        slider = SpeedSlider(slider_track(view.hud), self._choreographer.speeds)
        toggle = toggle_at(view.hud, _images(view), point) if buttons else None
        if view.hud.language.contains(point):
            self.switch_language()
        elif self._picker_press(point, view, buttons):
            self._hover = None
        elif slider.hit(point):  # a touch control for visitors, in kiosk mode too
            self._dragging_slider = True
            self._choreographer.set_speed(slider.speed_at(point[0]))
        elif toggle is not None and not self.drawing:
            self.toggle(toggle, view.frame)
        elif view.grid is not None and view.grid.contains(point):
            self.start_drawing(view)  # nothing to draw on before the first record
            if self.drawing:
                self._stroke = erase
                self._paint(point, view)
        elif self.drawing:
            return
        else:
            self._inspect(point, view)
            if self._hover is None:  # a press on nothing: the show chooses the neuron again
                self._chosen = None

    def pointer_move(self, point: tuple[float, float], view: View) -> None:
        if self._dragging_slider:
            slider = SpeedSlider(slider_track(view.hud), self._choreographer.speeds)
            self._choreographer.set_speed(slider.speed_at(point[0]))
        elif self._stroke is not None:
            self._paint(point, view)
        elif self.picker is not None and self.picker.hover(point, view.hud):
            self._hover = None  # no inspector card over the open list
        elif not self.drawing:
            self._inspect(point, view)

    def pointer_up(self, view: View) -> None:
        self._dragging_slider = False
        if self._stroke is not None:
            self._stroke = None
            self._answer(view)

    # ---------------------------------------------------------------- keys

    def switch_language(self) -> None:
        """The language switch (or G): the next language offered, after the last the first."""
        offered = self.languages
        at = offered.index(self.language) if self.language in offered else -1
        self.language = offered[(at + 1) % len(offered)]

    def toggle_legend(self) -> None:
        self.legend = not self.legend

    def toggle_explain(self, frame: Frame) -> None:
        """E: the equations on or off, from then on whatever the pause."""
        self.explain_choice = not self.explaining(frame)

    def toggle(self, toggle: Toggle, frame: Frame) -> None:
        """What a view button (or its key) does."""
        if toggle is Toggle.EXPLAIN:
            self.toggle_explain(frame)
        elif toggle is Toggle.WEIGHTS:
            self.weights = not self.weights
        elif toggle is Toggle.MATRIX:
            self.matrix = not self.matrix
        elif toggle is Toggle.CALM:
            self.reduced_motion = not self.reduced_motion
        else:
            self.toggle_legend()

    def explaining(self, frame: Frame) -> bool:
        """Whether the equations are wanted: as chosen, else while paused (never over a
        visitor's drawing, which is not the record they explain)."""
        if self.drawing or frame.record is None:
            return False
        return frame.paused if self.explain_choice is None else self.explain_choice

    def toggles_shown(self, view: View) -> bool:
        """The view buttons show once someone may want them, and stay while a view is on."""
        paused = view.frame.paused and not self.drawing
        views = self.explaining(view.frame) or self.weights or self.matrix
        return self.touch_controls or self.touched or paused or views

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
        """Wall time passing: a drawing (or the lesson list) left alone gives the show back
        after a while."""
        if self.picker is not None:
            self.picker.tick(dt)
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
            inspector = (inspect(record, layer, index, words_for(self.language)), point)
        answer = None
        look = self.drawing_look
        if look is not None and self.canvas is not None and not self.canvas.empty:
            answer = (look.prediction, float(look.probabilities[look.prediction]))
        picker = self.picker
        return Interaction(
            legend=self.legend,
            inspector=inspector,
            canvas=self.canvas.pixels if self.canvas else None,
            drawing_answer=answer,
            keys_enabled=self.keys_enabled,
            explain=self.explaining(view.frame),
            chosen=self._chosen,
            weights=self.weights,
            matrix=self.matrix,
            toggles=self._toggle_states(view),
            lessons=picker is not None,
            lesson_button=picker.open if picker is not None and self.toggles_shown(view) else None,
            picker=picker.view(view.hud) if picker is not None else None,
            language=self.language,
        )

    # ---------------------------------------------------------------- internals

    def _toggle_states(self, view: View) -> tuple[tuple[Toggle, bool], ...]:
        """The buttons on screen, each with whether its view is on (none when hidden)."""
        if not self.toggles_shown(view):
            return ()
        on = {
            Toggle.EXPLAIN: self.explaining(view.frame),
            Toggle.WEIGHTS: self.weights,
            Toggle.MATRIX: self.matrix,
            Toggle.LEGEND: self.legend,
            Toggle.CALM: self.reduced_motion,
        }
        return tuple((toggle, on[toggle]) for toggle, _ in toggle_buttons(view.hud, _images(view)))

    def _picker_press(self, point: tuple[float, float], view: View, buttons: bool) -> bool:
        """Whether the lesson picker took a press (its button shows with the view buttons)."""
        if self.picker is None or self.drawing:
            return False
        button = picker_button(view.hud, _images(view)) if buttons else None
        return self.picker.press(point, view.hud, button)

    def _inspect(self, point: tuple[float, float], view: View) -> None:
        hit = neuron_at(view.network, point)
        self._hover = None if hit is None else (*hit, point)
        if hit is not None and hit[0] > 0:  # the input has no equations of its own
            self._chosen = hit

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


def _images(view: View) -> bool:
    """The input is drawn as an image grid: its weights can be drawn as tiles."""
    return view.grid is not None
