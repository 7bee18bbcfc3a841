"""The lesson picker (its button, its list, keys and pointer), switching lessons on one GL
context, and the kiosk's rotation of lessons: fake clocks, offscreen GL, no window."""

from __future__ import annotations

import itertools

import numpy as np
import pygame
import pytest

from visualizer.config import ConfigError, load_config
from visualizer.controls import Action, KioskKeys, Plain, commands_for
from visualizer.hud.layout import hud_layout, slider_track
from visualizer.hud.model import build_hud
from visualizer.hud.picker import LessonPicker, picker_button, picker_panel, picker_rows
from visualizer.hud.slider import SpeedSlider
from visualizer.hud.toggles import toggle_buttons
from visualizer.kiosk import next_lesson, parse_chord
from visualizer.lessons import LessonMenu, available_lessons, menu_for
from visualizer.render.context import OffscreenTarget
from visualizer.render.hud.painter import NOTHING, HudPainter
from visualizer.render.hud.panel_picture import PanelPicture, _split
from visualizer.render.palette import PANEL_OPAQUE, TOGGLE_OFF
from visualizer.show import LessonRequest, Show
from visualizer.stage import Stage

SIZES = [(1280, 720), (1920, 1080), (1024, 768), (800, 800), (1080, 1920)]
FAST = [
    "choreography.forward_seconds=1.0",
    "choreography.backward_seconds=1.0",
    "choreography.update_seconds=1.0",
    "choreography.speed=1",
    "choreography.max_frame_seconds=1.0",
    "training.epochs=1",
]


def centre(rect) -> tuple[float, float]:
    return rect.centre_x, rect.y + rect.height / 2


def menu(current: str | None = "shapes", overrides: tuple[str, ...] = ()) -> LessonMenu:
    def config_for(name: str):
        return load_config(overrides=overrides, lesson=name)

    return menu_for(load_config(overrides=overrides), current, config_for)


@pytest.mark.parametrize("images", [True, False], ids=["images", "features"])
@pytest.mark.parametrize("size", SIZES)
def test_the_button_sits_in_the_controls_bar_clear_of_the_others_and_the_list_on_the_stage(
    size, images
):
    layout = hud_layout(size)
    button = picker_button(layout, images)
    controls, u = layout.controls, layout.unit
    assert controls.x <= button.x and button.x + button.width <= controls.x + controls.width
    assert controls.y - u <= button.y and button.bottom <= controls.bottom
    slider = SpeedSlider(slider_track(layout), (1.0, 5.0, 10.0))
    labels_end = slider.track.x + slider.track.width + 1.5 * u  # the last speed's label
    assert button.x > labels_end or button.y > slider.track.y + 1.5 * u
    assert not slider.hit((button.x, centre(button)[1]))  # grabbing one never moves the other
    for _, other in toggle_buttons(layout, images):  # the view buttons it joins
        apart = other.x + other.width <= button.x or other.bottom <= button.y
        assert apart or button.bottom <= other.y
    assert button.height >= 1.3 * u  # as the view buttons: a fingertip
    count = len(available_lessons())
    panel, stage = picker_panel(layout, count), layout.stage
    # Over the stage (and in portrait the panels under it), never over the bars.
    assert stage.x <= panel.x and panel.x + panel.width <= stage.x + stage.width
    assert stage.y <= panel.y and panel.bottom <= controls.y
    rows = picker_rows(layout, count)
    for above, below in itertools.pairwise(rows):
        assert above.bottom <= below.y + 1e-6 and below.height >= 2.5 * u
    assert all(
        panel.contains((row.x, row.y)) and panel.contains((row.x, row.bottom)) for row in rows
    )


def test_the_button_opens_the_list_a_row_picks_its_lesson_once_and_a_press_beside_closes_it():
    layout = hud_layout((1280, 720))
    picker = LessonPicker(menu("shapes"), 20.0)
    button = picker_button(layout, True)
    rows = picker_rows(layout, len(picker.lessons))
    assert not picker.press(centre(layout.curves), layout, button)  # closed: not its press
    assert not picker.press(centre(button), layout, None)  # a button not on screen: nothing
    assert picker.press(centre(button), layout, button) and picker.open
    assert picker.highlighted == 0  # the lesson on screen
    assert picker.press(centre(rows[1]), layout, button)
    assert not picker.open and picker.take_choice() == "xor" and picker.take_choice() is None
    picker.toggle()
    assert picker.press(centre(layout.curves), layout, button)  # used up: it closes the list
    assert not picker.open and picker.take_choice() is None


