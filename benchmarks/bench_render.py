"""Frame times of the show, offscreen, per size × lesson × HUD view; and the time to the first
window.

    python benchmarks/bench_render.py [--sizes 1280x720 1920x1080 3840x2160]
        [--lessons shapes xor ...] [--views show equations weights matrix legend picker]
        [--languages en de ...] [--runs N] [--before TREE] [--json FILE]
        [--set KEY=VALUE ...] [--shares] [--startup]

Each case is a fresh show of a lesson (its config: config/default.yaml, the lesson's file,
then ``--set`` overrides, as on the app's command line), played at 10× and unpaused, with
one HUD view on: ``show`` (the HUD as it opens; a two-input lesson's decision map is part
of it), ``equations`` (E), ``weights`` (W; image inputs only), ``matrix`` (M), ``legend``
(L) or ``picker`` (K, the lesson list open); and in one language of the HUD's (``--languages``,
English by default: the words differ in length, so the HUD's panels and their repaints
do). Before timing, the show runs untimed until its
first epoch has ended (the confusion matrix and the curves have something to show) and
draws 30 frames (shaders compiled, the first record baked). Then at least one whole cycle
(and at least 8.4 s) at 60 simulated fps, each frame timed from ``tick`` to
``ctx.finish()`` (a software renderer does its work there, as a real frame's buffer swap
would wait for it).

Per case: p50, p95, the worst frame, the share of frames over the size's budget (one
refresh at 60 Hz, 16.7 ms; above 1920×1080, one at 30 Hz, 33.3 ms) and how many frames
took longer than two budgets (two refreshes missed: the hitches a viewer sees). With
``--runs N`` the grid is measured N times and each figure is the median of the runs, with the spread
(lowest–highest) of p95 and of the worst frame. ``--before TREE`` measures an older
checkout (e.g. ``git worktree add /tmp/before main~3``) with this same benchmark in a
child process, alternating with this tree run by run, and prints its figures alongside.
``--json FILE`` keeps every frame time. ``--shares``: the HUD's share and the trainer
thread's (720p, three alternating runs each). ``--startup``: the seconds from launching
``python main.py`` under Xvfb to the window's first frame and to the show's first frame.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ``--tree`` (the checkout to measure) is read before anything from it is imported.
TREE = Path(sys.argv[sys.argv.index("--tree") + 1]) if "--tree" in sys.argv[:-1] else ROOT
sys.path.insert(0, str(TREE.resolve()))

from visualizer.config import Config, lesson_names, load_config  # noqa: E402
from visualizer.errors import EXIT_USER_ERROR, UserError  # noqa: E402
from visualizer.hud.toggles import Toggle  # noqa: E402
from visualizer.lessons import menu_for  # noqa: E402
from visualizer.render.context import (  # noqa: E402
    OffscreenTarget,
    offscreen_context,
    renderer_name,
)
from visualizer.show import Show  # noqa: E402
from visualizer.training.data import data_widths, fit_to_data  # noqa: E402
from visualizer.training.run import TrainingRun  # noqa: E402

FPS = 60
SPEED = 10.0
WARM_FRAMES = 30
MIN_SECONDS = 8.4  # one cycle of the default show at 10×
WARM_TICKS = 3000  # untimed ticks at most, waiting for the first epoch's end
VIEWS = ("show", "equations", "weights", "matrix", "legend", "picker")
TOGGLES = {"equations": Toggle.EXPLAIN, "weights": Toggle.WEIGHTS, "matrix": Toggle.MATRIX}


@dataclass(frozen=True)
class Case:
    size: tuple[int, int]
    lesson: str
    view: str
    language: str = "en"

    @property
    def key(self) -> str:
        return f"{self.size[0]}x{self.size[1]} {self.lesson} {self.view} {self.language}"

    def overrides(self, overrides: list[str]) -> list[str]:
        """The benchmark's config overrides, and this case's language."""
        return [*overrides, f"ui.language={self.language}"]

    @property
    def budget(self) -> float:
        """One refresh, in ms: at 60 Hz up to 1920×1080, at 30 Hz above."""
        return 1000 / 30 if self.size[0] * self.size[1] > 1920 * 1080 else 1000 / 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def lesson_config(lesson: str, overrides: list[str]) -> Config:
    return fit_to_data(load_config(overrides=overrides, lesson=lesson))


def cycle_seconds(config: Config) -> float:
    c = config.choreography
    return (c.forward_seconds + c.backward_seconds + c.update_seconds) / SPEED


def measure(
    ctx,
    config: Config,
    size: tuple[int, int],
    view: str = "show",
    lesson: str | None = None,
    overrides: list[str] | None = None,
    precomputed: bool = False,
    hud: bool = True,
) -> list[float]:
    """Milliseconds of each timed frame of one case (see the module's docstring)."""
    config = config.replace(choreography={"speed": SPEED})
    target = OffscreenTarget(ctx, size)
    lessons = None
    if view == "picker":
        lessons = menu_for(config, lesson, lambda name: lesson_config(name, overrides or []))
    show = Show(config, ctx, size, wait_for_records=True, lessons=lessons)
    show.choreographer.paused = False  # a lesson that opens paused plays, as in a kiosk
    if precomputed:
        show.supervisor.trainer.stop()
        run = TrainingRun(config, config.training.seed)
        records = iter([run.next_record() for _ in range(8)])
        show.choreographer._take_next = lambda: next(records)  # a trainer-free source
    else:
        for _ in range(WARM_TICKS):  # untimed, undrawn: until an epoch has ended
            show.tick(0.1)
            if show.history.latest is not None:
                break
    if view in TOGGLES:
        show.controller.toggle(TOGGLES[view], show.tick(0.0))
    elif view == "legend":
        show.controller.toggle_legend()
    elif view == "picker" and show.controller.picker is not None:
        show.controller.picker.toggle()
    times: list[float] = []
    frames = round(max(cycle_seconds(config), MIN_SECONDS) * FPS)
    for index in range(WARM_FRAMES + frames):
        started = time.perf_counter()
        frame = show.tick(1 / FPS)
        if hud:
            show.draw(frame, target.framebuffer)
        else:
            show.renderer.draw(frame, target.framebuffer)
        ctx.finish()
        if index >= WARM_FRAMES:
            times.append((time.perf_counter() - started) * 1000)
    show.close()
    target.release()
    return times


def cases(
    sizes: list[tuple[int, int]], lessons: list[str], views: list[str], languages: list[str]
) -> list[Case]:
    """Every size × lesson × view × language that exists (the weight tiles only over image
    inputs)."""
    images = {name: data_widths(lesson_config(name, [])).image_side for name in lessons}
    return [
        Case(size, lesson, view, language)
        for size in sizes
        for lesson in lessons
        for view in views
        for language in languages
        if view != "weights" or images[lesson]
    ]


def measure_grid(grid: list[Case], overrides: list[str]) -> dict[str, list[float]]:
    ctx = offscreen_context()
    results = {}
    for case in grid:
        config = lesson_config(case.lesson, case.overrides(overrides))
        times = measure(ctx, config, case.size, case.view, case.lesson, case.overrides(overrides))
        results[case.key] = times
        print(f"  {case.key}: p95 {percentile(times, 0.95):.1f} ms", file=sys.stderr, flush=True)
    ctx.release()
    return results


def measure_before(tree: Path, arguments: list[str]) -> dict[str, list[float]]:
    """The same grid measured by this benchmark with ``tree`` on the path, in a child."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "before.json"
        command = [sys.executable, __file__, *arguments, "--runs", "1", "--tree", str(tree)]
        subprocess.run([*command, "--json", str(out)], check=True, stdout=subprocess.DEVNULL)
        return json.loads(out.read_text())["runs"][0]


def summary(runs: list[list[float]], budget: float) -> dict[str, float]:
    """Medians over the runs of each run's figures, and the spread of p95 and worst."""
    p95s = [percentile(t, 0.95) for t in runs]
    worsts = [max(t) for t in runs]
    return {
        "p50": statistics.median(statistics.median(t) for t in runs),
        "p95": statistics.median(p95s),
        "worst": statistics.median(worsts),
        "over": statistics.median(sum(v > budget for v in t) / len(t) for t in runs),
        "over_two": statistics.median(sum(v > 2 * budget for v in t) for t in runs),
        "p95_lo": min(p95s),
        "p95_hi": max(p95s),
        "worst_lo": min(worsts),
        "worst_hi": max(worsts),
    }


def row(figures: dict[str, float]) -> str:
    spread = len({figures["p95_lo"], figures["p95_hi"]}) > 1
    p95 = f"{figures['p95']:5.1f}"
    worst = f"{figures['worst']:6.1f}"
    if spread:
        p95 += f" ({figures['p95_lo']:.1f}–{figures['p95_hi']:.1f})"
        worst += f" ({figures['worst_lo']:.0f}–{figures['worst_hi']:.0f})"
    over = f"{figures['over']:5.1%} | {figures['over_two']:g}"
    return f"{figures['p50']:5.1f} | {p95} | {worst} | {over}"


def print_table(grid: list[Case], after: list[dict], before: list[dict]) -> None:
    header = "p50 | p95 (spread) | worst (spread) | over budget | over two"
    print(f"| case | {header} |" + (f" before: {header} |" if before else ""))
    for case in grid:
        line = f"| {case.key} | {row(summary([r[case.key] for r in after], case.budget))} |"
        if before:
            line += f" {row(summary([r[case.key] for r in before], case.budget))} |"
        print(line)


def shares(config: Config) -> None:
    """The HUD's share and the trainer thread's, at 720p (alternating, medians of three)."""
    ctx = offscreen_context()
    with_hud, without_hud, with_trainer, without = [], [], [], []
    for _ in range(3):
        with_hud.append(statistics.median(measure(ctx, config, (1280, 720))))
        without_hud.append(statistics.median(measure(ctx, config, (1280, 720), hud=False)))
        with_trainer.append(percentile(measure(ctx, config, (1280, 720)), 0.95))
        replayed = measure(ctx, config, (1280, 720), precomputed=True)
        without.append(percentile(replayed, 0.95))
    ours, bare = statistics.median(with_hud), statistics.median(without_hud)
    print(f"HUD: 720p p50 {ours:.1f} ms with it, {bare:.1f} ms without ({ours - bare:+.1f} ms)")
    ours, baseline = statistics.median(with_trainer), statistics.median(without)
    print(
        f"trainer thread: 720p p95 {ours:.1f} ms with it, {baseline:.1f} ms with records "
        f"computed beforehand ({ours / baseline - 1:+.0%})"
    )
    ctx.release()


def window_startup(arguments: list[str]) -> tuple[float | None, float | None] | None:
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
            cwd=TREE,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert app.stderr is not None
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


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"a size is WIDTHxHEIGHT, not {text!r}") from None
    return width, height


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="+", type=parse_size, default=[(1280, 720), (1920, 1080), (3840, 2160)]
    )
    parser.add_argument("--lessons", nargs="+", metavar="NAME", default=list(lesson_names()))
    parser.add_argument("--views", nargs="+", choices=VIEWS, default=list(VIEWS))
    parser.add_argument("--languages", nargs="+", metavar="CODE", default=["en"])
    parser.add_argument("--runs", type=int, default=1, help="measure the grid this many times")
    parser.add_argument("--before", type=Path, metavar="TREE", help="an older checkout to compare")
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)  # read at import
    parser.add_argument("--json", type=Path, metavar="FILE", help="keep every frame time here")
    parser.add_argument("--shares", action="store_true", help="the HUD's and trainer's shares")
    parser.add_argument("--startup", type=int, default=0, metavar="N", help="N startup times")
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
        for lesson in args.lessons:
            lesson_config(lesson, args.overrides)
        for language in args.languages:
            lesson_config(args.lessons[0], [*args.overrides, f"ui.language={language}"])
        grid = cases(args.sizes, args.lessons, args.views, args.languages)
    except UserError as error:
        print(f"bench_render: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    ctx = offscreen_context()
    print(f"renderer: {renderer_name(ctx)}; {len(grid)} cases × {args.runs} runs; tree {TREE}")
    ctx.release()
    # The grid's own arguments, for a child measuring the older tree.
    arguments = ["--sizes", *(f"{w}x{h}" for w, h in args.sizes)]
    arguments += [
        "--lessons",
        *args.lessons,
        "--views",
        *args.views,
        "--languages",
        *args.languages,
    ]
    arguments += [f"--set={override}" for override in args.overrides]
    after: list[dict] = []
    before: list[dict] = []
    for run in range(args.runs):
        # This machine's speed drifts: alternate which tree goes first.
        if args.before is not None and run % 2 == 0:
            before.append(measure_before(args.before, arguments))
        after.append(measure_grid(grid, args.overrides))
        if args.before is not None and run % 2 == 1:
            before.append(measure_before(args.before, arguments))
    print_table(grid, after, before)
    if args.json is not None:
        args.json.write_text(json.dumps({"runs": after, "before": before}))
    if args.shares:
        shares(lesson_config(args.lessons[0], args.overrides))
    app_arguments = [f"--set={override}" for override in args.overrides]
    for _ in range(args.startup):
        startup = window_startup(app_arguments)
        if startup is None:
            print("startup: Xvfb not installed, not measured")
            break
        window, show = (f"{t:.2f} s" if t is not None else "never" for t in startup)
        print(f"startup: window's first frame {window}, show's {show}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
