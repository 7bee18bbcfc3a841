"""Soak: kiosk mode, offscreen, through a simulated day, across runs and restarts.

    python benchmarks/soak.py [--hours 24] [--speed 10] [--dt 4] [--size 640x360]
                              [--set KEY=VALUE ...] [--json]

Runs the real show (trainer thread, choreographer, renderer, HUD) in kiosk mode with
simulated time: each frame advances ``dt`` seconds. Along the way it goes through whole
runs and the attract cycle's restarts. Early on it closes the whole show and opens a new
one, which must resume from the checkpoint (as after a power cut; a real restart is a new
process, and a second renderer compiles its shaders again); later it makes the trainer
crash once, and the watchdog must replace it. Memory is compared from after both one-time
events, over the remaining 60% of the soak. It prints frames, runs completed, restarts,
and the process's memory (RSS) after warm-up, at the end and at its highest, and samples
along the way: the goal is less than 5 MB of growth in a day. The short test in CI runs
this script in its own process (``--json``), so that the memory measured is the app's.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from visualizer.config import Config, load_config
from visualizer.render.context import OffscreenTarget, offscreen_context
from visualizer.show import Show
from visualizer.training.run import TrainingRun

REOPEN_SHARE = 0.05  # the show is closed and opened again (resuming) here,
CRASH_SHARE = 0.3  # the trainer crashes here (the watchdog replaces it),
WARM_UP_SHARE = 0.4  # and memory is compared from here on: the steady state after them


@dataclass
class SoakReport:
    simulated_hours: float
    frames: int
    runs_finished: int
    watchdog_restarts: int
    resumed: bool
    rss_after_warm_up_mb: float
    rss_end_mb: float
    rss_peak_mb: float
    wall_seconds: float
    rss_samples_mb: list[float]  # every tenth of the soak

    @property
    def growth_mb(self) -> float:
        return self.rss_end_mb - self.rss_after_warm_up_mb


def rss_mb() -> float:
    """Resident memory of this process, from /proc (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def soak(
    config: Config, hours: float, dt: float, size: tuple[int, int], checkpoints: Path
) -> SoakReport:
    config = config.replace(
        kiosk={"enabled": True},
        choreography={"max_frame_seconds": max(dt, config.choreography.max_frame_seconds)},
    )
    ctx = offscreen_context()
    target = OffscreenTarget(ctx, size)
    frames = round(hours * 3600 / dt)
    crash_at, reopen_at = round(frames * CRASH_SHARE), round(frames * REOPEN_SHARE)
    warm_up_at = round(frames * WARM_UP_SHARE)
    samples = []
    started = time.perf_counter()
    show = _open(config, ctx, size, checkpoints)
    finished_runs, restarts, resumed = 0, 0, False
    was_finished = False
    rss_warm = rss_peak = 0.0
    for index in range(frames):
        if index == crash_at:
            resumed = show.supervisor.resumes > 0  # the show reopened below continued the saved run
            _crash_once()
        if index == reopen_at:  # as after a power cut: a new process would do the same
            restarts += show.supervisor.restarts
            show.close()
            show = _open(config, ctx, size, checkpoints)
        frame = show.tick(dt)
        show.draw(frame, target.framebuffer)
        if show.supervisor.finished and not was_finished:
            finished_runs += 1
        was_finished = show.supervisor.finished
        if index == warm_up_at:
            rss_warm = rss_mb()
        if index % max(frames // 10, 1) == 0:
            samples.append(round(rss_mb(), 1))
        rss_peak = max(rss_peak, rss_mb())
    restarts += show.supervisor.restarts
    show.close()
    target.release()
    ctx.release()
    return SoakReport(
        hours,
        frames,
        finished_runs,
        restarts,
        resumed,
        rss_warm,
        rss_mb(),
        rss_peak,
        time.perf_counter() - started,
        samples,
    )


def _open(config: Config, ctx, size, checkpoints: Path) -> Show:
    return Show(config, ctx, size, wait_for_records=True, checkpoint_dir=checkpoints)


def _crash_once() -> None:
    """Make the next batch the trainer computes raise, once: the watchdog's turn."""
    original = TrainingRun.next_record

    def explode(self, batches_per_cycle=1):
        TrainingRun.next_record = original
        raise RuntimeError("a simulated fault in the trainer thread")

    TrainingRun.next_record = explode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24.0, help="simulated hours")
    parser.add_argument("--speed", type=float, default=10.0)
    parser.add_argument("--dt", type=float, default=4.0, help="simulated seconds per frame")
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON line")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    config = load_config(overrides=[f"choreography.speed={args.speed}", *args.overrides])
    with tempfile.TemporaryDirectory() as folder:
        report = soak(config, args.hours, args.dt, size, Path(folder))
    if args.json:
        print(json.dumps({**dataclasses.asdict(report), "growth_mb": report.growth_mb}))
        return
    print(
        f"soak: {report.simulated_hours:g} simulated hours at {args.speed:g}× "
        f"in {report.wall_seconds / 60:.1f} min; {report.frames:,} frames of {args.size}; "
        f"{report.runs_finished} runs finished; {report.watchdog_restarts} watchdog restart(s); "
        f"resumed from a checkpoint: {report.resumed}"
    )
    print(
        f"memory (RSS): {report.rss_after_warm_up_mb:.1f} MB after warm-up, "
        f"{report.rss_end_mb:.1f} MB at the end "
        f"({report.growth_mb:+.1f} MB), {report.rss_peak_mb:.1f} MB at most; "
        f"every tenth: {report.rss_samples_mb}"
    )


if __name__ == "__main__":
    main()
