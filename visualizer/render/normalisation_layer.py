"""BatchNorm's strips (``visualizer.scene.normalisation``): a band over each hidden row, and
a tick per image of the batch over each neuron, sliding from z to x̂ as the forward wave
passes the row.

One instanced quad per shape (the band, its middle line, each tick), uploaded once per
record; the wave front, phase and progress arrive as uniforms each frame, and the
vertex shader places each tick between its two heights.
"""

from __future__ import annotations

import moderngl
import numpy as np

from visualizer.render import gl_state
from visualizer.render.shaders import ShaderLibrary
from visualizer.scene.normalisation import NormalisationStrip

_ATTRIBUTES = ("a_x", "a_before", "a_after", "a_half", "a_kind", "a_layer")
_PER_SHAPE = "1f 1f 1f 2f 1f 1f/i"
_FLOATS = 7
# What a shape is, as the shaders read ``a_kind``.
BAND, MIDDLE_LINE, TICK, FOCUSED_TICK = 0.0, 1.0, 2.0, 3.0
TICK_HALF_HEIGHT = 0.6  # pixels at 720p
FOCUSED_TICK_GROWTH = 1.35  # the focused image's tick is this much longer and thicker


class NormalisationLayer:
    def __init__(self, ctx: moderngl.Context, shaders: ShaderLibrary) -> None:
        self._ctx = ctx
        self._program = shaders.program("normalisation")
        self._buffer: moderngl.Buffer | None = None
        self._vao: moderngl.VertexArray | None = None
        self._count = 0

    def update(self, strips: tuple[NormalisationStrip, ...], scale: float) -> None:
        """The shapes of these strips (none: nothing to draw)."""
        shapes = np.concatenate([_shapes(strip, scale) for strip in strips]) if strips else None
        self._count = 0 if shapes is None else len(shapes)
        if shapes is None:
            return
        data = shapes.astype("f4").tobytes()
        if self._buffer is None or self._buffer.size < len(data):
            self._release_buffers()
            self._buffer = self._ctx.buffer(reserve=len(data))
            self._vao = self._ctx.vertex_array(
                self._program, [(self._buffer, _PER_SHAPE, *_ATTRIBUTES)]
            )
        self._buffer.write(data)

    def draw(self, uniforms: dict) -> None:
        if not self._count or self._vao is None:
            return
        gl_state.use(self._ctx, gl_state.OVER)
        for name, value in uniforms.items():
            if name in self._program:
                self._program[name] = value
        self._vao.render(moderngl.TRIANGLES, vertices=6, instances=self._count)

    def release(self) -> None:
        self._release_buffers()

    def _release_buffers(self) -> None:
        for item in (self._vao, self._buffer):
            if item is not None:
                item.release()
        self._vao = self._buffer = None


def _shapes(strip: NormalisationStrip, scale: float) -> np.ndarray:
    """One row per shape, in drawing order: the band, its middle line, the batch's ticks,
    the focused image's tick on top."""
    band = strip.band
    thickness = max(TICK_HALF_HEIGHT * scale, 0.6)
    centre_y = band.y + band.height / 2
    half_width = band.width / 2
    backdrop = np.array(
        [
            [band.centre_x, centre_y, centre_y, half_width, band.height / 2, BAND],
            [band.centre_x, strip.middle, strip.middle, half_width, 0.8 * thickness, MIDDLE_LINE],
        ]
    )
    focused = np.arange(len(strip.before)) == strip.focus
    size = np.array((strip.tick_half_width, thickness))
    shapes = np.concatenate(
        [
            backdrop,
            _ticks(strip, ~focused, size, TICK),
            _ticks(strip, focused, FOCUSED_TICK_GROWTH * size, FOCUSED_TICK),
        ]
    )
    return np.column_stack([shapes, np.full(len(shapes), strip.layer)])


def _ticks(
    strip: NormalisationStrip, rows: np.ndarray, size: np.ndarray, kind: float
) -> np.ndarray:
    """The ticks of these batch rows, neuron by neuron; ``size`` is their half width and
    half height."""
    before, after = strip.before[rows], strip.after[rows]
    ticks = np.empty((before.size, 6))
    ticks[:, 0] = np.broadcast_to(strip.columns, before.shape).ravel()
    ticks[:, 1] = before.ravel()
    ticks[:, 2] = after.ravel()
    ticks[:, 3:5] = size
    ticks[:, 5] = kind
    return ticks
