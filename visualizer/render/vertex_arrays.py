"""Vertex arrays over one interleaved buffer for programs that may not read every attribute.

A shader variant compiled without a part (``ShaderLibrary.program(defines=…)``) drops the
attributes only that part read, and GL then has no such attribute to bind. Contract:
``variant_vertex_array(ctx, program, buffer, attributes)`` with ``attributes`` each attribute's
name and float count in the buffer's order: the attributes ``program`` reads are bound,
the others skipped over.
"""

from __future__ import annotations

import moderngl

Attributes = tuple[tuple[str, int], ...]  # (name, floats) per attribute, in the buffer's order


def variant_vertex_array(
    ctx: moderngl.Context,
    program: moderngl.Program,
    buffer: moderngl.Buffer,
    attributes: Attributes,
) -> moderngl.VertexArray:
    read = [name for name, _ in attributes if name in program]
    layout = " ".join(
        f"{floats}f" if name in program else f"{floats}x4" for name, floats in attributes
    )
    return ctx.vertex_array(program, [(buffer, layout, *read)])
