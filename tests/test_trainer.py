"""The trainer thread, driven by a fake consumer: lockstep, commands and failure paths.

The waits below have generous timeouts that only matter when something is broken. To see
that a thread produces nothing more, a test waits until it has nothing left to do
(``Trainer.wait_until_idle``): a wrongly eager thread would still have work, and produce.
"""

from __future__ import annotations

import math
import time

import pytest

from visualizer.training.records import (
    Diverged,
    Resumed,
    RunFinished,
    StepRecord,
    TrainerFailed,
)
from visualizer.training.run import TrainingRun
from visualizer.training.trainer import Trainer

TIMEOUT = 10.0


def _take_records(trainer, count):
    records = []
    for _ in range(count):
        event = trainer.wait(TIMEOUT)
        assert isinstance(event, StepRecord), event
        records.append(event)
    return records


def test_records_arrive_in_order_with_15_per_epoch_then_the_run_finishes(
    small_config, trainer_factory
):
    trainer = trainer_factory(small_config)
    records = _take_records(trainer, 30)
    assert [(r.epoch, r.batch) for r in records] == [(e, b) for e in (1, 2) for b in range(1, 16)]
    assert [r.epoch_metrics is not None for r in records].count(True) == 2
    finished = trainer.wait(TIMEOUT)
    assert finished == RunFinished(run=1, seed=small_config.training.seed)
    assert trainer.wait_until_idle(TIMEOUT)
    assert trainer.take() is None


def test_the_trainer_stays_at_most_one_batch_ahead_of_the_consumer(small_config, trainer_factory):
    trainer = trainer_factory(small_config)
    assert trainer.wait_until_idle(TIMEOUT)
    assert trainer.steps_computed == 1  # computed one and waits for it to be taken
    for taken in range(1, 6):
        assert isinstance(trainer.wait(TIMEOUT), StepRecord)
        assert trainer.wait_until_idle(TIMEOUT)
        assert trainer.steps_computed == taken + 1


def test_pause_stops_production_and_resume_continues(small_config, trainer_factory):
    trainer = trainer_factory(small_config)
    _take_records(trainer, 1)
    trainer.pause()
    assert trainer.wait_until_idle(TIMEOUT)
    trainer.take()  # the next record, if it was computed before the pause arrived
    paused_at = trainer.steps_computed
    assert trainer.wait_until_idle(TIMEOUT)
    assert trainer.take() is None
    assert trainer.steps_computed == paused_at
    trainer.resume()
    assert isinstance(trainer.wait(TIMEOUT), StepRecord)
    assert trainer.steps_computed == paused_at + 1


def test_reset_starts_the_next_run_from_the_new_seed(small_config, trainer_factory):
    trainer = trainer_factory(small_config)
    _take_records(trainer, 3)
    trainer.reset(seed=7)
    event = trainer.wait(TIMEOUT)
    while event.run == 1:  # a record computed before the reset was applied
        event = trainer.wait(TIMEOUT)
    assert (event.run, event.seed, event.step, event.epoch, event.batch) == (2, 7, 1, 1, 1)
    expected = TrainingRun(small_config, 7).next_record()
    assert event.loss == expected.loss


def test_reset_after_the_run_finished_starts_again(small_config, trainer_factory):
    config = small_config.replace(training={"epochs": 1})
    trainer = trainer_factory(config)
    _take_records(trainer, 15)
    assert isinstance(trainer.wait(TIMEOUT), RunFinished)
    trainer.reset(seed=3)
    assert trainer.wait(TIMEOUT).run == 2


def test_learning_rate_changes_apply_to_later_batches(small_config, trainer_factory):
    trainer = trainer_factory(small_config)
    trainer.set_learning_rate(0.01)
    records = _take_records(trainer, 3)
    assert records[-1].learning_rate == 0.01
    with pytest.raises(ValueError):
        trainer.set_learning_rate(0.0)


def test_batches_per_cycle_trains_silently_between_shown_batches(small_config, trainer_factory):
    trainer = trainer_factory(small_config.replace(choreography={"batches_per_cycle": 5}))
    records = _take_records(trainer, 4)
    assert [r.step for r in records] == [5, 10, 15, 20]
    assert [len(r.silent_losses) for r in records] == [4, 4, 4, 4]


