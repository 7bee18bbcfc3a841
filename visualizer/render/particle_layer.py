"""The particles: a pool of point sprites animated on the GPU from time alone.

Once per pass the scene's plan says which synapse each slot travels on
(``visualizer.scene.particles``). A synapse's particles are spaced evenly along it (with
a fixed random jitter and lane per slot) and written in order along the curve, with the
curve as polynomial coefficients and the synapse's brightness, in one upload; nothing is
uploaded per frame, and idle slots are not drawn. Drawing each synapse's particles in
order keeps llvmpipe's tile caches warm: about twice as fast as random order.
"""

from __future__ import annotations

import moderngl
import numpy as np

from visualizer.render import gl_state
from visualizer.render.shaders import ShaderLibrary
from visualizer.scene.layout import NetworkLayout

POOL_SEED = 20240611  # the slots' jitter and lanes: fixed, so renders are reproducible
_PER_SLOT = "2f 2f 2f 2f 3f"
_ATTRIBUTES = ("a_cubic", "a_square", "a_linear", "a_start", "a_info")
_FLOATS = 11


class ParticleLayer:
    def __init__(
        self, ctx: moderngl.Context, shaders: ShaderLibrary, pool: int, layout: NetworkLayout
    ) -> None:
        self._ctx = ctx
        self.pool = pool
        rng = np.random.default_rng(POOL_SEED)
        self._jitter = rng.random(pool)
        # A pool of 0 (visuals.particles: 0) is a show without particles; GL buffers
        # cannot be empty, so they keep room for one slot that is never drawn.
        lanes = rng.uniform(-1.0, 1.0, max(pool, 1))
        self._lanes = ctx.buffer(lanes.astype("f4").tobytes())
        self._slots = ctx.buffer(reserve=max(pool, 1) * _FLOATS * 4)
        # One program per pass (particles.frag): forward, backward.
        self._passes = []
        for defines in ((), ("BACKWARD",)):
            program = shaders.program("particles", defines=defines)
            content = [(self._lanes, "1f", "a_lane"), (self._slots, _PER_SLOT, *_ATTRIBUTES)]
            self._passes.append((program, ctx.vertex_array(program, content)))
        self.set_layout(layout)

    def set_layout(self, layout: NetworkLayout) -> None:
        """Each synapse's Bézier curve as the coefficients of ((a t + b) t + c) t + d."""
        p0, p1, p2, p3 = (layout.controls[:, i] for i in range(4))
        curves = np.empty((layout.synapse_count, _FLOATS), dtype="f4")
        curves[:, 0:2] = p3 - p0 + 3.0 * (p1 - p2)
        curves[:, 2:4] = 3.0 * (p0 - 2.0 * p1 + p2)
        curves[:, 4:6] = 3.0 * (p1 - p0)
        curves[:, 6:8] = p0
        curves[:, 8] = layout.gap_of_synapse
        self._curves = curves
        self._active = 0

    def set_pass(self, synapse_ids: np.ndarray, brightness: np.ndarray) -> None:
        """Which synapse each slot travels on (−1: idle, after the active ones) and how
        bright each synapse's light is."""
        active = np.sort(synapse_ids[synapse_ids >= 0])
        counts = np.bincount(active, minlength=len(self._curves))
        first_slot = np.cumsum(counts) - counts
        rank = np.arange(len(active)) - first_slot[active]
        slots = self._curves[active]
        slots[:, 9] = brightness[active]
        slots[:, 10] = (rank + self._jitter[: len(active)]) / counts[active]
        self._slots.write(slots.tobytes())
        self._active = len(active)

    def draw(self, uniforms: dict) -> None:
        if not self._active:
            return
        gl_state.use(self._ctx, gl_state.LIGHT)
        self._ctx.enable(moderngl.PROGRAM_POINT_SIZE)
        program, vertex_array = self._passes[int(uniforms["u_backward"])]
        for name, value in uniforms.items():
            if name in program:
                program[name] = value
        vertex_array.render(moderngl.POINTS, vertices=self._active)

    def release(self) -> None:
        for _, vertex_array in self._passes:
            vertex_array.release()
        for item in (self._lanes, self._slots):
            item.release()
