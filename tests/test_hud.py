"""The HUD: layout at every shape, the slider, the inspector, draw-your-own, and pixels."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import re
import time

import numpy as np
import pygame
import pytest
from conftest import make_frame

from visualizer.choreography import Choreographer, Phase
from visualizer.config import load_config
from visualizer.controls import Action, KioskKeys, Plain, PointerDown, PointerMove, commands_for
from visualizer.hud import visitor_text
from visualizer.hud.canvas import DrawCanvas
from visualizer.hud.controller import HudController, View
from visualizer.hud.history import ShowHistory
from visualizer.hud.inspector import card_lines, inspect, neuron_at
from visualizer.hud.layout import MIN_TEXT_PX, hud_layout, slider_track
from visualizer.hud.model import Interaction, build_hud
from visualizer.hud.picker import picker_button
from visualizer.hud.slider import SpeedSlider
from visualizer.hud.toggles import Toggle, toggle_buttons
from visualizer.hud.visitor_text import story_headline
from visualizer.kiosk import parse_chord
from visualizer.render import hud_staging, palette
from visualizer.render.context import OffscreenTarget
from visualizer.render.hud.legend import legend_panels
from visualizer.render.hud.painter import HudPainter
from visualizer.render.hud.samples import BATCH_TILES_PER_ROW, batch_tile
from visualizer.render.renderer import Renderer
from visualizer.render.text import _ANCHORS as ANCHORS
from visualizer.render.ui import UiBatch
from visualizer.said import Said
from visualizer.scene.layout import Rect, layout_network
from visualizer.show import Show
from visualizer.story import FirstBatch, StoryStage, StoryView
from visualizer.training.network import MLP
from visualizer.training.run import TrainingRun
from visualizer.words import available_languages, words_for

SIZES = [
    (1920, 1080),
    (1280, 720),
    (1280, 800),
    (1024, 768),
    (1080, 1920),
    (720, 1280),
    (2560, 1080),
]


# Large text (ui.text_scale) at its largest, on the smallest screens it must still fit.
LARGE_TEXT = [((1280, 720), 1.6), ((1024, 768), 1.6)]
SHAPES = [(size, 1.0) for size in SIZES] + LARGE_TEXT


def shape_id(shape) -> str:
    (w, h), scale = shape
    return f"{w}x{h}" + ("" if scale == 1.0 else f"-text{scale:g}")


def overlaps(a: Rect, b: Rect) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.bottom and b.y < a.bottom


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_panels_fit_the_screen_and_never_overlap_each_other_or_the_network(shape):
    size, scale = shape
    layout = hud_layout(size, scale)
    parts = [
        layout.stage,
        layout.batch,
        layout.output,
        layout.curves,
        layout.tests,
        layout.controls,
    ]
    parts += [layout.status, layout.numbers] + ([layout.phase] if layout.portrait else [])
    for rect in parts:
        assert rect.x >= 0 and rect.y >= 0 and rect.width > 0 and rect.height > 0
        assert rect.x + rect.width <= size[0] and rect.bottom <= size[1]
    for a, b in itertools.combinations(parts, 2):
        assert not overlaps(a, b), (a, b)
    # The language switch: in the top bar, or at the end of the controls' slider row.
    switch = layout.language
    assert inside(switch, layout.regions[0]) or inside(switch, layout.controls)
    assert not any(overlaps(switch, part) for part in parts if part is not layout.controls)
    for region in layout.regions:  # what the HUD repaints never touches the network
        assert not overlaps(region, layout.stage)
    assert layout.unit >= MIN_TEXT_PX * scale


def test_large_text_scales_every_text_and_the_layout_follows():
    plain, large = hud_layout((1280, 720)), hud_layout((1280, 720), 1.6)
    assert large.unit == pytest.approx(1.6 * plain.unit)
    assert large.status.height > 1.5 * plain.status.height  # the bars grow with the text
    assert large.controls.height > 1.5 * plain.controls.height


def test_text_reads_from_three_metres_on_a_1080p_screen():
    assert hud_layout((1920, 1080)).unit >= 22.0
    assert hud_layout((1080, 1920)).unit >= 22.0


def test_the_slider_snaps_to_the_nearest_preset_and_places_other_speeds_between():
    slider = SpeedSlider(Rect(100, 50, 200, 6), (1.0, 5.0, 10.0))
    assert [slider.detent_x(i) for i in range(3)] == [100, 200, 300]
    assert (
        slider.speed_at(140) == 1.0 and slider.speed_at(160) == 5.0 and slider.speed_at(290) == 10.0
    )
    assert slider.knob_x(5.0) == 200 and slider.knob_x(0.5) == 100 and slider.knob_x(20) == 300
    assert 200 < slider.knob_x(7.0) < 300
    assert [slider.beyond(s) for s in (0.5, 1.0, 7.0, 10.0, 20.0)] == [-1, 0, 0, 0, 1]
    assert slider.hit((200, 53)) and slider.hit((85, 60)) and not slider.hit((200, 120))


def controller_and_view(config, record, size=(1280, 720)):
    choreographer = Choreographer(config.choreography, lambda: None)
    controller = HudController(choreographer, config.network, hold_seconds=5.0)
    layout = hud_layout(size)
    network = layout_network(config.network.sizes, layout.stage, 8)
    positions, half = network.positions[0], network.radii[0]
    (x0, y0), (x1, y1) = positions.min(axis=0) - half, positions.max(axis=0) + half
    view = View(
        make_frame(record, Phase.FORWARD, 0.5), layout, network, Rect(x0, y0, x1 - x0, y1 - y0)
    )
    return choreographer, controller, view


def pointer(controller, view, events, kiosk_keys=None):
    """Feed pygame events through the same mapping as the app."""
    for event in events:
        for command in commands_for(event, (1.0, 5.0, 10.0), view.hud.size, kiosk_keys):
            match command:
                case PointerDown(x, y, erase):
                    controller.pointer_down((x, y), erase, view)
                case PointerMove(x, y):
                    controller.pointer_move((x, y), view)
                case Plain(Action.POINTER_UP):
                    controller.pointer_up(view)


def test_clicking_dragging_and_touching_the_slider_change_the_speed(default_config, records):
    choreographer, controller, view = controller_and_view(default_config, records[0])
    slider = SpeedSlider(slider_track(view.hud), choreographer.speeds)
    y = slider.track.y + slider.track.height / 2
    down = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(slider.detent_x(1), y), button=1)
    pointer(controller, view, [down])
    assert choreographer.speed == 5.0
    drag = pygame.event.Event(
        pygame.MOUSEMOTION, pos=(slider.detent_x(2) + 3, y + 40), rel=(0, 0), buttons=(1, 0, 0)
    )
    up = pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(slider.detent_x(2), y), button=1)
    pointer(controller, view, [drag, up])
    assert choreographer.speed == 10.0  # dragging keeps hold of the knob even off the track
    w, h = view.hud.size
    touch = pygame.event.Event(
        pygame.FINGERDOWN, x=slider.detent_x(0) / w, y=y / h, dx=0, dy=0, finger_id=0
    )
    pointer(
        controller,
        view,
        [touch, pygame.event.Event(pygame.FINGERUP, x=0, y=0, dx=0, dy=0, finger_id=0)],
    )
    assert choreographer.speed == 1.0


def test_in_a_kiosk_visitors_still_touch_the_slider_with_the_keys_off(default_config, records):
    choreographer, controller, view = controller_and_view(default_config, records[0])
    controller.keys_enabled = False  # as the app sets it in kiosk mode
    keys = KioskKeys(parse_chord("ctrl+alt+shift+q"), allow_keys=False)
    slider = SpeedSlider(slider_track(view.hud), choreographer.speeds)
    w, h = view.hud.size
    y = (slider.track.y + slider.track.height / 2) / h
    finger = {"dx": 0, "dy": 0, "finger_id": 0}
    touch = pygame.event.Event(pygame.FINGERDOWN, x=slider.detent_x(2) / w, y=y, **finger)
    lift = pygame.event.Event(pygame.FINGERUP, x=slider.detent_x(2) / w, y=y, **finger)
    pointer(controller, view, [touch, lift], keys)
    assert choreographer.speed == 10.0


def test_touching_the_input_grid_before_the_first_record_does_nothing(default_config):
    # At start, and after every reset, nothing is on screen to draw over yet.
    choreographer, controller, view = controller_and_view(default_config, None)
    grid = view.grid
    inside = (grid.x + grid.width / 2, grid.y + grid.height / 2)
    down = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=inside, button=1)
    up = pygame.event.Event(pygame.MOUSEBUTTONUP, pos=inside, button=1)
    pointer(controller, view, [down, up])
    assert not controller.drawing and not choreographer.paused


def test_changing_speed_with_the_slider_keeps_the_phase_progress(small_config):
    run = TrainingRun(small_config, 0)
    choreographer = Choreographer(small_config.choreography, run.next_record)
    choreographer.tick(0.0)
    for _ in range(100):
        before = choreographer.tick(0.1)
    choreographer.set_speed(SpeedSlider(Rect(0, 0, 100, 4), choreographer.speeds).speed_at(99))
    after = choreographer.tick(0.0)
    assert after.progress == before.progress and after.speed == 10.0


def test_the_inspector_shows_the_records_own_numbers(default_config, records):
    record = records[3]
    focus = record.focus
    network = layout_network(default_config.network.sizes, Rect(0, 0, 1280, 720), 8)
    assert neuron_at(network, tuple(network.positions[1][7])) == (1, 7)
    assert neuron_at(network, tuple(network.positions[0][20] + 2)) == (0, 20)
    assert neuron_at(network, (5.0, 5.0)) is None
    values = inspect(record, 1, 7)
    assert values.name == "hidden neuron 8"
    assert values.z == record.pre_activations[0][focus, 7]
    assert values.a == record.activations[1][focus, 7]
    assert values.delta == record.deltas[0][focus, 7]
    assert values.delta_rms == pytest.approx(np.sqrt(np.mean(record.deltas[0][:, 7] ** 2)))
    W1 = record.params_before["W1"][:, 7]
    assert values.weights == (W1.min(), W1.max())
    change = record.params_after["W1"][:, 7] - W1
    assert values.change == (change.min(), change.max())
    pixel = inspect(record, 0, 20)
    assert pixel.z is None and pixel.weights is None and pixel.a == record.inputs[focus, 20]
    assert pixel.delta == record.input_gradients[focus, 20]
    assert inspect(record, 2, 1).name == "output: square"


def renamed(record, names):
    """``record`` as if its data named its classes ``names``."""
    return dataclasses.replace(
        record, test_set=dataclasses.replace(record.test_set, class_names=names)
    )


def test_the_hud_names_the_classes_the_data_names(records):
    record = renamed(records[3], ("cat", "dog"))
    frame = dataclasses.replace(make_frame(record, Phase.FORWARD, 0.5), drawing_progress=1.0)
    interaction = Interaction(canvas=np.zeros(64), drawing_answer=(1, 0.75))
    content, dynamic = build_hud(
        frame, hud_layout((1280, 720)), ShowHistory(), interaction, (1.0,), False
    )
    assert content.class_names == ("cat", "dog")
    assert dynamic.title == "The network thinks: dog (75%)"
    assert inspect(record, 2, 0).name == "output: cat"


def test_the_inspector_names_a_single_sigmoid_output_by_both_classes(default_config):
    config = default_config.replace(network={"sizes": (64, 12, 8, 1), "output": "sigmoid"})
    record = TrainingRun(config, 0).next_record()
    assert inspect(record, 3, 0).name == "output: square vs circle"
    assert inspect(record, 2, 0).name == "layer 2 neuron 1"


def test_hovering_a_neuron_opens_the_inspector(default_config, records):
    _, controller, view = controller_and_view(default_config, records[0])
    x, y = view.network.positions[1][3]
    controller.pointer_move((x, y), view)
    values, where = controller.interaction(view).inspector
    assert (values.layer, values.index) == (1, 3) and where == (x, y)
    controller.pointer_move((2.0, 2.0), view)
    assert controller.interaction(view).inspector is None


def test_draw_your_own_runs_the_weights_on_screen_and_touches_nothing_else(default_config, records):
    choreographer, controller, view = controller_and_view(default_config, records[0])
    grid = view.grid
    # Tap the grid: the canvas opens and the show pauses.
    pointer(
        controller,
        view,
        [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(grid.x + 5, grid.y + 5), button=1)],
    )
    assert controller.drawing and choreographer.paused and choreographer.probing
    # A vertical bar down the middle.
    x = grid.x + grid.width / 2
    strokes = [
        pygame.event.Event(
            pygame.MOUSEMOTION, pos=(x, grid.y + grid.height * t), rel=(0, 0), buttons=(1, 0, 0)
        )
        for t in np.linspace(0.1, 0.9, 20)
    ]
    pointer(
        controller,
        view,
        [*strokes, pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, grid.bottom), button=1)],
    )
    drawing = controller.canvas.pixels
    assert drawing.reshape(8, 8)[4, 4] > 0.9 and drawing.reshape(8, 8)[4, 0] < 0.1
    # The answer is an independent forward pass of the same weights on the drawing.
    net = MLP(default_config.network.sizes)
    for key in net.params:
        net.params[key] = records[0].params_before[key]
    expected = net.predict_proba(drawing[None, :])[0]
    assert np.allclose(controller.drawing_look.probabilities, expected)
    assert controller.interaction(view).drawing_answer == (
        int(expected.argmax()),
        pytest.approx(expected.max()),
    )
    controller.stop_drawing()
    assert not controller.drawing and not choreographer.paused and not choreographer.probing


@pytest.mark.parametrize(
    ("phase", "progress", "moment"),
    [(Phase.FORWARD, 0.5, "before"), (Phase.UPDATE, 1.0, "after")],
    ids=["before-the-update", "after-the-update"],
)
def test_a_drawing_on_a_batch_norm_network_runs_in_evaluation_mode_with_the_moments_statistics(
    default_config, phase, progress, moment
):
    config = default_config.replace(network={"batch_norm": True, "dropout": 0.2})
    run = TrainingRun(config, 0)
    record = [run.next_record() for _ in range(3)][-1]
    _, controller, view = controller_and_view(config, record)
    view = dataclasses.replace(view, frame=make_frame(record, phase, progress))
    grid = view.grid
    down, up = pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP
    middle = (grid.x + grid.width / 2, grid.y + grid.height / 2)
    pointer(
        controller,
        view,
        [
            pygame.event.Event(down, pos=(grid.x + 5, grid.y + 5), button=1),  # opens the canvas
            pygame.event.Event(down, pos=middle, button=1),
            pygame.event.Event(up, pos=middle, button=1),
        ],
    )
    assert controller.canvas.pixels.max() > 0.5
    # An independent network with the weights on screen and the running statistics that
    # belong with them (before the batch, or after it), one image in evaluation mode.
    net = MLP(config.network.sizes, batch_norm=True)
    for key in net.params:
        net.params[key] = getattr(record, f"params_{moment}")[key]
    for key in net.running_stats:
        net.running_stats[key] = getattr(record, f"running_stats_{moment}")[key]
    expected = net.predict_proba(controller.canvas.pixels[None, :])[0]
    assert np.allclose(controller.drawing_look.probabilities, expected, rtol=0, atol=1e-12)


def test_a_drawing_never_reaches_the_trainer(default_config, ctx):
    show = Show(default_config, ctx, (1280, 720), wait_for_records=True)
    try:
        frame = show.tick(0.1)
        deadline = time.monotonic() + 10
        while show.supervisor.trainer.steps_computed < 2:  # it works one batch ahead: let it finish
            assert time.monotonic() < deadline
            time.sleep(0.01)
        run = show.supervisor.trainer._run
        weights, images = run.network.flat_params.copy(), run.train_set.inputs.copy()
        steps = run.step
        view = show.view(frame)
        grid = view.grid
        show.controller.pointer_down((grid.x + 10, grid.y + 10), False, view)
        show.controller.pointer_move((grid.x + grid.width - 10, grid.bottom - 10), view)
        show.controller.pointer_up(view)
        for _ in range(30):
            show.draw(show.tick(0.1), OffscreenTarget(ctx, (1280, 720)).framebuffer)
        assert np.array_equal(run.network.flat_params, weights)
        assert np.array_equal(run.train_set.inputs, images)
        assert run.step == steps  # the show is paused: not a single batch trained meanwhile
    finally:
        show.close()


def test_a_drawing_left_alone_gives_the_show_back(default_config, records):
    choreographer, controller, view = controller_and_view(default_config, records[0])
    controller.start_drawing(view)
    controller.tick(4.0)
    assert controller.drawing
    controller.tick(1.5)
    assert not controller.drawing and not choreographer.paused


def test_the_canvas_paints_and_erases_soft_pixels():
    canvas = DrawCanvas(8)
    assert canvas.empty
    canvas.paint(2.5, 3.5)
    image = canvas.pixels.reshape(8, 8)
    assert image[3, 2] == 1.0 and 0 < image[3, 3] < 1 and image[7, 7] == 0
    canvas.paint(2.5, 3.5, erase=True)
    assert canvas.empty


def test_history_advances_per_cycle_and_starts_afresh_for_a_new_run(records):
    history = ShowHistory()
    for record in records[:15]:
        history.add(record)
    assert history.steps == list(range(1, 16)) and len(history.losses) == 15
    assert [m.epoch for m in history.epochs] == [1]
    history.add(dataclasses.replace(records[0], run=2))
    assert history.steps == [1] and history.epochs == []


def test_predictions_and_the_loss_appear_when_the_forward_wave_reaches_the_outputs(
    default_config, records
):
    layout = hud_layout((1280, 720))
    history = ShowHistory()

    def content(progress, phase=Phase.FORWARD):
        frame = make_frame(records[0], phase, progress)
        return build_hud(frame, layout, history, Interaction(), (1.0, 5.0, 10.0), False)[0]

    early = content(0.5)
    assert early.batch.predictions is None and early.loss is None and early.output is None
    late = content(0.85)
    assert late.batch.predictions == tuple(records[0].predictions)
    assert late.loss == pytest.approx(records[0].loss, abs=1e-3)
    assert late.output == tuple(
        round(float(p), 2) for p in records[0].probabilities[records[0].focus]
    )
    assert content(0.2, Phase.BACKWARD).batch.predictions is not None
    # Epoch figures come from the history, i.e. from cycles that have ended.
    assert late.train_accuracy is None and late.tests.predictions is None
    for record in records[:15]:
        history.add(record)
    assert content(0.5).test_accuracy == records[14].epoch_metrics.test_accuracy


def test_the_time_left_counts_down_to_one_second_never_zero(records):
    layout = hud_layout((1280, 720))

    def left(seconds):
        frame = make_frame(records[0], Phase.FORWARD, 0.5, seconds_left=seconds)
        hud = build_hud(frame, layout, ShowHistory(), Interaction(), (1.0, 5.0, 10.0), False)
        return hud[1].seconds_left

    assert [left(s) for s in (12.0, 11.2, 1.0, 0.3)] == [12, 12, 1, 1]
    waiting = make_frame(None, Phase.WAITING, 0.0)
    hud = build_hud(waiting, layout, ShowHistory(), Interaction(), (1.0, 5.0, 10.0), False)
    assert hud[1].seconds_left is None


@pytest.fixture
def hud_frame(ctx, default_config, records):
    """A rendered 1280×720 frame with the HUD, mid-forward after the first epoch."""
    renderer = Renderer(ctx, default_config, (1280, 720))
    target = OffscreenTarget(ctx, (1280, 720))
    history = ShowHistory()
    for record in records[:15]:
        history.add(record)

    def render(
        interaction=None, record=records[16], phase=Phase.FORWARD, progress=0.9, history=history
    ):
        frame = make_frame(record, phase, progress)
        interaction = interaction or Interaction()
        hud = build_hud(frame, renderer.hud_layout, history, interaction, (1.0, 5.0, 10.0), False)
        renderer.draw(frame, target.framebuffer, hud)
        return target.read_rgb().astype(float) / 255

    yield renderer, render
    renderer.release()
    target.release()


def region(image, rect: Rect) -> np.ndarray:
    return image[int(rect.y) : int(rect.bottom), int(rect.x) : int(rect.x + rect.width)]


def test_every_panel_renders_in_its_own_region(hud_frame):
    renderer, render = hud_frame
    image = render()
    layout = renderer.hud_layout
    for rect in (layout.batch, layout.output, layout.curves, layout.tests):
        patch = region(image, rect)
        # A panel: its background lifted off the backdrop, and text or images on it.
        assert np.median(patch) > 0.06
        assert (patch.max(axis=2) > 0.8).sum() > 50
    for rect in (layout.status, layout.numbers, layout.controls):
        assert (region(image, rect).max(axis=2) > 0.8).sum() > 30
    # The gap between the panels and the network stays dark.
    gap = Rect(
        layout.batch.x + layout.batch.width + 2,
        layout.stage.y,
        layout.stage.x - layout.batch.x - layout.batch.width - 4,
        40,
    )
    assert region(image, gap).mean() < 0.06


def test_the_legend_takes_the_place_of_the_curves_and_goes_away_cleanly(hud_frame):
    renderer, render = hud_frame
    plain = render()
    legend = render(Interaction(legend=True))
    layout = renderer.hud_layout
    right = Rect(
        layout.curves.x, layout.curves.y, layout.curves.width, layout.tests.bottom - layout.curves.y
    )
    assert np.abs(region(legend, right) - region(plain, right)).mean() > 0.02
    assert np.array_equal(region(legend, layout.batch), region(plain, layout.batch))
    again = render()
    assert np.abs(region(again, right) - region(plain, right)).max() < 0.02


def test_the_hud_is_repainted_only_when_its_content_changes(hud_frame, records, monkeypatch):
    renderer, render = hud_frame
    repaints = []
    monkeypatch.setattr(renderer._synapses, "repaint_overlay", lambda _: repaints.append(1))
    for progress in np.linspace(0.0, 1.0, 40):
        render(record=records[17], progress=float(progress))
    for progress in np.linspace(0.0, 1.0, 40):
        render(record=records[17], phase=Phase.BACKWARD, progress=float(progress))
    assert len(repaints) == 2  # the new batch, then its predictions


def test_a_hud_change_is_painted_once_and_shows_at_once_in_both_pictures_at_720p(
    hud_frame, records, monkeypatch
):
    renderer, render = hud_frame
    for progress in np.linspace(0.0, 1.0, 12):  # the record's "after" slot finishes baking
        render(record=records[17], phase=Phase.BACKWARD, progress=float(progress))
    paints, paint = [], renderer._hud.paint
    monkeypatch.setattr(renderer._hud, "paint", lambda *args: (paints.append(1), paint(*args)))
    before = render(record=records[17], phase=Phase.BACKWARD, progress=1.0)
    changed = Interaction(legend=True)  # the legend replaces two panels: a new HUD
    on_screen = render(changed, record=records[17], phase=Phase.BACKWARD, progress=1.0)
    assert len(paints) == 1  # one band at 720p: painted once, and it shows at once
    assert np.abs(on_screen - before).max() > 0.3
    render(changed, record=records[17], phase=Phase.BACKWARD, progress=1.0)
    render(changed, record=records[17], phase=Phase.UPDATE, progress=0.5)
    render(changed, record=records[17], phase=Phase.UPDATE, progress=1.0)
    assert len(paints) == 1  # copied into the other picture too: up to date for the update


def test_a_hud_repaint_spread_over_frames_never_shows_a_half_painted_hud(
    hud_frame, records, monkeypatch
):
    """With bands of a few rows, a new HUD takes many frames to paint; every frame shows
    the whole old HUD until the whole new one shows."""
    renderer, render = hud_frame
    monkeypatch.setattr(hud_staging, "BAND_PIXELS", 1280 * 60)
    for progress in np.linspace(0.0, 1.0, 12):  # the record's "after" slot finishes baking
        render(record=records[17], phase=Phase.BACKWARD, progress=float(progress))
    old = render(record=records[17], phase=Phase.BACKWARD, progress=1.0)
    changed = Interaction(legend=True)
    images = [render(changed, record=records[17], phase=Phase.BACKWARD, progress=1.0)]
    while len(images) < 40 and np.array_equal(images[-1], old):
        images.append(render(changed, record=records[17], phase=Phase.BACKWARD, progress=1.0))
    new = images[-1]
    assert len(images) > 3 and not np.array_equal(new, old)  # it took frames, then it showed
    for _ in range(3):  # and it stays
        assert np.array_equal(
            render(changed, record=records[17], phase=Phase.BACKWARD, progress=1.0), new
        )
    # Painted at once instead (no spreading), it is the same picture.
    monkeypatch.setattr(hud_staging, "BAND_PIXELS", 1280 * 720)  # all at once
    renderer.resize((1280, 721))
    renderer.resize((1280, 720))
    render(changed, record=records[17], phase=Phase.BACKWARD, progress=1.0)
    assert np.array_equal(
        render(changed, record=records[17], phase=Phase.BACKWARD, progress=1.0), new
    )


def test_a_hud_that_changes_faster_than_it_is_painted_still_shows_whole_pictures(
    hud_frame, records, monkeypatch
):
    """Content changing every frame while each repaint takes several: the repaint under
    way is finished first, so the picture keeps showing whole HUDs, and it keeps up."""
    _, render = hud_frame
    monkeypatch.setattr(hud_staging, "BAND_PIXELS", 1280 * 120)
    views = (Interaction(), Interaction(legend=True))

    def settled(interaction):
        for _ in range(40):
            image = render(interaction, record=records[17], phase=Phase.BACKWARD, progress=1.0)
        return image

    whole = [settled(view) for view in views]
    assert not np.array_equal(*whole)
    shown = []
    for index in range(60):  # from the legend: the plain HUD, the legend, the plain … each frame
        image = render(views[index % 2], record=records[17], phase=Phase.BACKWARD, progress=1.0)
        matches = [i for i, picture in enumerate(whole) if np.array_equal(image, picture)]
        assert matches  # never a mixture of the two
        shown.append(matches[0])
    assert 0 in shown  # a repaint was finished, though newer content kept coming
    for _ in range(20):  # then the legend stays: it is what shows, soon and from then on
        image = render(views[1], record=records[17], phase=Phase.BACKWARD, progress=1.0)
        shown.append(next(i for i, picture in enumerate(whole) if np.array_equal(image, picture)))
    assert shown[-10:] == [1] * 10


def busy_staging(render, record, phase, frames: int, monkeypatch) -> list[tuple[bool, bool]]:
    """``frames`` of ``record`` through ``phase`` with a HUD that changes every frame and
    paints in many small bands, so a repaint is always under way; then the staging's
    paints from here on, each as (all that is left at once?, any bands left?)."""
    monkeypatch.setattr(hud_staging, "BAND_PIXELS", 1280 * 120)
    views = (Interaction(), Interaction(legend=True))
    for index, progress in enumerate(np.linspace(0.0, 1.0, frames)):
        render(views[index % 2], record=record, phase=phase, progress=progress)
    paints = []
    paint = hud_staging.HudStaging.paint

    def spied(self, **how):
        paints.append((how["at_once"], bool(self._bands)))
        paint(self, **how)

    monkeypatch.setattr(hud_staging.HudStaging, "paint", spied)
    return paints


def test_the_update_begins_with_both_pictures_showing_one_hud(hud_frame, records, monkeypatch):
    """A HUD that keeps changing keeps the staging busy while the "after" picture bakes,
    which then lacks the newest HUD. When the update begins it gets the other's, copied:
    the update blends only around the wires, and no frame paints a whole HUD at once."""
    renderer, render = hud_frame
    paints = busy_staging(render, records[17], Phase.BACKWARD, 30, monkeypatch)
    for progress in (0.1, 0.3, 0.6):
        render(Interaction(legend=True), record=records[17], phase=Phase.UPDATE, progress=progress)
        assert renderer._synapses._blend_box() is not None
    assert paints and not any(at_once for at_once, _ in paints)


def test_a_picture_baked_at_once_shows_the_hud_that_was_on_screen(hud_frame, records, monkeypatch):
    """A record whose starting weights are not the last update's (a new run, skipped
    batches) has its "before" picture baked at once, while a HUD that keeps changing keeps
    the staging busy; it takes the HUD of the picture that was on screen, copied, instead
    of having a whole HUD painted in that frame."""
    renderer, render = hud_frame
    paints = busy_staging(render, records[17], Phase.UPDATE, 41, monkeypatch)
    render(Interaction(legend=True), record=records[3], phase=Phase.FORWARD, progress=0.0)
    assert paints and not any(at_once and left for at_once, left in paints)
    assert renderer._synapses._slots[0].hud >= 0  # on screen with a whole HUD


def test_the_updates_flash_lights_the_wires_not_the_hud(hud_frame, records):
    renderer, render = hud_frame
    layout = renderer.hud_layout
    backward = render(record=records[16], phase=Phase.BACKWARD, progress=0.99)
    flashing = render(record=records[16], phase=Phase.UPDATE, progress=0.3)
    for panel in layout.panels:
        assert np.abs(region(flashing, panel) - region(backward, panel)).mean() < 0.01
    stage = region(flashing, layout.stage) - region(backward, layout.stage)
    assert stage.max() > 0.3  # while the wires do flash


def test_the_test_grid_shows_each_predicted_class_and_its_confidence(hud_frame, records):
    renderer, render = hud_frame
    record = records[16]
    labels = record.test_set.labels

    def tests_panel(confidence, flip=False):
        """Every test image predicted right, with ``confidence``; ``flip`` swaps the classes
        of the labels and predictions alike (so the marks and the count stay the same)."""
        truth = 1 - labels if flip else labels
        shown = dataclasses.replace(
            record, test_set=dataclasses.replace(record.test_set, labels=truth)
        )
        history = ShowHistory()
        for earlier in records[:15]:
            history.add(earlier)
        probabilities = np.full((len(truth), 2), 1.0 - confidence)
        probabilities[np.arange(len(truth)), truth] = confidence
        history.test_probabilities = probabilities
        return region(render(record=shown, history=history), renderer.hud_layout.tests)

    def right_coloured(patch):  # the green of a right prediction
        r, g, b = patch[..., 0], patch[..., 1], patch[..., 2]
        return int(((g > 0.75) & (r < 0.65) & (b < 0.75)).sum())

    sure, unsure, swapped = tests_panel(0.99), tests_panel(0.6), tests_panel(0.99, flip=True)
    assert right_coloured(sure) > right_coloured(unsure) + 100  # longer confidence bars
    assert np.abs(sure - swapped).max() > 0.3  # another predicted class, another outline


def inspected(record, layer, index, phase, progress):
    """The inspector's values as ``build_hud`` passes them on, at a moment of the show."""
    values = inspect(record, layer, index)
    frame = make_frame(record, phase, progress)
    interaction = Interaction(inspector=(values, (10.0, 10.0)))
    layout = hud_layout((1280, 720))
    dynamic = build_hud(frame, layout, ShowHistory(), interaction, (1.0, 5.0, 10.0), False)[1]
    return dynamic.inspector[0]


