"""The language switch: where it is, a press (or G) in every state moves the words on
screen to the next language offered, and the HUD is painted again in it at once."""

from __future__ import annotations

import itertools

import numpy as np
import pygame
import pytest
from conftest import make_frame

from visualizer.app import _apply, _used_to_wake
from visualizer.choreography import Choreographer, Phase
from visualizer.controls import Action, KioskKeys, Plain, PointerDown, commands_for
from visualizer.hud import visitor_text
from visualizer.hud.controller import HudController, View
from visualizer.hud.history import ShowHistory
from visualizer.hud.layout import hud_layout
from visualizer.hud.model import Interaction, build_hud
from visualizer.hud.picker import LessonPicker
from visualizer.kiosk import parse_chord
from visualizer.lessons import LessonMenu, available_lessons
from visualizer.render.context import OffscreenTarget
from visualizer.render.hud.painter import HudPainter
from visualizer.render.renderer import Renderer
from visualizer.render.ui import UiBatch
from visualizer.scene.layout import layout_network
from visualizer.show import Show
from visualizer.words import available_languages, words_for

SIZES = [(1920, 1080), (1280, 720), (1024, 768), (1080, 1920), (640, 360)]


def centre(rect) -> tuple[float, float]:
    return rect.centre_x, rect.y + rect.height / 2


@pytest.mark.parametrize("scale", [1.0, 1.6])
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_switch_is_on_screen_clear_of_every_other_part(size, scale):
    layout = hud_layout(size, scale)
    switch = layout.language
    assert switch.x >= 0 and switch.x + switch.width <= size[0]
    assert switch.y >= 0 and switch.bottom <= size[1]
    for part in (layout.stage, layout.status, layout.numbers, *layout.panels):
        inside_x = switch.x < part.x + part.width and part.x < switch.x + switch.width
        inside_y = switch.y < part.bottom and part.y < switch.bottom
        assert not (inside_x and inside_y), part


def test_the_switch_is_touch_sized_at_720p():
    assert hud_layout((1280, 720)).language.height >= 44
    assert hud_layout((1280, 720), 1.6).language.height >= 44
    assert hud_layout((1024, 768)).language.height >= 44


@pytest.fixture
def controller(default_config):
    choreographer = Choreographer(default_config.choreography, lambda: None)
    picker = LessonPicker(LessonMenu(available_lessons(), "shapes", lambda name: None), 20.0)
    return HudController(choreographer, default_config.network, 20.0, picker)


def view_of(frame, size=(1280, 720)) -> View:
    layout = hud_layout(size)
    network = layout_network((64, 16, 2), layout.stage, 8)
    return View(frame, layout, network, None)


def test_a_press_moves_to_the_next_language_and_from_the_last_to_the_first(controller, records):
    view = view_of(make_frame(records[0], Phase.FORWARD, 0.5))
    seen = []
    for _ in range(5):
        controller.pointer_down(centre(view.hud.language), False, view)
        seen.append(controller.language)
    assert available_languages() == ("en", "de", "fr", "es")
    assert seen == ["de", "fr", "es", "en", "de"]


def test_only_the_languages_offered_and_a_language_not_offered_goes_to_the_first(controller):
    controller.languages = ("fr", "en")  # kiosk.languages
    controller.language = "de"
    controller.switch_language()
    assert controller.language == "fr"
    controller.switch_language()
    assert controller.language == "en"
    controller.switch_language()
    assert controller.language == "fr"


def states(controller, records):
    """(name, frame) of each state of the HUD, the controller put in it."""
    playing = make_frame(records[0], Phase.FORWARD, 0.5)
    paused = make_frame(records[0], Phase.BACKWARD, 0.5, paused=True)
    yield "playing", playing
    yield "paused", paused
    controller.picker.toggle()
    yield "lesson list open", playing
    controller.picker.close()
    controller.keys_enabled = False
    controller.touch_controls = True
    yield "kiosk without keys, every button shown", playing
    yield "before the first record", make_frame(None, Phase.WAITING, 0.0)


def test_the_switch_takes_a_press_in_every_state(controller, records):
    for name, frame in states(controller, records):
        view = view_of(frame)
        before = controller.language
        controller.pointer_down(centre(view.hud.language), False, view, touch=True)
        assert controller.language != before, name
        assert controller.picker.open == (name == "lesson list open"), name  # the list stays


def test_the_switch_takes_a_press_while_drawing_and_the_drawing_goes_on(controller, records):
    frame = make_frame(records[0], Phase.FORWARD, 0.5)
    layout = hud_layout((1280, 720))
    network = layout_network((64, 16, 2), layout.stage, 8)
    grid = layout.stage.inset(100)
    view = View(frame, layout, network, grid)
    controller.pointer_down(centre(grid), False, view)
    assert controller.drawing
    controller.pointer_up(view)
    controller.pointer_down(centre(layout.language), False, view)
    assert controller.language == "de" and controller.drawing


def test_g_is_a_key_a_locked_kiosk_ignores_but_its_button_stays():
    event = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_g, mod=0, unicode="g", scancode=0)
    speeds, size = (1.0, 5.0, 10.0), (800, 600)
    locked = KioskKeys(parse_chord("ctrl+alt+shift+q"), allow_keys=False)
    assert commands_for(event, speeds, size) == [Plain(Action.NEXT_LANGUAGE)]
    assert commands_for(event, speeds, size, locked) == []


