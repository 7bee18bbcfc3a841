"""Visitor mode: a touch after idle tells a fresh run's story; idle tiers; all on a fake
clock (the show's ``tick(dt)``), with the real trainer and the real choreographer."""

from __future__ import annotations

import itertools

import pytest

from visualizer.choreography import Phase
from visualizer.hud import visitor_text
from visualizer.kiosk import IdleTiers
from visualizer.render.context import OffscreenTarget
from visualizer.show import Show
from visualizer.story import Story
from visualizer.training.run import TrainingRun
from visualizer.words import words_for

SIZE = (320, 200)
DT = 0.25
SLOW, CYCLE, TIMELAPSE = 6.0, 1.0, 4.0  # wall seconds: a slow batch, a time-lapse one, all of it
IDLE, ASK = 5.0, 3.0
EN = words_for("en")


@pytest.fixture
def visitor_config(small_config):
    """A cycle is 3 s at 1×: the slow batches play at 0.5×, the time-lapse at 3×."""
    return small_config.replace(
        training={"epochs": 20},
        choreography={
            "forward_seconds": 1.0,
            "backward_seconds": 1.0,
            "update_seconds": 1.0,
            "max_frame_seconds": 1.0,
        },
        kiosk={
            "enabled": True,
            "visitor_mode": True,
            "visitor_slow_seconds": SLOW,
            "visitor_timelapse_seconds": TIMELAPSE,
            "visitor_timelapse_cycle_seconds": CYCLE,
            "visitor_batches_per_cycle": 5,
            "idle_seconds": IDLE,
            "still_watching_seconds": ASK,
        },
    )


class Watched:
    """A show played on a fake clock, remembering what each frame's HUD said."""

    def __init__(self, show: Show, target: OffscreenTarget) -> None:
        self.show, self._target = show, target
        self.clock = 0.0
        self.seen: list[tuple[float, object, str, str]] = []  # (time, frame, title, caption)
        real = show.renderer.draw

        def spy(frame, target, hud=None, drawing_look=None):
            self.seen.append((self.clock, frame, hud[1].title, hud[1].caption))
            real(frame, target, hud, drawing_look)

        show.renderer.draw = spy

    def play(self, seconds: float) -> None:
        for _ in range(round(seconds / DT)):
            self.clock += DT
            frame = self.show.tick(DT)
            self.show.draw(frame, self._target.framebuffer)

    def starts(self) -> list[tuple[float, object]]:
        """(time, record) of each record as it started playing."""
        starts, last = [], None
        for time, frame, _, _ in self.seen:
            if frame.record is not None and frame.record is not last:
                starts.append((time, frame.record))
                last = frame.record
        return starts


@pytest.fixture
def watch(ctx):
    shows = []
    target = OffscreenTarget(ctx, SIZE)

    def make(config, **kwargs) -> Watched:
        show = Show(config, ctx, SIZE, wait_for_records=True, **kwargs)
        shows.append(show)
        return Watched(show, target)

    yield make
    for show in shows:
        show.close()
    target.release()


def test_a_touch_after_idle_tells_a_fresh_runs_story_and_never_skips_a_batch(visitor_config, watch):
    watched = watch(visitor_config)
    show = watched.show
    watched.play(2.0)
    # Nobody there: the attract state, with the legend and an invitation.
    assert show.notice() == visitor_text.INVITATION.text(EN) and show.controller.legend
    assert not show.visitor_touch(pressed=False)  # a pointer passing by wakes nothing
    asleep_run = show.supervisor.run
    assert show.visitor_touch(pressed=True)
    assert not show.visitor_touch(pressed=True)  # awake now: a touch is only a touch
    assert not show.controller.legend and show.notice() is None
    watched.seen.clear()
    watched.play(SLOW + TIMELAPSE + 3 * CYCLE + SLOW + 2.0)

    starts = watched.starts()
    times = [time for time, _ in starts]
    records = [record for _, record in starts]
    lasted = [later - earlier for earlier, later in itertools.pairwise(times)]
    first = records[0]
    # A fresh run, its first batch as it is, slowly.
    assert first.run > asleep_run and first.step == 1 and first.batches_trained == 1
    assert lasted[0] == pytest.approx(SLOW, abs=DT)
    captions = {(f.phase, caption) for _, f, _, caption in watched.seen if f.record is first}
    for phase in (Phase.FORWARD, Phase.BACKWARD, Phase.UPDATE):
        assert (phase, EN(f"show.visitor.first.{phase.value}")) in captions

    # Then the time-lapse: five batches trained for each one shown (fewer where an epoch
    # ends, whose last batch is always shown), and the HUD says how many, from the record.
    late = next(i for i, r in enumerate(records[1:], 1) if r.batches_trained == 1)
    timelapse = records[1:late]
    assert [r.batches_trained for r in timelapse[:4]] == [5, 5, 4, 5]  # steps 6, 11, 15, 20
    assert all(r.batches_trained > 1 for r in timelapse)
    assert lasted[1:late] == pytest.approx([CYCLE] * len(timelapse), abs=DT)
    # It ran out after TIMELAPSE seconds; the record computed meanwhile was still shown fast.
    assert times[late - 1] - times[1] == pytest.approx(TIMELAPSE, abs=DT + 1e-9)
    for _, frame, title, caption in watched.seen:
        if frame.record in timelapse and frame.phase is not Phase.WAITING:
            count = frame.record.batches_trained
            assert title == "Time-lapse"
            assert caption == (
                f"{count} batches trained for each one shown: watch the curves and the test images"
            )

    # A late batch, trained alone and shown slowly again, compared with the first.
    assert records[late].step == records[late - 1].step + 1
    assert lasted[late] == pytest.approx(SLOW, abs=DT)
    late_captions = [c for _, f, _, c in watched.seen if f.record is records[late]]
    right = round(first.accuracy * len(first.labels))
    assert (
        f"{records[late].step - 1:,} batches later, slowly again: the first batch got "
        f"{right} of {len(first.labels)} right"
    ) in late_captions
    # Then the show goes on at its own pace.
    assert show.choreographer.speed == visitor_config.choreography.speed
    assert not show.story.playing
    # Every batch trained is counted in the curves, the silent ones too.
    shown = show.history.steps
    assert shown == list(range(1, shown[-1] + 1)) and shown[-1] >= records[late].step


