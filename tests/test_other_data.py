"""The show for data that is not circles and squares: other inputs, more classes, the map.

Runs real records of every kind of data through the scene and the HUD (and offscreen GL
for the pixels): inputs that are not pixels, up to ten outputs, bar charts for samples
that are not images, and the decision map of a network with two inputs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import make_frame

from visualizer.choreography import Phase
from visualizer.config import load_config
from visualizer.hud.history import ShowHistory
from visualizer.hud.layout import hud_layout
from visualizer.hud.model import Interaction, build_hud
from visualizer.render import palette
from visualizer.render.context import OffscreenTarget
from visualizer.render.hud.plane import map_colours
from visualizer.render.renderer import Renderer
from visualizer.scene.decision_map import DecisionMaps, plane_bounds, plane_grid
from visualizer.scene.layout import Rect, layout_network
from visualizer.scene.particles import MAX_PER_SYNAPSE, allocate, gap_budgets
from visualizer.scene.probe import network_copy
from visualizer.scene.signals import look_of
from visualizer.training.data import fit_to_data
from visualizer.training.run import TrainingRun

FRUIT = Path(__file__).resolve().parents[1] / "examples" / "fruit.csv"
SIZE = (1280, 720)


@pytest.fixture(scope="module")
def fruit_config():
    return fit_to_data(load_config(None, ["data.source=file", f"data.file={FRUIT}"]))


@pytest.fixture(scope="module")
def fruit_records(fruit_config):
    run = TrainingRun(fruit_config, 0)
    return [run.next_record() for _ in range(12)]


@pytest.fixture(scope="module")
def digits_config():
    return load_config(None, ["data.source=digits", "network.sizes=[64, 32, 10]"])


def test_inputs_that_are_not_pixels_glow_with_their_magnitude(fruit_records):
    record = fruit_records[3]
    shown = look_of(record).activation[0]
    x = record.inputs
    assert np.allclose(shown, np.abs(x[record.focus]) / np.abs(x).max())


def test_the_decision_map_is_the_networks_own_answer_at_the_moment_on_screen(
    fruit_config, fruit_records
):
    record = fruit_records[5]
    maps = DecisionMaps(fruit_config.network, 16)
    before, after = maps.of(record, updated=False), maps.of(record, updated=True)
    assert maps.of(record, updated=True) is after  # once per moment, not once per frame
    points = np.concatenate([record.train_set.inputs, record.test_set.inputs])
    x_min, x_max, y_min, y_max = after.bounds
    assert x_min < points[:, 0].min() and points[:, 0].max() < x_max
    assert y_min < points[:, 1].min() and points[:, 1].max() < y_max
    grid = plane_grid(after.bounds, 16)
    assert grid[0, 1] == y_max and grid[-1, 1] == y_min  # row 0 at the top
    for decision, updated in ((before, False), (after, True)):
        net = network_copy(fruit_config.network, *record.parameters_at(updated))
        expected = net.predict_proba(grid).reshape(16, 16, -1)
        assert np.allclose(decision.probabilities, expected)
    assert not np.allclose(before.probabilities, after.probabilities)


def test_the_maps_colour_is_nothing_at_chance_and_the_class_colour_when_sure():
    chance = np.full((1, 1, 3), 1 / 3)
    sure = np.array([[[0.0, 0.0, 1.0]]])
    assert np.allclose(map_colours(chance)[0, 0], palette.TILE_BACK[:3])
    assert np.allclose(map_colours(sure)[0, 0], palette.CLASS_COLOURS[2])
    half = map_colours(np.array([[[0.0, 2 / 3, 1 / 3]]]))[0, 0]  # halfway above chance
    assert np.allclose(half, (np.asarray(palette.TILE_BACK[:3]) + palette.CLASS_COLOURS[1]) / 2)


def test_plane_bounds_hold_the_points_with_a_margin():
    bounds = plane_bounds(np.array([[0.0, 0.0], [1.0, 2.0]]))
    assert bounds == pytest.approx((-0.1, 1.1, -0.2, 2.2))


def test_ten_outputs_sit_apart_and_two_sit_as_before():
    stage = Rect(0, 0, 470, 560)
    layout = layout_network((64, 32, 10), stage, 8)
    outputs, radius = layout.positions[-1], layout.radii[-1]
    assert np.diff(outputs[:, 0]).min() > 3 * radius  # room for the glow between them
    two = layout_network((64, 16, 2), stage, 8)
    assert two.radii[-1] == min(0.032 * stage.height, 0.06 * stage.width)


def test_a_small_network_gets_particles_not_solid_light(fruit_records, digits_config):
    xor_like = layout_network((2, 4, 1), Rect(0, 0, 470, 560), None)
    counts = np.diff(xor_like.gap_offsets)
    budgets = gap_budgets(xor_like, 24_000)
    assert all(b <= MAX_PER_SYNAPSE * c for b, c in zip(budgets, counts))
    default = layout_network((64, 16, 2), Rect(0, 0, 470, 560), 8)
    uncapped = allocate(np.sqrt(np.diff(default.gap_offsets)), 24_000).tolist()
    assert gap_budgets(default, 24_000) == uncapped  # the cap never binds for the default show


def test_samples_that_are_not_images_are_bar_charts_of_their_values(
    ctx, fruit_config, fruit_records
):
    record = fruit_records[4]
    renderer = Renderer(ctx, fruit_config, SIZE)
    target = OffscreenTarget(ctx, SIZE)
    try:
        bars = []
        real = renderer._ui.rect

        def spy(rect, colour, radius=0.0):
            if colour == palette.SAMPLE_BAR:
                bars.append(rect)
            return real(rect, colour, radius)

        renderer._ui.rect = spy
        history = ShowHistory()
        history.add(record)
        frame = make_frame(record, Phase.BACKWARD, 0.5)
        hud = build_hud(frame, hud_layout(SIZE), history, Interaction(), (1.0,), False)
        target.framebuffer.use()
        renderer._hud.paint(hud[0], SIZE)
    finally:
        target.release()
        renderer.release()
    features = record.inputs.shape[1]
    samples = len(record.labels) + len(record.test_set.labels)
    assert len(bars) == samples * features
    # The focused sample's bars are as tall as its values, against the largest |value|.
    scale = hud[0].value_scale
    heights = [bar.height for bar in bars[record.focus * features : (record.focus + 1) * features]]
    values = np.abs(record.inputs[record.focus])
    assert np.allclose(np.array(heights) / max(heights), values / values.max())
    assert scale == pytest.approx(
        max(np.abs(record.test_set.inputs).max(), np.abs(record.inputs).max())
    )


def test_a_two_input_network_paints_its_decision_map_in_class_colours(
    ctx, fruit_config, fruit_records
):
    from visualizer.show import Show

    show = Show(fruit_config, ctx, SIZE, wait_for_records=True)
    target = OffscreenTarget(ctx, SIZE)
    try:
        for _ in range(60):
            frame = show.tick(0.5)
            show.draw(frame, target.framebuffer)
        picture = target.read_rgb().astype(np.float64) / 255.0
        tests = show.renderer.hud_layout.tests
        panel = picture[int(tests.y) : int(tests.bottom), int(tests.x) : int(tests.x + tests.width)]
        for colour in palette.CLASS_COLOURS[:3]:  # each class is answered somewhere
            close = np.abs(panel - np.asarray(colour)).max(axis=2) < 0.08
            assert close.sum() > 50, colour
    finally:
        show.close()
        target.release()


def test_ten_classes_render_with_every_name_on_screen(ctx, digits_config):
    record = TrainingRun(digits_config, 0).next_record()
    renderer = Renderer(ctx, digits_config, SIZE)
    target = OffscreenTarget(ctx, SIZE)
    drawn = []
    real = renderer.text.draw

    def spy(size, text, position, px, colour, anchor="topleft", bold=False):
        drawn.append(text)
        return real(size, text, position, px, colour, anchor, bold)

    renderer.text.draw = spy
    try:
        renderer.draw(make_frame(record, Phase.BACKWARD, 0.5), target.framebuffer)
    finally:
        target.release()
        renderer.release()
    assert all(str(digit) in drawn for digit in range(10))


def test_the_inspector_names_an_input_by_its_feature(fruit_records):
    from visualizer.hud.inspector import inspect

    record = fruit_records[0]
    assert inspect(record, 0, 1).name == f"input: {record.test_set.feature_names[1]}"
