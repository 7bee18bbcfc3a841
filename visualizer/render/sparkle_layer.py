"""Sparks: a burst planned by ``visualizer.scene.sparks``, animated on the GPU by its age."""

from __future__ import annotations

import moderngl

from visualizer.render import gl_state
from visualizer.render.palette import SPARK_LIGHT, UPDATE_SPARK_LIGHT, WRONG_SPARK_LIGHT
from visualizer.render.shaders import ShaderLibrary
from visualizer.scene.sparks import MAX_SPARKS, Burst, SparkKind

COLOURS = {
    SparkKind.RIGHT: SPARK_LIGHT,
    SparkKind.WRONG: WRONG_SPARK_LIGHT,
    SparkKind.UPDATE: UPDATE_SPARK_LIGHT,
}


class SparkleLayer:
    def __init__(self, ctx: moderngl.Context, shaders: ShaderLibrary) -> None:
        self._ctx = ctx
        self._program = shaders.program("sparkles")
        self._buffer = ctx.buffer(reserve=MAX_SPARKS * 6 * 4)
        self._vao = ctx.vertex_array(
            self._program,
            [(self._buffer, "2f 2f 1f 1f", "a_origin", "a_velocity", "a_delay", "a_size")],
        )

    def draw(self, burst: Burst, age: float, uniforms: dict) -> None:
        if not len(burst.sparks):
            return
        self._buffer.write(burst.sparks.tobytes())
        gl_state.use(self._ctx, gl_state.LIGHT)
        for name, value in uniforms.items():
            if name in self._program:
                self._program[name] = value
        self._program["u_age"] = age
        self._program["u_colour"] = COLOURS[burst.kind]
        self._vao.render(moderngl.POINTS, vertices=len(burst.sparks))

    def release(self) -> None:
        self._vao.release()
        self._buffer.release()
