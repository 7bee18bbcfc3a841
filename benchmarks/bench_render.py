"""Frame times of a scene, offscreen, and the time to the first window.

    python benchmarks/bench_render.py [--sizes 1280x720 1920x1080] [--seconds 8.4]
                                      [--lesson NAME] [--set KEY=VALUE ...]

The config is the app's: config/default.yaml, then the lesson's file (``--lesson``; none
by default), then ``--set`` overrides, as on the app's command line (another lesson,
network or dataset), always played at 10×. For each size: a whole forward/backward/update
cycle at 60 simulated fps, each frame timed from tick to ``ctx.finish()`` (a software
renderer does its work there, as a real frame's buffer swap would wait for it). Prints
p50/p95/max per phase and overall; then the same at 720p with the trainer thread replaced
by records computed beforehand (the trainer's cost on frame time) and without the HUD
(its share); then, when Xvfb is installed, the seconds from launching ``python main.py``
(with the same lesson and overrides) to the window's first frame and to the show's first
frame.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from visualizer.config import Config, load_config  # noqa: E402
from visualizer.errors import EXIT_USER_ERROR, UserError  # noqa: E402
from visualizer.render.context import (  # noqa: E402
    OffscreenTarget,
    offscreen_context,
    renderer_name,
)
from visualizer.show import Show  # noqa: E402
from visualizer.training.data import fit_to_data  # noqa: E402
from visualizer.training.run import TrainingRun  # noqa: E402

FPS = 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(
    config: Config,
    size: tuple[int, int],
    seconds: float,
    precomputed: bool = False,
    hud: bool = True,
) -> dict[str, list[float]]:
    config = config.replace(choreography={"speed": 10.0})
    ctx = offscreen_context()
    target = OffscreenTarget(ctx, size)
    show = Show(config, ctx, size, wait_for_records=True)
    if precomputed:
        show.supervisor.trainer.stop()
        run = TrainingRun(config, config.training.seed)
        records = iter([run.next_record() for _ in range(6)])
        show.choreographer._take_next = lambda: next(records)  # a trainer-free source
    times: dict[str, list[float]] = defaultdict(list)
    for index in range(round(seconds * FPS) + 30):
        started = time.perf_counter()
        frame = show.tick(1 / FPS)
        if hud:
            show.draw(frame, target.framebuffer)
        else:
            show.renderer.draw(frame, target.framebuffer)
        ctx.finish()
        elapsed = (time.perf_counter() - started) * 1000
        if index >= 30:  # after shaders are compiled and the first record is baked
            times[frame.phase.value].append(elapsed)
            times["all"].append(elapsed)
    show.close()
    target.release()
    return times


def report(label: str, times: dict[str, list[float]]) -> None:
    for phase in ("forward", "backward", "update", "all"):
        values = times.get(phase)
        if values:
            print(
                f"{label:>22} {phase:>8}: p50 {statistics.median(values):5.1f} ms  "
                f"p95 {percentile(values, 0.95):5.1f} ms  max {max(values):5.1f} ms  "
                f"({len(values)} frames)"
            )


def window_startup(arguments: list[str]) -> tuple[float, float] | None:
    """Seconds from launching the app to its window's first frame and the show's first frame."""
    if not shutil.which("Xvfb"):
        return None
    display = f":{400 + os.getpid() % 500}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x720x24"], stderr=subprocess.DEVNULL
    )
    try:
        time.sleep(1.0)
        env = {**os.environ, "DISPLAY": display, "SDL_AUDIODRIVER": "dummy"}
        started = time.perf_counter()
        app = subprocess.Popen(
            [sys.executable, "main.py", *arguments],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        window = show = None
        for line in app.stderr:
            if "window presented" in line:
                window = time.perf_counter() - started
            if "first frame of the show" in line:
                show = time.perf_counter() - started
                break
        app.terminate()
        app.wait(5)
        return window, show
    finally:
        server.terminate()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1280x720", "1920x1080"])
    parser.add_argument("--seconds", type=float, default=8.4, help="one cycle at 10×")
    parser.add_argument("--lesson", metavar="NAME", help="start from a lesson's config, e.g. xor")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        dest="overrides",
        metavar="KEY=VALUE",
        help="change one config key, as on the app's command line (repeatable)",
    )
    args = parser.parse_args()
    try:
        config = fit_to_data(load_config(overrides=args.overrides, lesson=args.lesson))
    except UserError as error:
        print(f"bench_render: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    ctx = offscreen_context()
    network = "-".join(str(n) for n in config.network.sizes)
    # The app's own command line for this config, for the header and the window's start.
    arguments = ["--lesson", args.lesson] if args.lesson else []
    arguments += [f"--set={override}" for override in args.overrides]
    print(
        f"renderer: {renderer_name(ctx)}; {config.visuals.particles:,} particles; "
        f"network {network}; {' '.join(arguments) or 'the defaults'}"
    )
    ctx.release()
    for text in args.sizes:
        size = tuple(int(v) for v in text.split("x"))
        report(text, measure(config, size, args.seconds))
    # This machine's speed drifts between runs, so alternate and compare medians.
    with_hud, without_hud = [], []
    for _ in range(3):
        with_hud.append(statistics.median(measure(config, (1280, 720), args.seconds)["all"]))
        bare_times = measure(config, (1280, 720), args.seconds, hud=False)
        without_hud.append(statistics.median(bare_times["all"]))
    ours, bare = statistics.median(with_hud), statistics.median(without_hud)
    print(
        f"HUD: 720p p50 {ours:.1f} ms with it, {bare:.1f} ms without "
        f"({ours - bare:+.1f} ms; median of 3 alternating runs each)"
    )
    with_trainer, without = [], []
    for _ in range(3):
        with_trainer.append(percentile(measure(config, (1280, 720), args.seconds)["all"], 0.95))
        replayed = measure(config, (1280, 720), args.seconds, precomputed=True)
        without.append(percentile(replayed["all"], 0.95))
    ours, baseline = statistics.median(with_trainer), statistics.median(without)
    print(
        f"trainer thread: 720p p95 {ours:.1f} ms with it, {baseline:.1f} ms with records "
        f"computed beforehand ({ours / baseline - 1:+.0%}; median of 3 alternating runs each)"
    )
    startup = window_startup(arguments)
    if startup is None:
        print("startup: Xvfb not installed, not measured")
    else:
        print(
            f"startup: window's first frame {startup[0]:.2f} s, "
            f"show's first frame {startup[1]:.2f} s after launch"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
