"""The render benchmark's own arithmetic: which cases it measures and what it reports."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_render


def test_the_grid_is_every_size_lesson_view_and_language_that_exists():
    grid = bench_render.cases([(1280, 720)], ["shapes", "xor"], ["show", "weights"], ["en", "de"])
    keys = [case.key for case in grid]
    # The weight tiles are drawn over image inputs only: xor has none.
    assert keys == [
        "1280x720 shapes show en",
        "1280x720 shapes show de",
        "1280x720 shapes weights en",
        "1280x720 shapes weights de",
        "1280x720 xor show en",
        "1280x720 xor show de",
    ]
    assert grid[1].overrides(["a.b=1"]) == ["a.b=1", "ui.language=de"]


def test_a_summary_counts_the_frames_over_one_and_over_two_budgets():
    budget = 1000 / 60
    runs = [[10.0] * 96 + [20.0, 20.0, 40.0, 50.0], [10.0] * 99 + [34.0]]
    figures = bench_render.summary(runs, budget)
    assert figures["over_two"] == 1.5  # the median of 2 and 1 frames over 33.3 ms
    assert figures["over"] == (0.04 + 0.01) / 2
    assert (figures["worst_lo"], figures["worst_hi"]) == (34.0, 50.0)
    assert bench_render.Case((3840, 2160), "shapes", "show").budget == 1000 / 30
