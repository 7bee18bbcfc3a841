"""The choreographer, driven by a fake clock: exact phases, speeds, pauses and counters."""

from __future__ import annotations

import gc
import weakref

import pytest
from conftest import make_frame

from visualizer.choreography import Choreographer, Phase
from visualizer.training.run import TrainingRun


class FakeSource:
    """Hands out real records of a short run, counts how many were taken, and notes the
    ones whose cycle ended (``ended``, the choreographer's ``cycle_ended``)."""

    def __init__(self, config, available: int = 1000) -> None:
        self._run = TrainingRun(config, 0)
        self._batches_per_cycle = config.choreography.batches_per_cycle
        self.available = available
        self.taken = []
        self.ended = []

    def __call__(self):
        if len(self.taken) >= self.available:
            return None
        record = self._run.next_record(self._batches_per_cycle)
        if record is not None:
            self.taken.append(record)
        return record


def make(config, speed=1.0, available=1000, **timing):
    timing = {"forward_seconds": 40.0, "backward_seconds": 40.0, "update_seconds": 4.0, **timing}
    config = config.replace(choreography={**timing, "speed": speed, "max_frame_seconds": 1.0})
    source = FakeSource(config, available)
    return Choreographer(config.choreography, source, source.ended.append), source


def run_for(choreographer, seconds, dt=0.5):
    frames = []
    for _ in range(round(seconds / dt)):
        frames.append(choreographer.tick(dt))
    return frames


def test_a_cycle_is_forward_backward_update_with_the_configured_durations(small_config):
    show, source = make(small_config)
    assert show.tick(0.0).phase is Phase.FORWARD and len(source.taken) == 1
    frame = run_for(show, 20.0)[-1]
    assert (frame.phase, frame.progress) == (Phase.FORWARD, pytest.approx(0.5))
    assert frame.seconds_left == pytest.approx(20.0)
    frame = run_for(show, 20.0)[-1]
    assert (frame.phase, frame.progress) == (Phase.BACKWARD, 0.0)
    assert frame.phase_started_at == pytest.approx(40.0)
    frame = run_for(show, 40.0)[-1]
    assert (frame.phase, frame.progress) == (Phase.UPDATE, 0.0)
    frame = run_for(show, 4.0)[-1]
    assert frame.phase is Phase.FORWARD and frame.record is source.taken[1]
    assert source.ended == [source.taken[0]]


def test_the_next_record_is_taken_exactly_when_a_cycle_ends(small_config):
    show, source = make(small_config)
    show.tick(0.0)
    run_for(show, 83.5)
    assert len(source.taken) == 1 and source.ended == []
    frame = show.tick(0.5)
    assert len(source.taken) == 2 and source.ended == [source.taken[0]]
    assert frame.record.batch == 2 and frame.phase_started_at == pytest.approx(84.0)


def test_counters_advance_only_at_cycle_ends_and_an_epoch_takes_15_cycles(small_config):
    show, source = make(small_config)
    frames = [show.tick(0.0), *run_for(show, 15 * 84.0 - 1.0, dt=1.0)]  # show times 0 … 1259
    batches = [f.record.batch for f in frames]
    # Each batch number is on screen for one whole cycle (84 s), in order.
    assert [batches.count(b) for b in range(1, 16)] == [84] * 15
    assert batches == sorted(batches)
    frame = show.tick(1.0)
    assert (frame.record.epoch, frame.record.batch) == (2, 1)
    assert len(source.ended) == 15 and source.ended[-1].ends_epoch


def test_with_batches_per_cycle_each_cycle_shows_the_kth_batch_and_an_epoch_is_shorter(
    small_config,
):
    show, source = make(small_config.replace(choreography={"batches_per_cycle": 4}))
    frames = [show.tick(0.0), *run_for(show, 5 * 84.0 - 1.0, dt=1.0)]
    shown = [(f.record.epoch, f.record.batch) for f in frames]
    # Every fourth batch, and always an epoch's last (15): four cycles to an epoch.
    cycles = [(1, 4), (1, 8), (1, 12), (1, 15), (2, 4)]
    assert [shown.count(c) for c in cycles] == [84] * 5 and sorted(set(shown)) == cycles
    assert [len(r.silent_losses) for r in source.taken] == [3, 3, 3, 2, 3]


def test_at_10x_an_epoch_of_the_default_timing_takes_about_two_minutes(small_config):
    config = small_config.replace(choreography={"speed": 10.0})
    source = FakeSource(config)
    show = Choreographer(config.choreography, source, source.ended.append)
    seconds = 0.0
    while show.tick(0.05) and not (source.ended and source.ended[-1].ends_epoch):
        seconds += 0.05
    minutes = (seconds + 0.05) / 60
    per_cycle = sum(
        getattr(config.choreography, f"{p}_seconds") for p in ("forward", "backward", "update")
    )
    assert minutes == pytest.approx(15 * per_cycle / 10 / 60, abs=0.01)
    assert 1.9 < minutes < 2.2


def test_changing_speed_mid_phase_keeps_the_progress(small_config):
    show, _ = make(small_config)
    show.tick(0.0)
    before = run_for(show, 10.0)[-1]
    show.set_speed(10.0)
    frame = show.tick(0.0)
    assert frame.progress == before.progress == pytest.approx(0.25)
    assert frame.seconds_left == pytest.approx(3.0)  # 30 s of show at 10×
    frame = run_for(show, 1.0)[-1]
    assert frame.progress == pytest.approx(0.5)
    with pytest.raises(ValueError):
        show.set_speed(0.0)


