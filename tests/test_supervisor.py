"""The trainer's supervisor on its own: no GL, no window, time passed in by ``tick``.

Every supervisor here blocks for its trainer (``wait_for_records``), so what ``take()``
returns does not depend on the machine's speed; the thread's own timing is pinned by
``Trainer.wait_until_idle`` where a fault must strike a known batch.
"""

from __future__ import annotations

import pytest

from visualizer.said import Said
from visualizer.supervisor import (
    NOTICE_SECONDS,
    RETRY_SECONDS,
    Notice,
    StartOver,
    Supervisor,
)
from visualizer.training.checkpoint import save_checkpoint
from visualizer.training.records import Resumed, StepRecord
from visualizer.training.run import TrainingRun

TIMEOUT = 10.0
RESTARTED_WHERE_IT_LEFT_OFF = Said("show.notice.restarted_where_it_left_off")
RESTARTED_WITH_NEW_IMAGES = Said("show.notice.restarted_with_new_images")


@pytest.fixture
def supervise():
    """Supervisors that block for their trainers, each closed after the test."""
    supervisors = []

    def make(config, **kwargs):
        supervisor = Supervisor(config, wait_for_records=True, **kwargs)
        supervisors.append(supervisor)
        return supervisor

    yield make
    for supervisor in supervisors:
        supervisor.close()
        assert not supervisor.trainer.alive


def take_records(supervisor: Supervisor, count: int) -> list[StepRecord]:
    records = [supervisor.take() for _ in range(count)]
    assert all(isinstance(record, StepRecord) for record in records), records
    return records


def arm_after_four_records(supervisor: Supervisor, fail_batches, times: int) -> None:
    """Take four records, then make the next ``times`` batches fail: the first is the
    fifth batch, as the fourth was already computed (the trainer is one batch ahead)."""
    take_records(supervisor, 3)
    assert supervisor.trainer.wait_until_idle(TIMEOUT)  # the fourth waits in the outbox
    fail_batches(times)
    take_records(supervisor, 1)


def test_records_come_through_with_the_run_learnt_from_the_trainer(small_config, supervise):
    supervisor = supervise(small_config)
    assert supervisor.run is None  # until the trainer says which run it trains
    records = take_records(supervisor, 3)
    assert [r.step for r in records] == [1, 2, 3]
    assert (supervisor.run, supervisor.seed) == (1, small_config.training.seed)
    assert supervisor.notice is None and supervisor.restarts == 0


def test_a_failed_trainer_is_replaced_and_continues_after_its_last_record(
    small_config, supervise, fail_batches
):
    supervisor = supervise(small_config)
    arm_after_four_records(supervisor, fail_batches, 1)
    assert isinstance(supervisor.take(), StartOver)  # the failure: forget the screen
    assert supervisor.notice == Notice(RESTARTED_WHERE_IT_LEFT_OFF, NOTICE_SECONDS)
    resumed = supervisor.take()
    assert isinstance(resumed, Resumed) and len(resumed.batch_losses) == 4
    assert [r.step for r in take_records(supervisor, 2)] == [5, 6]
    assert (supervisor.restarts, supervisor.resumes, supervisor.run) == (1, 1, 1)


def test_a_replacement_that_fails_at_once_gives_up_the_run_for_the_next_seed(
    small_config, supervise, fail_batches
):
    supervisor = supervise(small_config)
    take_records(supervisor, 1)
    supervisor.reset(supervisor.seed)  # run 2: the next seed's run must be numbered 3
    arm_after_four_records(supervisor, fail_batches, 2)
    assert isinstance(supervisor.take(), StartOver)
    assert isinstance(supervisor.take(), Resumed)  # the replacement, which fails too
    assert isinstance(supervisor.take(), StartOver)
    assert supervisor.notice == Notice(RESTARTED_WITH_NEW_IMAGES, NOTICE_SECONDS)
    record = supervisor.take()
    seed = small_config.training.seed + 1
    assert (record.run, record.seed, record.step) == (3, seed, 1)
    assert (supervisor.run, supervisor.seed, supervisor.restarts) == (3, seed, 2)