def test_the_arrow_keys_and_enter_pick_from_the_open_list():
    layout = hud_layout((1280, 720))
    picker = LessonPicker(menu(None), 20.0)  # no lesson on screen: a config of one's own
    picker.move(1)
    assert not picker.open  # the arrows work only in the open list
    picker.toggle()
    picker.move(-1)
    assert picker.highlighted == len(picker.lessons) - 1
    picker.move(1)
    picker.move(1)
    picker.pick_highlighted()
    assert picker.take_choice() == picker.lessons[1].name
    picker.toggle()
    assert picker.hover(centre(picker_rows(layout, len(picker.lessons))[2]), layout)
    assert picker.highlighted == 2


def test_a_list_left_alone_closes_itself_and_touching_it_keeps_it_open():
    layout = hud_layout((1280, 720))
    picker = LessonPicker(menu("shapes"), hold_seconds=20.0)
    picker.toggle()
    picker.tick(15.0)
    picker.hover(centre(picker_rows(layout, len(picker.lessons))[1]), layout)
    picker.tick(15.0)
    assert picker.open  # 15 s since it was last touched
    picker.tick(5.0)
    assert not picker.open and picker.take_choice() is None


def test_k_and_the_arrows_are_keys_a_locked_kiosk_ignores():
    def key(code):
        return pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="", scancode=0)

    speeds, size = (1.0, 5.0, 10.0), (800, 600)
    expected = {
        pygame.K_k: Action.LESSONS,
        pygame.K_UP: Action.LESSON_UP,
        pygame.K_DOWN: Action.LESSON_DOWN,
        pygame.K_RETURN: Action.LESSON_START,
    }
    locked = KioskKeys(parse_chord("ctrl+alt+shift+q"), allow_keys=False)
    allowed = KioskKeys(parse_chord("ctrl+alt+shift+q"), allow_keys=True)
    for code, action in expected.items():
        assert commands_for(key(code), speeds, size) == [Plain(action)]
        assert commands_for(key(code), speeds, size, allowed) == [Plain(action)]
        assert commands_for(key(code), speeds, size, locked) == []


def test_the_kiosks_rotation_goes_round_and_starts_from_the_first():
    rotation = ("xor", "worked-example", "digits")
    assert next_lesson(rotation, "xor") == "worked-example"
    assert next_lesson(rotation, "digits") == "xor"
    assert next_lesson(rotation, "shapes") == "xor"
    assert next_lesson(rotation, None) == "xor"


@pytest.fixture
def target(ctx):
    made = OffscreenTarget(ctx, (1280, 720))
    yield made
    made.release()


@pytest.fixture
def shows():
    opened = []
    yield opened
    for show in opened:
        show.close()


def play(show: Show, target, seconds: float, dt: float = 0.5):
    frame = None
    for _ in range(round(seconds / dt)):
        frame = show.tick(dt)
        show.draw(frame, target.framebuffer)
    return frame