def test_pause_freezes_progress_and_animation_time(small_config):
    show, _ = make(small_config)
    show.tick(0.0)
    before = run_for(show, 5.0)[-1]
    show.paused = True
    frozen = run_for(show, 30.0)[-1]
    assert (frozen.progress, frozen.show_time, frozen.paused) == (
        before.progress,
        before.show_time,
        True,
    )
    show.paused = False
    assert show.tick(0.5).progress > before.progress


def test_long_frames_are_capped_so_a_stall_does_not_skip_the_show(small_config):
    show, _ = make(small_config)
    show.tick(0.0)
    frame = show.tick(30.0)  # a 30 s stall counts as max_frame_seconds (1 s here)
    assert frame.show_time == pytest.approx(1.0)
    assert frame.progress == pytest.approx(1.0 / 40.0)


def test_one_big_tick_can_cross_several_phases(small_config):
    show, source = make(small_config, speed=100.0)
    show.tick(0.0)
    frame = show.tick(1.0)  # 100 show seconds: a whole cycle and 16 s into the next
    assert source.ended == [source.taken[0]]
    assert frame.phase is Phase.FORWARD and frame.progress == pytest.approx(16.0 / 40.0)


def test_the_show_waits_when_no_record_is_ready_and_resumes_when_one_is(small_config):
    show, source = make(small_config, available=1)
    show.tick(0.0)
    frame = run_for(show, 84.0)[-1]
    assert frame.phase is Phase.WAITING and source.ended == [source.taken[0]]
    assert run_for(show, 10.0)[-1].phase is Phase.WAITING
    source.available = 2
    frame = show.tick(0.5)
    assert frame.phase is Phase.FORWARD and frame.record is source.taken[1]


def test_the_wave_front_rises_in_the_forward_pass_and_falls_in_the_backward_pass(small_config):
    show, _ = make(small_config)
    show.tick(0.0)
    frames = run_for(show, 40.0)[:-1]  # show times 0.5 … 39.5
    fronts = [f.wavefront for f in frames]
    assert fronts == sorted(fronts) and fronts[-1] == pytest.approx(2.0)
    halfway = next(f for f in frames if f.show_time == 20.0)
    assert halfway.wavefront == pytest.approx(2.0 * 0.5 / 0.8)  # two layers in 80% of 40 s
    backward = [f.wavefront for f in run_for(show, 40.0)]
    assert backward == sorted(backward, reverse=True) and backward[-1] == pytest.approx(0.0)


def test_restart_drops_the_record_and_takes_a_fresh_one(small_config):
    show, source = make(small_config)
    show.tick(0.0)
    run_for(show, 10.0)
    show.restart()
    frame = show.tick(0.5)
    assert frame.record is source.taken[1] and frame.phase is Phase.FORWARD


def test_the_update_lands_halfway_through_the_wires_settling_and_stays(small_config, records):
    record = records[0]
    assert make_frame(record, Phase.BACKWARD, 0.99).settled == 0.0
    settling = [make_frame(record, Phase.UPDATE, p).settled for p in (0.0, 0.3, 0.6, 1.0)]
    assert settling[0] == 0.0 and settling[-1] == 1.0 and settling == sorted(settling)
    assert [make_frame(record, Phase.UPDATE, p).update_landed for p in (0.3, 0.6)] == [False, True]
    # Waiting for the next record keeps the new weights; after a reset there is no record.
    assert make_frame(record, Phase.WAITING, 0.0).settled == 1.0
    assert make_frame(None, Phase.WAITING, 0.0).settled == 0.0


def test_a_show_that_opens_paused_holds_its_first_batch_at_its_start_until_stepped(small_config):
    show, source = make(small_config, start_paused=True)
    frames = run_for(show, 10.0)
    assert all(frame.paused and frame.phase is Phase.FORWARD for frame in frames)
    assert all(frame.progress == 0.0 and frame.show_time == 0.0 for frame in frames)
    assert all(frame.record is source.taken[0] for frame in frames) and len(source.taken) == 1
    show.step()  # S: phase by phase
    assert show.tick(0.5).phase is Phase.BACKWARD
    show.restart()  # a reset while paused: the next run's first batch, at its start
    frame = show.tick(0.5)
    assert frame.record is source.taken[1] and (frame.phase, frame.progress) == (Phase.FORWARD, 0.0)
    show.paused = False
    assert show.tick(0.5).progress > 0.0


def test_one_long_tick_across_many_cycles_holds_one_record_at_a_time(small_config):
    phases = {f"{phase}_seconds": 0.01 for phase in ("forward", "backward", "update")}
    config = small_config.replace(choreography={**phases, "max_frame_seconds": 1.0})
    run = TrainingRun(config, 0)
    taken = []  # weak references: which records are not garbage yet
    alive = []

    def take_next():
        record = run.next_record()
        if record is not None:
            taken.append(weakref.ref(record))
        return record

    def cycle_ended(record):
        gc.collect()
        alive.append(sum(ref() is not None for ref in taken))

    show = Choreographer(config.choreography, take_next, cycle_ended)
    show.tick(0.0)
    frame = show.tick(1.0)  # 1 s of show: time for 33 cycles in one tick
    assert len(alive) == 30 and frame.phase is Phase.WAITING  # both epochs shown: waiting
    assert max(alive) <= 1  # unfixed: every finished record kept until the tick ends