def test_the_inspector_shows_only_what_the_passes_have_reached(records):
    record = records[3]
    full = inspect(record, 1, 7)
    # Forward: z and a once the wave front has reached the hidden layer, never δ or Δw.
    early = inspected(record, 1, 7, Phase.FORWARD, 0.1)
    assert early.a is None and early.z is None and early.delta is None
    reached = inspected(record, 1, 7, Phase.FORWARD, 0.5)
    assert (reached.z, reached.a) == (full.z, full.a) and reached.delta is None
    assert reached.weights == full.weights and reached.change is None
    assert not any(line.startswith("δ =") for line in card_lines(reached))
    # Backward: δ once the wave front, coming down from the outputs, has got there.
    assert inspected(record, 1, 7, Phase.BACKWARD, 0.1).delta is None
    blamed = inspected(record, 1, 7, Phase.BACKWARD, 0.5)
    assert (blamed.delta, blamed.delta_rms) == (full.delta, full.delta_rms)
    assert blamed.change is None and blamed.weights_after is None
    assert any(line.startswith("δ =") for line in card_lines(blamed))
    assert inspected(record, 2, 0, Phase.BACKWARD, 0.1).delta is not None  # outputs first
    assert inspected(record, 0, 20, Phase.BACKWARD, 0.5).delta is None  # pixels last
    # The update: the new weights and their change, once the wires show them more than
    # the old ones (halfway through their settling).
    assert inspected(record, 1, 7, Phase.UPDATE, 0.2).change is None
    landed = inspected(record, 1, 7, Phase.UPDATE, 0.6)
    assert (landed.weights_after, landed.change) == (full.weights_after, full.change)
    assert any(line.startswith("update Δw") for line in card_lines(landed))


