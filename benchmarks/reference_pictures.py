"""Fixed pictures of the show, to check that a change left them as they were.

    python benchmarks/reference_pictures.py OUT_FOLDER [--tree CHECKOUT]   # render them
    python benchmarks/reference_pictures.py --compare A B                  # compare

Renders the same moments of the show offscreen every time (the training is seeded and
the records are waited for, and the HUD finishes painting): forward, backward and update
at 1280×720, a later epoch, 1024×768, portrait 1080×1920 and 1920×1080; the legend, the
inspector on a hidden and an output neuron, a visitor's drawing, a sigmoid net; the
lesson list open at 1920×1080 and 3840×2160 in each phase; minitorch (Dropout's crosses,
BatchNorm's strips, the true class's ring), xor (its decision map), the worked example,
and digits with the weight tiles (3840×2160), the equations and the confusion matrix.
Render with this checkout and with the one before a change (``--tree``, e.g. a ``git
worktree`` of an older commit: its code draws the pictures), then ``--compare``: for each
picture, how many pixels differ and by how much at most (in 1/255 steps); exit status 1
if any differ.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# ``--tree`` (the checkout whose code draws) is read before anything from it is imported.
TREE = Path(sys.argv[sys.argv.index("--tree") + 1]) if "--tree" in sys.argv[:-1] else ROOT
sys.path.insert(0, str(TREE.resolve()))

from visualizer.config import load_config  # noqa: E402
from visualizer.hud.toggles import Toggle  # noqa: E402
from visualizer.lessons import menu_for  # noqa: E402
from visualizer.render.context import OffscreenTarget, offscreen_context  # noqa: E402
from visualizer.render.snapshot import save_png  # noqa: E402
from visualizer.show import Show  # noqa: E402

FAST = ["choreography.speed=10"]  # forward 4 s, backward 4 s, update 0.3 s a cycle
STILL_FRAMES = 12  # after the last step: a HUD change's bands finish above 720p


def scenario(
    ctx,
    out: Path,
    name: str,
    size: tuple[int, int],
    overrides: list[str],
    steps: list[float],
    action: Callable[[Show], None] | None = None,
    lesson: str | None = None,
    toggle: Toggle | None = None,
) -> None:
    """Play ``steps`` (seconds each) of ``lesson`` with the view ``toggle`` on from the
    first frame, do ``action`` before the last step, let the HUD finish, save it."""
    config = load_config(None, overrides, lesson).replace(choreography={"max_frame_seconds": 10.0})
    target = OffscreenTarget(ctx, size)
    show = Show(config, ctx, size, wait_for_records=True)
    try:
        for index, seconds in enumerate(steps):
            frame = show.tick(seconds)
            if toggle is not None and index == 0:
                show.controller.toggle(toggle, frame)
            if action is not None and index == len(steps) - 1:
                action(show)
            show.draw(frame, target.framebuffer)
        for _ in range(STILL_FRAMES):  # the HUD's last bands
            show.draw(show.tick(0.0), target.framebuffer)
        save_png(target.read_rgb(), out / f"{name}.png")
    finally:
        show.close()
        target.release()


def lesson_list(ctx, out: Path, size: tuple[int, int]) -> None:
    """The lesson list open, a row highlighted, in the forward, backward and update phases."""
    overrides = [*FAST, "training.epochs=1", "choreography.max_frame_seconds=10"]
    config = load_config(overrides=overrides, lesson="shapes")
    menu = menu_for(config, "shapes", lambda name: load_config(overrides=overrides, lesson=name))
    show = Show(config, ctx, size, wait_for_records=True, lessons=menu)
    target = OffscreenTarget(ctx, size)
    try:
        assert show.controller.picker is not None
        show.controller.picker.toggle()
        show.controller.picker.highlighted = 2
        played = 0.0
        for phase, until in (("forward", 2.5), ("backward", 6.5), ("update", 8.1)):
            while played < until:
                show.draw(show.tick(0.1), target.framebuffer)
                played += 0.1
            for _ in range(STILL_FRAMES):
                show.draw(show.tick(0.0), target.framebuffer)
            save_png(target.read_rgb(), out / f"list_{phase}_{size[0]}x{size[1]}.png")
    finally:
        show.close()
        target.release()


def point_at(layer: int, index: int) -> Callable[[Show], None]:
    """The inspector: the pointer over a neuron."""

    def action(show: Show) -> None:
        x, y = show.renderer.layout.positions[layer][index]
        show.controller.pointer_move((x, y), show.view(show.frame))

    return action


def draw_a_stroke(show: Show) -> None:
    """A visitor's drawing: one stroke across the input grid."""
    grid = show.renderer.input_grid()
    assert grid is not None
    start = (grid.x + 0.3 * grid.width, grid.y + 0.3 * grid.height)
    end = (grid.x + 0.7 * grid.width, grid.y + 0.7 * grid.height)
    show.controller.pointer_down(start, False, show.view(show.frame))
    show.controller.pointer_move(end, show.view(show.frame))
    show.controller.pointer_up(show.view(show.frame))