def test_the_batches_per_shown_batch_change_from_the_record_after_the_one_taken(
    small_config, trainer_factory
):
    trainer = trainer_factory(small_config)
    first = trainer.wait(TIMEOUT)
    # Taken while its successor is computed, or before: the change never reaches the
    # record already under way, always the one after it.
    second = trainer.wait(TIMEOUT, batches_per_cycle=6)
    third, fourth = (trainer.wait(TIMEOUT) for _ in range(2))
    # An epoch's last batch is always shown: the 15th ends the cycle early.
    assert [r.step for r in (first, second, third, fourth)] == [1, 2, 8, 14]
    assert [r.batches_trained for r in (first, second, third, fourth)] == [1, 1, 6, 6]
    fifth = trainer.wait(TIMEOUT)
    sixth = trainer.wait(TIMEOUT, batches_per_cycle=1)
    assert (fifth.step, fifth.batches_trained, fifth.ends_epoch) == (15, 1, True)
    assert (sixth.step, sixth.batches_trained) == (21, 6)  # under way when 1 was asked for
    assert trainer.wait(TIMEOUT).step == 22
    with pytest.raises(ValueError):
        trainer.take(batches_per_cycle=0)


def test_a_reset_may_set_how_many_batches_its_first_record_trains(small_config, trainer_factory):
    trainer = trainer_factory(small_config.replace(choreography={"batches_per_cycle": 4}))
    assert trainer.wait(TIMEOUT).batches_trained == 4
    trainer.reset(seed=5, batches_per_cycle=1)
    event = trainer.wait(TIMEOUT, batches_per_cycle=10)
    while event.run == 1:  # computed before the reset was applied
        event = trainer.wait(TIMEOUT, batches_per_cycle=10)
    following = trainer.wait(TIMEOUT)
    assert (event.run, event.step, event.batches_trained) == (2, 1, 1)
    assert (following.step, following.batches_trained) == (11, 10)
    # The silent batches are counted: the run's history has every one of them.
    assert len(following.silent_losses) == 9


def test_stop_joins_the_thread_within_a_second(small_config):
    trainer = Trainer(small_config)
    trainer.start()
    _take_records(trainer, 1)
    started = time.perf_counter()
    assert trainer.stop(timeout=1.0)
    assert time.perf_counter() - started < 1.0
    assert not trainer.alive


def test_an_exception_in_the_thread_reaches_the_consumer(small_config, monkeypatch):
    def explode(self, batches_per_cycle=1):
        raise RuntimeError("boom")

    monkeypatch.setattr(TrainingRun, "next_record", explode)
    trainer = Trainer(small_config)
    trainer.start()
    event = trainer.wait(TIMEOUT)
    assert isinstance(event, TrainerFailed)
    assert event.message == "RuntimeError: boom"
    assert "Traceback" in event.details and "explode" in event.details
    assert trainer.stop(timeout=1.0)


def test_a_nan_loss_is_reported_as_divergence_and_halts_until_reset(
    small_config, diverge_at, trainer_factory
):
    diverge_at(step=3)
    trainer = trainer_factory(small_config)
    _take_records(trainer, 2)
    event = trainer.wait(TIMEOUT)
    assert isinstance(event, Diverged)
    assert (event.run, event.epoch, event.batch) == (1, 1, 3) and math.isnan(event.loss)
    assert trainer.wait_until_idle(TIMEOUT)
    assert trainer.take() is None
    trainer.reset(seed=1)
    assert trainer.wait(TIMEOUT).run == 2


def test_a_trainer_restored_from_its_snapshot_continues_bit_identically(
    small_config, trainer_factory
):
    first = trainer_factory(small_config)
    assert first.snapshot is None
    shown = _take_records(first, 4)
    # The thread may have computed a fifth record; the state is the last one published.
    run, seed, state = first.snapshot
    assert (run, seed) == (1, small_config.training.seed) and state.step in (4, 5)
    first.stop()
    second = trainer_factory(small_config, run=1, restore=state)
    replay = TrainingRun(small_config, small_config.training.seed)
    expected = [replay.next_record() for _ in range(state.step + 2)][state.step :]
    resumed = second.wait(TIMEOUT)  # the history first, for the show's curves
    curve = state.history.batch_losses
    seed = small_config.training.seed
    assert resumed == Resumed(1, seed, tuple(curve.losses), (), tuple(curve.steps))
    continued = _take_records(second, 2)
    assert [r.step for r in continued] == [state.step + 1, state.step + 2]
    for got, want in zip(continued, expected):
        assert got.loss == want.loss
        assert all((got.params_after[k] == want.params_after[k]).all() for k in want.params_after)
    assert shown[-1].step == 4