@pytest.mark.parametrize(
    "overrides",
    [
        ["network.sizes=[64, 12, 8, 2]", "training.batch_size=10"],
        ["data.shapes.image_size=4", "network.sizes=[16, 4, 1]", "network.output=sigmoid"],
    ],
    ids=["64-12-8-2", "16-4-1"],
)
def test_the_captions_count_what_the_config_builds(ctx, overrides):
    config = load_config(overrides=overrides)
    record = TrainingRun(config, 0).next_record()
    sizes = config.network.sizes
    weights = sum(a * b for a, b in itertools.pairwise(sizes))
    batch = config.training.batch_size

    def caption(phase):
        frame = make_frame(record, phase, 0.5)
        layout = hud_layout((1280, 720))
        return build_hud(frame, layout, ShowHistory(), Interaction(), (1.0,), False)[1].caption

    assert caption(Phase.FORWARD) == f"The batch of {batch} images flows up; the network predicts"
    assert caption(Phase.UPDATE) == (
        f"{weights:,} weights and {sum(sizes[1:])} biases take a small step downhill"
    )
    legend = " ".join(drawn_text(ctx, config, record, Interaction(legend=True)))
    assert f"One cycle = one batch of {batch} images" in legend


def test_the_loss_number_is_what_the_loss_curve_plots_with_l2(ctx, default_config):
    config = default_config.replace(training={"l2": 0.05})
    record = TrainingRun(config, 0).next_record()
    assert abs(record.loss - record.data_loss) > 0.01  # the L2 term shows in 3 decimals
    history = ShowHistory()
    history.add(record)
    frame = make_frame(record, Phase.BACKWARD, 0.5)
    content = build_hud(frame, hud_layout((1280, 720)), history, Interaction(), (1.0,), False)[0]
    assert content.loss == pytest.approx(history.losses[-1], abs=5e-4)
    texts = drawn_text(ctx, config, record)
    assert "Loss + L2" in texts and "Loss + L2, each batch" in texts


