"""How each layer blends, declared once and named for what it does (vispy's set_gl_state).

Contract: ``use(ctx, state)`` sets blending on or off, the blend function and the blend
equation together, so a layer never inherits what the previous one left behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import moderngl


@dataclass(frozen=True)
class Blend:
    enabled: bool
    func: tuple[int, int] = (moderngl.ONE, moderngl.ONE)
    equation: tuple[int, int] = (moderngl.FUNC_ADD, moderngl.FUNC_ADD)  # colour, alpha


OPAQUE = Blend(False)
# Straight-alpha shapes and text over what is there.
OVER = Blend(True, (moderngl.SRC_ALPHA, moderngl.ONE_MINUS_SRC_ALPHA))
# Light adds up: particles, glows, halos, sparks.
LIGHT = Blend(True)
# Wires: their light adds up where they cross, but the alpha channel (the light of each
# wire's change |Δw|, which the update flashes) keeps the largest change there: a dense fan
# of small changes must not read as one large change.
WIRES = Blend(True, equation=(moderngl.FUNC_ADD, moderngl.MAX))


def use(ctx: moderngl.Context, state: Blend) -> None:
    if not state.enabled:
        ctx.disable(moderngl.BLEND)
        return
    ctx.enable(moderngl.BLEND)
    ctx.blend_func = state.func
    ctx.blend_equation = state.equation
