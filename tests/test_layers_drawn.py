"""Seed 004's layers on screen: Dropout's crossed-out neurons and BatchNorm's strips, read
off real offscreen renders and recomputed from the record; the inspector's steps from z
to a; the legend's entries."""

from __future__ import annotations

import dataclasses
import shutil
from functools import partial

import numpy as np
import pytest
from conftest import make_frame
from test_hud import SIZES, drawn_text, inside, overlaps, spied_hud
from test_render import draw

from visualizer.choreography import Phase
from visualizer.config import load_config
from visualizer.hud.history import ShowHistory
from visualizer.hud.inspector import card_lines, inspect
from visualizer.hud.layout import hud_layout
from visualizer.hud.model import Interaction, build_hud
from visualizer.render import renderer as renderer_module
from visualizer.render.context import OffscreenTarget
from visualizer.render.hud.legend import legend_panels
from visualizer.render.palette import DROPPED_MARK
from visualizer.render.renderer import Renderer
from visualizer.render.shaders import ShaderLibrary
from visualizer.resources import resource_path
from visualizer.scene.layout import layout_network
from visualizer.scene.normalisation import normalisation_strips
from visualizer.scene.particles import plan_particles
from visualizer.scene.probe import probe_look
from visualizer.scene.signals import look_of
from visualizer.scene.weight_tiles import weight_tile_boxes
from visualizer.training.run import TrainingRun

SIZE = (1280, 720)


@pytest.fixture(scope="module")
def config():
    """The minitorch lesson (seed 004's stack), without particles: the neurons' own light."""
    return load_config(lesson="minitorch", overrides=["visuals.particles=0"])


@pytest.fixture(scope="module")
def minitorch_records(config):
    run = TrainingRun(config, 0)
    return [run.next_record() for _ in range(3)]


@pytest.fixture
def renderer(ctx, config):
    renderer = Renderer(ctx, config, SIZE)
    yield renderer
    renderer.release()


@pytest.fixture
def target(ctx):
    target = OffscreenTarget(ctx, SIZE)
    yield target
    target.release()


# ------------------------------------------------------------------- Dropout


def crosses(renderer, picture) -> tuple[np.ndarray, np.ndarray]:
    """Per hidden neuron: how much brighter the body is along its diagonals than along its
    axes (a cross), and the colour of its centre pixel."""
    layout = renderer.layout
    radius = layout.radii[1]
    light = picture.sum(axis=2)
    ys, xs = np.mgrid[0 : picture.shape[0], 0 : picture.shape[1]]
    marks, centres = [], []
    for x, y in layout.positions[1]:
        dx, dy = xs + 0.5 - x, ys + 0.5 - y  # from pixel centres
        distance = np.hypot(dx, dy)
        inner = (distance > 0.3 * radius) & (distance < 0.8 * radius)  # inside the rim
        diagonal = inner & (np.abs(np.abs(dx) - np.abs(dy)) < 0.6)
        axis = inner & (np.minimum(np.abs(dx), np.abs(dy)) < 0.5)
        marks.append(light[diagonal].mean() - light[axis].mean())
        centres.append(picture[int(y), int(x)])
    return np.array(marks), np.array(centres)


@pytest.mark.parametrize("index", [1, 2])
def test_a_neuron_dropped_for_the_focused_image_is_crossed_out_and_dark(
    renderer, target, minitorch_records, index
):
    record = minitorch_records[index]
    dropped = record.dropped[0][record.focus]  # the mask of the image the pass follows
    assert dropped.any() and not dropped.all()
    before_wave, _ = crosses(
        renderer, draw(renderer, target, make_frame(record, Phase.FORWARD, 0.1))
    )
    assert np.all(np.abs(before_wave) < 0.15)  # shown once the wave reaches the row
    for phase, progress in ((Phase.FORWARD, 0.95), (Phase.BACKWARD, 0.5)):  # kept all batch
        marks, centres = crosses(
            renderer, draw(renderer, target, make_frame(record, phase, progress))
        )
        assert np.all(marks[dropped] > 1.0), (phase, marks)
        assert np.all(np.abs(marks[~dropped]) < 0.15), (phase, marks)
        # The cross's own colour at the centre, and nothing added to it: no glow.
        assert np.allclose(centres[dropped], DROPPED_MARK, atol=2 / 255)