@contextlib.contextmanager
def spied_hud(ctx, config, size, text_scale=1.0):
    """A HUD layer whose every run of text is recorded, as (text, Rect), in ``boxes``."""
    renderer = Renderer(ctx, config.replace(ui={"text_scale": text_scale}), size)
    target = OffscreenTarget(ctx, size)
    ui = UiBatch(ctx, renderer.shaders)
    text, boxes = renderer.text, []
    real = text.draw

    def spy(target_size, run, position, px, colour, anchor="topleft", bold=False):
        width, height = real(target_size, run, position, px, colour, anchor, bold)
        ax, ay = ANCHORS[anchor]
        x, y = round(position[0] - ax * width), round(position[1] - ay * height)
        boxes.append((run, Rect(x, y, width, height)))
        return width, height

    text.draw = spy
    try:
        target.framebuffer.use()
        yield HudPainter(ui, text), renderer.hud_layout, boxes
    finally:
        ui.release()
        target.release()
        renderer.release()


def drawn_text(ctx, config, record, interaction=None) -> list[str]:
    """The texts of the painted HUD at 1280×720, mid-backward."""
    frame = make_frame(record, Phase.BACKWARD, 0.5)
    history = ShowHistory()
    history.add(record)
    with spied_hud(ctx, config, (1280, 720)) as (layer, layout, boxes):
        hud = build_hud(frame, layout, history, interaction or Interaction(), (1.0,), False)
        layer.paint(hud[0], layout.size)
    return [run for run, _ in boxes]


