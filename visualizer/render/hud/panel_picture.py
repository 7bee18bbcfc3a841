"""An opaque panel drawn over the live picture every frame, from a picture of its own.

The lesson picker's open list sits over the stage, so it is drawn after the live layers
each frame; drawn from its shapes and words it cost llvmpipe 9 ms a frame at 1080p and 47
ms at 4K (≈ 20 ns a pixel: panel, rim and rows blended over each other, a draw per word).
So it is drawn into a picture of its own when what it shows changes, and each frame the
panel's inside — opaque, so the same whatever lies under it — is copied from there (a
blit, ≈ 3 ns a pixel); only its rim, where the rounded, anti-aliased edge lets the live
picture through, is drawn again, clipped to four thin strips. The pixels are the same as
drawing it whole.

Contract: ``PanelPicture(ctx)``; ``draw(key, panel, rim, draw_panel)`` draws into the bound
framebuffer, at the current viewport (the kiosk's drift), what ``draw_panel()`` draws:
``panel`` its rectangle (layout pixels), opaque at least ``rim`` pixels inside its edge;
``key`` says what it shows (a new key paints the picture again). ``release()`` frees it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable

import moderngl

from visualizer.scene.layout import Rect

Box = tuple[int, int, int, int]  # x, y (from the bottom, as GL counts), width, height


class PanelPicture:
    def __init__(self, ctx: moderngl.Context) -> None:
        self._ctx = ctx
        self._picture: moderngl.Texture | None = None
        self._framebuffer: moderngl.Framebuffer | None = None
        self._key: Hashable | None = None

    def draw(self, key: Hashable, panel: Rect, rim: float, draw_panel: Callable[[], None]) -> None:
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
        inside = _box(panel.inset(math.ceil(rim)), size, viewport)
        target.scissor = inside
        target.use()
        ctx.copy_framebuffer(target, self._framebuffer)  # a blit obeys the scissor test
        for strip in _rim(outer, inside):
            target.scissor = strip
            target.use()
            ctx.viewport = viewport
            draw_panel()
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


def _rim(outer: Box, inside: Box) -> list[Box]:
    """``outer`` less ``inside``, as four boxes: below, above, left and right of it."""
    ox, oy, ow, oh = outer
    ix, iy, iw, ih = inside
    return [
        (ox, oy, ow, iy - oy),
        (ox, iy + ih, ow, oy + oh - iy - ih),
        (ox, iy, ix - ox, ih),
        (ix + iw, iy, ox + ow - ix - iw, ih),
    ]
