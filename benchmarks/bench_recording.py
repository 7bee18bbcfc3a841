"""Frame times of the real window with and without a clip being recorded, under Xvfb.

    python benchmarks/bench_recording.py [--seconds 10] [--repeats 3]

Opens the app's window on a virtual display (Xvfb, 1280×720) and runs the show's frame
loop as the app does (tick, draw, capture for the clip, the recording mark, present,
``fps_cap`` 60) at 10× for ``--seconds``: without recording, recording an MP4 and
recording a GIF, alternating, ``--repeats`` times each (this machine's speed drifts
between runs). Prints per condition: frames per second achieved, the frame's work (tick
to present) p50/p95/max, the time the show's thread spent reading a picture's pixels
(``read_into``, which first waits for the renderer to finish the picture, as the buffer
swap would otherwise), the pictures dropped because the encoder fell behind, and CPU
time: the show's process per frame (the renderer's threads are in it) and the encoder's
process per second of clip. Frame rates here move with whatever else the machine runs;
CPU times much less. Then
the read alone, after ``ctx.finish()``: RGBA into a reusable buffer (what the recorder
does), RGB, and RGBA into a pixel-buffer object mapped afterwards (an asynchronous read on
a GPU).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import moderngl  # noqa: E402
from bench_render import percentile  # noqa: E402

from visualizer.config import load_config  # noqa: E402
from visualizer.recording.window import WindowClips  # noqa: E402

SIZE = (1280, 720)
WARM_UP = 60  # frames before timing: shaders compiled, the first record baked


def run(seconds: float, record: str | None, folder: Path) -> dict[str, float]:
    import pygame

    from visualizer.show import Show
    from visualizer.window import Window

    config = load_config(overrides=["choreography.speed=10", "window.fps_cap=60"])
    window = Window(config.window, config.kiosk)
    show = Show(config, window.ctx, window.size)
    clips = WindowClips(show, folder / f"clip.{record}" if record else None)
    reading: list[float] = []
    real_read = moderngl.Framebuffer.read_into

    def timed_read(self, *args, **kwargs):
        started = time.perf_counter()
        real_read(self, *args, **kwargs)
        reading.append(time.perf_counter() - started)

    moderngl.Framebuffer.read_into = timed_read  # type: ignore[method-assign]
    clock = pygame.time.Clock()
    work: list[float] = []
    dt, frames, began, cpu = 0.0, 0, 0.0, 0.0
    try:
        while True:
            started = time.perf_counter()
            frame = show.tick(dt)
            show.draw(frame, window.ctx.screen)
            clips.capture(window.ctx.screen, window.size, dt)
            clips.draw_mark(window.ctx.screen)
            clips.poll()
            window.present()
            pygame.event.pump()
            frames += 1
            if frames == WARM_UP:
                began, cpu, reading[:] = time.perf_counter(), time.process_time(), []
            elif frames > WARM_UP:
                work.append(time.perf_counter() - started)
                if time.perf_counter() - began >= seconds:
                    break
            dt = clock.tick(config.window.fps_cap) / 1000.0
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
        recorder = clips._recorder
        dropped, clip_seconds = (recorder.dropped, recorder.seconds) if recorder else (0, 0.0)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        encoder = -(children.ru_utime + children.ru_stime)
        clips.close()  # waits for the encoder to exit, so that its CPU time is counted
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        encoder += children.ru_utime + children.ru_stime
    finally:
        moderngl.Framebuffer.read_into = real_read  # type: ignore[method-assign]
        show.close()
        window.close()
    return {
        "fps": len(work) / elapsed,
        "p50": 1000 * statistics.median(work),
        "p95": 1000 * percentile(work, 0.95),
        "max": 1000 * max(work),
        "read": 1000 * statistics.median(reading) if reading else 0.0,
        "reads": len(reading),
        "dropped": dropped,
        "show_cpu": 1000 * cpu / len(work),
        "encoder_cpu": 1000 * encoder / clip_seconds if clip_seconds else 0.0,
    }


def read_costs(frames: int = 300) -> dict[str, list[float]]:
    """Milliseconds of each way of reading the window's picture, once it is finished."""
    import pygame

    from visualizer.show import Show
    from visualizer.window import Window

    config = load_config(overrides=["choreography.speed=10"])
    window = Window(config.window, config.kiosk)
    show = Show(config, window.ctx, window.size)
    screen, viewport = window.ctx.screen, (0, 0, *window.size)
    rgba, rgb = bytearray(SIZE[0] * SIZE[1] * 4), bytearray(SIZE[0] * SIZE[1] * 3)
    pixel_buffer = window.ctx.buffer(reserve=len(rgba))
    ways = {
        "RGBA into a buffer": lambda: screen.read_into(rgba, viewport, 4, alignment=1),
        "RGB into a buffer": lambda: screen.read_into(rgb, viewport, 3, alignment=1),
        "RGBA via a pixel buffer": lambda: (
            screen.read_into(pixel_buffer, viewport, 4, alignment=1),
            pixel_buffer.read_into(rgba),
        ),
    }
    costs: dict[str, list[float]] = {name: [] for name in ways}
    try:
        for index in range(frames):
            show.draw(show.tick(1 / 60), screen)
            window.ctx.finish()
            name = list(ways)[index % len(ways)]
            started = time.perf_counter()
            ways[name]()
            if index >= WARM_UP:
                costs[name].append(1000 * (time.perf_counter() - started))
            window.present()
            pygame.event.pump()
    finally:
        pixel_buffer.release()
        show.close()
        window.close()
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("Xvfb"):
        raise SystemExit("needs Xvfb")
    display = f":{400 + os.getpid() % 500}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
        stderr=subprocess.DEVNULL,
    )
    os.environ.update(DISPLAY=display, SDL_AUDIODRIVER="dummy")
    results: dict[str, list[dict[str, float]]] = {"none": [], "mp4": [], "gif": []}
    try:
        time.sleep(1.0)
        with tempfile.TemporaryDirectory() as folder:
            for _ in range(args.repeats):
                for condition in results:
                    record = None if condition == "none" else condition
                    results[condition].append(run(args.seconds, record, Path(folder)))
        costs = read_costs()
    finally:
        server.terminate()
    for condition, runs in results.items():
        figures = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(
            f"{condition:>5}: {figures['fps']:5.1f} fps, work p50 {figures['p50']:5.1f} ms "
            f"p95 {figures['p95']:5.1f} ms max {figures['max']:5.1f} ms; "
            f"{figures['reads']:.0f} pictures read, p50 {figures['read']:.1f} ms each; "
            f"{figures['dropped']:.0f} dropped; CPU: show {figures['show_cpu']:.1f} ms per "
            f"frame, encoder {figures['encoder_cpu']:.0f} ms per clip second "
            f"(medians of {len(runs)} runs of {args.seconds:g} s)"
        )
    for name, values in costs.items():
        print(
            f"read {name}: p50 {statistics.median(values):.2f} ms, "
            f"p95 {percentile(values, 0.95):.2f} ms"
        )


if __name__ == "__main__":
    main()