def inside(box: Rect, area: Rect) -> bool:
    return (
        box.x >= area.x - 0.5
        and box.y >= area.y - 0.5
        and box.x + box.width <= area.x + area.width + 0.5
        and box.bottom <= area.bottom + 0.5
    )


# Example values for the notices' placeholders, long ones.
NOTICE_VALUES = {"seconds": 12, "loss": 12345, "format": "MP4 (H.264)", "install": "pip install x"}


def every_notice(words) -> list[str]:
    """Every notice the show may put in place of a caption, in ``words``' language."""
    keys = [key for key in words.entries if key.startswith("show.notice.")]
    said = [Said.of(key, **NOTICE_VALUES) for key in keys]
    said += [visitor_text.INVITATION, visitor_text.still_watching(10.0)]
    return [notice.text(words) for notice in said]


def story_headlines(record, words) -> list[tuple]:
    """(frame, headline) for every title and caption of a visitor's story."""
    first = FirstBatch(step=1, loss=0.6931, right=7, size=16)
    late = dataclasses.replace(record, step=1234, silent_losses=(0.1,) * 14)
    cases = []
    for stage in (StoryStage.FIRST, StoryStage.TIMELAPSE, StoryStage.LATE):
        for phase in (Phase.FORWARD, Phase.BACKWARD, Phase.UPDATE):
            frame = make_frame(late, phase, 0.5)
            cases.append((frame, story_headline(StoryView(stage, first), frame, words)))
    return cases


