"""The neurons: bodies over the wires, then their light (activation glow, error halo).

A body is marked when its neuron is dead for the batch (a dashed outline) or dropped by
Dropout for the focused image (dark, crossed out).

One point sprite per neuron. Per-neuron values change only when the record or the layout
does; the wave front, phase and progress arrive as uniforms each frame.
"""

from __future__ import annotations

import moderngl
import numpy as np

from visualizer.render import gl_state
from visualizer.render.shaders import ShaderLibrary
from visualizer.render.vertex_arrays import Attributes, variant_vertex_array
from visualizer.scene.layout import NetworkLayout
from visualizer.scene.signals import RecordLook

_ATTRIBUTES: Attributes = (
    ("a_position", 2),
    ("a_radius", 1),
    ("a_layer", 1),
    ("a_activation", 1),
    ("a_error", 1),
    ("a_kind", 1),
    ("a_mark", 1),
    ("a_dead", 1),
    ("a_dropped", 1),
)
_FLOATS = 10


class NeuronLayer:
    def __init__(self, ctx: moderngl.Context, shaders: ShaderLibrary, count: int) -> None:
        """``count``: how many neurons the network has, all layers together."""
        self._ctx = ctx
        self._count = count
        self._buffer = ctx.buffer(reserve=count * _FLOATS * 4)
        # One program per kind and pass (see neurons.frag), all compiled now: compiled when
        # first drawn, one made llvmpipe's first cycle of a show slower (p95 +4 ms at 720p).
        self._draws: dict[tuple[bool, bool], tuple[moderngl.Program, moderngl.VertexArray]] = {}
        for pixels in (False, True):
            for light in (False, True):
                switches = (("IMAGE_PIXELS", pixels), ("LIGHT", light))
                program = shaders.program("neurons", defines=tuple(n for n, on in switches if on))
                vertex_array = variant_vertex_array(ctx, program, self._buffer, _ATTRIBUTES)
                self._draws[pixels, light] = (program, vertex_array)
        self._pixels = 0  # the first neurons in the buffer are the input image's pixels

    def update(self, layout: NetworkLayout, look: RecordLook | None) -> None:
        """Per-neuron attributes for this layout and record (all dark without a record)."""
        rows = []
        for layer, positions in enumerate(layout.positions):
            n = len(positions)
            block = np.zeros((n, _FLOATS), dtype="f4")
            block[:, 0:2] = positions
            block[:, 2] = layout.radii[layer]
            block[:, 3] = layer
            if look is not None:
                block[:, 4] = look.activation[layer]
                block[:, 5] = look.error[layer]
                block[:, 8] = look.dead[layer]
                block[:, 9] = look.dropped[layer]
            block[:, 6] = 1.0 if layer == 0 and layout.grid_side else 0.0
            rows.append(block)
        if look is not None and look.truth is not None and len(layout.positions[-1]) > 1:
            rows[-1][look.truth, 7] = 1.0  # ring the true class
        self._buffer.write(np.concatenate(rows).tobytes())
        self._pixels = len(layout.positions[0]) if layout.grid_side else 0

    def draw_bodies(self, uniforms: dict) -> None:
        gl_state.use(self._ctx, gl_state.OVER)
        self._draw(uniforms, light=False)

    def draw_light(self, uniforms: dict) -> None:
        gl_state.use(self._ctx, gl_state.LIGHT)
        self._draw(uniforms, light=True)

    def _draw(self, uniforms: dict, light: bool) -> None:
        """The image's pixels, then the round neurons: the buffer's order in two draws."""
        ranges = ((True, 0, self._pixels), (False, self._pixels, self._count - self._pixels))
        for pixels, first, count in ranges:
            if count:
                program, vertex_array = self._draws[pixels, light]
                for name, value in uniforms.items():
                    if name in program:
                        program[name] = value
                vertex_array.render(moderngl.POINTS, first=first, vertices=count)

    def release(self) -> None:
        for _, vertex_array in self._draws.values():
            vertex_array.release()
        self._buffer.release()
