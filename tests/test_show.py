"""The show keeps going: watchdog, divergence, the attract cycle, resume and shutdown."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import make_frame

from visualizer.choreography import Phase
from visualizer.hud.toggles import Toggle
from visualizer.metrics_log import MetricsLog
from visualizer.render.context import OffscreenTarget
from visualizer.show import Show
from visualizer.training.checkpoint import load_checkpoint, save_checkpoint
from visualizer.training.run import TrainingRun

SIZE = (320, 200)


@pytest.fixture
def fast_config(small_config):
    """Short phases: a cycle is 3 simulated seconds at 1×."""
    return small_config.replace(
        choreography={
            "forward_seconds": 1.0,
            "backward_seconds": 1.0,
            "update_seconds": 1.0,
            "max_frame_seconds": 1.0,
        },
        kiosk={"hold_seconds": 4.0},
    )


@pytest.fixture
def open_show(ctx):
    shows = []
    target = OffscreenTarget(ctx, SIZE)

    def make(config, **kwargs):
        show = Show(config, ctx, SIZE, wait_for_records=True, **kwargs)
        shows.append(show)
        return show

    def play(show, seconds, dt=0.5):
        frames = []
        for _ in range(round(seconds / dt)):
            frame = show.tick(dt)
            show.draw(frame, target.framebuffer)
            frames.append(frame)
        return frames

    yield make, play
    for show in shows:
        show.close()
    target.release()


def test_a_crashed_trainer_is_replaced_and_continues_where_it_left_off(
    fast_config, open_show, fail_batches
):
    make, play = open_show
    show = make(fast_config)
    supervisor = show.supervisor
    before = play(show, 6.0)[-1].record
    fail_batches(1)
    # The trainer is one batch ahead, so the fault reaches the show a cycle or two later.
    play(show, 6.5)
    assert supervisor.restarts == 1 and supervisor.resumes == 1
    assert show.notice() == "The trainer stopped after an error and was restarted where it left off"
    frames = play(show, 9.0)
    after = frames[-1].record
    assert after is not None and frames[-1].phase is not Phase.WAITING
    # Same run, same seed, later batches: the curves keep the batches trained before,
    # each once (the record on screen as it failed came with the resumed history too).
    assert (after.run, after.seed) == (before.run, before.seed) == (supervisor.run, supervisor.seed)
    assert after.step > before.step + 1
    assert show.history.steps == list(range(1, after.step))


def test_a_reset_the_crashed_trainer_never_carried_out_is_not_undone(
    fast_config, open_show, fail_batches
):
    make, play = open_show
    show = make(fast_config)
    supervisor = show.supervisor
    play(show, 6.0)
    fail_batches(1)
    play(show, 3.0)  # the next batch is computed, and fails, while this one plays
    # Wait for the thread to fail (under load it may not have yet), then join it: its
    # failure waits to be taken.
    assert supervisor.trainer.wait_until_idle(10.0)
    supervisor.trainer.stop()
    seed = fast_config.training.seed + 5
    show.reset(seed)  # R with a new seed, which the dead trainer cannot carry out
    frames = play(show, 4.0)
    record = frames[-1].record
    assert supervisor.restarts == 1
    assert show.notice() == "The trainer stopped after an error and was restarted from the start"
    assert (record.run, record.seed) == (2, seed) == (supervisor.run, supervisor.seed)
    assert record.step <= 2  # the new run from its start, not the old run's weights


def test_a_trainer_that_fails_again_at_once_gives_up_that_run_for_the_next_seed(
    fast_config, open_show, fail_batches
):
    make, play = open_show
    show = make(fast_config)
    supervisor = show.supervisor
    play(show, 2.0)
    show.reset(supervisor.seed)
    play(show, 2.0)
    show.reset(supervisor.seed)  # run 3 now: run numbers must keep growing from here
    play(show, 6.0)
    assert supervisor.run == 3
    fail_batches(2)  # the replacement fails too, before a single record
    frames = play(show, 12.0)
    assert supervisor.restarts == 2
    assert show.notice() == "The trainer stopped after an error and was restarted with new images"
    assert supervisor.seed == fast_config.training.seed + 1 and supervisor.run == 4
    assert frames[-1].record.seed == supervisor.seed and frames[-1].phase is not Phase.WAITING


def test_a_trainer_that_keeps_failing_makes_the_watchdog_wait_before_each_try(
    fast_config, open_show, fail_batches
):
    make, play = open_show
    show = make(fast_config)
    supervisor = show.supervisor
    play(show, 6.0)
    fail_batches(4)  # three in a row, then the first retry fails too
    play(show, 6.0)
    assert supervisor.restarts == 3 and not supervisor.trainer.alive
    assert show.notice().startswith("The trainer keeps failing; trying again in ")
    frames = play(show, 50.0)
    assert supervisor.restarts == 3 and frames[-1].phase is Phase.WAITING  # waiting, not retrying
    play(show, 15.0)  # the retry, which fails: another wait
    assert supervisor.restarts == 4 and show.notice().startswith("The trainer keeps failing")
    frames = play(show, 70.0)  # the next retry works
    assert supervisor.restarts == 4 and frames[-1].record is not None
    assert frames[-1].phase is not Phase.WAITING


def test_a_diverged_run_starts_again_with_the_next_seed(fast_config, open_show, diverge_at):
    make, play = open_show
    diverge_at(step=2)
    show = make(fast_config)
    supervisor = show.supervisor
    frames = play(show, 12.0)
    assert supervisor.seed == fast_config.training.seed + 1 and supervisor.run == 2
    assert "diverged" in show.notice()
    assert frames[-1].record.seed == supervisor.seed


def test_the_kiosk_holds_a_finished_run_with_the_legend_then_starts_the_next(
    fast_config, open_show
):
    make, play = open_show
    config = fast_config.replace(training={"epochs": 1}, kiosk={"enabled": True})
    show = make(config)
    supervisor = show.supervisor
    play(show, 15 * 3.0 + 1.0)  # one epoch of 15 three-second cycles
    assert supervisor.finished and show.controller.legend
    assert "new run with new images starts in" in show.notice()
    play(show, 4.5)
    assert not supervisor.finished and not show.controller.legend
    assert supervisor.seed == config.training.seed + 1 and supervisor.run == 2
    assert show.history.run in (None, (2, supervisor.seed))  # the old run's curves are gone


def test_calm_motion_comes_from_the_config_and_its_button(fast_config, open_show):
    make, play = open_show
    show = make(fast_config.replace(ui={"reduced_motion": True}))
    play(show, 1.0)
    assert show.renderer.reduced_motion
    show.controller.toggle(Toggle.CALM, show.frame)
    play(show, 0.5)
    assert not show.renderer.reduced_motion


def test_a_show_resumes_from_a_checkpoint_with_its_curves(fast_config, open_show, tmp_path):
    make, play = open_show
    earlier = TrainingRun(fast_config.replace(training={"epochs": 4}), 0)
    while earlier.epoch <= 2:
        earlier.next_record()
    save_checkpoint(tmp_path, earlier)
    show = make(fast_config.replace(training={"epochs": 4}), checkpoint_dir=tmp_path)
    frames = play(show, 1.0)
    assert (frames[-1].record.epoch, frames[-1].record.batch) == (3, 1)
    assert len(show.history.losses) == 30 and [e.epoch for e in show.history.epochs] == [1, 2]


def test_closing_the_show_saves_a_checkpoint(fast_config, open_show, tmp_path):
    make, play = open_show
    show = make(fast_config.replace(training={"epochs": 5}), checkpoint_dir=tmp_path)
    play(show, 10.0)
    show.close()
    restored = load_checkpoint(tmp_path, fast_config.replace(training={"epochs": 5}))
    assert restored is not None and restored.step >= 3


def test_closing_a_show_that_never_checkpoints_is_clean(fast_config, open_show, tmp_path):
    # checkpoint_every_epochs: 0 means never, also at shutdown.
    make, play = open_show
    config = fast_config.replace(kiosk={"checkpoint_every_epochs": 0})
    show = make(config, checkpoint_dir=tmp_path)
    play(show, 4.0)
    show.close()
    assert not show.supervisor.trainer.alive and list(tmp_path.iterdir()) == []


def _play_until(show, step, target, dt=0.5):
    """Tick (and draw) until record ``step`` is on screen; returns that record."""
    for _ in range(1000):
        frame = show.tick(dt)
        show.draw(frame, target.framebuffer)
        if frame.record is not None and frame.record.step == step:
            return frame.record
    raise AssertionError(f"record {step} never came")


def test_a_restarted_show_goes_on_with_the_next_record_drawn_as_if_never_stopped(
    fast_config, ctx, tmp_path
):
    """Stopped while record 23 is on screen, it starts again with record 24 (24 was trained
    ahead, never shown), and draws it exactly as an uninterrupted run does: the halos and
    red particles are scaled by the run so far, which the checkpoint keeps."""
    config = fast_config.replace(training={"epochs": 5})
    size = (960, 540)  # room for the network between the HUD's panels
    target = OffscreenTarget(ctx, size)

    def network_pixels(show, record):
        """The network mid-backward (the HUD around it shows each show's own history)."""
        show.renderer.draw(make_frame(record, Phase.BACKWARD, 0.6), target.framebuffer)
        stage = show.renderer.hud_layout.stage
        rows = slice(int(stage.y), int(stage.bottom))
        return target.read_rgb()[rows, int(stage.x) : int(stage.x + stage.width)]

    try:
        first = Show(config, ctx, size, wait_for_records=True, checkpoint_dir=tmp_path)
        _play_until(first, 23, target)
        first.close()
        again = Show(config, ctx, size, wait_for_records=True, checkpoint_dir=tmp_path)
        resumed = again.tick(0.5).record
        assert resumed.step == 24
        uninterrupted = Show(config, ctx, size, wait_for_records=True)
        original = _play_until(uninterrupted, 24, target)
        assert resumed.scale_before == original.scale_before
        assert np.array_equal(
            network_pixels(again, resumed), network_pixels(uninterrupted, original)
        )
        again.close()
        uninterrupted.close()
    finally:
        target.release()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_metrics_file_that_cannot_be_written_is_a_notice_and_the_show_goes_on(
    fast_config, open_show, caplog
):
    make, play = open_show
    with MetricsLog("/dev/full") as metrics:
        show = make(fast_config.replace(training={"epochs": 3}), metrics=metrics)
        frames = play(show, 15 * 3.0 + 1.0)  # the first epoch ends: its line fails
        assert show.notice() == (
            "The metrics file cannot be written (the disk is full); the show goes on"
        )
        frames = play(show, 15 * 3.0)  # the second fails too, and goes unreported
    assert frames[-1].record.epoch == 3  # still playing
    failures = [r for r in caplog.records if "cannot write metrics" in r.getMessage()]
    assert len(failures) == 1 and failures[0].levelname == "ERROR"


def test_an_exploded_run_is_said_and_starts_again_with_the_next_seed(fast_config, open_show):
    make, play = open_show
    show = make(fast_config.replace(training={"learning_rate": 100.0, "momentum": 0.999}))
    play(show, 15 * 3.0 + 1.0)  # the first epoch ends with a loss of about 170
    supervisor = show.supervisor
    assert supervisor.seed == fast_config.training.seed + 1 and supervisor.run == 2
    assert show.notice() == (
        "The run stopped learning (its loss grew to 170); starting again with new images"
    )
