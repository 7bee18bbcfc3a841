"""The show's own words in the language on screen: the phases' titles and captions, the
keys' hints, the notices (said when they show, so a switch translates them), a visitor's
story; the languages a kiosk offers, its home language and the return to it after idle
(on the fake clock: the show's ``tick(dt)``); the catalogues drawn by the bundled font."""

from __future__ import annotations

import dataclasses
import itertools

import pygame.freetype
import pytest
from conftest import make_frame
from test_hud import SHAPES, inside, overlaps, shape_id, spied_hud

from visualizer.choreography import Phase
from visualizer.hud import visitor_text
from visualizer.hud.history import ShowHistory
from visualizer.hud.layout import slider_track
from visualizer.hud.model import Interaction, build_hud
from visualizer.kiosk import LanguageReturn, offered_languages
from visualizer.render.context import OffscreenTarget
from visualizer.render.text import FONT_FILES
from visualizer.resources import resource_path
from visualizer.show import Show
from visualizer.story import FirstBatch, StoryStage, StoryView
from visualizer.words import available_languages, words_for

SIZE = (320, 200)
DT = 0.5
IDLE, ASK = 5.0, 3.0


def phase_texts(record, language: str, **changes) -> dict[Phase, tuple[str, str]]:
    """The title and caption of each phase of ``record``, mid-phase."""
    interaction = Interaction(language=language, **changes)
    texts = {}
    for phase in (Phase.FORWARD, Phase.BACKWARD, Phase.UPDATE):
        frame = make_frame(record, phase, 0.5)
        dynamic = build_hud(frame, None, ShowHistory(), interaction, (1.0,), False)[1]
        texts[phase] = (dynamic.title, dynamic.caption)
    return texts


def test_the_phases_are_titled_and_captioned_in_the_language_on_screen(records):
    record = records[16]
    assert phase_texts(record, "de") == {
        Phase.FORWARD: (
            "Vorwärtsdurchlauf",
            "Der Stapel mit 16 Bildern fließt nach oben; das Netz trifft seine Vorhersagen",
        ),
        Phase.BACKWARD: (
            "Rückwärtsdurchlauf",
            "Der Fehler fließt zurück nach unten; jedes Gewicht erfährt seinen Anteil daran",
        ),
        # 64·16 + 16·2 weights, in German's thousands: 1.056
        Phase.UPDATE: (
            "Aktualisierung",
            "1.056 Gewichte und 18 Biases machen einen kleinen Schritt bergab",
        ),
    }
    assert phase_texts(record, "fr")[Phase.UPDATE][1] == (
        "1\u00a0056 poids et 18 biais font un petit pas vers le bas de la pente"
    )
    assert phase_texts(record, "es")[Phase.FORWARD][0] == "Pasada hacia delante"
    paused = make_frame(record, Phase.BACKWARD, 0.5, paused=True)
    dynamic = build_hud(paused, None, ShowHistory(), Interaction(language="fr"), (1.0,), False)[1]
    assert dynamic.title == "Passe arrière\u00a0: en pause"


def test_the_drawings_answer_names_the_class_and_its_confidence_as_the_language_does(records):
    record = records[16]
    frame = dataclasses.replace(make_frame(record, Phase.FORWARD, 0.5), drawing_progress=1.0)
    drawn = Interaction(language="de", canvas=record.inputs[0], drawing_answer=(1, 0.87))
    dynamic = build_hud(frame, None, ShowHistory(), drawn, (1.0,), False)[1]
    assert dynamic.title == "Das Netz meint: Quadrat (87\u00a0%)"


def test_the_keys_hints_come_in_the_language_on_screen(records):
    hints = {
        code: build_hud(
            make_frame(records[16], Phase.FORWARD, 0.5),
            None,
            ShowHistory(),
            Interaction(language=code, lessons=True),
            (1.0,),
            False,
        )[0].hints
        for code in available_languages()
    }
    assert hints["en"] == (
        "Space pause · S step · D draw · L legend · R restart · N new images · K lessons"
    )
    assert hints["de"] == (
        "Leertaste Pause · S Schritt · D zeichnen · L Legende · R Neustart · N neue Bilder"
        " · K Lektionen"
    )
    assert hints["es"].startswith("Espacio pausa · S paso")


