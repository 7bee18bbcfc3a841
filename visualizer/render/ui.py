"""Flat interface shapes, batched: rounded rectangles, line segments, pixel images.

Contract: ``UiBatch`` collects shapes (``rect``, ``line``, ``image``) in pixel coordinates
and ``flush(target_size)`` draws them all, in the order given, with alpha blending, then
forgets them. A batch of one fill (its colour, the atlas or the picture) is drawn by a
program of that fill's alone, one of several fills by one that lets each shape choose (a
software renderer runs every branch: see ui.frag). Images come from an atlas of
the dataset's grey 8×8 images (``set_images``), drawn with nearest filtering so every
pixel stays a visible square; one colour picture (``set_picture``, e.g. a decision map)
is drawn smoothly filtered, or as squares (the weight tiles).
Edges are anti-aliased by a signed distance in the fragment shader.
"""

from __future__ import annotations

import itertools
import math

import moderngl
import numpy as np

from visualizer.render import gl_state
from visualizer.render.shaders import ShaderLibrary
from visualizer.render.vertex_arrays import Attributes, variant_vertex_array
from visualizer.scene.layout import Rect

Colour = tuple[float, float, float, float]
_ATTRIBUTES: Attributes = (
    ("a_position", 2),
    ("a_local", 2),
    ("a_half", 2),
    ("a_radius", 1),
    ("a_colour", 4),
    ("a_image", 3),
)
_FLOATS = 14
_CORNERS = np.array([[-1, -1], [1, -1], [-1, 1], [-1, 1], [1, -1], [1, 1]], dtype="f4")
# What fills a shape: its colour alone, or the colour times the grey atlas or the picture.
FLAT, ATLAS, PICTURE = 0.0, 1.0, 2.0
MIXED = -1.0  # a batch of shapes of several fills
_DEFINES = {FLAT: (), ATLAS: ("ATLAS",), PICTURE: ("PICTURE",), MIXED: ("ATLAS", "PICTURE")}
# A shape, as collected: centre x, y; half width, height; angle; radius; colour r, g, b, a;
# u of its image's left and right edges; what fills it (FLAT, ATLAS or PICTURE).
_Shape = tuple[
    float, float, float, float, float, float, float, float, float, float, float, float, float
]