def painted_text(ctx, config, frame, interaction) -> list[str]:
    size = (1280, 720)
    renderer = Renderer(ctx, config, size)
    target = OffscreenTarget(ctx, size)
    ui = UiBatch(ctx, renderer.shaders)
    texts = []
    real = renderer.text.draw

    def spy(target_size, run, *args, **kwargs):
        texts.append(run)
        return real(target_size, run, *args, **kwargs)

    renderer.text.draw = spy
    try:
        target.framebuffer.use()
        content = build_hud(frame, renderer.hud_layout, ShowHistory(), interaction, (1.0,), False)
        HudPainter(ui, renderer.text).paint(content[0], size)
    finally:
        ui.release()
        target.release()
        renderer.release()
    return texts


@pytest.mark.parametrize("interaction", [Interaction(), Interaction(keys_enabled=False)])
def test_the_switch_names_the_language_in_its_own_words(ctx, default_config, records, interaction):
    frame = make_frame(records[0], Phase.BACKWARD, 0.5)
    for code, name in zip(available_languages(), ("English", "Deutsch", "Français", "Español")):
        changed = Interaction(keys_enabled=interaction.keys_enabled, language=code)
        assert name in painted_text(ctx, default_config, frame, changed)


def test_a_switch_repaints_the_hud_in_the_new_words(ctx, default_config, records):
    frame = make_frame(records[0], Phase.BACKWARD, 0.5)
    layout = hud_layout((1280, 720))
    english, german = (
        build_hud(frame, layout, ShowHistory(), Interaction(language=code), (1.0,), False)[0]
        for code in ("en", "de")
    )
    assert english != german  # a new content: the renderer paints the HUD again
    texts = painted_text(ctx, default_config, frame, Interaction(language="de"))
    assert {"Dieser Stapel", "Lernen", "Testbilder", "Kreis", "Quadrat"} <= set(texts)
    assert not {"This batch", "Learning", "circle"} & set(texts)


def test_the_picture_on_screen_changes_with_the_language(ctx, default_config):
    """Through the show itself: the words on the network and the panels are drawn anew."""
    size = (640, 360)
    show = Show(default_config, ctx, size, wait_for_records=True)
    target = OffscreenTarget(ctx, size)
    try:
        frame = show.tick(0.5)
        show.draw(frame, target.framebuffer)
        before = target.read_rgb()
        show.controller.switch_language()
        show.draw(frame, target.framebuffer)
        after = target.read_rgb()
        layout = show.renderer.hud_layout
        changed = np.any(before != after, axis=2)
        # The batch panel's labels, and nothing of the network's light.
        batch = layout.batch
        assert changed[int(batch.y) : int(batch.bottom), int(batch.x) :][
            :, : int(batch.width)
        ].any()
    finally:
        show.close()
        target.release()


@pytest.fixture
def kiosk_show(ctx, small_config):
    config = small_config.replace(
        choreography={"max_frame_seconds": 1.0},
        kiosk={
            "enabled": True,
            "visitor_mode": True,
            "visitor_slow_seconds": 1.5,
            "visitor_timelapse_seconds": 0.0,
            "idle_seconds": 2.0,
            "still_watching_seconds": 3.0,
        },
    )
    show = Show(config, ctx, (1280, 720), wait_for_records=True)
    target = OffscreenTarget(ctx, (1280, 720))
    yield show, target
    show.close()
    target.release()


def play(show, target, seconds: float) -> None:
    for _ in range(round(seconds / 0.25)):
        show.draw(show.tick(0.25), target.framebuffer)


def press_as_the_app_does(show, point) -> None:
    command = PointerDown(*point, False, True)
    if not _used_to_wake(command, show):
        _apply(command, None, show)


def test_in_the_attract_state_the_switch_wakes_the_exhibit_and_still_switches(kiosk_show):
    show, target = kiosk_show
    play(show, target, 1.0)
    assert show.notice() == visitor_text.INVITATION.text(words_for("en"))  # asleep: attract
    switch = centre(show.renderer.hud_layout.language)
    press_as_the_app_does(show, switch)
    assert show.controller.language == "de" and show.story.playing  # a story, in German
    press_as_the_app_does(show, switch)  # during the story
    assert show.controller.language == "fr"


def test_elsewhere_the_touch_that_wakes_the_exhibit_does_nothing_else(kiosk_show):
    show, target = kiosk_show
    play(show, target, 1.0)
    elsewhere = centre(show.renderer.hud_layout.status)
    press_as_the_app_does(show, elsewhere)
    assert show.controller.language == "en" and show.story.playing


def test_the_still_watching_countdown_takes_the_switch(kiosk_show):
    show, target = kiosk_show
    play(show, target, 1.0)
    show.visitor_touch(pressed=True)
    for _ in range(400):  # the story, then idle seconds: the countdown
        if show.notice() is not None and show.notice().startswith("Still watching?"):
            break
        play(show, target, 0.25)
    countdown = visitor_text.still_watching(show._idle.seconds_left)
    assert show.notice() == countdown.text(words_for("en"))
    press_as_the_app_does(show, centre(show.renderer.hud_layout.language))
    assert show.controller.language == "de"


def test_every_language_is_offered_by_default(controller):
    assert controller.languages == available_languages()
    assert set(itertools.islice(cycle_of(controller), 4)) == set(available_languages())


def cycle_of(controller):
    while True:
        controller.switch_language()
        yield controller.language
