"""``--offscreen``: the show rendered into an offscreen framebuffer, with no display.

Each of ``frames`` frames advances the show by exactly ``dt`` simulated seconds and the
show waits for the trainer whenever a cycle ends, so a run gives the same pictures on any
machine, however fast. ``--screenshot`` saves the last frame; ``--record`` every frame, as
a clip of 1 / ``dt`` frames per second (a GIF: every n-th, see ``visualizer.recording``),
its path checked before anything is drawn. A clip that cannot be written is a
``UserError`` and leaves no partial file. Tests, benchmarks and the documentation's
pictures are made this way.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from visualizer.config import Config
from visualizer.metrics_log import MetricsLog
from visualizer.recording.recorder import Recorder
from visualizer.render.context import OffscreenTarget, offscreen_context
from visualizer.render.snapshot import save_png
from visualizer.show import Show


def run_offscreen(
    config: Config,
    size: tuple[int, int],
    frames: int,
    dt: float,
    screenshot: Path | None,
    metrics: MetricsLog | None = None,
    record: Path | None = None,
) -> int:
    # A simulated frame may be longer than the stall guard allows a real one.
    cap = max(dt, config.choreography.max_frame_seconds)
    config = config.replace(choreography={"max_frame_seconds": cap})
    ctx = offscreen_context()
    target = OffscreenTarget(ctx, size)
    show = Show(config, ctx, size, wait_for_records=True, metrics=metrics)
    recorder = None
    try:
        if record is not None:
            recorder = Recorder(record, size, 1 / Fraction(dt), live=False)
        for _ in range(frames):
            frame = show.tick(dt)
            show.draw(frame, target.framebuffer)
            if recorder is not None:
                recorder.capture(target.framebuffer, dt)
                if recorder.failed:
                    break  # result() says why
        if recorder is not None:
            clip = recorder.result()
            recorder = None  # complete: nothing left to abort
            print(f"clip saved: {clip.describe()}")
        if screenshot is not None:
            path = save_png(target.read_rgb(), screenshot)
            print(f"screenshot saved: {path} ({frame.phase.value}, epoch {_where(frame)})")
    finally:
        if recorder is not None:  # an error on the way: no partial clip
            recorder.abort()
        show.close()
        target.release()
    return 0


def _where(frame) -> str:
    record = frame.record
    return f"{record.epoch} batch {record.batch}" if record else "–"
