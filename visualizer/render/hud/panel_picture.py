"""An opaque panel drawn over the live picture every frame, from a picture of its own.

The lesson picker's open list sits over the stage, so it is drawn after the live layers
each frame; drawn from its shapes and words it cost llvmpipe 9 ms a frame at 1080p and 47
ms at 4K (≈ 20 ns a pixel: panel, rim and rows blended over each other, a draw per word).
So it is drawn into a picture of its own when what it shows changes, and each frame the
panel's inside — opaque, so the same whatever lies under it — is copied from there (a
blit, ≈ 3 ns a pixel); only its rim, where the rounded, anti-aliased edge lets the live
picture through, is drawn again: only the panel's frame, clipped to thin strips along its
straight edges and to its rounded corners, where nothing else of it reaches (drawing its
words again in strips ``rim`` wide made the list cost 2.9 ms a frame at 1080p, against 1.9
ms now). The pixels are the same as drawing it whole. What it covers the live layers leave
out (``HudPainter.covered``).

Contract: ``PanelPicture(ctx)``; ``draw(key, panel, rim, draw_panel, draw_frame)`` draws
into the bound framebuffer, at the current viewport (the kiosk's drift), what
``draw_panel()`` draws: ``panel`` its rectangle (layout pixels), opaque at least ``rim``
pixels inside its corners and ``EDGE`` pixels inside its straight edges, where nothing but
what ``draw_frame()`` draws (its first shapes) may reach; ``key`` says what it shows (a
new key paints the picture again). ``release()`` frees it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable

import moderngl

from visualizer.scene.layout import Rect

Box = tuple[int, int, int, int]  # x, y (from the bottom, as GL counts), width, height
EDGE = 2.0  # a straight edge's anti-aliasing reaches a pixel in: two more are opaque


class PanelPicture:
    def __init__(self, ctx: moderngl.Context) -> None:
        self._ctx = ctx
        self._picture: moderngl.Texture | None = None
        self._framebuffer: moderngl.Framebuffer | None = None
        self._key: Hashable | None = None

    def draw(
        self,
        key: Hashable,
        panel: Rect,
        rim: float,
        draw_panel: Callable[[], None],
        draw_frame: Callable[[], None],
    ) -> None:
        ctx = self._ctx
        target, viewport = ctx.fbo, ctx.viewport
        size = target.size
        key = (key, size, viewport)
        if self._picture is None or self._picture.size != size:
            self.release()
            self._picture = ctx.texture(size, 4)
            self._framebuffer = ctx.framebuffer(color_attachments=[self._picture])
        assert self._framebuffer is not None
        if key != self._key:
            self._framebuffer.use()
            ctx.viewport = viewport
            draw_panel()
            self._key = key
        outer = _box(panel.inset(-3.0), size, viewport)  # the edge and its anti-aliasing
        opaque, live = _split(
            outer,
            _box(panel.inset(EDGE), size, viewport),
            _box(panel.inset(math.ceil(rim)), size, viewport),
        )
        for box in opaque:
            target.scissor = box
            target.use()
            ctx.copy_framebuffer(target, self._framebuffer)  # a blit obeys the scissor test
        for strip in live:
            target.scissor = strip
            target.use()
            ctx.viewport = viewport
            draw_frame()
        # moderngl's stub leaves out None, which its own docs say turns the scissor test off.
        target.scissor = None  # type: ignore[assignment]
        target.use()
        ctx.viewport = viewport

    def release(self) -> None:
        if self._framebuffer is not None and self._picture is not None:
            self._framebuffer.release()
            self._picture.release()
        self._picture = self._framebuffer = None
        self._key = None


def _box(rect: Rect, size: tuple[int, int], viewport: tuple[int, int, int, int]) -> Box:
    """The whole pixels inside ``rect`` (layout pixels, y down) on the target, moved by the
    viewport's drift."""
    x0, x1 = math.ceil(rect.x), math.floor(rect.x + rect.width)
    y0, y1 = math.ceil(size[1] - rect.bottom), math.floor(size[1] - rect.y)
    return x0 + viewport[0], y0 + viewport[1], max(x1 - x0, 0), max(y1 - y0, 0)


def _split(outer: Box, straight: Box, inside: Box) -> tuple[list[Box], list[Box]]:
    """``outer`` in two parts, as boxes that do not overlap: what is opaque — ``inside``
    and, between the corners, out to ``straight`` — and the rest, the live rim."""
    ox, oy, ow, oh = outer
    sx, sy, sw, sh = straight
    ix, iy, iw, ih = inside
    top, right = sy + sh, sx + sw
    opaque = [
        (sx, iy, sw, ih),  # the middle, edge to edge
        (ix, sy, iw, iy - sy),  # below it, between the corners
        (ix, iy + ih, iw, top - iy - ih),  # above it
    ]
    live = [
        (ox, oy, ow, sy - oy),  # the bottom edge
        (ox, top, ow, oy + oh - top),  # the top edge
        (ox, sy, sx - ox, sh),  # the left edge
        (right, sy, ox + ow - right, sh),  # the right edge
        (sx, sy, ix - sx, iy - sy),  # the four corners inside the edges
        (ix + iw, sy, right - ix - iw, iy - sy),
        (sx, iy + ih, ix - sx, top - iy - ih),
        (ix + iw, iy + ih, right - ix - iw, top - iy - ih),
    ]
    return opaque, live
