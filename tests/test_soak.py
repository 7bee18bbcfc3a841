"""A short soak in CI: kiosk mode, offscreen, through several complete runs and restarts.

The day-long version is ``python benchmarks/soak.py`` (figures in docs/benchmarks.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from soak import soak


@pytest.mark.slow
def test_the_kiosk_runs_through_runs_crashes_and_restarts_without_growing(
    gl, default_config, tmp_path
):
    # Two-epoch runs and a five-second hold: 24 simulated minutes hold several runs.
    config = default_config.replace(
        training={"epochs": 2}, kiosk={"hold_seconds": 5.0}, choreography={"speed": 10.0}
    )
    report = soak(config, hours=0.4, dt=4.0, size=(320, 200), checkpoints=tmp_path)
    assert report.runs_finished >= 4
    assert report.watchdog_restarts == 1
    assert report.resumed
    assert report.growth_mb < 5.0, report