def test_the_painted_hud_says_the_phase_and_the_hints_in_german(ctx, default_config, records):
    frame = make_frame(records[16], Phase.BACKWARD, 0.5)
    with spied_hud(ctx, default_config, (1280, 720)) as (layer, layout, boxes):
        content, dynamic = build_hud(
            frame, layout, ShowHistory(), Interaction(language="de"), (1.0, 5.0), False
        )
        layer.paint(content, layout.size)
        layer.draw_live(dynamic, content, layout.size, None)
    runs = " ".join(run for run, _ in boxes)
    assert "Rückwärtsdurchlauf" in runs and "Der Fehler fließt zurück" in runs
    assert "Leertaste Pause · S Schritt" in runs
    assert "Backward pass" not in runs and "Space pause" not in runs


def test_a_visitors_story_is_told_in_the_language_on_screen_with_its_numbers(records):
    late = dataclasses.replace(records[16], step=1234, loss=0.125)
    first = FirstBatch(step=1, loss=0.6931, right=7, size=16)
    view = StoryView(StoryStage.LATE, first)
    forward = make_frame(late, Phase.FORWARD, 0.5)
    backward = make_frame(late, Phase.BACKWARD, 0.5)
    de, fr = words_for("de"), words_for("fr")
    assert visitor_text.story_headline(view, forward, de) == (
        None,
        "1.233 Stapel später, wieder langsam: Beim ersten Stapel waren 7 von 16 richtig",
    )
    assert visitor_text.story_headline(view, backward, fr)[1].startswith(
        "Perte 0,12, contre 0,69 au premier lot"
    )
    timelapse = StoryView(StoryStage.TIMELAPSE, first)
    many = dataclasses.replace(records[16], silent_losses=(0.1,) * 11)
    assert visitor_text.story_headline(timelapse, make_frame(many, Phase.UPDATE, 0.5), de) == (
        "Zeitraffer",
        "12 Stapel trainiert für jeden gezeigten: Achte auf die Kurven und die Testbilder",
    )


@pytest.mark.parametrize("language", available_languages())
@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_the_keys_hints_fit_the_controls_bar_clear_of_the_slider(
    ctx, default_config, records, shape, language
):
    size, scale = shape
    frame = make_frame(records[16], Phase.FORWARD, 0.5)
    with spied_hud(ctx, default_config, size, scale) as (layer, layout, boxes):
        interaction = Interaction(language=language, lessons=True)  # the longest hints
        content = build_hud(frame, layout, ShowHistory(), interaction, (1.0, 5.0, 10.0), False)[0]
        layer.paint(content, size)
    hints = [box for run, box in boxes if run == content.hints]
    assert len(hints) == 1, "the hints are painted"
    controls = [(run, box) for run, box in boxes if inside(box, layout.controls)]
    assert inside(hints[0], layout.controls)
    assert not overlaps(hints[0], slider_track(layout))
    for (run, box), (other, box2) in itertools.combinations(controls, 2):
        assert not overlaps(box, box2), (run, other)


def test_every_character_of_every_catalogue_is_in_the_font():
    pygame.freetype.init()
    fonts = [
        pygame.freetype.Font(str(resource_path("assets") / "fonts" / name), 20)
        for name in FONT_FILES.values()
    ]
    characters = set()
    for code in available_languages():
        for entry in words_for(code).entries.values():
            texts = entry.values() if isinstance(entry, dict) else [entry]
            characters.update("".join(str(text) for text in texts))
    text = "".join(sorted(characters))
    for font in fonts:
        metrics = font.get_metrics(text)  # None for a character the font has no glyph for
        missing = [c for c, m in zip(text, metrics, strict=True) if m is None]
        assert missing == [], f"{font.name} draws no {missing}"


# ---------------------------------------------------------------- the exhibit's languages


def test_a_kiosk_offers_its_languages_with_the_home_language_first():
    shipped = ("en", "de", "fr", "es")
    assert offered_languages("en", (), shipped) == shipped
    assert offered_languages("fr", (), shipped) == ("fr", "en", "de", "es")
    assert offered_languages("fr", ("de", "fr", "en"), shipped) == ("de", "fr", "en")
    # ui.language not among those offered: the first of them is home.
    assert offered_languages("en", ("de", "fr"), shipped) == ("de", "fr")
    assert offered_languages("de", ("de", "de", "es"), shipped) == ("de", "es")