def test_the_show_draws_the_button_with_the_view_buttons_and_the_list_and_a_tap_picks(
    ctx, target, shows
):
    config = load_config(overrides=FAST, lesson="shapes")
    plain = Show(config, ctx, (1280, 720), wait_for_records=True)
    show = Show(config, ctx, (1280, 720), wait_for_records=True, lessons=menu("shapes", FAST))
    shows.extend((plain, show))
    layout = show.renderer.hud_layout
    button = picker_button(layout, True)

    def button_drawn(which: Show, seconds: float) -> float:
        """How much of the button's place is a button's colour (over the dark backdrop)."""
        play(which, target, seconds)
        image = target.read_rgb().astype(float) / 255
        inner = button.inset(0.2 * layout.unit)
        patch = image[int(inner.y) : int(inner.bottom), int(inner.x) : int(inner.x + inner.width)]
        off = np.array(TOGGLE_OFF[:3]) * TOGGLE_OFF[3]  # over a backdrop close to black
        return float(np.all(np.abs(patch - off) < 0.03, axis=2).mean())

    # Playing, with nobody touching: the view buttons are away, and so is this one.
    assert button_drawn(plain, 1.0) < 0.2 and button_drawn(show, 1.0) < 0.2
    show.controller.pointer_down(centre(button), False, show.view(show.frame))
    assert not show.controller.picker.open
    # Paused, they show (as after a touch, or in a kiosk): the lesson button last.
    plain.choreographer.paused = show.choreographer.paused = True
    assert button_drawn(show, 0.5) > 0.6 and button_drawn(plain, 0.5) < 0.2
    for shown, hinted in ((show, True), (plain, False)):
        seen = shown.view(shown.frame)
        interaction = shown.controller.interaction(seen)
        content, _ = build_hud(shown.frame, seen.hud, shown.history, interaction, (1.0,), False)
        assert ("K lessons" in content.hints) is hinted
    view = show.view(show.frame)
    show.controller.pointer_down(centre(button), False, view)
    show.controller.pointer_up(view)
    play(show, target, 0.5)
    opened = target.read_rgb().astype(float) / 255
    panel = picker_panel(layout, len(show.controller.picker.lessons)).inset(2 * layout.unit)
    inside = opened[int(panel.y) : int(panel.bottom), int(panel.x) : int(panel.x + panel.width)]
    near_panel = np.all(np.abs(inside - np.array(PANEL_OPAQUE[:3])) < 0.02, axis=2).mean()
    assert near_panel > 0.6  # the list hides the network under it
    assert show.take_lesson_request() is None  # opening is not picking
    row = picker_rows(layout, len(show.controller.picker.lessons))[2]
    show.controller.pointer_down(centre(row), False, show.view(show.frame))
    assert show.take_lesson_request() == LessonRequest("worked-example")
    assert show.take_lesson_request() is None


def test_switching_lessons_closes_the_old_show_and_builds_the_new_one_on_the_same_context(
    ctx, target
):
    config = load_config(overrides=FAST, lesson="shapes")
    stage = Stage(config, ctx, (1280, 720), menu("shapes", FAST), wait_for_records=True)
    try:
        old = stage.show
        play(old, target, 2.0)
        assert not stage.switch((1280, 720))  # nothing asked for
        old.controller.picker.toggle()
        old.controller.picker.move(1)  # from shapes to xor
        old.controller.picker.pick_highlighted()
        assert stage.switch((1280, 720))
        new = stage.show
        assert new is not old and not old.supervisor.trainer.alive
        assert new.config.network.sizes == (2, 4, 1) and new.lesson == "xor"
        assert new.supervisor.seed == load_config(lesson="xor").training.seed
        frame = play(new, target, 1.0)
        assert frame.record is not None and frame.record.layer_sizes == (2, 4, 1)
        assert new.controller.picker.lessons[new.controller.picker.current].name == "xor"
    finally:
        stage.close()


def test_a_lesson_the_command_line_does_not_fit_is_not_started_and_the_show_says_why(
    ctx, target, caplog
):
    wide = (*FAST, "network.sizes=[64, 32, 2]")  # the command line's --set, over every lesson
    stage = Stage(
        load_config(overrides=wide), ctx, (1280, 720), menu(None, wide), wait_for_records=True
    )
    try:
        show = stage.show
        play(show, target, 1.0)
        show.controller.picker.toggle()
        show.controller.picker.move(2)  # xor: 2 inputs, not 64
        show.controller.picker.pick_highlighted()
        assert not stage.switch((1280, 720)) and stage.show is show
        assert show.notice() == "This lesson cannot start (the log says why)"
        assert "cannot start the lesson xor: network.sizes must end in 1" in caplog.text
        assert show.supervisor.trainer.alive
    finally:
        stage.close()