def every_phase_text(record, language="en") -> list[tuple]:
    """(frame, interaction, notice, headline, finished) for every title and caption the HUD
    shows, in ``language``."""
    words = words_for(language)
    shown = Interaction(language=language)
    canvas = np.zeros(64)
    paused = make_frame(record, Phase.FORWARD, 0.5, paused=True)
    probing = dataclasses.replace(paused, drawing_progress=1.0)
    cases = [(make_frame(record, phase, 0.5), shown, None, None, False) for phase in Phase]
    cases += [(make_frame(record, Phase.WAITING, 0.0), shown, None, None, True)]
    cases += [(make_frame(None, Phase.WAITING, 0.0), shown, None, None, False)]
    cases += [(paused, shown, notice, None, False) for notice in (None, *every_notice(words))]
    drawing = dataclasses.replace(shown, canvas=canvas)
    cases += [
        (probing, drawing, None, None, False),
        (probing, dataclasses.replace(drawing, drawing_answer=(1, 1.0)), None, None, False),
        (dataclasses.replace(probing, drawing_progress=0.1), drawing, None, None, False),
    ]
    cases += [
        (frame, shown, None, headline, False) for frame, headline in story_headlines(record, words)
    ]
    return cases


@pytest.mark.parametrize("language", available_languages())
@pytest.mark.parametrize(
    "shape",
    [(size, 1.0) for size in [(1920, 1080), (1280, 720), (1280, 800), (1024, 768), (1080, 1920)]]
    + LARGE_TEXT,
    ids=shape_id,
)
def test_every_caption_fits_its_column(ctx, default_config, records, shape, language):
    size, scale = shape
    with spied_hud(ctx, default_config, size, scale) as (layer, layout, boxes):
        phase = layout.phase
        column = Rect(phase.x, phase.y, phase.width, layout.stage.y - phase.y)
        for frame, interaction, notice, headline, finished in every_phase_text(
            records[16], language
        ):
            hud = build_hud(
                frame, layout, ShowHistory(), interaction, (1.0,), finished, notice, None, headline
            )
            boxes.clear()
            layer.draw_live(hud[1], hud[0], size, None)
            texts = [(run, box) for run, box in boxes if box.y < layout.stage.y]
            words = f"{hud[1].title} {hud[1].caption}".split()
            assert " ".join(run for run, _ in texts).split()[: len(words)] == words  # all shown
            for run, box in texts:  # inside the column, above the network
                assert inside(box, column), (hud[1].title, hud[1].caption, run, box, column)
            for (run, box), (other, box2) in itertools.combinations(texts, 2):
                assert not overlaps(box, box2), (run, other)


