"""The HUD's staging picture: a repaint spread over frames, shown only once it is whole.

Painting the HUD's panels costs a software renderer about a frame's budget at 1080p and
several at 4K, and the HUD's content changes twice per cycle. So a new HUD is painted into
a picture of its own — the backdrop copied in, then the panels — in horizontal bands of
the screen, each holding at most ``BAND_PIXELS`` of the HUD's pixels, one band a frame
(the painter runs once per band, clipped to it by the scissor: only the band's pixels are
filled; and it is told the band's rows, so it can leave out the text outside them). Only
when every band is done is it copied into the baked pictures, region by region, which
costs next to nothing (a read into a buffer and a write: llvmpipe copies a rectangle that
way about ten times faster than a blit clipped by the scissor). A picture keeps its old
HUD until then: no frame shows a half-painted panel, and every panel of a picture changes
in the same frame. Up to 1280×720 (landscape) the whole HUD is one band, so it shows in
the frame its content changed, as before.

Contract: ``HudStaging(ctx, size, backdrop)`` with ``backdrop`` the framebuffer holding
the plain backdrop; ``set_regions(regions)`` the HUD's regions (pixels, top-left origin);
``start(version, offset, painter)`` begins painting the HUD's content ``version`` at the
kiosk's drift ``offset`` (the same again continues it; ``job`` is the pair being painted),
``painter`` drawing that content into the bound framebuffer (it is kept with the job:
every band of it paints the same content); ``paint(at_once)`` paints its next band (all
of them ``at_once``);
``ready`` says whether the job is whole; ``copy_into(texture)`` copies the regions into
a picture baked at the same drift; ``copy_regions(source, texture, offset)`` copies them
from one picture into another. Painting leaves the alpha channel alone (the
wires' change light lives there).
"""

from __future__ import annotations

from collections.abc import Callable

import moderngl
import numpy as np

from visualizer.render.context import drifted_viewport
from visualizer.scene.layout import Rect

# A frame paints at most this many of the HUD's pixels: a 1280×720 HUD (551,370) is one band.
BAND_PIXELS = 600_000
Box = tuple[int, int, int, int]  # x, y (from the bottom, as GL counts), width, height
# Draws the HUD into the bound framebuffer. It is given the rows (top, bottom) of the
# band being painted, in the HUD's own pixels (top-left origin, before the drift), and
# may leave out what lies wholly outside them: the scissor would clip all of it, but each
# draw still costs its call.
Painter = Callable[[tuple[int, int]], None]