def test_the_kiosk_rotates_its_lessons_after_each_finished_runs_hold_with_the_next_seed(
    ctx, target
):
    kiosk = (
        *FAST,
        "kiosk.enabled=true",
        "kiosk.hold_seconds=4",
        "kiosk.lessons=[xor, worked-example]",
    )
    lessons = menu("xor", kiosk)
    assert [lesson.name for lesson in lessons.lessons] == ["xor", "worked-example"]
    stage = Stage(lessons.config_for("xor"), ctx, (1280, 720), lessons, wait_for_records=True)
    try:
        first = stage.show
        seed = first.supervisor.seed
        play(first, target, 3.0 + 1.0)  # xor's one epoch: one batch of three 1-second phases
        assert first.supervisor.finished and not stage.switch((1280, 720))
        play(first, target, 4.0)  # the hold
        assert stage.switch((1280, 720))
        second = stage.show
        assert second.lesson == "worked-example" and second.supervisor.seed == seed + 1
        # It opens paused, but an exhibit has no one to press Space: it plays.
        assert second.config.choreography.start_paused and not second.choreographer.paused
        play(second, target, 3.0 + 1.0 + 4.0)
        assert stage.switch((1280, 720))
        assert stage.show.lesson == "xor" and stage.show.supervisor.seed == seed + 2
    finally:
        stage.close()


def test_a_kiosk_without_lessons_offers_no_picker_and_starts_its_next_run_as_before(
    ctx, target, shows
):
    kiosk = (*FAST, "kiosk.enabled=true", "kiosk.hold_seconds=4")
    show = Show(
        load_config(overrides=kiosk), ctx, (1280, 720), wait_for_records=True,
        lessons=menu_for(load_config(overrides=kiosk), "shapes", lambda name: load_config()),
    )  # fmt: skip
    shows.append(show)
    assert show.controller.picker is None
    play(show, target, 15 * 3.0 + 1.0 + 4.5)
    assert show.take_lesson_request() is None and show.supervisor.run == 2


def test_a_bad_kiosk_rotation_is_refused_at_load():
    with pytest.raises(ConfigError, match=r"kiosk\.lessons\[0\] 'circles' is not a lesson"):
        load_config(overrides=["kiosk.lessons=[circles]"])


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
@pytest.mark.parametrize(
    "shape", [((1280, 720), 1.0), ((1024, 768), 1.0), ((1280, 720), 1.6), ((1024, 768), 1.6)]
)
def test_the_open_list_keeps_its_words_inside_it_and_apart_in_every_language(
    ctx, default_config, shape, language
):
    """Large text on a small screen: the list rises over the panels beside a short stage
    (never over the top bar) and its rows show their titles alone rather than overlap."""
    from conftest import make_frame
    from test_hud import inside, overlaps, spied_hud

    from visualizer.choreography import Phase
    from visualizer.hud.history import ShowHistory
    from visualizer.hud.model import Interaction

    size, scale = shape
    picker = LessonPicker(menu(), 20.0)
    picker.toggle()
    with spied_hud(ctx, default_config, size, scale) as (layer, layout, boxes):
        view = picker.view(layout)
        assert view is not None
        interaction = Interaction(language=language, lessons=True, picker=view)
        frame = make_frame(None, Phase.WAITING, 0.0)
        content, dynamic = build_hud(frame, layout, ShowHistory(), interaction, (1.0,), False)
        boxes.clear()
        layer.draw_live(dynamic, content, size, None)
    words = content.words
    its_words = " ".join(
        [words(f"hud.picker.{key}") for key in ("title", "note", "current", "footer")]
        + [text for _, lesson in view.rows for text in words.lesson(lesson.name)]
    )
    # Each run once: the list is painted into a picture of its own, and may be painted again.
    listed = list(dict.fromkeys((run, box) for run, box in boxes if run in its_words))
    assert len(listed) >= 2 + len(view.rows)  # the title, the rows' titles, the footer
    assert view.panel.y >= layout.regions[0].bottom - layout.margin  # under the top bar
    for run, box in listed:
        assert inside(box, view.panel), (run, box)
    for (run, box), (other, box2) in itertools.combinations(listed, 2):
        # Line boxes may touch by a pixel or two (their letters are well inside them).
        assert not overlaps(box.inset(2), box2.inset(2)), (run, other)


