"""The command line as a user runs it: real processes, exit codes, and what they print."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from visualizer import __version__, cli
from visualizer.metrics_log import MetricsLog

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, entry: tuple[str, ...] = ("main.py",)) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *entry, *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_headless_trains_and_prints_a_header_one_line_per_epoch_and_a_summary():
    result = run("--headless", "--epochs", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "64 → 16 → 2" in lines[1] and "1,074 parameters" in lines[1]
    assert "(relu hidden, softmax output, cross_entropy loss)" in lines[1]
    assert "shapes: 240 training + 40 test images of 8×8 pixels" in lines[2]
    assert "classes circle, square; 15 batches of 16 per epoch" in lines[3]
    epoch_lines = [line for line in lines if line.startswith("epoch ")]
    assert [line.split()[1] for line in epoch_lines] == ["1/3", "2/3", "3/3"]
    assert lines[-1].startswith("done: 45 batches")
    assert result.stderr == ""


def test_headless_names_batch_norm_and_dropout_and_counts_gamma_and_beta():
    result = run(
        "--headless",
        "--epochs",
        "1",
        "--set",
        "network.batch_norm=true",
        "--set",
        "network.dropout=0.2",
    )
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[1]
    assert "(relu hidden, BatchNorm, dropout 0.2, softmax output" in header
    assert "1,106 parameters" in header  # 1,074 and a γ and β per hidden neuron


def test_metrics_out_appends_one_json_line_per_epoch_with_fractions(tmp_path):
    path = tmp_path / "metrics.jsonl"
    result = run("--headless", "--epochs", "4", "--seed", "2", "--metrics-out", str(path))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [row["epoch"] for row in rows] == [1, 2, 3, 4]
    for row in rows:
        assert {"epoch", "train_loss", "train_acc", "test_loss", "test_acc"} <= row.keys()
        assert 0.0 <= row["train_acc"] <= 1.0 and 0.0 <= row["test_acc"] <= 1.0
        assert row["seed"] == 2 and row["run"] == 1
    assert rows[-1]["step"] == 60
    # A second start (an exhibit's restart) appends; nothing written before is lost.
    assert (
        run("--headless", "--epochs", "2", "--seed", "5", "--metrics-out", str(path)).returncode
        == 0
    )
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(row["seed"], row["epoch"]) for row in rows] == [
        (2, 1),
        (2, 2),
        (2, 3),
        (2, 4),
        (5, 1),
        (5, 2),
    ]


def test_a_record_that_ends_no_epoch_writes_no_metrics_line(tmp_path, records):
    path = tmp_path / "metrics.jsonl"
    log = MetricsLog(path)
    try:
        with pytest.raises(ValueError, match="ends no epoch"):
            log.write(records[0])  # the first batch of fifteen
    finally:
        log.close()
    assert path.read_text() == ""


def test_the_same_seed_prints_the_same_run():
    first = run("--headless", "--epochs", "5", "--seed", "3").stdout.splitlines()
    second = run("--headless", "--epochs", "5", "--seed", "3").stdout.splitlines()
    assert first[:-1] == second[:-1]  # all but the timing summary


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--bogus",), "unrecognized arguments: --bogus"),
        (("--headless", "--epochs", "zero"), "training.epochs must be a whole number; got 'zero'"),
        (("--headless", "--set", "training.sed=1"), "did you mean 'training.seed'?"),
        (("--config", "/no/such/file.yaml"), "config file /no/such/file.yaml not found"),
        (
            ("--headless", "--metrics-out", "/no/such/dir/m.jsonl"),
            "cannot write metrics to /no/such/dir/m.jsonl",
        ),
    ],
)
def test_user_errors_exit_2_with_one_line_and_no_traceback(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("neural-particles: error: ")
    assert message in result.stderr


def test_version_and_print_config_and_module_entry_point():
    assert run("--version").stdout.strip() == f"neural-particles {__version__}"
    printed = run("--print-config", "--seed", "8", entry=("-m", "visualizer"))
    assert printed.returncode == 0
    assert "seed: 8" in printed.stdout and "sizes: [64, 16, 2]" in printed.stdout


@pytest.mark.parametrize(
    "layers",
    [(), ("--set", "network.batch_norm=true", "--set", "network.dropout=0.2")],
    ids=["plain", "batchnorm+dropout"],
)
def test_offscreen_renders_a_screenshot_and_writes_metrics_when_an_epoch_ends(tmp_path, layers):
    shot, metrics = tmp_path / "shot.png", tmp_path / "metrics.jsonl"
    # 15 cycles of 2 simulated seconds each (very short phases) end the first epoch.
    result = run(
        "--offscreen",
        "--size",
        "320x200",
        "--frames",
        "70",
        "--dt",
        "0.5",
        "--set",
        "choreography.forward_seconds=0.9",
        "--set",
        "choreography.backward_seconds=0.9",
        "--set",
        "choreography.update_seconds=0.2",
        "--screenshot",
        str(shot),
        "--metrics-out",
        str(metrics),
        *layers,
    )
    assert result.returncode == 0, result.stderr
    assert "screenshot saved" in result.stdout and shot.stat().st_size > 1000
    rows = [json.loads(line) for line in metrics.read_text().splitlines()]
    assert [row["epoch"] for row in rows] == [1]


def test_offscreen_without_opengl_3_3_is_one_clear_line():
    env = {**os.environ, "MESA_GL_VERSION_OVERRIDE": "3.0"}  # Mesa then offers only GL 3.0
    result = subprocess.run(
        [sys.executable, "main.py", "--offscreen"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "needs OpenGL 3.3 through EGL" in result.stderr


# ------------------------------------------------------------------ every data source

FRUIT = "examples/fruit.csv"
SOURCE_ARGS = {
    "xor": (
        "--set",
        "data.source=xor",
        "--set",
        "network.sizes=[2, 4, 1]",
        "--set",
        "network.output=sigmoid",
    ),
    "worked-example": (
        "--set",
        "data.source=worked-example",
        "--set",
        "network.sizes=[2, 2, 1]",
        "--set",
        "network.output=sigmoid",
    ),
    "digits": ("--set", "data.source=digits", "--set", "network.sizes=[64, 32, 10]"),
    "file": ("--data", FRUIT),
}
SOURCE_HEADERS = {
    "xor": ("xor: 4 samples of 2 features, tested on the same", "classes 0, 1; 1 batch of 4"),
    "worked-example": (
        "worked-example: 1 sample of 2 features, tested on the same (no others)",
        "classes 0, 1; 1 batch of 1",
    ),
    "digits": (
        "digits: 240 training + 40 test images of 8×8 pixels",
        "classes 0, 1, 2, 3, 4, 5, 6, 7, 8, 9; 15 batches",
    ),
    "file": (
        f"file {FRUIT}: 144 training + 36 test samples of 2 features, standardised",
        "classes apple, lemon, orange; 9 batches of 16",
    ),
}


@pytest.mark.parametrize("source", SOURCE_ARGS)
def test_headless_names_every_source_and_writes_the_same_metrics(source, tmp_path):
    metrics = tmp_path / "metrics.jsonl"
    result = run("--headless", "--epochs", "2", *SOURCE_ARGS[source], "--metrics-out", str(metrics))
    assert result.returncode == 0, result.stderr
    data, classes = SOURCE_HEADERS[source]
    lines = result.stdout.splitlines()
    assert lines[2].startswith(f"data      {data}")
    assert lines[3].startswith(f"          {classes}")
    rows = [json.loads(line) for line in metrics.read_text().splitlines()]
    assert [row["epoch"] for row in rows] == [1, 2]
    fields = {"run", "seed", "epoch", "step", "train_loss", "train_acc", "test_loss", "test_acc"}
    assert all(set(row) == fields for row in rows)


@pytest.mark.parametrize("source", SOURCE_ARGS)
def test_offscreen_draws_every_source(source):
    result = run(
        "--offscreen", "--size", "640x360", "--frames", "3", "--dt", "5", *SOURCE_ARGS[source]
    )
    assert result.returncode == 0, result.stderr


def test_refused_data_exits_2_with_one_line_and_writes_nothing(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("x,y,label\n1,2,a\n3,b\n")
    metrics = tmp_path / "metrics.jsonl"
    cases = {
        str(tmp_path / "missing.csv"): f"data file {tmp_path / 'missing.csv'} not found",
        str(ragged): f"data file {ragged}, line 3: 2 values, but the header names 3 columns",
    }
    for path, message in cases.items():
        result = run("--headless", "--data", path, "--metrics-out", str(metrics))
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not metrics.exists()


def test_a_network_output_that_cannot_fit_the_files_classes_exits_2():
    result = run(
        "--headless",
        "--data",
        FRUIT,
        "--set",
        "network.sizes=[64, 16, 1]",
        "--set",
        "network.output=sigmoid",
    )
    assert result.returncode == 2
    assert result.stderr == (
        "neural-particles: error: network.output sigmoid is one unit for two classes, but "
        f"data.file {FRUIT} has 3 classes; use softmax\n"
    )


def test_the_printed_config_of_your_data_shows_the_networks_ends_from_it():
    printed = run("--print-config", "--data", FRUIT, "--set", "network.sizes=[5, 12, 8, 7]")
    assert printed.returncode == 0, printed.stderr
    assert "  sizes: [2, 12, 8, 3]  # first and last: the inputs and classes of data.file\n" in (
        printed.stdout
    )
    assert f"  source: file\n  file: {FRUIT}\n" in printed.stdout


def test_data_paths_stay_text_whatever_yaml_would_make_of_them():
    from visualizer.cli import _overrides, build_parser
    from visualizer.config import load_config

    for path in ("2024", "yes", "null", "a: b", 'odd "name".csv'):
        overrides = _overrides(build_parser().parse_args(["--data", path]))
        assert load_config(overrides=overrides).data.file == path


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_headless_stops_with_one_line_when_the_metrics_disk_is_full():
    result = run("--headless", "--epochs", "3", "--metrics-out", "/dev/full")
    assert result.returncode == 2
    assert result.stderr == (
        "neural-particles: error: cannot write metrics to /dev/full: No space left on device\n"
    )
    assert "epoch 1/3" in result.stdout and "epoch 2/3" not in result.stdout


def test_a_screenshot_must_be_named_png_and_a_failed_write_is_not_reported_as_saved(tmp_path):
    result = run("--offscreen", "--screenshot", str(tmp_path / "shot.txt"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "screenshots are PNG files: give a name ending in .png" in result.stderr
    assert not (tmp_path / "shot.txt").exists()
    if Path("/proc/self").exists():  # a folder where nobody, not even root, creates files
        failed = run("--offscreen", "--size", "64x64", "--screenshot", "/proc/shot.png")
        assert failed.returncode == 2 and "saved" not in failed.stdout
        assert failed.stderr == (
            "neural-particles: error: cannot write the screenshot /proc/shot.png: "
            "No such file or directory\n"
        )


def test_a_reader_that_leaves_early_stops_headless_quietly():
    """`--headless | head -1`: the pipe closes mid-run; no 'internal error', exit 141. The
    run prints about 1 MB, far more than a pipe holds, so it must meet the closed pipe."""
    explained = ["--lesson", "xor", "--set", "headless.explain=true", "--epochs", "400"]
    process = subprocess.Popen(
        [sys.executable, "main.py", "--headless", *explained],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # what `head -1` does after its line
    _, stderr = process.communicate(timeout=60)
    assert stderr == b""
    assert process.returncode == 141


def test_a_crash_in_native_code_leaves_the_python_stacks_on_stderr():
    """After the app has started, a segmentation fault (as a GL driver's bug would raise)
    still writes where each thread was: the journal of a service manager keeps it."""
    crash = (
        "import faulthandler; from visualizer.cli import main; "
        "main(['--list-lessons']); faulthandler._sigsegv()"
    )
    result = subprocess.run(
        [sys.executable, "-c", crash], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "Fatal Python error: Segmentation fault" in result.stderr
    assert 'File "<string>", line 1' in result.stderr


def test_without_a_stderr_file_the_app_still_starts(monkeypatch, capsys):
    """A windowed app on Windows has no stderr at all, and a host may give it one that is
    no file: the crash report is then left out, and the app runs."""
    monkeypatch.setattr(sys, "stderr", None)
    assert cli.main(["--list-lessons"]) == 0
    assert "shapes" in capsys.readouterr().out
