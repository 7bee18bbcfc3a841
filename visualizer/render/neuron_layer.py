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
from visualizer.scene.layout import NetworkLayout
from visualizer.scene.signals import RecordLook

_ATTRIBUTES = (
    "a_position",
    "a_radius",
    "a_layer",
    "a_activation",
    "a_error",
    "a_kind",
    "a_mark",
    "a_dead",
    "a_dropped",
)
_PER_NEURON = "2f 1f 1f 1f 1f 1f 1f 1f 1f"
_FLOATS = 10


class NeuronLayer:
    def __init__(self, ctx: moderngl.Context, shaders: ShaderLibrary, count: int) -> None:
        """``count``: how many neurons the network has, all layers together."""
        self._ctx = ctx
        self._program = shaders.program("neurons")
        self._buffer = ctx.buffer(reserve=count * _FLOATS * 4)
        self._vao = ctx.vertex_array(self._program, [(self._buffer, _PER_NEURON, *_ATTRIBUTES)])

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

    def draw_bodies(self, uniforms: dict) -> None:
        gl_state.use(self._ctx, gl_state.OVER)
        self._draw(uniforms, 0)

    def draw_light(self, uniforms: dict) -> None:
        gl_state.use(self._ctx, gl_state.LIGHT)
        self._draw(uniforms, 1)

    def _draw(self, uniforms: dict, draw_pass: int) -> None:
        for name, value in uniforms.items():
            if name in self._program:
                self._program[name] = value
        self._program["u_pass"] = draw_pass
        self._vao.render(moderngl.POINTS)

    def release(self) -> None:
        for item in (self._vao, self._buffer):
            item.release()
