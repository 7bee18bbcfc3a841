"""The renderer: turns a ``Frame`` into pixels, the same way in a window or offscreen.

Contract: ``Renderer(ctx, config, size)`` for a target of ``size`` pixels; ``resize(size)``
when the target's size changes;
``draw(frame, target, hud, drawing_look)`` draws one picture into ``target`` (a moderngl
framebuffer); ``draw_recording_mark(target, seconds)`` adds F9's mark over it. It holds
GL objects and no training logic: everything it shows comes from the frame's record (or,
while a visitor's drawing plays, from ``drawing_look``, that drawing's forward pass)
through ``visualizer.scene``, and from the HUD model. Per record it uploads a few small
arrays; per frame only uniforms change (and the particle plan when a pass begins).

Calm motion (``reduced_motion``, from ``ui.reduced_motion``; the show sets it as Z or its
button switch it): no kiosk drift, fewer particles flowing slower and fading in and out
gently, no sparks, and the update a steady cross-fade with no flash (WCAG 2.2.2 and 2.3.3
in spirit); the glows, halos, wires and numbers say what they always say.

Draw order: backdrop, wires and the HUD's panels (one copy of a baked picture) →
particles → neuron bodies (the input image occludes what passes under it) → neuron light
→ the weight tiles (when on) → BatchNorm's strips → sparks → labels → the HUD's live
elements.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import TypeGuard

import moderngl
import numpy as np

from visualizer.choreography import TRAVEL_FRACTION, Frame, Phase, smoothstep
from visualizer.config import Config
from visualizer.hud.inspector import output_names
from visualizer.hud.layout import MIN_TEXT_PX, hud_layout
from visualizer.hud.model import HudContent, HudDynamic
from visualizer.render.context import drifted_viewport
from visualizer.render.hud.painter import NOTHING, HudPainter
from visualizer.render.neuron_layer import NeuronLayer
from visualizer.render.normalisation_layer import NormalisationLayer
from visualizer.render.palette import (
    BACKWARD_LABEL,
    DIM_LABEL,
    LABEL,
    NUMBER_CARD,
    PHASE_CODES,
    UPDATE_LABEL,
)
from visualizer.render.particle_layer import ParticleLayer
from visualizer.render.shaders import ShaderLibrary
from visualizer.render.sparkle_layer import SparkleLayer
from visualizer.render.synapse_layer import SynapseLayer
from visualizer.render.text import TextRenderer
from visualizer.render.ui import UiBatch
from visualizer.render.weight_tile_layer import WeightTileLayer
from visualizer.scene.layout import Rect, layout_network
from visualizer.scene.normalisation import normalisation_strips
from visualizer.scene.numbers import Kind, moment_of, stage_numbers
from visualizer.scene.particles import plan_particles
from visualizer.scene.signals import RecordLook, look_of
from visualizer.scene.sparks import Burst, update_burst, verdict_burst
from visualizer.scene.weight_tiles import weight_tile_boxes
from visualizer.training.data import data_widths
from visualizer.training.records import StepRecord
from visualizer.words import DEFAULT_LANGUAGE, Words, words_for

NUMBER_TEXT = 0.8  # the values on the network, in text units
NUMBER_COLOURS = {Kind.FORWARD: LABEL, Kind.BACKWARD: BACKWARD_LABEL, Kind.UPDATE: UPDATE_LABEL}
# An output's labels sit this many radii from its centre: clear of the largest halo (2.4
# radii) and of the glow; its probability, under it, at this share of its name's size.
OUTPUT_LABEL_GAP = 2.7
PROBABILITY_TEXT = 0.85
MAX_NAMED_INPUTS = 16  # inputs that are not pixels get their value and name, up to this many
SPARK_SECONDS = 2.0  # motion seconds a burst stays on screen
FULL_POOL_AREA = 1280 * 720  # windows this large or larger use the whole particle pool
# Every particle is equally bright, so a wire's light is ∝ its particles, ∝ its number
# (thousands add up: keep the wires visible beneath). Negative brightness marks a forward
# particle whose contribution holds its neuron down (a·w < 0): drawn hollow, fading out.
PARTICLE_EXPOSURE = 0.6
# Calm motion: the share of the particles kept (each wire's share of them unchanged), how
# fast they flow, and how much of a pass they take to fade in and out.
CALM_PARTICLES = 0.4
CALM_PACE = 0.5
CALM_FADE = 0.12


@dataclass
class _ActiveBurst:
    key: tuple
    burst: Burst
    started: float  # motion time


class Renderer:
    def __init__(self, ctx: moderngl.Context, config: Config, size: tuple[int, int]) -> None:
        self._ctx = ctx
        self._config = config
        self.shaders = ShaderLibrary(ctx)
        self._sizes = config.network.sizes
        self._numbers = config.hud.numbers  # the values written on the network
        self._image_side = data_widths(config).image_side
        self._record_look: RecordLook | None = None  # the record on screen
        self._shown: RecordLook | None = None  # what the network shows: that, or a drawing
        self.offset = (0, 0)  # where the picture on screen has drifted to, in pixels (kiosk)
        self._drift = (0, 0)  # where the kiosk asks it to drift to
        self.reduced_motion = config.ui.reduced_motion
        self._hud_content: HudContent | None = None
        self._pass_key: tuple | None = None
        self._strips_key: tuple | None = None  # what BatchNorm's strips were uploaded for
        self._burst: _ActiveBurst | None = None
        self._lay_out(size)
        self._build_layers()

    def set_offset(self, offset: tuple[int, int]) -> None:
        """Move everything by a few pixels (against screen burn-in). The picture follows when
        the next weights are baked, within a cycle, so moving never stalls a frame. Calm
        motion keeps it still."""
        self._drift = offset
        self._follow_drift()

    def _follow_drift(self) -> None:
        """The next bake takes up the kiosk's drift, or none in calm motion."""
        self._synapses.offset = (0, 0) if self.reduced_motion else self._drift

    def to_picture(self, point: tuple[float, float]) -> tuple[float, float]:
        """A window position in the layouts' coordinates, which do not drift."""
        return point[0] - self.offset[0], point[1] - self.offset[1]

    def resize(self, size: tuple[int, int]) -> None:
        if size == self.size:
            return
        self._lay_out(size)
        self._synapses.set_layout(self.layout, size, self.scale)
        self._particles.set_layout(self.layout)
        self._fit_layers()

    def input_grid(self) -> Rect | None:
        """Where the input image is drawn (the drawing canvas), if it is drawn as a grid."""
        if not self.layout.grid_side:
            return None
        positions, half = self.layout.positions[0], self.layout.radii[0]
        x0, y0 = positions.min(axis=0) - half
        x1, y1 = positions.max(axis=0) + half
        return Rect(x0, y0, x1 - x0, y1 - y0)

    def reload_shaders(self) -> list[str]:
        """F5: recompile every program from shaders/; returns what failed (the old stay)."""
        failures = self.shaders.reload()
        if not failures:
            self.release()
            self._build_layers()
        return failures

    def draw(
        self,
        frame: Frame,
        target: moderngl.Framebuffer,
        hud: tuple[HudContent, HudDynamic] | None = None,
        drawing_look: RecordLook | None = None,
    ) -> None:
        record = frame.record
        if record is not None and (
            self._record_look is None or self._record_look.record is not record
        ):
            self._record_look = look_of(record)
            self._synapses.show(self._record_look)
        drawing = frame.drawing_progress is not None and drawing_look is not None
        shown = drawing_look if drawing else self._record_look
        if shown is not self._shown:
            self._shown = shown
            self._neurons.update(self.layout, shown)
        if hud is not None and hud[0] != self._hud_content:
            content = self._hud_content = hud[0]
            self._synapses.repaint_overlay(partial(self._hud.paint, content, self.size))

        target.use()
        self._ctx.viewport = (0, 0, *self.size)
        phase, progress, wavefront = frame.network_pass()
        calm = self.reduced_motion
        self._follow_drift()  # calm motion may have been switched since the last frame
        settle, flash = _update_envelope(frame, calm)
        self._synapses.draw(target, settle, flash)
        self.offset = self._synapses.shown_offset(frame.update_landed)
        self._ctx.viewport = drifted_viewport(self.size, self.offset)  # the live layers follow
        uniforms = {
            "u_viewport": self.size,
            "u_scale": self.scale,
            "u_wavefront": wavefront,
            "u_phase": PHASE_CODES[phase],
            "u_progress": progress,
            "u_motion": frame.motion_time,
            # Particles and sparks grow slower than the window: light dust, not confetti,
            # and on a software renderer every pixel of a sprite costs.
            "u_sprite_scale": self.scale**0.5,
            # Sprites wholly under what the HUD will cover (the open list) are left out.
            "u_covered": self._hud.covered(hud[1], hud[0]) if hud is not None else NOTHING,
        }
        if shown is not None and phase in (Phase.FORWARD, Phase.BACKWARD):
            self._draw_particles(phase, progress, shown, uniforms)
        self._ctx.enable(moderngl.PROGRAM_POINT_SIZE)
        self._neurons.draw_bodies(uniforms)
        self._neurons.draw_light(uniforms)
        if hud is not None and hud[0].weights:
            self._draw_weight_tiles(frame)
        if frame.drawing_progress is None:  # a drawing is no batch: nothing to normalise
            self._draw_normalisation(hud is not None and hud[0].weights, uniforms)
            if not calm:
                self._draw_sparks(frame, uniforms)
        self._draw_labels(phase, wavefront, shown)
        if self._numbers and frame.record is not None and frame.drawing_progress is None:
            self._draw_numbers(frame, frame.record)
        if hud is not None:
            self._hud.draw_live(hud[1], hud[0], self.size, self.input_grid())

    def draw_recording_mark(self, target: moderngl.Framebuffer, seconds: float) -> None:
        """F9's mark, over the picture already drawn into ``target`` (and already given to
        the clip, which must not show it)."""
        target.use()
        self._ctx.viewport = (0, 0, *self.size)
        self._hud.draw_recording(seconds, self.hud_layout)

    def release(self) -> None:
        layers = (
            self._synapses,
            self._neurons,
            self._normalisation,
            self._particles,
            self._sparks,
            self.text,
            self._ui,
            self._weight_tiles,
            self._hud,
        )
        for layer in layers:
            layer.release()
        self.shaders.release()

    # ---------------------------------------------------------------- internals

    def _lay_out(self, size: tuple[int, int]) -> None:
        """Where everything goes on a target of ``size`` pixels."""
        self.size = size
        self.scale = min(size) / 720.0
        self.hud_layout = hud_layout(size, self._config.ui.text_scale)
        self.layout = layout_network(self._sizes, self.hud_layout.stage, self._image_side)
        self._hud_content = None  # painted again, for the new layout, by the next draw

    def _build_layers(self) -> None:
        """The GL layers, for the current layout (again after a shader reload)."""
        ctx, shaders, layout = self._ctx, self.shaders, self.layout
        self._synapses = SynapseLayer(ctx, shaders, layout, self.size, self.scale)
        self._neurons = NeuronLayer(ctx, shaders, sum(self._sizes))
        self._normalisation = NormalisationLayer(ctx, shaders)
        self._particles = ParticleLayer(ctx, shaders, self._config.visuals.particles, layout)
        self._sparks = SparkleLayer(ctx, shaders)
        self.text = TextRenderer(ctx, shaders)
        self._ui = UiBatch(ctx, shaders)
        self._hud = HudPainter(self._ui, self.text)
        self._weight_tiles = WeightTileLayer(self._ctx, shaders)
        self._hud_content = None  # the new pictures have no HUD yet: the next draw paints it
        self._fit_layers()

    def _fit_layers(self) -> None:
        """The layers take the layout's HUD regions, the record on screen and the neurons."""
        self._synapses.set_hud_regions(self.hud_layout.regions)
        if self._record_look is not None:
            self._synapses.show(self._record_look)
        self._neurons.update(self.layout, self._shown)
        self._pass_key = self._strips_key = None

    def _draw_normalisation(self, tiles: bool, uniforms: dict) -> None:
        """BatchNorm's strips of the record on screen; above the weight tiles while those
        are on (uploaded when the record, the layout or the tiles change)."""
        look = self._record_look
        if look is None or look.record is None:
            return
        key = (id(look), tiles)
        if key != self._strips_key:
            boxes = weight_tile_boxes(self.layout) if tiles else []
            top = min(box.y for box in boxes) if boxes else None
            strips = normalisation_strips(
                look.record, self.layout, top, self._under_the_outputs(look.record)
            )
            self._normalisation.update(strips, self.scale)
            self._strips_key = key
        self._normalisation.draw(uniforms)

    def _draw_particles(self, phase: Phase, p: float, look: RecordLook, uniforms: dict) -> None:
        backward = phase is Phase.BACKWARD
        calm = self.reduced_motion
        key = (id(look), phase, calm)
        if key != self._pass_key:
            # The same density of light per pixel in any window: a small window gets fewer.
            share = min(1.0, self.size[0] * self.size[1] / FULL_POOL_AREA)
            share *= CALM_PARTICLES if calm else 1.0
            ids = plan_particles(self.layout, look, backward, round(self._particles.pool * share))
            pushing_down = np.zeros_like(look.pushes_up) if backward else ~look.pushes_up
            brightness = np.where(pushing_down, -PARTICLE_EXPOSURE, PARTICLE_EXPOSURE)
            self._particles.set_pass(ids, brightness)
            self._pass_key = key
        fade = smoothstep(0.0, 0.04, p) * (1.0 - smoothstep(0.93, 1.0, p))
        if calm:
            fade = smoothstep(0.0, CALM_FADE, p) * (1.0 - smoothstep(1.0 - CALM_FADE, 1.0, p))
            uniforms = {**uniforms, "u_motion": uniforms["u_motion"] * CALM_PACE}
        self._particles.draw({**uniforms, "u_backward": float(backward), "u_fade": fade})

    def _draw_weight_tiles(self, frame: Frame) -> None:
        """Each hidden neuron's incoming weights as a tile over it, at the weights the
        wires show (uploaded only when those change)."""
        side = self.layout.grid_side
        if frame.record is None or not side:
            return
        self._weight_tiles.update(frame.record, frame.update_landed, side)
        self._weight_tiles.draw(self.layout, self.size)

    def _draw_sparks(self, frame: Frame, uniforms: dict) -> None:
        look = self._record_look
        if look is not None and look.record is not None:  # a record's look has its record
            if frame.phase is Phase.FORWARD and frame.progress >= TRAVEL_FRACTION:
                self._start_burst(look, look.record, 0, verdict_burst, frame)
            elif frame.phase is Phase.UPDATE:
                self._start_burst(look, look.record, 1, update_burst, frame)
        active = self._burst
        if active is not None:
            age = frame.motion_time - active.started
            if age > SPARK_SECONDS:
                self._burst = None
            else:
                self._sparks.draw(active.burst, age, uniforms)

    def _start_burst(
        self, look: RecordLook, record: StepRecord, moment: int, plan, frame: Frame
    ) -> None:
        key = (record.run, record.step, moment)
        if self._burst is not None and self._burst.key == key:
            return
        rng = np.random.default_rng(key)  # the same record gives the same sparks
        self._burst = _ActiveBurst(key, plan(self.layout, look, rng), frame.motion_time)

    def _draw_labels(self, phase: Phase, wavefront: float, shown: RecordLook | None) -> None:
        look = self._record_look
        if look is None or look.record is None:
            return  # what the outputs stand for comes with the data: with the first record
        record, words = look.record, self._words()
        names = output_names(record, words)
        outputs = self.layout.positions[-1]
        gap = OUTPUT_LABEL_GAP * self.layout.radii[-1]
        size = self._output_label_size(names)
        lit = phase is not Phase.WAITING and (
            phase is not Phase.FORWARD or wavefront >= len(self._sizes) - 1.05
        )
        for index, (x, y) in enumerate(outputs):
            where = (x, y - gap)
            self.text.draw(self.size, names[index], where, size, LABEL, "bottom", bold=True)
            if lit and shown is not None:
                probability = words.percent(float(shown.activation[-1][index]))
                where = (x, y + gap)
                small = PROBABILITY_TEXT * size
                self.text.draw(self.size, probability, where, small, DIM_LABEL, "top")
        features = record.test_set.feature_names
        if self._names_inputs(features):
            self._draw_input_labels(features, record.inputs[look.focus])

    def _words(self) -> Words:
        """The language of the words on the network: the HUD's."""
        content = self._hud_content
        return content.words if content is not None else words_for(DEFAULT_LANGUAGE)

    def _output_label_size(self, names: tuple[str, ...]) -> float:
        """The size of the class names over the outputs."""
        outputs = self.layout.positions[-1]
        return self._label_size(names, outputs, 1.45 * self.hud_layout.unit, bold=True)

    def _under_the_outputs(self, record: StepRecord) -> float:
        """The lowest y of the probabilities written under the output neurons."""
        size = PROBABILITY_TEXT * self._output_label_size(output_names(record, self._words()))
        y = float(self.layout.positions[-1][:, 1].max()) + OUTPUT_LABEL_GAP * self.layout.radii[-1]
        return y + self.text.measure("100%", size)[1]

    def _draw_numbers(self, frame: Frame, record: StepRecord) -> None:
        """Each value of the focused sample where it belongs (scene/numbers.py), on a dark
        card so it reads over the light."""
        px = max(NUMBER_TEXT * self.hud_layout.unit, MIN_TEXT_PX)
        numbers = stage_numbers(
            record, self.layout, moment_of(frame), lambda text: self.text.measure(text, px)
        )
        margin = 0.25 * px
        for number in numbers:
            width, height = self.text.measure(number.text, px)
            x, y = number.position
            left = {"left": x, "right": x - width, "centre": x - width / 2}[number.anchor]
            card = Rect(
                left - margin, y - height / 2 - margin, width + 2 * margin, height + 2 * margin
            )
            self._ui.rect(card, NUMBER_CARD, margin)
        self._ui.flush(self.size)
        for number in numbers:
            colour = NUMBER_COLOURS[number.kind]
            self.text.draw(self.size, number.text, number.position, px, colour, number.anchor)

    def _names_inputs(self, features: tuple[str, ...] | None) -> TypeGuard[tuple[str, ...]]:
        """Inputs that are not pixels get their names and values, unless the numbers are
        on (they say x₁ … themselves) or there are too many."""
        return (
            self.layout.grid_side is None
            and features is not None
            and len(features) <= MAX_NAMED_INPUTS
            and not self._numbers
        )

    def _draw_input_labels(self, features: tuple[str, ...], values: np.ndarray) -> None:
        """Under each input neuron that is not a pixel: the focused sample's value, and
        the feature's name."""
        inputs, radius = self.layout.positions[0], self.layout.radii[0]
        size = self._label_size(features, inputs, 0.9 * self.hud_layout.unit, bold=False)
        for (x, y), name, value in zip(inputs, features, values):
            _, height = self.text.draw(
                self.size, f"{value:+.2f}", (x, y + 1.6 * radius), size, LABEL, "top"
            )
            where = (x, y + 1.6 * radius + height)
            self.text.draw(self.size, name, where, 0.9 * size, DIM_LABEL, "top")

    def _label_size(
        self, names: tuple[str, ...], positions: np.ndarray, px: float, bold: bool
    ) -> float:
        """``px``, or smaller (never below the HUD's smallest) so that the widest name fits
        between its neighbours."""
        if len(positions) < 2:
            return px
        spacing = float(np.min(np.diff(positions[:, 0])))
        widest = max(self.text.measure(name, px, bold)[0] for name in names)
        if widest <= 0.9 * spacing:
            return px
        return max(MIN_TEXT_PX, px * 0.9 * spacing / widest)


def _update_envelope(frame: Frame, calm: bool) -> tuple[float, float]:
    """How far the wires have settled into the new weights, and the update's flash.

    From the show's own phase: a visitor's drawing freezes the show and plays over its
    wires as they are, without the flash. Calm motion has no flash: the wires cross-fade
    steadily through the whole update instead."""
    if frame.phase is not Phase.UPDATE or frame.drawing_progress is not None:
        return frame.settled, 0.0
    if calm:
        return frame.progress, 0.0
    return frame.settled, 0.55 * math.sin(math.pi * min(frame.progress / 0.7, 1.0))