def test_which_neurons_are_dropped_changes_every_batch(minitorch_records):
    marked = [look_of(r).dropped[1] for r in minitorch_records]
    for record, shown in zip(minitorch_records, marked):
        assert np.array_equal(shown, record.dropout_masks[0][record.focus] == 0)
    assert not np.array_equal(marked[0], marked[1]) and not np.array_equal(marked[1], marked[2])


def test_a_dropped_neuron_has_no_glow_and_sends_no_particles_up(renderer, minitorch_records):
    record = minitorch_records[1]
    look = look_of(record)
    dropped = look.dropped[1]
    assert np.all(record.activations[1][record.focus, dropped] == 0.0)  # a = 0 …
    assert np.all(look.activation[1][dropped] == 0.0)  # … so its glow is nothing
    layout = renderer.layout
    ids = plan_particles(layout, look, backward=False, pool=24_000)
    outputs = len(layout.positions[2])
    senders = (ids[ids >= layout.gap_offsets[1]] - layout.gap_offsets[1]) // outputs
    assert len(senders) > 1000
    assert not np.isin(senders, np.nonzero(dropped)[0]).any()  # its wires carry nothing


def test_a_drawing_drops_nothing(config, minitorch_records):
    record = minitorch_records[1]
    look = probe_look(
        config.network, record.params_after, record.running_stats_after, record.inputs[0]
    )
    assert not any(layer.any() for layer in look.dropped)


# ------------------------------------------------------------------- BatchNorm


def test_the_strips_place_each_images_z_and_its_normalised_value(renderer, minitorch_records):
    record = minitorch_records[1]
    (strip,) = normalisation_strips(record, renderer.layout)
    z, xhat = record.pre_normalisation[0], record.normalised[0]
    scale = strip.pixels_per_unit
    assert np.allclose((strip.middle - strip.before) / scale, z)
    assert np.allclose((strip.middle - strip.after) / scale, xhat)
    # After BatchNorm every column is centred on the middle line with unit spread.
    assert np.allclose(xhat.mean(axis=0), 0.0, atol=1e-9)
    variance = record.batch_variances[0]
    assert np.allclose(xhat.var(axis=0), variance / (variance + 1e-5))
    # z and x̂ share the scale, and every value fits in the band.
    largest = max(np.abs(z).max(), np.abs(xhat).max())
    assert scale * largest == pytest.approx(0.92 * strip.band.height / 2)
    band = strip.band
    for ys in (strip.before, strip.after):
        assert band.y < ys.min() and ys.max() < band.bottom
    # Clear of the row's glow (2.6 radii) and above its neurons, one column each.
    row = renderer.layout.positions[1]
    assert band.bottom < row[0, 1] - 2.6 * renderer.layout.radii[1]
    assert np.array_equal(strip.columns, row[:, 0]) and strip.focus == record.focus


def test_the_strips_make_way_for_the_weight_tiles(renderer, minitorch_records):
    record, layout = minitorch_records[1], renderer.layout
    boxes = weight_tile_boxes(layout)
    top = min(box.y for box in boxes)
    (strip,) = normalisation_strips(record, layout)
    assert strip.band.bottom > top  # where the tiles would be …
    (above,) = normalisation_strips(record, layout, tiles_top=top)
    assert above.band.bottom < top  # … so while they are on the band moves up, whole
    assert above.band.height == strip.band.height
    assert np.allclose(above.middle - above.after, strip.middle - strip.after)
    assert above.band.y > layout.positions[2][0, 1] + 2.6 * layout.radii[2]  # below the outputs


