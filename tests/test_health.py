"""When a run has stopped learning: NaN, or a loss exploded far past guessing."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

from visualizer.training.health import EXPLODED_LOSS, broken_loss
from visualizer.training.records import Diverged
from visualizer.training.run import TrainingRun

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 10.0
EXPLODING = {"learning_rate": 100.0, "momentum": 0.999}  # epoch 1's loss: about 170


def _epoch_end(config):
    run = TrainingRun(config, 0)
    while not (record := run.next_record()).ends_epoch:
        pass
    return record


def test_the_threshold_is_ten_times_the_loss_of_guessing():
    assert 10 * math.log(2) == EXPLODED_LOSS and 6.93 < EXPLODED_LOSS < 6.94


def test_a_sound_epoch_is_fine_and_nan_or_an_explosion_is_broken(small_config):
    sound = _epoch_end(small_config)
    assert broken_loss(sound) is None
    assert math.isnan(broken_loss(dataclasses.replace(sound, loss=math.nan)))
    exploded = _epoch_end(small_config.replace(training=EXPLODING))
    metrics = exploded.epoch_metrics
    assert metrics.train_loss > EXPLODED_LOSS and metrics.train_accuracy == 0.5
    assert broken_loss(exploded) == exploded.epoch_metrics.train_loss


def test_a_big_objective_from_l2_alone_is_not_an_explosion(small_config):
    record = TrainingRun(small_config.replace(training={"l2": 10.0}), 0).next_record()
    assert record.loss > EXPLODED_LOSS and broken_loss(record) is None


def test_the_trainer_reports_an_explosion_as_divergence(small_config, trainer_factory):
    trainer = trainer_factory(small_config.replace(training=EXPLODING))
    events = [trainer.wait(TIMEOUT) for _ in range(15)]
    assert isinstance(events[-1], Diverged)
    assert (events[-1].epoch, events[-1].batch) == (1, 15) and events[-1].loss > EXPLODED_LOSS


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", "--headless", "--epochs", "30", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_headless_stops_an_exploded_run_with_one_line_and_status_1():
    result = run("--set", "training.learning_rate=100", "--set", "training.momentum=0.999")
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.splitlines()[-1].startswith(
        "training stopped learning (it exploded) at epoch 1, batch 15 (loss 169.7"
    )


def test_a_diverging_run_prints_no_numpy_warnings():
    result = run(
        "--set", "training.learning_rate=100", "--set", "training.momentum=0.999",
        "--set", "network.sizes=[64, 64, 64, 64, 2]",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("training diverged at epoch 1")
    assert result.stderr == ""  # unfixed: "RuntimeWarning: overflow encountered in dot"
