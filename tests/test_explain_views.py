"""Issue 15's views: the equations card, the weight tiles, the confusion matrix and the
buttons that turn them on — their state, what the HUD says, and the pixels."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from conftest import make_frame
from test_hud import inside, overlaps, spied_hud

from visualizer.choreography import Choreographer, Phase
from visualizer.config import load_config
from visualizer.hud.confusion import confusion_counts
from visualizer.hud.controller import HudController, View
from visualizer.hud.history import ShowHistory
from visualizer.hud.layout import ROW_BUTTONS, hud_layout, slider_track
from visualizer.hud.model import Interaction, build_hud
from visualizer.hud.toggles import Toggle, toggle_buttons
from visualizer.render import palette
from visualizer.render.context import OffscreenTarget
from visualizer.render.renderer import Renderer
from visualizer.render.weight_tile_layer import weight_tile_colours
from visualizer.scene.layout import Rect, layout_network
from visualizer.scene.weight_tiles import weight_tile_boxes
from visualizer.training.run import TrainingRun


def test_the_confusion_matrix_counts_every_test_sample_once():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 4, 50)
    probabilities = rng.random((50, 4))
    counts = confusion_counts(labels, probabilities, 4)
    for true, predicted in itertools.product(range(4), repeat=2):
        expected = sum(
            1 for y, p in zip(labels, probabilities) if y == true and np.argmax(p) == predicted
        )
        assert counts[true, predicted] == expected
    assert list(counts.sum(axis=1)) == [int((labels == k).sum()) for k in range(4)]


def controller_and_view(config, record, phase=Phase.FORWARD, paused=False):
    choreographer = Choreographer(config.choreography, lambda: None)
    choreographer.paused = paused
    controller = HudController(choreographer, config.network, 30.0)
    size = (1280, 720)
    hud = hud_layout(size)
    network = layout_network(config.network.sizes, hud.stage, 8)
    positions, half = network.positions[0], network.radii[0]
    (x0, y0), (x1, y1) = positions.min(axis=0) - half, positions.max(axis=0) + half
    grid = Rect(x0, y0, x1 - x0, y1 - y0)
    frame = make_frame(record, phase, 0.5, paused=paused)
    return controller, View(frame, hud, network, grid)


def test_the_equations_show_while_paused_and_e_turns_them_on_or_off(default_config, records):
    controller, running = controller_and_view(default_config, records[3])
    _, paused = controller_and_view(default_config, records[3], paused=True)
    assert not controller.interaction(running).explain
    assert controller.interaction(paused).explain  # on by default when paused
    controller.toggle(Toggle.EXPLAIN, paused.frame)
    assert not controller.interaction(paused).explain  # E: off, paused or not
    controller.toggle(Toggle.EXPLAIN, running.frame)
    assert controller.interaction(running).explain  # and on while running
    controller.toggle_legend()  # the legend has the other column: both show
    content = build_hud(
        running.frame, running.hud, ShowHistory(), controller.interaction(running), (1.0,), False
    )[0]
    assert content.legend and content.explanation is not None


def test_a_drawing_is_never_explained(default_config, records):
    controller, paused = controller_and_view(default_config, records[3], paused=True)
    controller.start_drawing(paused)
    assert controller.drawing and not controller.interaction(paused).explain


def test_the_equations_follow_the_neuron_last_pointed_at(default_config, records):
    controller, view = controller_and_view(default_config, records[3], paused=True)
    x, y = view.network.positions[2][1]  # output neuron 2
    controller.pointer_move((x, y), view)
    controller.pointer_move((5.0, 400.0), view)  # the pointer moves on: the choice stays
    assert controller.interaction(view).chosen == (2, 1)
    hud = build_hud(
        view.frame, view.hud, ShowHistory(), controller.interaction(view), (1.0,), False
    )
    assert hud[0].explanation.title.startswith("Output: square")
    stage = view.hud.stage
    controller.pointer_down((stage.x + 5, stage.y + 5), False, view)  # a press on nothing
    assert controller.interaction(view).chosen is None


def test_the_buttons_show_only_when_someone_may_want_them(default_config, records):
    controller, running = controller_and_view(default_config, records[3])
    assert controller.interaction(running).toggles == ()  # the show looks as it did
    _, paused = controller_and_view(default_config, records[3], paused=True)
    shown = dict(controller.interaction(paused).toggles)
    assert set(shown) == set(Toggle) and shown[Toggle.EXPLAIN] and not shown[Toggle.MATRIX]
    controller.matrix = True
    assert dict(controller.interaction(running).toggles)[Toggle.MATRIX]  # a view is on
    controller.matrix = False
    controller.pointer_down((5.0, 5.0), False, running, touch=True)  # a finger
    assert controller.interaction(running).toggles != ()
    kiosk, view = controller_and_view(default_config, records[3])
    kiosk.touch_controls = True
    assert kiosk.interaction(view).toggles != ()


def test_a_button_turns_its_view_on_and_a_hidden_one_catches_nothing(default_config, records):
    controller, running = controller_and_view(default_config, records[3])
    buttons = dict(toggle_buttons(running.hud, True))
    middle = buttons[Toggle.MATRIX]
    point = (middle.centre_x, middle.y + middle.height / 2)
    controller.pointer_down(point, False, running)  # hidden: nothing happens
    assert not controller.matrix
    controller.pointer_down(point, False, running, touch=True)  # a finger: now they show
    controller.pointer_up(running)
    controller.pointer_down(point, False, running, touch=True)
    assert controller.matrix
    weights = buttons[Toggle.WEIGHTS]
    controller.pointer_down((weights.centre_x, weights.y + 1), False, running, touch=True)
    assert controller.weights


def test_the_calm_button_switches_reduced_motion(default_config, records):
    controller, view = controller_and_view(default_config, records[3], paused=True)
    calm = dict(toggle_buttons(view.hud, True))[Toggle.CALM]
    controller.pointer_down((calm.centre_x, calm.y + calm.height / 2), False, view)
    assert controller.reduced_motion
    assert dict(controller.interaction(view).toggles)[Toggle.CALM]  # lit while on
    controller.toggle(Toggle.CALM, view.frame)  # Z
    assert not controller.reduced_motion


def test_the_controls_bar_has_room_for_every_button():
    assert len(Toggle) + 1 == ROW_BUTTONS  # the views' buttons and the lesson picker's


def test_the_buttons_fit_the_controls_bar_clear_of_the_slider(default_config):
    for size in [(1280, 720), (1024, 768), (1920, 1080), (1080, 1920), (720, 1280)]:
        layout = hud_layout(size)
        rects = [rect for _, rect in toggle_buttons(layout, True)]
        track, u = slider_track(layout), layout.unit
        # The slider, its knob's label above it and the speeds' labels below it.
        slider = Rect(layout.controls.x, track.y - 1.6 * u, track.x + track.width + u, 3.5 * u)
        for rect in rects:
            assert inside(rect, layout.controls), size
            assert not overlaps(rect, slider), size
        for a, b in itertools.pairwise(rects):
            assert not overlaps(a, b)


def test_the_matrix_is_the_last_epochs_test_predictions(default_config, records):
    history = ShowHistory()
    for record in records[:15]:
        history.add(record)
    frame = make_frame(records[16], Phase.FORWARD, 0.5)
    layout = hud_layout((1280, 720))
    plain = build_hud(frame, layout, history, Interaction(), (1.0,), False)[0]
    assert plain.confusion is None
    content = build_hud(frame, layout, history, Interaction(matrix=True), (1.0,), False)[0]
    probabilities = records[14].epoch_metrics.test_probabilities
    expected = confusion_counts(records[16].test_set.labels, probabilities, 2)
    assert content.confusion.epoch == 1
    assert np.array_equal(np.array(content.confusion.counts), expected)
    before = build_hud(frame, layout, ShowHistory(), Interaction(matrix=True), (1.0,), False)[0]
    assert before.confusion.counts is None  # until the first epoch ends


def digits_records():
    config = load_config(overrides=["data.source=digits", "network.sizes=[64,32,10]"])
    run = TrainingRun(config, 0)
    return config, [run.next_record() for _ in range(17)]


CONFIGS = {
    "default": [],
    "digits": ["data.source=digits", "network.sizes=[64,32,10]"],
    "everything": [
        "network.batch_norm=true",
        "network.dropout=0.3",
        "training.momentum=0.9",
        "training.l2=0.001",
        "network.hidden_activation=sigmoid",
        "network.loss=mse",
    ],
}


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768), (1920, 1080), (1080, 1920)])
@pytest.mark.parametrize("name", list(CONFIGS))
def test_the_equations_card_fits_its_panel_in_every_phase(ctx, size, name):
    config = load_config(overrides=CONFIGS[name])
    run = TrainingRun(config, 0)
    record = [run.next_record() for _ in range(3)][-1]
    last = len(record.layer_sizes) - 1
    with spied_hud(ctx, config, size) as (layer, layout, boxes):
        card = layout.batch.union(layout.output)
        for phase, neuron in itertools.product(
            (Phase.FORWARD, Phase.BACKWARD, Phase.UPDATE), (None, (last, 0))
        ):
            frame = make_frame(record, phase, 0.5, paused=True)
            interaction = Interaction(explain=True, chosen=neuron)
            content = build_hud(frame, layout, ShowHistory(), interaction, (1.0,), False)[0]
            boxes.clear()
            layer.paint(content, size)
            texts = [(run, box) for run, box in boxes if overlaps(box, card)]
            for run, box in texts:
                assert inside(box, card), (name, phase, run, box, card)
            for (run, box), (other, box2) in itertools.combinations(texts, 2):
                assert not overlaps(box, box2), (name, phase, run, other)
            words = " ".join(run for run, _ in texts).split()
            expected = content.explanation.lines
            if name != "everything" or size[0] > size[1] or size[1] > 768:
                for line in expected:  # every line is there, none dropped
                    for word in line.text.split():
                        assert word in words, (name, phase, line.text)


def test_the_matrix_writes_its_counts_and_colours_only_what_it_counts(ctx, default_config, records):
    history = ShowHistory()
    for record in records[:15]:
        history.add(record)
    frame = make_frame(records[16], Phase.FORWARD, 0.5)
    with spied_hud(ctx, default_config, (1280, 720)) as (layer, layout, boxes):
        colours: list[tuple] = []
        ui = layer._ui
        real_rect = ui.rect
        ui.rect = lambda r, colour, radius=0.0: (
            colours.append(colour) or real_rect(r, colour, radius)
        )
        content = build_hud(frame, layout, history, Interaction(matrix=True), (1.0,), False)[0]
        layer.paint(content, layout.size)
    counts = np.array(content.confusion.counts)
    texts = [run for run, box in boxes if inside(box, layout.tests)]
    for count in counts.ravel():
        if count:
            assert str(count) in texts
    largest = counts.max()
    cell_colours = [c for c in colours if c[:3] != palette.TILE_BACK[:3]]
    shades = {(*palette.RIGHT[:3], 1.0), (*palette.WRONG[:3], 1.0)}
    brightest = [c for c in cell_colours if c in shades]
    assert len(brightest) == int((counts == largest).sum())  # ∝ count: the largest at full
    assert "Confusion matrix" in texts and "Test images" not in texts


def test_weight_tiles_are_the_weights_in_the_wires_colours():
    side = 2
    weights = np.array([[0.5, -0.1], [-1.0, 0.2], [0.0, 0.0], [0.25, 0.1]])  # 4 inputs, 2 neurons
    tiles = weight_tile_colours(weights, side)
    assert tiles.shape == (2, 4, 3)
    base = np.asarray(palette.TILE_BACK[:3])
    # Neuron 1's largest |w| is 1.0 (input 2, row 0 column 1): full amber there.
    assert np.allclose(tiles[0, 1], palette.NEGATIVE_WEIGHT)
    assert np.allclose(tiles[0, 0], base + (np.asarray(palette.POSITIVE_WEIGHT) - base) * 0.5)
    assert np.allclose(tiles[1, 0], base)  # a zero weight draws nothing
    # Neuron 2 is scaled against its own largest |w| (0.2, input 2): full blue there.
    assert np.allclose(tiles[0, 3], palette.POSITIVE_WEIGHT)


def test_weight_tiles_sit_over_their_neurons_and_stay_on_the_stage():
    for sizes, size in (((64, 16, 2), (1280, 720)), ((64, 32, 10), (1024, 768))):
        layout = layout_network(sizes, hud_layout(size).stage, 8)
        boxes = weight_tile_boxes(layout)
        assert len(boxes) == sizes[1]
        for box, (x, y) in zip(boxes, layout.positions[1]):
            assert abs(box.centre_x - x) < 1e-6 and box.bottom < y
            assert inside(box, layout.stage)
            assert box.width >= 20  # 8×8 weights, each at least 2.5 pixels
        for a, b in itertools.combinations(boxes, 2):
            assert not overlaps(a, b)
    assert weight_tile_boxes(layout_network((2, 4, 2), hud_layout((1280, 720)).stage, None)) == []


def test_the_weight_tiles_upload_once_per_change_of_the_weights_on_screen(
    ctx, default_config, records
):
    renderer = Renderer(ctx, default_config, (1280, 720))
    target = OffscreenTarget(ctx, (1280, 720))
    layout = renderer.hud_layout
    try:

        def draw(record, phase, progress, weights=True):
            frame = make_frame(record, phase, progress)
            interaction = Interaction(weights=weights)
            hud = build_hud(frame, layout, ShowHistory(), interaction, (1.0,), False)
            renderer.draw(frame, target.framebuffer, hud)
            return target.read_rgb().astype(float) / 255

        off = draw(records[4], Phase.FORWARD, 0.5, weights=False)
        tiles = renderer._weight_tiles
        assert tiles.uploads == 0
        on = draw(records[4], Phase.FORWARD, 0.5)
        for progress in np.linspace(0.0, 1.0, 6):
            draw(records[4], Phase.BACKWARD, float(progress))
        assert tiles.uploads == 1  # the weights before the update, once
        draw(records[4], Phase.UPDATE, 0.9)
        draw(records[4], Phase.UPDATE, 1.0)
        assert tiles.uploads == 2  # and the new ones when the update lands
        box = weight_tile_boxes(renderer.layout)[0]
        patch = (
            slice(int(box.y) + 2, int(box.bottom) - 2),
            slice(int(box.x) + 2, int(box.x + box.width) - 2),
        )
        assert np.abs(on[patch] - off[patch]).mean() > 0.05
        # Blue and amber, as the wires: each pixel leans to one of the two.
        blue = on[patch][..., 2] - on[patch][..., 0]
        assert (blue > 0.15).sum() > 20 and (blue < -0.15).sum() > 20
    finally:
        renderer.release()
        target.release()


def test_with_the_views_off_the_content_is_what_it_was(default_config, records):
    frame = make_frame(records[3], Phase.BACKWARD, 0.5)
    layout = hud_layout((1280, 720))
    content = build_hud(frame, layout, ShowHistory(), Interaction(), (1.0,), False)[0]
    assert content.explanation is None and content.confusion is None
    assert content.toggles == () and not content.weights
    assert dataclasses.replace(content) == content


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1024, 768), (1080, 1920)])
def test_the_legend_explains_the_weight_tiles_while_they_are_on(ctx, default_config, records, size):
    frame = make_frame(records[16], Phase.FORWARD, 0.9)
    with spied_hud(ctx, default_config, size) as (layer, layout, boxes):
        for weights in (False, True):
            boxes.clear()
            interaction = Interaction(legend=True, weights=weights)
            layer.paint(
                build_hud(frame, layout, ShowHistory(), interaction, (1.0,), False)[0], size
            )
            texts = [
                (run, box) for run, box in boxes if overlaps(box, layout.curves.union(layout.tests))
            ]
            assert ("tiles over the hidden row" in [run for run, _ in texts]) == weights
    right = layout.curves.union(layout.tests)
    for run, box in texts:
        assert inside(box, right), (run, box)
    for (run, box), (other, box2) in itertools.combinations(texts, 2):
        assert not overlaps(box, box2), (run, other)
    assert "incoming w: |w| ÷ its largest" in [run for run, _ in texts]
