"""Pixels of real renders (offscreen, EGL): each phase looks like what it shows.

Colours are classified loosely: "white" is bright and nearly grey, "red" is bright with
red far above green and blue; the wires (blue and amber, dim) are neither.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import make_frame

from visualizer.choreography import Phase
from visualizer.config import load_config
from visualizer.render import hud_staging
from visualizer.render.context import OffscreenTarget
from visualizer.render.renderer import Renderer
from visualizer.scene.layout import Rect
from visualizer.training.records import frozen_array
from visualizer.training.run import TrainingRun

SIZE = (640, 360)


@pytest.fixture
def renderer(ctx, default_config):
    renderer = Renderer(ctx, default_config, SIZE)
    yield renderer
    renderer.release()


@pytest.fixture
def target(ctx):
    target = OffscreenTarget(ctx, SIZE)
    yield target
    target.release()


def draw(renderer, target, frame) -> np.ndarray:
    renderer.draw(frame, target.framebuffer)
    return target.read_rgb().astype(np.float64) / 255.0


def particle_light(renderer, target, frame, region) -> tuple[int, np.ndarray]:
    """How many particle pixels there are, and the mean colour of the particles' own light.

    Particles are the only thing animated by motion time (wires, glows and halos stay),
    so what changes between two moments of the same frame is the particles' light.
    """
    first = draw(renderer, target, frame)[region]
    later = draw(
        renderer, target, dataclasses.replace(frame, motion_time=frame.motion_time + 0.37)
    )[region]
    light = np.abs(first - later)
    moving = light.max(axis=2) > 0.1
    return int(moving.sum()), light[moving].mean(axis=0)


def between_input_and_hidden(renderer) -> tuple[slice, slice]:
    """The band of wires between the top of the image grid and the hidden row."""
    layout = renderer.layout
    grid_top = layout.positions[0][:, 1].min() - layout.radii[0]
    hidden_y = layout.positions[1][0, 1] + layout.radii[1] * 3
    stage = layout.stage
    return slice(int(hidden_y), int(grid_top)), slice(int(stage.x), int(stage.x + stage.width))


def test_mid_forward_is_dominated_by_white_particles(renderer, target, records):
    frame = make_frame(records[0], Phase.FORWARD, 0.5)
    count, (r, g, b) = particle_light(renderer, target, frame, between_input_and_hidden(renderer))
    assert count > 500
    assert min(r, g, b) > 0.8 * max(r, g, b)  # white: all channels alike


def test_mid_backward_is_dominated_by_red_particles(renderer, target, records):
    # Late in the backward pass the red wave has reached the input wires.
    frame = make_frame(records[0], Phase.BACKWARD, 0.6)
    count, (r, g, b) = particle_light(renderer, target, frame, between_input_and_hidden(renderer))
    assert count > 500
    assert r > 2.0 * g and r > 1.6 * b  # red


def test_a_hidden_neurons_brightness_follows_its_activation(renderer, target, records):
    record = records[0]
    focus = record.focus
    hidden = record.activations[1].copy()
    peak = hidden.max()
    brightness = []
    for share in (0.0, 0.3, 0.6, 1.0):
        hidden[focus, 5] = share * peak
        crafted = dataclasses.replace(
            record, activations=(record.activations[0], frozen_array(hidden), record.activations[2])
        )
        image = draw(renderer, target, make_frame(crafted, Phase.FORWARD, 0.9))
        x, y = renderer.layout.positions[1][5]
        brightness.append(image[int(y) - 2 : int(y) + 3, int(x) - 2 : int(x) + 3].mean())
    assert brightness == sorted(brightness)
    assert brightness[-1] - brightness[0] > 0.4


def test_the_wires_settle_into_the_new_weights_at_the_update(renderer, target, records):
    record = records[0]
    # Every first-layer weight positive before the update and negative after it: the
    # band of first-layer wires must turn from blue to amber.
    magnitude = np.abs(record.params_before["W1"])
    before_params, after_params = dict(record.params_before), dict(record.params_after)
    before_params["W1"] = frozen_array(magnitude)
    after_params["W1"] = frozen_array(-magnitude)
    crafted = dataclasses.replace(record, params_before=before_params, params_after=after_params)
    region = between_input_and_hidden(renderer)
    backdrop = draw(renderer, target, make_frame(None, Phase.WAITING, 0.0))[region]
    before = draw(renderer, target, make_frame(crafted, Phase.BACKWARD, 0.99))[region] - backdrop
    draw(renderer, target, make_frame(crafted, Phase.UPDATE, 0.3, motion_time=0.0))  # sparks fly…
    after = draw(renderer, target, make_frame(crafted, Phase.UPDATE, 0.99))[region] - backdrop

    def share_of_blue(light):
        wires = light.sum(axis=2) > 0.05
        return float((light[..., 2] > light[..., 0])[wires].mean())

    assert share_of_blue(before) > 0.9
    assert share_of_blue(after) < 0.1
    # Waiting for the next record (a slow trainer, a finished run) keeps the new weights.
    waiting = draw(renderer, target, make_frame(crafted, Phase.WAITING, 0.0))[region] - backdrop
    assert share_of_blue(waiting) < 0.1


def test_the_image_grid_shows_the_focused_image(renderer, target, records):
    record = records[2]
    image = draw(renderer, target, make_frame(record, Phase.FORWARD, 0.1))
    pixels = record.inputs[record.focus]
    centres = renderer.layout.positions[0].astype(int)
    shown = np.array([image[y, x].mean() for x, y in centres])
    assert np.corrcoef(shown, pixels)[0, 1] > 0.95


def test_the_image_pixels_redden_evenly_inside_their_tiles(renderer, target, records):
    """The input image's pixels have programs of their own (neurons.frag): as the backward
    wave reaches them, each tile reddens evenly with its ∂ℓ/∂x, inside the tile — where a
    round neuron would only grow a halo around its body."""
    record = records[2]
    start = draw(renderer, target, make_frame(record, Phase.BACKWARD, 0.01))
    end = draw(renderer, target, make_frame(record, Phase.BACKWARD, 0.99))
    red = end[..., 0] - start[..., 0]
    centres = np.round(renderer.layout.positions[0]).astype(int)
    rises = red[centres[:, 1], centres[:, 0]]
    assert rises.max() > 0.1
    x, y = centres[int(np.argmax(rises))]
    inside = round(0.6 * renderer.layout.radii[0])
    for dx, dy in ((-1, -1), (-1, 1), (1, -1), (1, 1)):
        assert abs(red[y + dy * inside, x + dx * inside] - rises.max()) < 0.02


def test_resizing_moves_everything_to_the_new_size(renderer, ctx, records):
    for size in ((480, 640), (1000, 400)):
        target = OffscreenTarget(ctx, size)
        renderer.resize(size)
        renderer.draw(make_frame(records[0], Phase.FORWARD, 1.0), target.framebuffer)
        image = target.read_rgb()
        x, y = renderer.layout.positions[-1][0].astype(int)
        assert image.shape == (size[1], size[0], 3)
        assert image[y, x].mean() > 60  # the lit output neuron is where the layout says
        target.release()


def test_the_output_labels_name_the_records_classes(renderer, target, records, monkeypatch):
    test_set = dataclasses.replace(records[0].test_set, class_names=("cat", "dog"))
    record = dataclasses.replace(records[0], test_set=test_set)
    drawn, draw_text = [], renderer.text.draw

    def spy(size, text, *args, **kwargs):
        drawn.append(text)
        draw_text(size, text, *args, **kwargs)

    monkeypatch.setattr(renderer.text, "draw", spy)
    draw(renderer, target, make_frame(record, Phase.FORWARD, 0.9))
    assert [text for text in drawn if not text.endswith("%")] == ["cat", "dog"]


def test_waiting_for_the_first_record_draws_the_empty_network(renderer, target):
    image = draw(renderer, target, make_frame(None, Phase.WAITING, 0.0))
    assert image.mean() < 0.1  # dark: no wires, no light yet
    x, y = renderer.layout.positions[1][0].astype(int)
    assert image[y, x].max() > image[5, 5].max()  # but the neuron bodies are there


def test_an_unchanged_weight_start_swaps_slots_instead_of_baking(renderer, target, records):
    bakes = renderer._synapses.bakes
    for record in records[:4]:
        draw(renderer, target, make_frame(record, Phase.FORWARD, 0.5))
    # The first record bakes "before" and "after"; each later one only its "after".
    assert renderer._synapses.bakes - bakes == 2 + 3


@pytest.mark.parametrize("lesson", ["shapes", "minitorch"])
def test_a_bake_is_spread_over_frames_of_a_few_hundred_wires_each(ctx, lesson, monkeypatch):
    """Each frame bakes at most 150 wires of the next picture (minitorch's 2,368 in
    quarters cost 20 ms a frame at 1080p), and together every wire once a picture."""
    from visualizer.render import synapse_layer

    config = load_config(lesson=lesson, overrides=["visuals.particles=0"])
    run = TrainingRun(config, 0)
    records = [run.next_record() for _ in range(2)]
    renderer = Renderer(ctx, config, SIZE)
    target = OffscreenTarget(ctx, SIZE)
    synapses = renderer._synapses
    baked: list[range] = []
    chunk = synapses._bake_chunk

    def counted(slot):
        done, chunks = synapses._chunks - slot.chunks_left, synapses._chunks
        count = synapses._synapse_count
        baked.append(range(count * done // chunks, count * (done + 1) // chunks))
        chunk(slot)

    monkeypatch.setattr(synapses, "_bake_chunk", counted)
    try:
        for _ in range(20):  # its pictures baked whole
            draw(renderer, target, make_frame(records[0], Phase.FORWARD, 0.5))
        baked.clear()
        draw(renderer, target, make_frame(records[1], Phase.FORWARD, 0.1))  # the "after" starts
        for _ in range(20):
            draw(renderer, target, make_frame(records[1], Phase.FORWARD, 0.5))
        wires = synapses._synapse_count
        # Whole pictures: each wire as often as any other ("before" too, if batches between
        # records moved the weights), in parts of at most WIRES_PER_CHUNK.
        times = np.bincount([i for part in baked for i in part], minlength=wires)
        assert times.min() == times.max() >= 1
        assert max(len(part) for part in baked) <= 150  # ≈ 2.5 ms of llvmpipe's at 1080p
        per_picture = -(-wires // synapse_layer.WIRES_PER_CHUNK)  # 8 for 1,056, 16 for 2,368
        assert len(baked) == times[0] * per_picture
    finally:
        target.release()
        renderer.release()


def test_every_program_is_compiled_when_the_renderer_is_built(ctx, monkeypatch):
    """None mid-show: a program compiled when first drawn made llvmpipe's whole first
    cycle slower (the neurons' variants, p95 at 720p +4 ms)."""
    config = load_config(lesson="minitorch")
    run = TrainingRun(config, 0)
    minitorch = [run.next_record() for _ in range(2)]
    renderer = Renderer(ctx, config, SIZE)
    target = OffscreenTarget(ctx, SIZE)
    asked = []
    monkeypatch.setattr(renderer.shaders, "program", lambda *args, **kwargs: asked.append(args))
    try:
        for record in minitorch:
            for phase in (Phase.FORWARD, Phase.BACKWARD, Phase.UPDATE):
                for progress in (0.1, 0.5, 0.95):
                    draw(renderer, target, make_frame(record, phase, progress))
    finally:
        target.release()
        renderer.release()
    assert asked == []


def test_text_is_rendered_once_and_reused(renderer, target):
    text = renderer.text
    before = text.renders
    for _ in range(5):
        text.draw(SIZE, "circle 93%", (10, 10), 20, (1, 1, 1, 1))
    assert text.renders == before + 1
    text.draw(SIZE, "circle 94%", (10, 10), 20, (1, 1, 1, 1))
    assert text.renders == before + 2


def test_text_outside_the_rows_being_painted_is_left_out_and_still_measured(renderer, target):
    text = renderer.text
    target.framebuffer.use()

    def drawn(rows):
        target.framebuffer.clear()
        text.rows = rows
        try:
            size = text.draw(SIZE, "circle 93%", (10, 100), 20, (1, 1, 1, 1))
        finally:
            text.rows = None
        return size, target.read_rgb()[:, :, 0].max(axis=1) > 0.2  # the rows it lit

    everywhere, lit = drawn(None)
    top, bottom = np.flatnonzero(lit)[[0, -1]]
    assert 100 <= top < bottom < 100 + everywhere[1]
    size, lit_above = drawn((0, 100))  # rows above it: measured, not drawn
    assert size == everywhere and not lit_above.any()
    assert not drawn((100 + everywhere[1], SIZE[1]))[1].any()  # below it
    assert np.array_equal(drawn((bottom, bottom + 1))[1], lit)  # one of its rows: all of it


def test_each_band_tells_the_painter_its_rows_in_the_huds_own_pixels(ctx, monkeypatch):
    from visualizer.render.hud_staging import HudStaging, region_boxes

    size, drift = (640, 400), (3, -5)
    target = OffscreenTarget(ctx, size)
    staging = HudStaging(ctx, size, target.framebuffer)
    regions = (Rect(0, 0, 640, 40), Rect(0, 300, 200, 100))
    staging.set_regions(regions)
    told = []
    monkeypatch.setattr(hud_staging, "BAND_PIXELS", 640 * 10)
    try:
        staging.start(1, drift, told.append)
        while not staging.ready:
            staging.paint(at_once=False)
    finally:
        staging.release()
        target.release()
    assert len(told) > 4
    rows = np.zeros(size[1] + 20, dtype=int)
    for top, bottom in told:
        rows[top + 10 : bottom + 10] += 1  # (room for the drift's rows off the screen)
    hud_rows = np.zeros_like(rows)
    for _, y, _, height in region_boxes(regions, size, drift):  # on the screen, GL's rows
        top = size[1] - y - height - drift[1]  # … in the HUD's own
        hud_rows[top + 10 : top + height + 10] = 1
    assert rows.max() == 1 and (rows[hud_rows == 1] == 1).all()  # every row of the HUD once


@pytest.mark.parametrize("capacity", [1, 2, 16])
def test_ui_shapes_of_different_fills_are_drawn_in_the_order_given(ctx, capacity):
    """A batch of one fill (colour, atlas, picture) has a program of its own, one of
    several fills one where each shape chooses: the shapes layer in the order they came,
    and each is filled as it asked, whichever program draws it (capacity 1: each its own
    fill's)."""
    from visualizer.render.shaders import ShaderLibrary
    from visualizer.render.ui import UiBatch

    size = (64, 64)
    target = OffscreenTarget(ctx, size)
    ui = UiBatch(ctx, ShaderLibrary(ctx), capacity=capacity)
    try:
        ui.set_images(np.array([[0.0, 1.0, 1.0, 1.0]]), 2)  # a 2×2 image, its top left dark
        ui.set_picture(np.array([[[0.0, 0.0, 1.0]]]))  # one blue pixel
        target.framebuffer.use()
        target.framebuffer.clear()
        ui.rect(Rect(0, 0, 64, 64), (1.0, 0.0, 0.0, 1.0))
        ui.image(Rect(8, 8, 48, 48), 0)
        ui.rect(Rect(36, 36, 8, 8), (0.0, 1.0, 0.0, 1.0))
        ui.picture(Rect(44, 12, 8, 8))
        ui.flush(size)
        image = target.read_rgb() / 255.0
    finally:
        ui.release()
        target.release()
    for (x, y), colour in {
        (4, 4): (1, 0, 0),  # the red ground
        (16, 16): (0, 0, 0),  # the image's dark pixel over it
        (20, 44): (1, 1, 1),  # its white ones
        (40, 40): (0, 1, 0),  # the green square over the image
        (48, 16): (0, 0, 1),  # the picture over the image
    }.items():
        assert np.allclose(image[y, x], colour, atol=0.01), (x, y)


def test_the_kiosk_drift_moves_the_whole_picture(renderer, target, records):
    settled = make_frame(records[1], Phase.UPDATE, 1.0)  # shows the slot baked for record 1
    draw(renderer, target, make_frame(records[0], Phase.FORWARD, 0.5))
    still = draw(renderer, target, settled)
    renderer.set_offset((4, -3))
    renderer.resize((SIZE[0] + 2, SIZE[1]))  # bake everything again, now with the drift
    renderer.resize(SIZE)
    moved = draw(renderer, target, settled)
    renderer.set_offset((0, 0))
    assert renderer.offset == (4, -3)
    # Everything shifted 4 px right and 3 px up (the backdrop's dither aside).
    core = (slice(20, -20), slice(20, -20))
    shifted_back = np.roll(np.roll(moved, -4, axis=1), 3, axis=0)
    assert np.abs(shifted_back[core] - still[core]).mean() < 0.01
    assert np.abs(moved[core] - still[core]).max() > 0.3  # and it did move
    # A window position maps back to where the layouts put things.
    assert renderer.to_picture((104, 97)) == (100, 100)


def test_a_drift_step_waits_for_the_next_bake_instead_of_stalling_a_frame(
    renderer, target, records
):
    before = draw(renderer, target, make_frame(records[0], Phase.FORWARD, 0.5))
    bakes = renderer._synapses.bakes
    renderer.set_offset((2, 1))
    again = draw(renderer, target, make_frame(records[0], Phase.FORWARD, 0.5))
    assert renderer._synapses.bakes == bakes and renderer.offset == (0, 0)
    assert np.abs(again - before).max() < 0.01  # nothing moved, nothing was baked
    # The next record bakes its "after" weights with the drift; the picture and the live
    # layers follow together once that slot is shown, at the end of its update.
    draw(renderer, target, make_frame(records[1], Phase.FORWARD, 0.5))
    assert renderer.offset == (0, 0) and renderer._synapses.bakes == bakes + 1
    draw(renderer, target, make_frame(records[1], Phase.UPDATE, 1.0))
    assert renderer.offset == (2, 1)
    renderer.set_offset((0, 0))


@pytest.mark.parametrize(
    "overrides",
    [
        # A deeper network on the same 8×8 images …
        ["network.sizes=[64, 12, 8, 2]"],
        # … and a tiny one: 4×4 images, four hidden neurons, one sigmoid output.
        ["data.shapes.image_size=4", "network.sizes=[16, 4, 1]", "network.output=sigmoid"],
    ],
    ids=["64-12-8-2", "16-4-1"],
)
def test_other_networks_from_the_config_are_drawn_the_same_way(ctx, overrides):
    config = load_config(overrides=overrides)
    record = TrainingRun(config, 0).next_record()
    renderer = Renderer(ctx, config, SIZE)
    target = OffscreenTarget(ctx, SIZE)
    try:
        assert [len(row) for row in renderer.layout.positions] == list(config.network.sizes)
        frame = make_frame(record, Phase.FORWARD, 0.5)
        count, (r, g, b) = particle_light(
            renderer, target, frame, between_input_and_hidden(renderer)
        )
        assert count > 200 and min(r, g, b) > 0.8 * max(r, g, b)
        image = draw(renderer, target, make_frame(record, Phase.FORWARD, 1.0))
        for x, y in renderer.layout.positions[-1].astype(int):
            assert image[y, x].mean() > 0.2  # every output neuron lit where the layout says
    finally:
        target.release()
        renderer.release()


def test_overlapping_wires_with_small_changes_do_not_flash_as_one_large_change(
    ctx, renderer, target, records
):
    """Every wire changed by the same small amount: where a thousand wires cross, the flash
    is as bright as on a lone wire, not saturated (the flash shows |Δw|, not wire density)."""
    from visualizer.render.shaders import ShaderLibrary
    from visualizer.render.synapse_layer import SynapseLayer
    from visualizer.scene.signals import look_of

    look = look_of(records[4])
    change = 0.2
    look = dataclasses.replace(look, change=np.full_like(look.change, change))
    layer = SynapseLayer(ctx, ShaderLibrary(ctx), renderer.layout, SIZE, renderer.scale)
    try:
        layer.show(look)
        flash = 0.55
        pictures = []
        for strength in (0.0, flash):
            layer.draw(target.framebuffer, 1.0, strength)
            pictures.append(target.read_rgb().astype(np.float64) / 255.0)
    finally:
        layer.release()
    added = pictures[1][..., 0] - pictures[0][..., 0]  # SPARK_LIGHT's red channel is 1
    lit = added > 0.01
    assert lit.sum() > 2000  # the flash is there, on many wires
    assert added.max() <= flash * change + 2 / 255  # and nowhere brighter than one change


def test_a_show_without_particles_draws(ctx, target, default_config, records):
    """visuals.particles: 0 is valid: the glows, halos and wires still tell the story."""
    config = default_config.replace(visuals={"particles": 0})
    renderer = Renderer(ctx, config, SIZE)
    try:
        for phase in (Phase.FORWARD, Phase.BACKWARD):
            picture = draw(renderer, target, make_frame(records[0], phase, 0.9))
            assert picture.max() > 0.5  # the neurons' light is there
    finally:
        renderer.release()


@pytest.fixture
def quiet_renderer(ctx, default_config):
    """No particles: the neurons' own light, alone, can be read off the pixels."""
    renderer = Renderer(ctx, default_config.replace(visuals={"particles": 0}), (1280, 720))
    yield renderer
    renderer.release()


@pytest.fixture
def big_target(ctx):
    target = OffscreenTarget(ctx, (1280, 720))
    yield target
    target.release()


def _halo_light(renderer, target, record) -> np.ndarray:
    """Per hidden neuron, the light the backward wave adds straight above it, from the
    body's edge outwards: its halo's, which no neighbour's halo reaches. (Not below it:
    there 64 wires converge, already white, where added light cannot show.)"""
    layout = renderer.layout
    radius = layout.radii[1]
    pictures = [
        draw(renderer, target, make_frame(record, Phase.BACKWARD, progress)).sum(axis=2)
        for progress in (0.0, 0.95)  # before and after the wave reaches the hidden row
    ]
    added = pictures[1] - pictures[0]
    totals = []
    for x, y in layout.positions[1]:
        column = round(x)
        totals.append(added[round(y - 3 * radius) : round(y - radius), column].sum())
    return np.array(totals)


def test_glows_are_proportional_to_activation_and_never_saturate(
    quiet_renderer, big_target, records
):
    record = records[12]
    a = record.activations[1][record.focus]
    shown = a / np.abs(record.activations[1]).max()  # what the legend names
    layout = quiet_renderer.layout
    picture = draw(quiet_renderer, big_target, make_frame(record, Phase.FORWARD, 0.95))
    centres = np.array([picture[round(y), round(x)] for x, y in layout.positions[1]])
    assert centres.max() < 250 / 255  # the brightest glow is not clipped
    body = centres[shown == 0].mean(axis=0) if (shown == 0).any() else picture[0, 0]
    light = (centres - body).mean(axis=1)  # what the glow adds at the centre
    assert np.corrcoef(light, shown)[0, 1] > 0.995  # ∝ a / max a
    assert np.all(light[shown == 0] < 1 / 255)  # a = 0: no glow at all


def test_halos_follow_the_error_and_a_neuron_without_error_has_none(
    quiet_renderer, big_target, records
):
    record = next(r for r in records if r.dead_neurons[0].any())
    rms = np.sqrt(np.mean(record.deltas[0] ** 2, axis=0))
    no_error = np.all(record.deltas[0] == 0, axis=0)
    assert no_error.any() and not no_error.all()
    halo = _halo_light(quiet_renderer, big_target, record)
    assert np.all(np.abs(halo[no_error]) < 1 / 255)  # δ ≡ 0: no halo, not even a faint ring
    has_error = ~no_error
    order = np.argsort(rms[has_error])
    assert np.all(np.diff(halo[has_error][order]) > -0.05)  # larger error, more halo
    assert halo[has_error].min() > 0


def test_a_dead_neuron_wears_a_dashed_outline_and_the_others_a_whole_one(
    quiet_renderer, big_target, records
):
    record = next(r for r in records if r.dead_neurons[0].any())
    picture = draw(quiet_renderer, big_target, make_frame(record, Phase.BACKWARD, 0.0))
    layout, radius = quiet_renderer.layout, quiet_renderer.layout.radii[1]
    ys, xs = np.mgrid[0 : picture.shape[0], 0 : picture.shape[1]]
    light = picture.sum(axis=2)
    for (x, y), dead in zip(layout.positions[1], record.dead_neurons[0]):
        # The brightest pixel in each of 30 sectors of a band just inside the body's edge,
        # where the dashes are drawn (the whole outline of a live neuron is further out).
        dx, dy = xs + 0.5 - x, ys + 0.5 - y  # from pixel centres
        distance = np.hypot(dx, dy)
        band = (distance > radius - 3.2) & (distance < radius - 1.75)
        sector = ((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * 30).astype(int) % 30
        brightness = np.array([light[band & (sector == k)].max() for k in range(30)])
        dashes = brightness > 2 * brightness.min()
        if dead:
            assert 0.3 < dashes.mean() < 0.8, dashes
        else:
            assert brightness.max() < 1.3 * brightness.min(), brightness


def test_what_holds_a_neuron_down_is_drawn_hollow_and_fades_before_it_arrives(
    renderer, target, records
):
    """Turn every forward contribution into one that holds its neuron down: particles
    still leave the inputs, but no light reaches the hidden row."""
    from visualizer.scene.signals import look_of

    record = records[3]
    look = look_of(record)
    assert not look.pushes_up.all() and look.pushes_up.any()
    expected = np.concatenate(
        [
            (a[record.focus][:, None] * w).ravel() >= 0
            for a, w in zip(record.activations, record.weights_before)
        ]
    )
    assert np.array_equal(look.pushes_up, expected)
    frame = make_frame(record, Phase.FORWARD, 0.78)  # the wave front is at the top
    lower, upper = _gap_bands(renderer)
    normal = (
        particle_light(renderer, target, frame, lower)[0],
        particle_light(renderer, target, frame, upper)[0],
    )
    renderer._record_look = dataclasses.replace(look, pushes_up=np.zeros_like(look.pushes_up))
    renderer._pass_key = None
    holding = (
        particle_light(renderer, target, frame, lower)[0],
        particle_light(renderer, target, frame, upper)[0],
    )
    assert holding[0] > 0.3 * normal[0]  # they still leave the inputs …
    assert holding[1] < 0.1 * normal[1]  # … but fade out before they arrive


def _gap_bands(renderer) -> tuple[tuple[slice, slice], tuple[slice, slice]]:
    """The lower and upper thirds of the wires between the image grid and the hidden row."""
    rows, columns = between_input_and_hidden(renderer)
    third = (rows.stop - rows.start) // 3
    upper = slice(rows.start, rows.start + third)  # y grows downwards: the top is near hidden
    lower = slice(rows.stop - third, rows.stop)
    return (lower, columns), (upper, columns)


def calm(renderer: Renderer, on: bool) -> Renderer:
    renderer.reduced_motion = on
    return renderer


def test_calm_motion_keeps_the_picture_still_against_the_kiosks_drift(renderer, target, records):
    settled = make_frame(records[1], Phase.UPDATE, 1.0)
    draw(renderer, target, make_frame(records[0], Phase.FORWARD, 0.5))
    still = draw(renderer, target, settled)
    calm(renderer, True).set_offset((4, -3))
    renderer.resize((SIZE[0] + 2, SIZE[1]))  # bake everything again: with no drift
    renderer.resize(SIZE)
    calmed = draw(renderer, target, settled)
    assert renderer.offset == (0, 0)
    core = (slice(20, -20), slice(20, -20))
    assert np.abs(calmed[core] - still[core]).mean() < 0.01
    calm(renderer, False).set_offset((4, -3))  # off (the kiosk asks every frame): the
    renderer.resize((SIZE[0] + 2, SIZE[1]))  # drift comes back with the next bake
    renderer.resize(SIZE)
    draw(renderer, target, settled)
    assert renderer.offset == (4, -3)
    renderer.set_offset((0, 0))


def test_calm_motion_cross_fades_the_update_steadily_with_no_flash_and_no_sparks(
    renderer, target, records
):
    record = records[0]
    region = between_input_and_hidden(renderer)
    pictures = {}
    for on in (False, True):
        calm(renderer, on)
        # Each moment from a fresh burst: the update's sparks start when it does.
        draw(renderer, target, make_frame(record, Phase.UPDATE, 0.0, motion_time=0.0))
        before = draw(renderer, target, make_frame(record, Phase.UPDATE, 0.0, motion_time=0.1))
        middle = draw(renderer, target, make_frame(record, Phase.UPDATE, 0.35, motion_time=0.6))
        after = draw(renderer, target, make_frame(record, Phase.UPDATE, 1.0, motion_time=0.9))
        pictures[on] = [picture[region] for picture in (before, middle, after)]
    # Without calm motion the wires flash (and sparks fly): light beyond both ends.
    before, middle, after = pictures[False]
    assert (middle - np.maximum(before, after)).max() > 0.2
    # With it, the middle of the update is the old and the new picture mixed, no more.
    before, middle, after = pictures[True]
    assert (middle - np.maximum(before, after)).max() <= 2 / 255
    assert np.abs(middle - (0.65 * before + 0.35 * after)).max() <= 2 / 255


def test_calm_motion_has_fewer_slower_particles_and_no_sparks(renderer, target, records):
    frame = make_frame(records[0], Phase.FORWARD, 0.9)  # the verdict's sparks fly now
    band = between_input_and_hidden(renderer)
    particles, sparks = renderer._particles, renderer._sparks
    paces, bursts = [], []
    real_particles, real_sparks = particles.draw, sparks.draw
    particles.draw = lambda uniforms: (paces.append(uniforms["u_motion"]), real_particles(uniforms))
    sparks.draw = lambda *args: (bursts.append(args), real_sparks(*args))
    counts = {}
    for on in (False, True):
        paces.clear(), bursts.clear()
        calm(renderer, on)
        counts[on] = (particle_light(renderer, target, frame, band)[0], particles._active)
        assert paces[0] == pytest.approx(frame.motion_time * (0.5 if on else 1.0))
        assert bool(bursts) is not on
    assert counts[True][1] == pytest.approx(0.4 * counts[False][1], rel=0.01)
    assert counts[True][0] < 0.8 * counts[False][0]  # and less light moves on screen


def test_the_updates_blend_is_drawn_only_around_the_wires_and_is_the_same_picture(
    renderer, target, records, monkeypatch
):
    draw(renderer, target, make_frame(records[0], Phase.FORWARD, 0.5))
    synapses = renderer._synapses
    frames = [make_frame(records[0], Phase.UPDATE, p) for p in (0.2, 0.5, 0.9)]
    around_the_wires = [draw(renderer, target, frame) for frame in frames]
    _, _, width, height = synapses._blend_box()
    assert width * height < 0.8 * SIZE[0] * SIZE[1]  # the wires leave room beside them
    monkeypatch.setattr(synapses, "_blend_box", lambda: None)  # blend every pixel instead
    everywhere = [draw(renderer, target, frame) for frame in frames]
    for mine, full in zip(around_the_wires, everywhere):
        assert np.array_equal(mine, full)
    assert not np.array_equal(around_the_wires[0], around_the_wires[2])  # it did blend


def test_the_hud_is_painted_in_bands_of_a_bounded_size_covering_every_region():
    from visualizer.hud.layout import hud_layout
    from visualizer.render.hud_staging import BAND_PIXELS, bands, region_boxes

    size = (3840, 2160)
    boxes = [(-1, 1900, 3843, 263), (-1, 200, 900, 1700), (2900, 200, 941, 1700)]
    cut = bands(boxes, size)
    covered = np.zeros(size[1], dtype=bool)
    for x, y, width, height in cut:
        assert (x, width) == (0, size[0])
        hud = sum(
            max(0, min(y + height, by + bh) - max(y, by)) * (min(bx + bw, size[0]) - max(bx, 0))
            for bx, by, bw, bh in boxes
        )
        assert hud <= BAND_PIXELS + size[0]  # a band's worth, give or take a row
        assert not covered[y : y + height].any()  # no row twice
        covered[y : y + height] = True
    assert covered[200:2160].all() and not covered[:200].any()

    # Up to 1280×720 (landscape) the whole HUD is one band: painted in the frame it changes.
    def band_count(size):
        return len(bands(region_boxes(hud_layout(size).regions, size, (0, 0)), size))

    assert [band_count(s) for s in ((1280, 720), (1024, 768), (640, 360))] == [1] * 3
    assert band_count((1920, 1080)) == 3 and band_count((3840, 2160)) > 6