def test_the_language_returns_once_after_idle_seconds_without_a_touch():
    back = LanguageReturn(10.0)
    assert not any(back.tick(2.0) for _ in range(4))  # 8 s
    back.touch()
    assert not any(back.tick(2.0) for _ in range(4))  # 8 s since the touch
    assert back.tick(2.0)  # 10 s
    assert not back.tick(2.0)  # once


@pytest.fixture
def shown(ctx):
    """Shows on a fake clock, drawn offscreen, closed after the test."""
    shows = []
    target = OffscreenTarget(ctx, SIZE)

    def make(config, **kwargs) -> Show:
        show = Show(config, ctx, SIZE, wait_for_records=True, **kwargs)
        shows.append(show)
        return show

    def play(show: Show, seconds: float) -> None:
        for _ in range(round(seconds / DT)):
            show.draw(show.tick(DT), target.framebuffer)

    yield make, play
    for show in shows:
        show.close()
    target.release()


@pytest.fixture
def kiosk_config(small_config):
    return small_config.replace(
        choreography={"forward_seconds": 1.0, "backward_seconds": 1.0, "update_seconds": 1.0},
        kiosk={
            "enabled": True,
            "languages": ["de", "fr", "en"],
            "idle_seconds": IDLE,
            "still_watching_seconds": ASK,
        },
        ui={"language": "fr"},
    )


def test_a_notice_is_said_in_the_language_on_screen_and_a_switch_translates_it(small_config, shown):
    make, play = shown
    show = make(small_config)
    show.say("show.notice.clip_not_saved")
    assert show.notice() == "The clip could not be saved (the log says why)"
    show.controller.language = "de"
    assert show.notice() == "Die Aufnahme ließ sich nicht speichern (Grund im Protokoll)"
    play(show, 1.0)
    assert show.notice() == "Die Aufnahme ließ sich nicht speichern (Grund im Protokoll)"
    show.say("show.notice.exploded", loss=1234)  # figures as the language writes them
    assert show.notice() == (
        "Der Lauf lernt nicht mehr (Verlust 1.234); Neustart mit neuen Bildern"
    )


def test_a_kiosk_starts_in_its_home_language_and_returns_to_it_after_idle(kiosk_config, shown):
    make, play = shown
    show = make(kiosk_config)
    assert show.controller.languages == ("de", "fr", "en")  # kiosk.languages: the first is home
    assert show.controller.language == show.home_language == "de"
    show.controller.language = "fr"  # a visitor switched
    play(show, IDLE - DT)
    assert show.controller.language == "fr"  # the switch itself was a touch
    show.visitor_touch(pressed=False)  # so is a finger moving
    play(show, IDLE - DT)
    assert show.controller.language == "fr"
    play(show, DT)
    assert show.controller.language == "de"  # idle_seconds without a touch
    show.controller.language = "en"
    play(show, IDLE)
    assert show.controller.language == "de"


def test_a_kiosk_that_names_its_languages_is_at_home_in_the_first(kiosk_config, shown):
    make, _ = shown
    show = make(kiosk_config.replace(ui={"language": "es"}))  # ui.language: not offered
    assert show.controller.languages == ("de", "fr", "en")
    assert show.controller.language == "de"


def test_visitor_mode_asks_in_the_visitors_language_then_goes_home_as_it_sleeps(
    kiosk_config, shown
):
    make, play = shown
    show = make(
        kiosk_config.replace(
            kiosk={
                "visitor_mode": True,
                "visitor_slow_seconds": 1.5,
                "visitor_timelapse_seconds": 0.0,
            }
        ),
    )
    play(show, 1.0)
    assert show.visitor_touch(pressed=True)
    show.controller.language = "fr"
    while show.story.playing:
        play(show, DT)
    play(show, IDLE)
    assert show.notice().startswith("Toujours là") and show.controller.language == "fr"
    play(show, ASK)
    assert show.controller.language == "de"  # asleep: home, for the next visitor
    assert show.notice() == visitor_text.INVITATION.text(words_for("de"))


def test_outside_a_kiosk_every_language_is_offered_and_none_returns(small_config, shown):
    make, play = shown
    show = make(small_config.replace(ui={"language": "es"}))
    assert show.controller.languages == ("es", "en", "de", "fr")
    show.controller.language = "de"
    play(show, 2 * small_config.kiosk.idle_seconds)
    assert show.controller.language == "de"


def test_another_lessons_show_goes_on_in_the_language_on_screen(small_config, shown):
    make, _ = shown
    assert make(small_config, language="de").controller.language == "de"