def test_a_strip_stays_under_the_output_labels_and_without_room_is_left_out():
    config = load_config(overrides=["network.sizes=[64,12,8,2]", "network.batch_norm=true"])
    record = TrainingRun(config, 0).next_record()
    layout = layout_network(config.network.sizes, hud_layout(SIZE).stage, 8)
    first, second = normalisation_strips(record, layout)  # nothing written under the outputs
    for strip, upper in ((first, 2), (second, 3)):
        assert strip.band.y > layout.positions[upper][0, 1] + 2.6 * layout.radii[upper]
    labels = second.band.y + 1.0
    squeezed = normalisation_strips(record, layout, labels_bottom=labels)
    assert squeezed[0].band == first.band  # only the last hidden layer's room changes
    assert squeezed[1].band.y > labels and squeezed[1].band.height < second.band.height
    left = normalisation_strips(record, layout, labels_bottom=second.band.bottom)
    assert [strip.layer for strip in left] == [1]  # no room for the second: left out


def test_on_screen_no_strip_covers_the_output_probabilities(ctx, target):
    """Two hidden layers at 1280×720: the second's band would reach the probabilities
    written under the outputs, so it is left out."""
    overrides = ["network.sizes=[64,12,8,2]", "network.batch_norm=true", "visuals.particles=0"]
    config = load_config(overrides=overrides)
    record = TrainingRun(config, 0).next_record()
    renderer = Renderer(ctx, config, SIZE)
    try:
        first, second = normalisation_strips(record, renderer.layout)
        picture = draw(renderer, target, make_frame(record, Phase.BACKWARD, 0.5))
    finally:
        renderer.release()
    assert tick_rows(picture, first, 0).size  # the first layer's strip is there …
    assert tick_rows(picture, second, 0).size == 0  # … the second's is not


def test_no_strips_without_batch_norm(renderer, records):
    assert normalisation_strips(records[0], renderer.layout) == ()


def tick_rows(picture, strip, neuron) -> np.ndarray:
    """The rows of a neuron's column in the band that are lit (by a tick or the middle
    line), as pixel centres."""
    x, half = strip.columns[neuron], strip.tick_half_width
    columns = slice(round(x - half + 1), round(x + half - 1))
    top = int(strip.band.y)
    profile = picture[top : int(strip.band.bottom) + 1, columns].mean(axis=(1, 2))
    return np.nonzero(profile > 0.3)[0] + top + 0.5


@pytest.mark.parametrize("neuron", [0, 5, 17])
def test_each_tick_slides_from_z_to_its_normalised_value_as_the_wave_passes(
    renderer, target, minitorch_records, neuron
):
    record = minitorch_records[1]
    (strip,) = normalisation_strips(record, renderer.layout)
    early = draw(renderer, target, make_frame(record, Phase.FORWARD, 0.1))
    assert tick_rows(early, strip, neuron).size == 0  # nothing before the wave nears
    # Wave front at 0.75 layers: the Linear outputs have arrived; at 1.5 it has passed.
    for progress, expected in ((0.3, strip.before), (0.6, strip.after)):
        picture = draw(renderer, target, make_frame(record, Phase.FORWARD, progress))
        lit = tick_rows(picture, strip, neuron)
        ticks = expected[:, neuron]
        distance = np.abs(lit[:, None] - ticks[None, :])
        assert np.all(distance.min(axis=0) < 1.6), (progress, lit, ticks)  # every tick …
        off_line = np.abs(lit - strip.middle) > 1.0
        assert np.all(distance.min(axis=1)[off_line] < 1.6), (progress, lit, ticks)  # … alone
    backward = draw(renderer, target, make_frame(record, Phase.BACKWARD, 0.5))
    assert np.array_equal(tick_rows(backward, strip, neuron), lit)  # x̂ stays


def test_a_drawing_shows_no_strips(renderer, target, config, minitorch_records):
    record = minitorch_records[1]
    (strip,) = normalisation_strips(record, renderer.layout)
    frame = make_frame(record, Phase.BACKWARD, 0.5)
    assert tick_rows(draw(renderer, target, frame), strip, 5).size
    drawing = probe_look(
        config.network, record.params_before, record.running_stats_before, record.inputs[0]
    )
    probing = dataclasses.replace(frame, drawing_progress=1.0)
    renderer.draw(probing, target.framebuffer, drawing_look=drawing)
    picture = target.read_rgb().astype(np.float64) / 255.0
    assert tick_rows(picture, strip, 5).size == 0