def test_after_the_story_an_idle_show_asks_then_rests_and_a_touch_keeps_it_awake(
    visitor_config, watch
):
    quick = visitor_config.replace(
        kiosk={"visitor_timelapse_seconds": 0.0, "visitor_slow_seconds": 1.5}
    )
    watched = watch(quick)
    show = watched.show
    watched.play(1.0)
    assert show.visitor_touch(pressed=True)
    while show.story.playing:
        watched.play(DT)
    watched.play(IDLE - DT)
    assert show.notice() is None  # a story's end starts the count, not the touch before it
    watched.play(DT)
    assert (
        show.notice()
        == visitor_text.still_watching(ASK).text(EN)
        == ("Still watching? Touch the screen to stay; the show rests in 3 s")
    )
    watched.play(1.0)
    assert show.notice() == visitor_text.still_watching(2.0).text(EN)
    assert not show.visitor_touch(pressed=False)  # still there: the countdown is off …
    assert show.notice() is None
    watched.play(IDLE + ASK - DT)
    assert show.notice() == visitor_text.still_watching(DT).text(EN) and not show.controller.legend
    watched.play(DT)  # … and back to sleep, in the attract state
    assert show.notice() == visitor_text.INVITATION.text(EN) and show.controller.legend
    assert not show.story.playing


def test_a_lesson_a_visitor_picked_tells_its_story_at_once(visitor_config, watch):
    watched = watch(visitor_config, visitor_present=True)
    watched.play(SLOW + 2 * DT)
    first, second = (record for _, record in watched.starts()[:2])
    assert (first.step, first.batches_trained) == (1, 1)
    assert second.batches_trained == 5
    assert watched.show.notice() is None  # awake


def test_without_visitor_mode_a_kiosk_neither_sleeps_nor_tells_stories(visitor_config, watch):
    watched = watch(visitor_config.replace(kiosk={"visitor_mode": False}))
    watched.play(4.0)
    assert watched.show.story is None and watched.show.notice() is None
    assert not watched.show.visitor_touch(pressed=True)
    assert not watched.show.controller.legend


def test_a_story_is_told_only_from_a_runs_first_batch(visitor_config):
    story = Story(visitor_config.kiosk, visitor_config.choreography)
    run = TrainingRun(visitor_config, 0)
    story.begin()
    later = run.next_record(3)  # not the first batch as it is: no story to tell
    assert story.started(later) == visitor_config.choreography.speed
    assert not story.playing and story.batches_after_next == 1


def test_the_idle_tiers_ask_then_sleep_and_wake_on_a_touch():
    idle = IdleTiers(idle_seconds=10.0, ask_seconds=4.0)
    assert idle.asleep  # nobody there at the start
    assert idle.touch() and not idle.asleep
    assert not idle.touch()  # already awake
    assert not idle.tick(9.5) and not idle.asking
    assert not idle.tick(0.5) and idle.asking and idle.seconds_left == 4.0
    assert not idle.tick(3.9) and idle.asking
    assert idle.tick(0.1) and idle.asleep  # fell asleep: said once
    assert not idle.tick(100.0) and idle.asleep