VIEWS = {
    "curves": Interaction(),
    "legend": Interaction(legend=True),
    "legend-tiles": Interaction(legend=True, weights=True),  # one row more
    "equations": Interaction(explain=True),
    "matrix": Interaction(matrix=True),
    # A kiosk's: every button on show (the lesson picker's too), with their keys or not.
    "buttons": Interaction(
        toggles=tuple((t, t is Toggle.CALM) for t in Toggle), lesson_button=False
    ),
    "kiosk": Interaction(
        toggles=tuple((t, False) for t in Toggle), lesson_button=True, keys_enabled=False
    ),
}


@pytest.mark.parametrize("language", available_languages())
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_painted_text_stays_inside_its_panel(ctx, default_config, records, shape, view, language):
    """In every language: German's long words are the hard case."""
    size, scale = shape
    history = ShowHistory()
    for record in records[:15]:
        history.add(record)
    frame = make_frame(records[16], Phase.FORWARD, 0.9)
    interaction = dataclasses.replace(VIEWS[view], language=language)
    with spied_hud(ctx, default_config, size, scale) as (layer, layout, boxes):
        hud = build_hud(frame, layout, history, interaction, (1.0, 5.0, 10.0), False)
        layer.paint(hud[0], size)
    right = Rect(
        layout.curves.x, layout.curves.y, layout.curves.width, layout.tests.bottom - layout.curves.y
    )
    legend = legend_panels(hud[0]) if interaction.legend else ()
    panels = (layout.batch, layout.output, *legend) if legend else layout.panels
    if interaction.explain:  # the equations: in the batch's and the output's place
        panels += (layout.batch.union(layout.output),)
    areas = (*panels, layout.regions[0], layout.regions[-1])  # the top bar, the controls
    for run, box in boxes:
        assert any(inside(box, area) for area in areas), (run, box)
    buttons = [rect for _, rect in toggle_buttons(layout, True) if interaction.toggles]
    buttons.append(layout.language)
    if interaction.lesson_button is not None:
        buttons.append(picker_button(layout, True))
    for run, box in boxes:  # a button's label and key stay on it
        for button in buttons:
            if overlaps(box, button):
                assert inside(box, button), (run, box, button)
    # The legend's rows, the test grid (not the matrix: its axis label sits tight above its
    # column names, their line boxes touching, their letters not).
    rows = (right, *legend) if not interaction.matrix else ()
    for (run, box), (other, box2) in itertools.combinations(boxes, 2):
        if any(inside(box, area) or inside(box2, area) for area in rows):
            assert not overlaps(box, box2), (run, other)
    # The top bar's labels and the batch's, side by side, never run into each other (a
    # label's line box may touch the number's under it).
    assert_apart(boxes, (layout.regions[0], layout.batch))


def assert_apart(boxes, areas) -> None:
    for area in areas:
        within = [(run, box) for run, box in boxes if inside(box, area)]
        for (run, box), (other, box2) in itertools.combinations(within, 2):
            assert not side_by_side_overlap(box, box2), (run, other)


@pytest.mark.parametrize("language", available_languages())
@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_the_widest_numbers_fit_the_top_bar(ctx, default_config, records, shape, language):
    """A loss of 0.008 beside accuracies of 100 %, as a long run ends."""
    size, scale = shape
    frame = make_frame(records[16], Phase.FORWARD, 0.9)
    with spied_hud(ctx, default_config, size, scale) as (layer, layout, boxes):
        hud = build_hud(frame, layout, ShowHistory(), Interaction(language=language), (1.0,), False)
        content = dataclasses.replace(hud[0], loss=0.008, train_accuracy=1.0, test_accuracy=1.0)
        layer.paint(content, size)
    assert content.words.percent(1.0) in [run for run, _ in boxes]
    assert_apart(boxes, (layout.regions[0],))