def show_with_the_list_open(ctx, shows, size) -> tuple[Show, OffscreenTarget]:
    """The shapes lesson a second in, with the lesson list just opened."""
    config = load_config(overrides=FAST, lesson="shapes")
    show = Show(config, ctx, size, wait_for_records=True, lessons=menu("shapes", FAST))
    shows.append(show)
    target = OffscreenTarget(ctx, size)
    play(show, target, 1.0)
    show.controller.picker.toggle()
    return show, target


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (1024, 768), (1080, 1920)])
def test_the_open_list_drawn_from_its_picture_is_the_list_drawn_whole(
    ctx, shows, size, monkeypatch
):
    """The list is copied from a picture of its own and only its rim drawn live: the same
    pixels as drawing it whole, over moving particles, with a row highlighted, after the
    highlight moves, and moved by the kiosk's drift."""
    show, target = show_with_the_list_open(ctx, shows, size)
    try:
        pictures = {}

        def drift(offset):  # the pictures baked again with it; the live layers follow
            show.renderer.set_offset(offset)
            show.renderer.resize((size[0] + 2, size[1]))
            show.renderer.resize(size)

        for whole in (False, True):
            drift((0, 0))
            if whole:  # every frame drawn from its shapes and words, as before the picture
                monkeypatch.setattr(
                    PanelPicture, "draw", lambda self, key, panel, rim, draw, frame: draw()
                )
            frames = []
            # The HUD's own change (the button lit) takes a few frames to paint above 720p.
            for step, highlighted in enumerate((None,) * 5 + (1, 1, 3, 3, 3)):
                show.controller.picker.highlighted = highlighted
                if step == 8:
                    drift((2, -1))
                frame = show.tick(0.0)
                show.draw(frame, target.framebuffer)
                frames.append(target.read_rgb())
            pictures[whole] = frames[4:]
        for from_picture, drawn_whole in zip(pictures[False], pictures[True]):
            assert np.array_equal(from_picture, drawn_whole)
        assert show.renderer.offset == (2, -1)
        show.renderer.set_offset((0, 0))
    finally:
        target.release()


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768)])
def test_the_light_left_out_under_the_open_list_would_not_have_shown(ctx, shows, size):
    """Sprites wholly under the open list are not drawn (they cost, and nothing of them
    shows): every frame of a cycle — particles both ways, glows, sparks — is the same
    as drawing them all. (At these sizes a HUD change is painted in the frame it happens,
    so drawing a frame twice gives the same HUD.)"""
    show, target = show_with_the_list_open(ctx, shows, size)
    try:
        compared = 0
        for _ in range(24):  # a whole cycle and more, an eighth of a second a frame
            frame = show.tick(0.125)
            show.draw(frame, target.framebuffer)
            culled = target.read_rgb()
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(HudPainter, "covered", lambda self, dynamic, content: NOTHING)
                show.draw(frame, target.framebuffer)
            assert np.array_equal(culled, target.read_rgb()), frame.phase
            compared += frame.phase.name in ("FORWARD", "BACKWARD")
        assert compared >= 10
    finally:
        target.release()


@pytest.mark.parametrize("inset", [(2, 10), (2, 2), (3, 25)])
def test_the_rim_and_the_opaque_inside_cover_the_panel_once(inset):
    """Every pixel of the list's box is copied from its picture or drawn live, never both
    and never neither (a gap would show the live picture through the list)."""
    edge, rim = inset
    outer = (7, 11, 120, 90)
    straight = (7 + 3 + edge, 11 + 3 + edge, 120 - 6 - 2 * edge, 90 - 6 - 2 * edge)
    inside = (7 + 3 + rim, 11 + 3 + rim, 120 - 6 - 2 * rim, 90 - 6 - 2 * rim)
    opaque, live = _split(outer, straight, inside)
    covered = np.zeros((140, 140), int)
    for x, y, width, height in opaque + live:
        assert width >= 0 and height >= 0
        covered[y : y + height, x : x + width] += 1
    assert covered[11 : 11 + 90, 7 : 7 + 120].min() == 1
    assert covered.sum() == 120 * 90
    # The inside and the straight edges' inner band are copied; only corners and edges drawn.
    drawn = sum(width * height for _, _, width, height in live)
    assert drawn == 120 * 90 - (inside[2] * inside[3]) - 2 * (rim - edge) * (inside[2] + inside[3])