class UiBatch:
    def __init__(self, ctx: moderngl.Context, shaders: ShaderLibrary, capacity: int = 4096) -> None:
        self._ctx = ctx
        self._capacity = capacity
        self._buffer = ctx.buffer(reserve=capacity * 6 * _FLOATS * 4)
        # Per fill (or MIXED): its program and a vertex array over the buffer.
        self._fills: dict[float, tuple[moderngl.Program, moderngl.VertexArray]] = {}
        for fill, defines in _DEFINES.items():
            program = shaders.program("ui", defines=defines)
            vertex_array = variant_vertex_array(ctx, program, self._buffer, _ATTRIBUTES)
            self._fills[fill] = (program, vertex_array)
        self._shapes: list[_Shape] = []
        self._atlas: moderngl.Texture | None = None
        self._picture: moderngl.Texture | None = None
        self._atlas_count = 0
        self._image_side = 1

    @property
    def ctx(self) -> moderngl.Context:
        return self._ctx

    def set_images(self, images: np.ndarray, side: int) -> None:
        """The atlas: ``images`` (n, side²) in 0..1, image i addressed as ``image(rect, i)``."""
        strip = np.concatenate([image.reshape(side, side) for image in images], axis=1)
        data = np.ascontiguousarray((np.clip(strip, 0.0, 1.0) * 255).astype("u1"))
        if self._atlas is None or self._atlas.size != (data.shape[1], side):
            if self._atlas is not None:
                self._atlas.release()
            self._atlas = self._ctx.texture((data.shape[1], side), 1, alignment=1)
            self._atlas.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self._atlas.write(data.tobytes())
        self._atlas_count, self._image_side = len(images), side

    def set_picture(self, rgb: np.ndarray, smooth: bool = True) -> None:
        """The colour picture: (rows, columns, 3) in 0..1, row 0 at the top; drawn smoothly
        filtered, or (``smooth=False``) with every texel a visible square."""
        rows, columns = rgb.shape[:2]
        data = np.ascontiguousarray((np.clip(rgb, 0.0, 1.0) * 255).astype("u1"))
        if self._picture is None or self._picture.size != (columns, rows):
            if self._picture is not None:
                self._picture.release()
            self._picture = self._ctx.texture((columns, rows), 3, alignment=1)
        filtering = moderngl.LINEAR if smooth else moderngl.NEAREST
        self._picture.filter = (filtering, filtering)
        self._picture.write(data.tobytes())

    def picture(
        self, rect: Rect, radius: float = 0.0, columns: tuple[float, float] = (0.0, 1.0)
    ) -> None:
        """The colour picture (or the part of it between ``columns``, as shares of its
        width), scaled into ``rect``."""
        self._box(rect, radius, (1.0, 1.0, 1.0, 1.0), columns, PICTURE)

    def rect(self, rect: Rect, colour: Colour, radius: float = 0.0) -> None:
        self._box(rect, radius, colour)

    def line(
        self, start: tuple[float, float], end: tuple[float, float], width: float, colour: Colour
    ) -> None:
        """A segment with round ends."""
        dx, dy = end[0] - start[0], end[1] - start[1]
        length = math.hypot(dx, dy)
        if length == 0:
            return
        half = width / 2
        self._quad(
            (start[0] + end[0]) / 2,
            (start[1] + end[1]) / 2,
            length / 2 + half,
            half,
            math.atan2(dy, dx),
            half,
            colour,
        )

    def polyline(self, points: np.ndarray, width: float, colour: Colour) -> None:
        for start, end in itertools.pairwise(points):
            self.line(tuple(start), tuple(end), width, colour)

    def image(self, rect: Rect, index: int, brightness: float = 1.0, radius: float = 0.0) -> None:
        """Image ``index`` of the atlas, scaled into ``rect``."""
        u0, u1 = index / self._atlas_count, (index + 1) / self._atlas_count
        self._box(rect, radius, (brightness, brightness, brightness, 1.0), (u0, u1), ATLAS)

    def flush(self, target_size: tuple[int, int]) -> None:
        if not self._shapes:
            return
        shapes = np.array(self._shapes, dtype="f4")
        self._shapes.clear()
        gl_state.use(self._ctx, gl_state.OVER)
        if self._atlas is not None:
            self._atlas.use(0)
        if self._picture is not None:
            self._picture.use(1)
        for start in range(0, len(shapes), self._capacity):
            chunk = shapes[start : start + self._capacity]
            fills = np.unique(chunk[:, 12])
            program, vertex_array = self._fills[float(fills[0]) if len(fills) == 1 else MIXED]
            program["u_viewport"] = target_size
            for name, unit in (("u_images", 0), ("u_picture", 1)):
                if name in program:
                    program[name] = unit
            self._buffer.write(_vertices(chunk).tobytes())
            vertex_array.render(moderngl.TRIANGLES, vertices=6 * len(chunk))

    def release(self) -> None:
        for _, vertex_array in self._fills.values():
            vertex_array.release()
        for item in (self._buffer, self._atlas, self._picture):
            if item is not None:
                item.release()

    def _box(
        self,
        rect: Rect,
        radius: float,
        colour: Colour,
        uv: tuple[float, float] | None = None,
        source: float = FLAT,
    ) -> None:
        half_w, half_h = rect.width / 2, rect.height / 2
        self._quad(
            rect.x + half_w, rect.y + half_h, half_w, half_h, 0.0, radius, colour, uv, source
        )

    def _quad(self, cx, cy, half_w, half_h, angle, radius, colour, uv=None, source=FLAT) -> None:
        # Collected as numbers; ``flush`` turns them all into vertices at once (a numpy
        # call per shape would cost more than drawing it).
        u0, u1 = uv if uv is not None else (0.0, 0.0)
        self._shapes.append((cx, cy, half_w, half_h, angle, radius, *colour, u0, u1, source))


def _vertices(shapes: np.ndarray) -> np.ndarray:
    """The six vertices of each shape's quad, (shapes × 6, _FLOATS)."""
    centre, half, angle, radius = shapes[:, 0:2], shapes[:, 2:4], shapes[:, 4], shapes[:, 5]
    # One pixel more on every side, so the anti-aliased edge has room.
    local = _CORNERS[None] * (half[:, None, :] + 1.0)
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    vertices = np.empty((len(shapes), 6, _FLOATS), dtype="f4")
    vertices[..., 0] = centre[:, 0:1] + local[..., 0] * cos - local[..., 1] * sin
    vertices[..., 1] = centre[:, 1:2] + local[..., 0] * sin + local[..., 1] * cos
    vertices[..., 2:4] = local
    vertices[..., 4:6] = half[:, None, :]
    vertices[..., 6] = np.minimum(radius, half.min(axis=1))[:, None]
    vertices[..., 7:11] = shapes[:, None, 6:10]
    # Images: u from the image's left or right edge, v from its top or bottom, by corner
    # (the extra pixel would sample the neighbouring image: uv is pinned to the edges).
    source = shapes[:, 12:13]  # FLAT, ATLAS or PICTURE
    is_image = (source > 0).astype("f4")
    right, bottom = _CORNERS[None, :, 0] > 0, _CORNERS[None, :, 1] > 0
    vertices[..., 11] = np.where(right, shapes[:, 11:12], shapes[:, 10:11]) * is_image
    vertices[..., 12] = bottom * is_image
    vertices[..., 13] = source
    return vertices.reshape(-1, _FLOATS)