@pytest.mark.parametrize("language", available_languages())
@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_a_speed_beyond_the_track_has_arrows_by_its_label_clear_of_everything(
    ctx, default_config, records, shape, language
):
    """A visitor's story plays its first batch at 0.225× (xor) and its time-lapse at 41.5×:
    the knob waits at the track's end, and arrows beside its label point on, that way."""
    size, scale = shape
    frame = make_frame(records[16], Phase.FORWARD, 0.5)
    with spied_hud(ctx, default_config, size, scale) as (layer, layout, boxes):
        content, dynamic = build_hud(
            frame, layout, ShowHistory(), Interaction(language=language), (1.0, 5.0, 10.0), False
        )
        layer.paint(content, size)
        arrows: dict[float, list[np.ndarray]] = {}
        real = layer._ui.polyline
        for speed in (10.0, 0.225, 41.5):
            drawn = arrows.setdefault(speed, [])
            layer._ui.polyline = lambda points, width, colour, drawn=drawn: (
                drawn.append(np.asarray(points)) or real(points, width, colour)
            )
            layer.draw_live(dataclasses.replace(dynamic, speed=speed), content, size, None)
    slider = SpeedSlider(slider_track(layout), (1.0, 5.0, 10.0))
    u = layout.unit
    knob = {side: slider.detent_x(0 if side < 0 else 2) for side in (-1, 1)}
    assert arrows[10.0] == []  # on the track: the knob alone says it
    buttons = [rect for _, rect in toggle_buttons(layout, True)] + [picker_button(layout, True)]
    for speed, side in ((0.225, -1), (41.5, 1)):
        points = np.concatenate(arrows[speed])
        assert len(arrows[speed]) == 2 and np.all(side * (points[:, 0] - knob[side]) > 0.5 * u)
        low, high = points.min(axis=0) - 0.1 * u, points.max(axis=0) + 0.1 * u
        box = Rect(low[0], low[1], *(high - low))
        assert inside(box, Rect(0, 0, *size))
        label = content.words.speed(speed)
        texts = [run_box for run, run_box in boxes if run != label or not overlaps(run_box, box)]
        for other in texts + buttons:
            assert not overlaps(box, other), (speed, other)


def side_by_side_overlap(a: Rect, b: Rect) -> bool:
    """Two line boxes on one line (sharing most of their height) that overlap."""
    shared = min(a.bottom, b.bottom) - max(a.y, b.y)
    return overlaps(a, b) and shared > 0.5 * min(a.height, b.height)


def test_the_legend_names_every_channel_and_its_number(ctx, default_config, records):
    legend = " ".join(drawn_text(ctx, default_config, records[16], Interaction(legend=True)))
    for channel in (
        "|a·w|",  # white comets
        "∂J/∂w",  # red arrows
        "activation",  # glows
        "|δ|",  # halos
        "∂ℓ/∂x",  # red on the input tiles
        "a·w < 0",  # hollow comets
        "dead",  # dashed outlines
        "true class",  # the ring
        "width",  # wires: width |w| …
        "blue w > 0",  # … and hue the sign
        "|Δw|",  # the flash and the update's sparks
        "gold: right; pale: wrong",  # the verdict's sparks
        "tick or cross",
    ):
        assert channel in legend, channel


def test_the_legends_swatches_use_the_colours_of_what_they_explain(ctx, default_config, records):
    """Wires in the wires' blue and amber, the backward pass in the shaders' red."""
    frame = make_frame(records[16], Phase.FORWARD, 0.9)
    with spied_hud(ctx, default_config, (1280, 720)) as (layer, layout, _):
        colours: list[tuple] = []
        ui = layer._ui
        real_line, real_rect = ui.line, ui.rect
        ui.line = lambda a, b, w, colour: colours.append(colour) or real_line(a, b, w, colour)
        ui.rect = lambda r, colour, radius=0.0: (
            colours.append(colour) or real_rect(r, colour, radius)
        )
        hud = build_hud(frame, layout, ShowHistory(), Interaction(legend=True), (1.0,), False)
        layer.paint(hud[0], layout.size)
    for shared in (palette.POSITIVE_WEIGHT, palette.NEGATIVE_WEIGHT, palette.BACKWARD_LIGHT):
        assert (*shared, 1.0) in colours
    assert palette.TRAIN_CURVE not in colours and palette.TEST_CURVE not in colours


@pytest.mark.parametrize("language", available_languages())
def test_the_equations_write_numbers_as_the_language_does(ctx, default_config, records, language):
    frame = make_frame(records[16], Phase.FORWARD, 0.9)
    interaction = Interaction(explain=True, language=language)
    with spied_hud(ctx, default_config, (1280, 720)) as (layer, layout, boxes):
        hud = build_hud(frame, layout, ShowHistory(), interaction, (1.0,), False)
        layer.paint(hud[0], layout.size)
    card = layout.batch.union(layout.output)
    texts = " ".join(run for run, box in boxes if inside(box, card))
    point, comma = re.search(r"\d\.\d", texts), re.search(r"\d,\d", texts)
    assert (point is not None, comma is not None) == (
        (True, False) if language == "en" else (False, True)
    )
    assert "max(0; " in texts if language != "en" else "max(0, " in texts


@pytest.mark.parametrize("language", available_languages())
@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_the_true_class_mark_stays_clear_of_the_output_bars(
    ctx, default_config, records, shape, language
):
    """ "true" beside a long class name would run into its bar: a tick takes its place."""
    size, scale = shape
    frame = make_frame(records[16], Phase.FORWARD, 0.9)
    with spied_hud(ctx, default_config, size, scale) as (layer, layout, boxes):
        hud = build_hud(frame, layout, ShowHistory(), Interaction(language=language), (1.0,), False)
        layer.paint(hud[0], size)
    u = layout.unit
    bars = layout.output.x + 0.6 * u + 4.8 * u  # one column of two classes: the bars' left
    truth = hud[0].words("hud.output.truth")
    for run, box in boxes:
        if run == truth and inside(box, layout.output):
            assert box.x + box.width <= bars, (run, box)


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_large_text_never_shrinks_the_batch_images_below_half_their_cell(shape):
    """Captions give way to the images (down to the smallest text), not the other way."""
    size, scale = shape
    layout = hud_layout(size, scale)
    u = layout.unit
    rows = 16 // BATCH_TILES_PER_ROW
    cell_w = (layout.batch.width - 1.2 * u) / BATCH_TILES_PER_ROW  # inside the panel's margin
    cell_h = (layout.batch.height - 1.2 * u - 1.7 * u) / rows  # under its header
    tile, caption = batch_tile(cell_w, cell_h, u)
    assert caption >= MIN_TEXT_PX
    assert tile >= min(0.86 * cell_w, 0.5 * cell_h) or caption == MIN_TEXT_PX