def test_after_three_failures_in_a_row_it_waits_a_minute_before_each_try(
    small_config, supervise, fail_batches
):
    supervisor = supervise(small_config)
    arm_after_four_records(supervisor, fail_batches, 4)  # three, then the first retry too
    assert isinstance(supervisor.take(), StartOver)
    assert isinstance(supervisor.take(), Resumed)
    assert isinstance(supervisor.take(), StartOver)  # the next seed's trainer fails too
    assert isinstance(supervisor.take(), StartOver)  # the third: now it waits
    assert supervisor.take() is None and not supervisor.trainer.alive
    assert supervisor.notice == Notice(Said.of("show.notice.retrying", seconds=60), RETRY_SECONDS)
    supervisor.tick(RETRY_SECONDS - 0.5)
    assert supervisor.notice.said == Said.of("show.notice.retrying", seconds=1)
    assert supervisor.take() is None and supervisor.restarts == 3  # no try yet
    supervisor.tick(0.5)  # the retry, with the next seed, which fails: another minute
    assert supervisor.notice.said == RESTARTED_WITH_NEW_IMAGES
    assert isinstance(supervisor.take(), StartOver) and supervisor.take() is None
    assert supervisor.restarts == 4 and supervisor.notice.seconds == RETRY_SECONDS
    supervisor.tick(RETRY_SECONDS - 0.5)
    supervisor.tick(0.5)  # this try works
    record = supervisor.take()
    seed = small_config.training.seed + 3  # one seed per fresh start: runs 2, 3 and 4
    assert (record.run, record.seed, record.step) == (4, seed, 1)
    assert supervisor.restarts == 4 and supervisor.notice.said == RESTARTED_WITH_NEW_IMAGES


def test_a_diverged_run_starts_again_from_the_next_seed_and_says_so_for_a_while(
    small_config, supervise, diverge_at
):
    diverge_at(step=2)
    supervisor = supervise(small_config)
    take_records(supervisor, 1)
    assert isinstance(supervisor.take(), StartOver)
    seed = small_config.training.seed + 1
    assert (supervisor.run, supervisor.seed) == (2, seed)
    text = Said("show.notice.diverged")
    assert supervisor.notice == Notice(text, NOTICE_SECONDS)
    record = supervisor.take()
    assert (record.run, record.seed, record.step) == (2, seed, 1)
    supervisor.tick(NOTICE_SECONDS - 1.0)
    assert supervisor.notice == Notice(text, 1.0)
    supervisor.tick(1.0)
    assert supervisor.notice is None


def test_the_show_can_say_something_for_a_while_too(small_config, supervise):
    supervisor = supervise(small_config)
    supervisor.say(Said("show.notice.clip_not_saved"))
    supervisor.tick(NOTICE_SECONDS - 1.0)
    assert supervisor.notice == Notice(Said("show.notice.clip_not_saved"), 1.0)
    supervisor.tick(1.0)
    assert supervisor.notice is None


def test_a_finished_run_waits_without_blocking_until_a_reset(small_config, supervise):
    supervisor = supervise(small_config.replace(training={"epochs": 1}))
    take_records(supervisor, 15)
    assert supervisor.take() is None and supervisor.finished
    assert supervisor.take() is None  # a finished run: nothing to block for
    supervisor.reset(7)
    assert not supervisor.finished and (supervisor.run, supervisor.seed) == (2, 7)
    record = supervisor.take()
    assert (record.run, record.seed, record.step) == (2, 7, 1)


def test_a_checkpointed_run_resumes_with_its_own_number_and_seed(small_config, supervise, tmp_path):
    config = small_config.replace(training={"epochs": 4})
    earlier = TrainingRun(config, seed=5, run=3)
    while earlier.epoch <= 1:
        earlier.next_record()
    save_checkpoint(tmp_path, earlier)
    supervisor = supervise(config, checkpoint_dir=tmp_path)
    resumed = supervisor.take()
    assert isinstance(resumed, Resumed) and len(resumed.batch_losses) == 15
    assert (supervisor.run, supervisor.seed, supervisor.resumes) == (3, 5, 1)
    assert take_records(supervisor, 1)[0].step == 16
    supervisor.reset(supervisor.seed)
    assert supervisor.run == 4  # numbers go on from the checkpoint's run


def test_a_lesson_switched_to_starts_afresh_beside_a_checkpoint_it_leaves_alone(
    small_config, supervise, tmp_path
):
    config = small_config.replace(training={"epochs": 4})
    earlier = TrainingRun(config, seed=5, run=3)
    while earlier.epoch <= 1:
        earlier.next_record()
    saved = save_checkpoint(tmp_path, earlier)
    supervisor = supervise(config, checkpoint_dir=tmp_path, resume=False)
    record = supervisor.take()
    assert isinstance(record, StepRecord) and (record.run, record.step) == (1, 1)
    assert supervisor.resumes == 0 and sorted(tmp_path.iterdir()) == [saved]
