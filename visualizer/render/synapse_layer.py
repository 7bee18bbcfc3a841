"""The synapses: every wire baked into a texture when the weights change, composited each frame.

Drawing 1,056 anti-aliased curves every frame would cost more than the whole frame budget
on a software renderer, and the weights change only once per batch. So two texture slots
hold the backdrop and the wires at the weights *before* and *after* the current update;
the alpha channel holds the light of each wire's change |Δw|. Most frames start with a
plain copy of one slot; during the update one pass cross-fades them and adds the flash,
over the wires' bounding box only (outside it the slots are equal: the rest is copied).
When a record's starting weights are the previous record's final ones (the usual case),
the slots swap, and the new "after" slot is baked a few hundred wires at a time over the
next frames (it is not shown until the update, seconds later), so no frame stalls. A slot
starts as a copy of the backdrop, painted once per layout into a picture of its own.

The HUD is painted into the same pictures, inside its regions (``set_hud_regions``),
through ``HudStaging``: when its content changes (``repaint_overlay(painter)``) the new HUD
is painted over a few frames into a staging picture and, once whole, copied into every
slot that is not being baked (a slot being baked gets it when its bake finishes). A slot
keeps its old HUD until then; a repaint under way is finished before a newer one starts,
so a HUD that keeps changing still shows each whole picture in turn. When the update
begins, the slot with the older HUD gets the other's, copied (a HUD that changes often
can leave the "after" slot, busy baking, without the newest, and a whole HUD painted at
once cost 40–50 ms at 4K); so does a "before" slot baked at once (a new run). Only a slot
baked at another drift than the other's (a kiosk's step) that is wanted on screen with no
HUD at all gets the newest finished at once. A frame does one piece of this work or one
chunk of a bake.

The kiosk's drift (``offset``) is baked in with the wires and the HUD (through the
viewport; the backdrop stays put): a slot keeps the offset it was baked at, a new offset
takes effect with the next bake, and ``shown_offset`` says where the picture on screen
is, so the layers drawn live over it can follow. Moving costs nothing extra: re-baking
both slots for a one-pixel step would stall a frame on a software renderer.
"""

from __future__ import annotations

import math

import moderngl
import numpy as np

from visualizer.render import gl_state
from visualizer.render.context import drifted_viewport
from visualizer.render.hud_staging import HudStaging, Painter
from visualizer.render.palette import SYNAPSE_DATA_WIDTH
from visualizer.render.shaders import ShaderLibrary
from visualizer.scene.layout import NetworkLayout, Rect, bezier
from visualizer.scene.signals import RecordLook

SEGMENTS = 24  # straight pieces per curve: smooth at 4K, cheap to bake
# An "after" slot is baked over several frames, at most this many wires a frame: a bake's
# cost grows with its wires (llvmpipe, minitorch: 5 ms at 1080p and 8 ms at 4K for 300,
# 2.5 and 4.3 ms for 150), and 16 frames for minitorch's 2,368 is still early in a pass.
WIRES_PER_CHUNK = 150
NO_HUD = -1  # a slot's HUD version while its regions hold none (just baked)


class _Picture:
    """A texture the size of the target, and its framebuffer."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int]) -> None:
        self.picture = ctx.texture(size, 4)
        self.framebuffer = ctx.framebuffer(color_attachments=[self.picture])

    def release(self) -> None:
        self.framebuffer.release()
        self.picture.release()


class _Slot(_Picture):
    """Backdrop and wires (RGB) with each wire's change light (A), and the HUD."""

    def __init__(self, ctx: moderngl.Context, size: tuple[int, int]) -> None:
        super().__init__(ctx, size)
        self.weights: tuple[np.ndarray, ...] | None = None  # what is (being) baked in it
        self.chunks_left = 0
        self.offset = (0, 0)  # the drift its wires and HUD were baked at, in pixels
        self.hud = NO_HUD  # which version of the HUD's content its regions hold