class HudStaging:
    def __init__(
        self, ctx: moderngl.Context, size: tuple[int, int], backdrop: moderngl.Framebuffer
    ) -> None:
        self._ctx = ctx
        self._size = size
        self._backdrop = backdrop
        self._picture = ctx.texture(size, 4)
        self._framebuffer = ctx.framebuffer(color_attachments=[self._picture])
        self._regions: tuple[Rect, ...] = ()
        self._buffer = ctx.buffer(reserve=4)  # a rectangle on its way between pictures
        self._job: tuple[int, tuple[int, int]] | None = None  # content version, drift
        self._painter: Painter = lambda rows: None  # the job's
        self._bands: list[Box] = []  # of the job, still to paint

    def set_regions(self, regions: tuple[Rect, ...]) -> None:
        self._regions = regions
        self._job, self._bands = None, []
        # Room for the largest region's box, wherever the drift moves it.
        largest = max(((int(r.width) + 3) * (int(r.height) + 3) for r in regions), default=1)
        self._buffer.orphan(4 * largest)

    @property
    def job(self) -> tuple[int, tuple[int, int]] | None:
        return self._job

    @property
    def ready(self) -> bool:
        return self._job is not None and not self._bands

    def start(self, version: int, offset: tuple[int, int], painter: Painter) -> None:
        if (version, offset) != self._job:
            self._job, self._painter = (version, offset), painter
            self._bands = bands(self._boxes(), self._size)

    def paint(self, at_once: bool) -> None:
        """Paint the job's next band, or all that are left ``at_once``."""
        if at_once and self._bands:
            top = self._bands[0]
            bottom = self._bands[-1]
            self._bands = [(0, bottom[1], top[2], top[1] + top[3] - bottom[1])]
        if self._bands:
            self._paint_band(self._bands.pop(0))

    def copy_into(self, texture: moderngl.Texture) -> None:
        """The HUD's regions of this picture into ``texture`` (the rest left as it is)."""
        assert self._job is not None
        self.copy_regions(self._framebuffer, texture, self._job[1])

    def copy_regions(
        self, source: moderngl.Framebuffer, texture: moderngl.Texture, offset: tuple[int, int]
    ) -> None:
        """The HUD's regions, at the drift ``offset``, from ``source`` into ``texture``."""
        for box in region_boxes(self._regions, self._size, offset):
            self._copy(texture, source, box)

    def release(self) -> None:
        self._buffer.release()
        self._framebuffer.release()
        self._picture.release()

    def _paint_band(self, band: Box) -> None:
        assert self._job is not None
        framebuffer = self._framebuffer
        for box in self._boxes():  # the backdrop back, where the band crosses the regions
            self._copy(self._picture, self._backdrop, _overlap(box, band))
        framebuffer.scissor = band
        framebuffer.color_mask = (True, True, True, False)  # a mask applies when bound
        framebuffer.use()
        self._ctx.viewport = drifted_viewport(self._size, self._job[1])
        top = self._size[1] - band[1] - band[3] - self._job[1][1]
        self._painter((top, top + band[3]))
        framebuffer.color_mask = (True, True, True, True)
        # moderngl's stub leaves out None, which its own docs say turns the scissor test off.
        framebuffer.scissor = None  # type: ignore[assignment]
        framebuffer.use()

    def _copy(self, target: moderngl.Texture, source: moderngl.Framebuffer, box: Box) -> None:
        """Copy ``box`` of ``source`` into the same pixels of ``target``."""
        if box[2] > 0 and box[3] > 0:
            source.read_into(self._buffer, viewport=box, components=4)
            target.write(self._buffer, viewport=box)

    def _boxes(self) -> list[Box]:
        return region_boxes(self._regions, self._size, self._job[1] if self._job else (0, 0))


def region_boxes(
    regions: tuple[Rect, ...], size: tuple[int, int], offset: tuple[int, int]
) -> list[Box]:
    """The regions, moved by the drift ``offset``, as whole-pixel boxes a pixel wider on
    each side (anti-aliased edges of the panels' shapes reach into it), on the screen."""
    dx, dy = offset
    boxes = []
    for region in regions:
        x0, y0 = int(region.x) + dx - 1, int(size[1] - region.bottom) - dy - 1
        x1, y1 = x0 + int(region.width) + 3, y0 + int(region.height) + 3
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, size[0]), min(y1, size[1])
        boxes.append((x0, y0, max(x1 - x0, 0), max(y1 - y0, 0)))
    return boxes


def _overlap(a: Box, b: Box) -> Box:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return x0, y0, max(x1 - x0, 0), max(y1 - y0, 0)


def bands(boxes: list[Box], size: tuple[int, int]) -> list[Box]:
    """The screen's rows that ``boxes`` cover, cut into full-width bands (top first) that
    each hold at most ``BAND_PIXELS`` of the boxes' pixels (or one row's worth more)."""
    width, height = size
    per_row = np.zeros(height, dtype=np.int64)  # the boxes' pixels in each row, GL's order
    for x, y, w, h in boxes:
        per_row[max(y, 0) : max(y + h, 0)] += min(x + w, width) - max(x, 0)
    rows = np.flatnonzero(per_row)[::-1]  # from the top
    if not len(rows):
        return []
    band = np.cumsum(per_row[rows]) // (BAND_PIXELS + 1)  # each row's band
    return [
        (
            0,
            int(rows[band == b].min()),
            width,
            int(rows[band == b].max() - rows[band == b].min() + 1),
        )
        for b in np.unique(band)
    ]
