"""Configs that would exhaust memory are refused before anything is allocated."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from visualizer.config import load_config
from visualizer.errors import UserError
from visualizer.headless import run_headless
from visualizer.memory import GIB, check_memory, estimate, memory_limit
from visualizer.training import shapes

ROOT = Path(__file__).resolve().parents[1]
DEEP = "[64, " + ", ".join(["4096"] * 200) + ", 2]"  # 3.3 billion parameters


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_the_default_show_is_far_below_the_limit_which_is_at_most_4_gib(default_config):
    assert sum(estimate(default_config).values()) < 20e6
    assert sum(estimate(default_config, (1280, 720)).values()) < 40e6
    assert 0 < memory_limit() <= 4 * GIB


@pytest.mark.parametrize(
    ("args", "costliest", "keys"),
    [
        (("--headless", "--set", f"network.sizes={DEEP}"), "parameters", "network.sizes"),
        (
            (
                "--headless",
                *("--set", "data.train_size=100000", "--set", "data.shapes.image_size=32"),
                *("--set", "data.shapes.supersample=16", "--set", "network.sizes=[1024, 16, 2]"),
            ),
            "images",
            "data.train_size, data.test_size, data.shapes.image_size or .supersample",
        ),
        (("--offscreen", "--size", "16384x16384"), "picture", "--size"),
    ],
)
def test_a_config_that_would_exhaust_memory_is_one_line_and_exit_2_at_once(args, costliest, keys):
    started = time.monotonic()
    result = run(*args)  # unfixed: "internal error: MemoryError" after allocating gigabytes
    assert time.monotonic() - started < 30
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    line = result.stderr
    assert line.startswith("neural-particles: error: this config would need about ")
    assert f"GiB of memory, more than the {memory_limit() / GIB:,.1f} GiB allowed" in line
    assert f"most of it for the {costliest} (" in line and f"make {keys} smaller" in line


def test_the_estimate_bounds_what_headless_training_really_allocates(default_config):
    config = default_config.replace(
        network={"sizes": (64, 512, 512, 2)}, data={"train_size": 2000}, training={"epochs": 1}
    )
    tracemalloc.start()
    try:
        run_headless(config, io.StringIO())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    bound = sum(estimate(config, headless=True).values())
    assert peak < bound < 3 * peak  # an upper bound, and not a careless one


def test_check_memory_passes_a_config_within_the_limit(default_config):
    check_memory(default_config, (1920, 1080))
    with pytest.raises(UserError, match=r"make network\.sizes smaller"):
        check_memory(load_config(overrides=[f"network.sizes={DEEP}"]))


def test_images_generated_in_chunks_are_the_images_generated_at_once(default_config, monkeypatch):
    style, labels = default_config.data.shapes, np.arange(50) % 2
    whole = shapes.render(labels, np.random.default_rng(3), style)
    monkeypatch.setattr(shapes, "CHUNK_SUBSAMPLES", 1)  # one image a chunk
    chunked = shapes.render(labels, np.random.default_rng(3), style)
    assert np.array_equal(whole, chunked)