def render(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    ctx = offscreen_context()
    forward = [0.5] * 6  # 3 s into the forward pass
    epochs = [*FAST, "choreography.batches_per_cycle=15"]
    sigmoid = [*FAST, "network.sizes=[64,12,8,1]", "network.output=sigmoid"]
    cases: list[tuple] = [
        ("forward_720", (1280, 720), FAST, forward),
        ("backward_720", (1280, 720), FAST, [0.5] * 12),
        ("update_720", (1280, 720), FAST, [0.5] * 16 + [0.15]),
        ("epoch2_720", (1280, 720), epochs, [0.5] * 27),
        ("forward_1024x768", (1024, 768), FAST, forward),
        ("backward_portrait", (1080, 1920), epochs, [0.5] * 30),
        ("legend_720", (1280, 720), FAST, forward, lambda show: show.controller.toggle_legend()),
        ("inspect_hidden", (1280, 720), FAST, [0.5] * 12, point_at(1, 5)),
        ("inspect_output", (1280, 720), FAST, [0.5] * 16 + [0.2], point_at(-1, 0)),
        ("drawing", (1280, 720), FAST, [*forward, 0.5], draw_a_stroke),
        ("sigmoid_net", (1280, 720), sigmoid, [0.5] * 12),
        ("forward_1080", (1920, 1080), FAST, forward),
        ("xor_backward_1080", (1920, 1080), FAST, [0.5] * 12, None, "xor"),
        ("worked_example_720", (1280, 720), FAST, [0.5] * 3, None, "worked-example"),
        ("minitorch_forward_1080", (1920, 1080), FAST, forward, None, "minitorch"),
        ("minitorch_backward_1080", (1920, 1080), FAST, [0.5] * 15, None, "minitorch"),
        ("minitorch_update_720", (1280, 720), FAST, [0.5] * 16 + [0.15], None, "minitorch"),
        ("digits_tiles_3840x2160", (3840, 2160), FAST, [0.5] * 14, None, "digits", Toggle.WEIGHTS),
        ("digits_equations_1080", (1920, 1080), FAST, [0.5] * 12, None, "digits", Toggle.EXPLAIN),
        (
            "digits_matrix_1080",
            (1920, 1080),
            FAST,
            [0.5] * 16 + [0.2],
            None,
            "digits",
            Toggle.MATRIX,
        ),
    ]
    for case in cases:
        scenario(ctx, out, *case)
    for size in ((1920, 1080), (3840, 2160)):
        lesson_list(ctx, out, size)
    print(f"{len(list(out.glob('*.png')))} pictures in {out}")


def compare(before: Path, after: Path) -> int:
    """Per picture: the pixels that differ and the largest difference; 1 if any differ."""
    import pygame  # only to read the PNGs back

    differing = 0
    for path in sorted(before.glob("*.png")):
        other = after / path.name
        if not other.exists():
            print(f"{path.name}: missing in {after}")
            differing += 1
            continue
        a, b = (
            pygame.surfarray.array3d(pygame.image.load(str(p))).astype(int) for p in (path, other)
        )
        if a.shape != b.shape:
            print(f"{path.name}: {a.shape[:2]} against {b.shape[:2]} pixels")
            differing += 1
            continue
        difference = np.abs(a - b)
        count = int((difference.max(axis=2) > 0).sum())
        print(
            f"{path.name}: {count} pixels differ"
            + (f", by {difference.max()} at most" if count else "")
        )
        differing += count > 0
    print("identical" if not differing else f"{differing} pictures differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, metavar="FOLDER")
    parser.add_argument("--compare", action="store_true", help="compare two folders")
    parser.add_argument("--tree", type=Path, help="the checkout to draw with (default: this)")
    args = parser.parse_args()
    if args.compare:
        if len(args.folders) != 2:
            parser.error("--compare takes two folders: before and after")
        return compare(*args.folders)
    if len(args.folders) != 1:
        parser.error("give one folder to render into")
    render(args.folders[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