class SynapseLayer:
    def __init__(
        self,
        ctx: moderngl.Context,
        shaders: ShaderLibrary,
        layout: NetworkLayout,
        size: tuple[int, int],
        scale: float,
    ) -> None:
        self._ctx = ctx
        self._bake = shaders.program("synapses")
        self._backdrop = shaders.program("backdrop", vertex="fullscreen")
        self._composite = shaders.program("composite", vertex="fullscreen")
        self._backdrop_vao = ctx.vertex_array(self._backdrop, [])
        self._composite_vao = ctx.vertex_array(self._composite, [])
        self._painter: Painter = _nothing  # paints the newest HUD
        self._regions: tuple[Rect, ...] = ()
        self._hud_version = 0  # the HUD's content: one more each time it changes
        self.offset = (0, 0)  # the drift the next bake uses
        self.bakes = 0  # how many times wires were baked (a test and benchmark figure)
        self._build(layout, size, scale)

    def set_layout(self, layout: NetworkLayout, size: tuple[int, int], scale: float) -> None:
        """New window size or layout: rebuild the geometry and the texture slots (with no HUD
        until the next ``repaint_overlay``)."""
        self._painter = _nothing
        self._release_geometry()
        self._build(layout, size, scale)

    def _build(self, layout: NetworkLayout, size: tuple[int, int], scale: float) -> None:
        """The wires' geometry and data texture, the backdrop, and two slots holding it."""
        self._size, self._scale = size, scale
        vertices, indices = _ribbons(layout.controls)
        vbo = self._ctx.buffer(vertices.tobytes())
        ibo = self._ctx.buffer(indices.tobytes())
        self._buffers = [vbo, ibo]
        self._geometry = self._ctx.vertex_array(
            self._bake,
            [(vbo, "2f 2f 1f 1f", "a_centre", "a_normal", "a_side", "a_synapse")],
            index_buffer=ibo,
            index_element_size=4,
        )
        rows = -(-layout.synapse_count // SYNAPSE_DATA_WIDTH)
        self._data = self._ctx.texture((SYNAPSE_DATA_WIDTH, rows), 4, dtype="f4")
        self._data.filter = (moderngl.NEAREST, moderngl.NEAREST)
        self._wire_box = _wire_box(layout.controls, scale)
        self._backdrop_picture = _Picture(self._ctx, size)
        self._backdrop_picture.framebuffer.use()
        self._ctx.viewport = (0, 0, *size)
        gl_state.use(self._ctx, gl_state.OPAQUE)
        self._backdrop["u_viewport"] = size
        self._backdrop_vao.render(moderngl.TRIANGLES, vertices=3)
        self._staging = HudStaging(self._ctx, size, self._backdrop_picture.framebuffer)
        self._staging.set_regions(self._regions)
        self._slots = [_Slot(self._ctx, size), _Slot(self._ctx, size)]
        self._synapse_count = layout.synapse_count
        self._chunks = max(1, math.ceil(layout.synapse_count / WIRES_PER_CHUNK))
        for slot in self._slots:
            self._paint_backdrop(slot)  # what shows until the first record is baked
            self._give_hud(slot, at_once=True)

    def set_hud_regions(self, regions: tuple[Rect, ...]) -> None:
        """Where the HUD is painted (the stage is never inside)."""
        self._regions = regions
        self._staging.set_regions(regions)

    def repaint_overlay(self, painter: Painter) -> None:
        """The HUD changed: ``painter`` draws the new one into the bound framebuffer, only
        inside the HUD's regions (band by band: see ``Painter``); ``draw`` paints it in,
        over the next frames."""
        self._hud_version += 1
        self._painter = painter

    def shown_offset(self, after: bool) -> tuple[int, int]:
        """Where the picture on screen is, moved by the drift it was baked at: the "after"
        slot's once it shows more than the "before" one."""
        return self._slots[int(after)].offset

    def show(self, look: RecordLook) -> None:
        """Slot 0 gets the weights before ``look``'s update (now), slot 1 those after (soon)."""
        if look.record is None:
            raise ValueError("a drawing's look has no weights of its own to bake")
        before, after = look.record.weights_before, look.record.weights_after
        if _same(self._slots[1].weights, before):
            self._finish_baking(self._slots[1])
            self._slots.reverse()  # last update's result is this one's start
        if not _same(self._slots[0].weights, before):  # a new run, or batches skipped
            self._start_baking(self._slots[0], look.weight_before, look.sign_before, None, before)
            self._finish_baking(self._slots[0])
            self._match_huds()  # the HUD of the picture that was on screen, not one painted now
        if not _same(self._slots[1].weights, after):
            self._start_baking(
                self._slots[1], look.weight_after, look.sign_after, look.change, after
            )

    def draw(self, target: moderngl.Framebuffer, settle: float, flash: float) -> None:
        """Backdrop and wires: ``settle`` 0 → weights before the update, 1 → after.

        Also does one piece of pending work (a part of the HUD's repaint, or a chunk of the
        next "after" slot); leaves ``target`` bound."""
        blend = flash > 0.0 or 0.0 < settle < 1.0
        shown = self._slots if blend else [self._slots[int(settle)]]
        if settle > 0.0 or flash > 0.0:
            self._finish_baking(self._slots[1])
            self._match_huds()
        for slot in shown:
            if slot.hud == NO_HUD:  # never on screen without a HUD
                self._give_hud(slot, at_once=True)
        if not self._repaint_some(shown) and not blend:
            hidden = self._slots[1 - int(settle)]
            if hidden.chunks_left:
                self._bake_chunk(hidden)
        target.use()  # and it stays bound for the layers drawn after this one
        if not blend:
            self._ctx.copy_framebuffer(target, self._slots[int(settle)].framebuffer)
            return
        box = self._blend_box()
        if box is not None:  # outside the wires the slots are the same: copy, then blend
            self._ctx.copy_framebuffer(target, self._slots[0].framebuffer)
            target.scissor = box
            target.use()
        gl_state.use(self._ctx, gl_state.OPAQUE)
        program = self._composite
        program["u_settle"] = settle
        program["u_flash"] = flash
        for unit, (name, slot) in enumerate(
            (("u_before", self._slots[0]), ("u_after", self._slots[1]))
        ):
            slot.picture.use(unit)
            program[name] = unit
        self._composite_vao.render(moderngl.TRIANGLES, vertices=3)
        if box is not None:
            # moderngl's stub leaves out None, which its own docs say turns the scissor off.
            target.scissor = None  # type: ignore[assignment]
            target.use()

    def release(self) -> None:
        self._release_geometry()
        self._composite_vao.release()
        self._backdrop_vao.release()

    def _repaint_some(self, shown: list[_Slot]) -> bool:
        """One frame's part of the HUD's repaint, if a slot that is not being baked holds an
        older HUD (those on screen first); False when there is none to do."""
        version = self._hud_version
        behind = [s for s in shown + self._slots if not s.chunks_left and s.hud != version]
        if not behind:
            return False
        staging = self._staging
        if staging.job is None or staging.ready:  # else the repaint under way goes first
            staging.start(version, behind[0].offset, self._painter)
        staging.paint(at_once=False)
        if staging.ready and staging.job is not None:
            painted, offset = staging.job
            for slot in dict.fromkeys(behind):  # each once, in order
                if slot.offset == offset:
                    staging.copy_into(slot.picture)
                    slot.hud = painted
        return True

    def _give_hud(self, slot: _Slot, at_once: bool) -> None:
        """A slot whose bake just finished gets the HUD from the staging picture if that
        holds the current HUD at its drift (else it waits for ``_repaint_some``), or, when
        it is needed ``at_once``, after the staging is finished now."""
        if at_once:
            self._staging.start(self._hud_version, slot.offset, self._painter)
            self._staging.paint(at_once=True)
        if self._staging.ready and self._staging.job == (self._hud_version, slot.offset):
            self._staging.copy_into(slot.picture)
            slot.hud = self._hud_version

    def _match_huds(self) -> None:
        """Both slots show the newer of their HUDs (copied, not painted: the wires never
        reach the HUD's regions), so the update blends only around the wires."""
        older, newer = sorted(self._slots, key=lambda slot: slot.hud)
        if older.hud != newer.hud and newer.hud != NO_HUD and older.offset == newer.offset:
            self._staging.copy_regions(newer.framebuffer, older.picture, newer.offset)
            older.hud = newer.hud

    def _blend_box(self) -> tuple[int, int, int, int] | None:
        """Where the two slots can differ while they are blended (GL's box, rows from the
        bottom): around the wires, unless their drifts or HUDs differ (then everywhere)."""
        first, second = self._slots
        if first.offset != second.offset or first.hud != second.hud:
            return None
        x0, y0, x1, y1 = self._wire_box
        dx, dy = first.offset
        return x0 + dx, self._size[1] - y1 - dy, x1 - x0, y1 - y0

    def _start_baking(
        self,
        slot: _Slot,
        strength: np.ndarray,
        sign: np.ndarray,
        change: np.ndarray | None,
        weights: tuple[np.ndarray, ...],
    ) -> None:
        """Copy the backdrop in and load the weights; the wires follow in ``self._chunks``
        pieces."""
        data = np.zeros((self._data.height * SYNAPSE_DATA_WIDTH, 4), dtype="f4")
        count = len(strength)
        data[:count, 0] = strength
        data[:count, 1] = sign
        if change is not None:
            data[:count, 2] = change
        self._data.write(data.tobytes())
        self._paint_backdrop(slot)
        slot.weights = weights
        slot.chunks_left = self._chunks
        slot.offset = self.offset
        self.bakes += 1

    def _bake_chunk(self, slot: _Slot) -> None:
        done, chunks = self._chunks - slot.chunks_left, self._chunks
        first = self._synapse_count * done // chunks
        last = self._synapse_count * (done + 1) // chunks
        slot.framebuffer.use()
        self._ctx.viewport = drifted_viewport(self._size, slot.offset)
        gl_state.use(self._ctx, gl_state.WIRES)
        self._data.use(0)
        self._bake["u_weights"] = 0
        self._bake["u_viewport"] = self._size
        self._bake["u_scale"] = self._scale
        per_synapse = SEGMENTS * 6
        self._geometry.render(
            moderngl.TRIANGLES, vertices=(last - first) * per_synapse, first=first * per_synapse
        )
        slot.chunks_left -= 1
        if not slot.chunks_left:
            self._give_hud(slot, at_once=False)

    def _finish_baking(self, slot: _Slot) -> None:
        while slot.chunks_left:
            self._bake_chunk(slot)

    def _paint_backdrop(self, slot: _Slot) -> None:
        """The plain backdrop, copied in: no wires, no HUD."""
        self._ctx.copy_framebuffer(slot.framebuffer, self._backdrop_picture.framebuffer)
        slot.weights = None
        slot.chunks_left = 0
        slot.hud = NO_HUD

    def _release_geometry(self) -> None:
        self._geometry.release()
        self._data.release()
        for buffer in self._buffers:
            buffer.release()
        for picture in (*self._slots, self._backdrop_picture):
            picture.release()
        self._staging.release()


def _nothing(rows: tuple[int, int]) -> None:
    """The HUD's painter before there is a HUD."""


def _wire_box(controls: np.ndarray, scale: float) -> tuple[int, int, int, int]:
    """Pixels (x0, y0, x1, y1; y down) that hold every wire: a Bézier curve stays within
    its control points, and a ribbon reaches its widest half-width and a pixel of
    anti-aliasing beyond its centre line (shaders/synapses.vert), plus a pixel of rounding."""
    reach = 1.4 * scale + 2.0
    points = controls.reshape(-1, 2)
    x0, y0 = np.floor(points.min(axis=0) - reach).astype(int)
    x1, y1 = np.ceil(points.max(axis=0) + reach).astype(int)
    return int(x0), int(y0), int(x1), int(y1)


def _same(baked: tuple[np.ndarray, ...] | None, weights: tuple[np.ndarray, ...]) -> bool:
    return baked is not None and all(np.array_equal(a, b) for a, b in zip(baked, weights))


def _ribbons(controls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (centre, normal, side, synapse) and triangle indices of every curve's ribbon."""
    count = len(controls)
    t = np.linspace(0.0, 1.0, SEGMENTS + 1)
    points = bezier(controls, t)  # (count, SEGMENTS + 1, 2)
    tangents = np.gradient(points, axis=1)
    tangents /= np.linalg.norm(tangents, axis=2, keepdims=True) + 1e-9
    normals = np.stack([-tangents[..., 1], tangents[..., 0]], axis=2)

    vertices = np.empty((count, SEGMENTS + 1, 2, 6), dtype="f4")
    vertices[..., 0:2] = points[:, :, None, :]
    vertices[..., 2:4] = normals[:, :, None, :]
    vertices[..., 4] = [-1.0, 1.0]
    vertices[..., 5] = np.arange(count, dtype="f4")[:, None, None]

    # Two triangles per segment, between vertex pairs k and k + 1 of each curve.
    k = np.arange(SEGMENTS) * 2
    quad = np.stack([k, k + 1, k + 2, k + 2, k + 1, k + 3], axis=1).ravel()
    first = np.arange(count, dtype=np.int64)[:, None] * (SEGMENTS + 1) * 2
    indices = (first + quad[None, :]).astype("u4")
    return vertices.reshape(-1, 6), indices.ravel()