# ------------------------------------------------------------------- the inspector


def test_the_inspector_names_every_step_from_z_to_a(minitorch_records):
    record = minitorch_records[1]
    focus, p = record.focus, record.dropout
    dropped = record.dropped[0][focus]
    for neuron in (int(np.argmax(dropped)), int(np.argmin(dropped))):
        lines = card_lines(inspect(record, 1, neuron))
        z = record.pre_activations[0][focus, neuron]
        mean, variance = record.batch_means[0][neuron], record.batch_variances[0][neuron]
        xhat = (z - mean) / np.sqrt(variance + 1e-5)
        gamma, beta = record.params_before["gamma1"][neuron], record.params_before["beta1"][neuron]
        u = gamma * xhat + beta
        assert lines[1] == f"z = {z:+.3f}  (the Linear output)"
        assert lines[2] == f"batch μ = {mean:+.3f}   σ² = {variance:.3f}"
        assert lines[3] == f"x̂ = (z − μ)/√(σ² + ε) = {xhat:+.3f}"
        assert lines[4] == f"γ = {gamma:.3f}  β = {beta:+.3f}   γ·x̂ + β = {u:+.3f}"
        count = int(record.dropped[0][:, neuron].sum())
        assert lines[6] == f"dropped for {count} of this batch's 16 images"
        delta = record.deltas[0][focus, neuron]
        if dropped[neuron]:
            assert lines[5] == "a = 0: dropped in this batch, for this image"
            assert delta != 0.0  # BatchNorm's statistics bring it error from the batch
            assert "δ ≠ 0 though dropped: it comes via μ and σ²" in lines
        else:
            a = max(u, 0.0) / (1 - p)  # ReLU, then inverted dropout
            assert a == pytest.approx(record.activations[1][focus, neuron])
            assert lines[5] == f"a = φ(γ·x̂ + β) ÷ 0.8 = {a:.3f}  (kept)"


def test_without_batch_norm_a_dropped_neuron_gets_no_error_from_its_image():
    config = load_config(overrides=["network.dropout=0.3"])
    record = TrainingRun(config, 0).next_record()
    dropped = record.dropped[0][record.focus]
    neuron = int(np.argmax(dropped & ~record.dead_neurons[0]))
    assert dropped[neuron]
    lines = card_lines(inspect(record, 1, neuron))
    z = record.pre_activations[0][record.focus, neuron]
    assert lines[1:4] == [
        f"z = {z:+.3f}  (the Linear output)",
        "a = 0: dropped in this batch, for this image",
        f"dropped for {int(record.dropped[0][:, neuron].sum())} of this batch's 16 images",
    ]
    assert record.deltas[0][record.focus, neuron] == 0.0
    assert "dropped: no error reaches it from this image" in lines


def test_the_inspectors_steps_wait_for_the_forward_wave(minitorch_records):
    record = minitorch_records[1]
    values = inspect(record, 1, 3)
    interaction = Interaction(inspector=(values, (10.0, 10.0)))

    def shown(progress):
        frame = make_frame(record, Phase.FORWARD, progress)
        hud = build_hud(frame, hud_layout(SIZE), ShowHistory(), interaction, (1.0,), False)
        return hud[1].inspector[0]

    early, reached = shown(0.1), shown(0.5)
    assert early.normalisation is None and early.dropping is None
    assert card_lines(early)[1] == "z and a: when the forward pass gets here"
    assert reached.normalisation == values.normalisation and reached.dropping == values.dropping


# ------------------------------------------------------------------- the legend


def test_the_legend_explains_the_layers_the_network_has(ctx, config, minitorch_records, records):
    legend = " ".join(drawn_text(ctx, config, minitorch_records[1], Interaction(legend=True)))
    assert "BatchNorm" in legend and "z → x̂ = (z − μ)/σ" in legend
    assert "Dropout" in legend and "dropped for this image: a = 0" in legend
    default = load_config()
    plain = " ".join(drawn_text(ctx, default, records[1], Interaction(legend=True)))
    assert "BatchNorm" not in plain and "Dropout" not in plain


