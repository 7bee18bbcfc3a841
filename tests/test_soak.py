"""A short soak in CI: kiosk mode, offscreen, through several complete runs and restarts.

It runs benchmarks/soak.py in a process of its own, so that the memory it measures is
the app's and not this test session's. The day-long version and its figures:
docs/benchmarks.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_kiosk_runs_through_runs_crashes_and_restarts_without_growing(gl):
    # Two-epoch runs and a five-second hold: 24 simulated minutes hold several runs.
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/soak.py",
            "--hours=0.4",
            "--size=320x200",
            "--json",
            "--set=training.epochs=2",
            "--set=kiosk.hold_seconds=5",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["runs_finished"] >= 4
    assert report["watchdog_restarts"] == 1
    assert report["resumed"]
    assert report["growth_mb"] < 5.0, report
