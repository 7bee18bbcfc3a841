"""Lessons: the shipped presets load, validate and run; --lesson, --list-lessons, kiosk.lessons."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from visualizer.config import (
    DEFAULT_LESSON,
    ConfigError,
    dump_config,
    lesson_names,
    load_config,
)
from visualizer.lessons import available_lessons, find_lesson, menu_for
from visualizer.training.run import TrainingRun

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ("shapes", "xor", "worked-example", "digits")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_the_four_lessons_are_shipped_in_the_pickers_order_each_with_a_title():
    assert lesson_names()[: len(LESSONS)] == LESSONS
    for lesson in available_lessons():
        assert lesson.title and "\n" not in lesson.description
        assert load_config(lesson=lesson.name).lesson.title == lesson.title


def test_the_shapes_lesson_is_the_default_show_with_a_name():
    default, shapes = load_config(), load_config(lesson=DEFAULT_LESSON)
    assert shapes.replace(lesson={"title": "", "description": ""}) == default


def test_the_xor_lesson_is_seed_002s_network():
    config = load_config(lesson="xor")
    assert config.network.sizes == (2, 4, 1)
    assert (config.network.hidden_activation, config.network.output) == ("sigmoid", "sigmoid")
    assert (config.network.loss, config.data.source) == ("mse", "xor")
    assert (config.training.batch_size, config.training.momentum) == (4, 0.0)


def test_the_worked_example_lesson_is_seed_003s_and_opens_paused():
    config = load_config(lesson="worked-example")
    net, training = config.network, config.training
    assert net.sizes == (2, 2, 1) and net.hidden_activation == net.output == "sigmoid"
    assert net.loss == "cross_entropy" and config.data.source == "worked-example"
    assert dict(net.initial_parameters) == {
        "W1": ((0.1, 0.2), (0.3, 0.4)),
        "b1": (0.01, 0.02),
        "W2": ((0.5, 0.6),),
        "b2": (0.05,),
    }
    assert (training.learning_rate, training.momentum, training.batch_size) == (0.1, 0.0, 1)
    assert config.choreography.start_paused and config.headless.explain


def test_the_digits_lesson_is_the_measured_preset():
    config = load_config(lesson="digits")
    assert config.network.sizes == (64, 32, 10) and config.network.output == "softmax"
    assert (config.data.train_size, config.data.test_size) == (240, 40)
    training = config.training
    assert (training.learning_rate, training.batch_size, training.epochs) == (0.3, 16, 30)


def test_a_lesson_comes_first_then_the_config_file_then_set(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("training:\n  epochs: 7\n  learning_rate: 2.0\n")
    config = load_config(mine, ["training.learning_rate=3.0"], lesson="xor")
    assert config.network.sizes == (2, 4, 1)  # the lesson's
    assert config.training.epochs == 7  # the file over the lesson
    assert config.training.learning_rate == 3.0  # --set over both


def test_an_unknown_lesson_is_one_line_naming_the_lessons():
    with pytest.raises(ConfigError, match=r"unknown lesson 'bogus'; the lessons are shapes, xor"):
        load_config(lesson="bogus")
    with pytest.raises(ConfigError):
        find_lesson("bogus")


def test_kiosk_lessons_are_checked_at_load_and_an_unknown_one_names_the_lessons():
    assert load_config(overrides=["kiosk.lessons=[xor, digits]"]).kiosk.lessons == ("xor", "digits")
    assert load_config().kiosk.lessons == ()
    with pytest.raises(ConfigError) as error:
        load_config(overrides=["kiosk.lessons=[xor, bogus]"])
    assert str(error.value).startswith("kiosk.lessons[1] 'bogus' is not a lesson; the lessons are")
    with pytest.raises(ConfigError, match=r"kiosk\.lessons must be a list"):
        load_config(overrides=["kiosk.lessons=xor"])


def test_the_minitorch_lesson_is_seed_004s_stack_at_the_digits_pace():
    config, digits = load_config(lesson="minitorch"), load_config(lesson="digits")
    net = config.network
    assert net.sizes == (64, 32, 10) and (net.hidden_activation, net.output) == ("relu", "softmax")
    assert net.batch_norm and net.dropout == 0.2
    assert (config.data, config.training) == (digits.data, digits.training)
    assert lesson_names()[-1] == "minitorch"


def test_the_window_offers_every_lesson_and_a_kiosk_only_its_own():
    def config_for(name):
        return load_config(lesson=name)

    plain = menu_for(load_config(), "shapes", config_for)
    assert [lesson.name for lesson in plain.lessons] == list(lesson_names())
    kiosk = load_config(overrides=["kiosk.enabled=true", "kiosk.lessons=[xor, xor, digits]"])
    assert [lesson.name for lesson in menu_for(kiosk, None, config_for).lessons] == [
        "xor",
        "digits",
    ]
    alone = load_config(overrides=["kiosk.enabled=true"])
    assert menu_for(alone, "shapes", config_for).lessons == ()


def test_explaining_refuses_layers_it_cannot_explain():
    with pytest.raises(ConfigError, match=r"headless\.explain .* network\.batch_norm"):
        load_config(overrides=["network.batch_norm=true"], lesson="worked-example")


def test_list_lessons_prints_each_name_and_description():
    result = run("--list-lessons")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert [line.split(" — ")[0] for line in lines] == list(lesson_names())
    assert lines[1] == f"xor — {find_lesson('xor').description}"


def test_an_unknown_lesson_exits_2_with_one_line_listing_them():
    result = run("--lesson", "bogus", "--headless")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("neural-particles: error: unknown lesson 'bogus'")
    assert "shapes, xor, worked-example, digits" in result.stderr


def test_set_applies_on_top_of_a_lesson():
    printed = run("--lesson", "xor", "--set", "training.epochs=3", "--print-config")
    assert printed.returncode == 0, printed.stderr
    assert "sizes: [2, 4, 1]" in printed.stdout and "epochs: 3" in printed.stdout
    assert "title: XOR" in printed.stdout


def test_without_a_lesson_or_a_config_file_the_shapes_lesson_runs(tmp_path):
    plain = run("--print-config")
    assert plain.stdout == dump_config(load_config(lesson=DEFAULT_LESSON))
    mine = tmp_path / "mine.yaml"
    mine.write_text("training:\n  epochs: 7\n")
    own = run("--config", str(mine), "--print-config")  # your own file: no lesson under it
    assert own.stdout == dump_config(load_config(mine))


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_runs_headless_and_offscreen(lesson, tmp_path):
    headless = run("--lesson", lesson, "--headless", "--epochs", "2")
    assert headless.returncode == 0, headless.stderr
    assert f"lesson “{find_lesson(lesson).title}”" in headless.stdout.splitlines()[0]
    assert "epoch 2/2" in headless.stdout
    shot = tmp_path / "shot.png"
    size = ("--size", "640x360", "--frames", "4", "--dt", "5")
    offscreen = run("--lesson", lesson, "--offscreen", *size, "--screenshot", str(shot))
    assert offscreen.returncode == 0, offscreen.stderr
    assert shot.stat().st_size > 1000


def test_the_xor_lessons_preset_gets_all_four_points_right():
    """A handful of seeds, quickly; the success rate over hundreds is in the README."""
    config = load_config(lesson="xor")
    for seed in range(4):
        run_ = TrainingRun(config, seed)
        while run_.next_record(run_.batches_per_epoch) is not None:
            pass
        points = run_.train_set
        xor = (points.inputs[:, 0] != points.inputs[:, 1]).astype(np.int64)
        predicted = run_.network.evaluate(points.inputs, points.labels).probabilities.argmax(1)
        assert np.array_equal(points.labels, xor) and np.array_equal(predicted, xor), seed


def test_an_exhibit_with_lessons_starts_with_the_first_unless_told_one_of_them():
    rotation = ("--kiosk", "--set", "kiosk.lessons=[xor, digits]", "--print-config")
    assert "title: XOR" in run(*rotation).stdout
    assert "title: Digits" in run("--lesson", "digits", *rotation).stdout
    assert "title: XOR" in run("--lesson", "shapes", *rotation).stdout  # not one of them