@pytest.mark.parametrize("size", SIZES)
def test_the_longer_legend_stays_inside_its_panel(ctx, config, minitorch_records, size):
    history = ShowHistory()
    history.add(minitorch_records[0])
    frame = make_frame(minitorch_records[1], Phase.FORWARD, 0.9)
    with spied_hud(ctx, config, size) as (layer, layout, boxes):
        hud = build_hud(frame, layout, history, Interaction(legend=True), (1.0,), False)
        layer.paint(hud[0], size)
    panels = legend_panels(hud[0])  # the right column's, and the left's where it is cramped
    legend = [(run, box) for run, box in boxes if any(inside(box, panel) for panel in panels)]
    assert any("BatchNorm" in run for run, _ in legend)
    assert any("Dropout" in run for run, _ in legend)
    areas = (*panels, *layout.panels, layout.regions[0], layout.regions[-1])
    for run, box in boxes:  # every word inside a panel, the top bar or the controls
        assert any(inside(box, area) for area in areas), (run, box)
    for i, (run, box) in enumerate(legend):
        for other, box2 in legend[i + 1 :]:
            assert not overlaps(box, box2), (run, other)


@pytest.mark.parametrize("size", SIZES)
def test_ten_classes_output_rows_do_not_overlap(ctx, config, minitorch_records, size):
    """Ten classes in the output panel (a low one on a portrait screen): smaller rows."""
    history = ShowHistory()
    history.add(minitorch_records[0])
    frame = make_frame(minitorch_records[1], Phase.FORWARD, 0.99)
    with spied_hud(ctx, config, size) as (layer, layout, boxes):
        hud = build_hud(frame, layout, history, Interaction(), (1.0,), False)
        layer.paint(hud[0], size)
    rows = [(run, box) for run, box in boxes if inside(box, layout.output)]
    assert sum(run.endswith("%") for run, _ in rows) == 10
    for i, (run, box) in enumerate(rows):
        for other, box2 in rows[i + 1 :]:
            assert not overlaps(box, box2), (run, other, size)


# ------------------------------------------------------------- sprite sizes


@pytest.mark.parametrize("size", [SIZE, (1920, 1080)])
def test_each_neuron_sprite_holds_all_it_draws(ctx, config, minitorch_records, tmp_path, size):
    """Each neuron's sprite is only as large as what it draws in that pass (its body, the
    true class's ring, Dropout's cross, its glow or halo, or nothing): the same picture, to
    a rounding step, as with every sprite as large as the largest (as they all once were)."""
    shaders = tmp_path / "shaders"
    shutil.copytree(resource_path("shaders"), shaders)
    vertex = shaders / "neurons.vert"
    source = vertex.read_text()
    assert "    gl_PointSize = seen_size(a_position, 2.0 * v_extent);" in source
    vertex.write_text(
        source.replace(
            "    gl_PointSize = seen_size(",
            "    v_extent = a_radius * GLOW_EXTENT + 7.0 * u_scale;\n    gl_PointSize = seen_size(",
        )
    )
    renderers = [Renderer(ctx, config, size)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(renderer_module, "ShaderLibrary", partial(ShaderLibrary, directory=shaders))
        renderers.append(Renderer(ctx, config, size))
    target = OffscreenTarget(ctx, size)
    try:
        moments = [(Phase.FORWARD, 0.3), (Phase.FORWARD, 0.95), (Phase.BACKWARD, 0.2)]
        moments += [(Phase.BACKWARD, 0.9), (Phase.UPDATE, 0.3)]
        for record in minitorch_records[:2]:
            for phase, progress in moments:
                frame = make_frame(record, phase, progress)
                tight, generous = (draw(r, target, frame) for r in renderers)
                # A rounding step from each of two overlapping sprites at most.
                assert np.abs(tight - generous).max() <= 2.5 / 255, (phase, progress)
    finally:
        target.release()
        for renderer in renderers:
            renderer.release()
