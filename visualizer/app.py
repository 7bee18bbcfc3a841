"""The window's event loop: the show inside an open ``Window``.

Contract: ``run_window(config, window, started, metrics, checkpoint_dir, record, lessons)``
runs until the user quits, or SIGTERM, SIGINT or SIGHUP arrives, and returns the exit
status; either way the trainer is joined, a checkpoint saved (when checkpointing) and the
window closed, within a second. If the X server goes away, the checkpoint is saved before
Xlib ends the process (``display_loss.py``). The wall clock is read here and only here:
each frame's elapsed time goes to the show, which paces everything from it. When a lesson
is picked (K, or the lesson button), or the kiosk's rotation moves on, the show is rebuilt
for it between two frames, in the same window (``visualizer.stage``); a clip being
recorded goes on with it.

The frame loop tells the operator's tools how the show is doing (``visualizer.monitor``):
systemd's ``READY=1`` after the first frame, its watchdog from the loop itself, and a
status line and file every few seconds; shutting down starts by saying ``STOPPING=1``.

F9 starts and stops a clip (``visualizer.recording.window``; ``record`` starts one at once).
In kiosk mode (``kiosk.enabled``) only the exit chord quits; the pointer hides when left
alone; the picture drifts by a few pixels over ``kiosk.drift_minutes`` against burn-in;
visitor mode hears of every touch (``Show.visitor_touch``).
"""

from __future__ import annotations

import logging
import os
import signal
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pygame

from visualizer.config import Config
from visualizer.controls import (
    Action,
    Command,
    KioskKeys,
    Plain,
    PointerDown,
    PointerMove,
    Resize,
    SetSpeed,
    commands_for,
)
from visualizer.display_loss import on_display_lost
from visualizer.errors import UserError
from visualizer.hud.toggles import Toggle
from visualizer.kiosk import CursorIdle, drift, parse_chord
from visualizer.lessons import LessonMenu
from visualizer.metrics_log import MetricsLog
from visualizer.monitor import ShowMonitor
from visualizer.paths import pictures_folder
from visualizer.recording.window import WindowClips
from visualizer.render.context import renderer_name
from visualizer.screenshots import save_screenshot
from visualizer.show import Show
from visualizer.stage import Stage
from visualizer.window import Window
from visualizer.words import speed_label

log = logging.getLogger(__name__)


def run_window(
    config: Config,
    window: Window,
    started: float,
    metrics: MetricsLog | None = None,
    checkpoint_dir: Path | None = None,
    record: Path | None = None,
    lessons: LessonMenu | None = None,
) -> int:
    """Run the show in ``window`` (already open) until the user quits or a signal comes;
    ``lessons``: what the lesson picker offers."""
    ctx = window.ctx
    log.info("OpenGL renderer: %s", renderer_name(ctx))
    stop = _StopSignals()
    stage = Stage(config, ctx, window.size, lessons, metrics=metrics, checkpoint_dir=checkpoint_dir)
    clips = WindowClips(stage.show, record)
    monitor = ShowMonitor.for_show(config, os.environ, time.monotonic, time.time)
    on_display_lost(lambda: stage.show.save_checkpoint())
    try:
        return _loop(config, window, ctx, stage, clips, started, stop, monitor)
    finally:
        began = time.perf_counter()
        monitor.stopping()  # first: the service manager knows before the save and the join
        clips.close()
        stage.close()
        window.close()
        stop.restore()
        monitor.close()
        log.info("shut down in %.2f s", time.perf_counter() - began)


class _StopSignals:
    """SIGTERM, SIGINT and SIGHUP (a logout) ask the loop to end cleanly instead of
    killing the process."""

    def __init__(self) -> None:
        self.requested: int | None = None
        names = ("SIGTERM", "SIGINT", "SIGHUP")  # Windows has no SIGHUP
        self._previous = {
            sig: signal.signal(sig, self._handle)
            for sig in (getattr(signal, name) for name in names if hasattr(signal, name))
        }

    def _handle(self, number: int, _frame) -> None:
        self.requested = number

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def _loop(
    config: Config,
    window: Window,
    ctx,
    stage: Stage,
    clips: WindowClips,
    started: float,
    stop: _StopSignals,
    monitor: ShowMonitor,
) -> int:
    clock = pygame.time.Clock()
    kiosk = config.kiosk
    keys = KioskKeys(parse_chord(kiosk.exit_chord), kiosk.allow_keys) if kiosk.enabled else None
    cursor = CursorIdle(kiosk.cursor_hide_seconds) if kiosk.enabled else None
    drift_period = kiosk.drift_minutes * 60.0
    awake = 0.0  # wall seconds since the window opened (the drift's clock)
    dt = 0.0
    first = True
    while stop.requested is None:
        show = stage.show
        speeds = show.config.choreography.speeds  # a lesson may have its own
        screenshot = False
        for event in pygame.event.get():
            for command in commands_for(event, speeds, window.size, keys):
                if command == Plain(Action.SCREENSHOT):
                    screenshot = True  # read once the next picture is drawn
                    continue
                if command == Plain(Action.RECORD):
                    clips.toggle(window.size)
                    continue
                if cursor is not None and isinstance(command, PointerDown | PointerMove):
                    cursor.moved()
                    if _used_to_wake(command, show):
                        continue  # the touch that wakes the exhibit begins its story, only
                speed = show.choreographer.speed
                if not _apply(command, window, show):
                    return 0
                if show.choreographer.speed != speed:
                    log.info("speed %s", speed_label(show.choreographer.speed))
        if stage.switch(window.size):  # a lesson picked, or the kiosk's next: a new show
            show = stage.show
            clips.follow(show)
        if cursor is not None:
            window.show_cursor(cursor.tick(dt))
            show.renderer.set_offset(drift(awake, kiosk.drift_pixels, drift_period))
        awake += dt
        frame = show.tick(dt)
        show.draw(frame, ctx.screen)
        clips.capture(ctx.screen, window.size, dt)
        if screenshot:  # before the swap: afterwards the back buffer's content is undefined
            _screenshot(ctx, window.size, show, kiosk.screenshots_kept if kiosk.enabled else None)
        clips.draw_mark(ctx.screen)  # once the clip and the screenshot have their picture
        clips.poll()
        window.present()
        monitor.frame_shown(frame, show.supervisor.restarts, show.controller.language)
        if first:
            log.info("first frame of the show %.2f s after start", time.perf_counter() - started)
            first = False
        dt = clock.tick(config.window.fps_cap) / 1000.0
    log.info("signal %d: shutting down", stop.requested)
    return 0


def _used_to_wake(command: PointerDown | PointerMove, show: Show) -> bool:
    """Whether a visitor's pointer was used up waking the exhibit (a press on the language
    switch wakes it too, and still switches: a visitor may choose their language first)."""
    pressed = isinstance(command, PointerDown)
    if not show.visitor_touch(pressed):
        return False
    point = show.renderer.to_picture((command.x, command.y))
    return not (pressed and show.renderer.hud_layout.language.contains(point))


def _apply(command: Command, window: Window, show: Show) -> bool:
    """Carry out one command; False means quit."""
    hud = show.controller
    if show.frame is None:  # nothing on screen yet to point at
        return command != Plain(Action.QUIT)
    view = show.view(show.frame)
    picker = hud.picker
    match command:
        case Plain(Action.QUIT):
            if picker is not None and picker.open:
                picker.close()  # Esc puts the lesson picker away first …
            elif hud.drawing:
                hud.stop_drawing()  # … and leaves the canvas
            else:
                return False
        case Plain(Action.TOGGLE_PAUSE):
            show.choreographer.paused = not show.choreographer.paused
        case Plain(Action.STEP):
            show.choreographer.paused = True
            show.choreographer.step()
        case Plain(Action.RESTART):
            show.reset(show.supervisor.seed)
        case Plain(Action.NEW_SEED):
            show.reset(show.supervisor.seed + 1)
        case SetSpeed(speed):
            show.choreographer.set_speed(speed)
        case Plain(Action.TOGGLE_LEGEND):
            hud.toggle_legend()
        case Plain(Action.TOGGLE_EXPLAIN):
            hud.toggle(Toggle.EXPLAIN, view.frame)
        case Plain(Action.TOGGLE_WEIGHTS):
            hud.toggle(Toggle.WEIGHTS, view.frame)
        case Plain(Action.TOGGLE_MATRIX):
            hud.toggle(Toggle.MATRIX, view.frame)
        case Plain(Action.TOGGLE_CALM):
            hud.toggle(Toggle.CALM, view.frame)
        case Plain(Action.DRAW):
            if hud.drawing:
                hud.stop_drawing()
            else:
                hud.start_drawing(view)
        case Plain(Action.CLEAR_DRAWING):
            hud.clear_canvas(view)
        case Plain(Action.LESSONS) if picker is not None:
            hud.stop_drawing()
            picker.toggle()
        case Plain(Action.LESSON_UP) if picker is not None:
            picker.move(-1)
        case Plain(Action.LESSON_DOWN) if picker is not None:
            picker.move(1)
        case Plain(Action.LESSON_START) if picker is not None:
            picker.pick_highlighted()
        case Plain(Action.NEXT_LANGUAGE):
            hud.switch_language()
        case PointerDown(x, y, erase, touch):
            hud.pointer_down(show.renderer.to_picture((x, y)), erase, view, touch)
        case PointerMove(x, y):
            hud.pointer_move(show.renderer.to_picture((x, y)), view)
        case Plain(Action.POINTER_UP):
            hud.pointer_up(view)
        case Plain(Action.TOGGLE_FULLSCREEN):
            window.toggle_fullscreen()
        case Resize():
            show.renderer.resize(window.size)
        case Plain(Action.RELOAD_SHADERS):
            for failure in show.renderer.reload_shaders():
                log.error("%s", failure)
    return True


def _screenshot(ctx, size: tuple[int, int], show: Show, keep: int | None) -> None:
    """Save the picture on screen; a failure is logged and said in the HUD, never fatal."""
    data = ctx.screen.read(viewport=(0, 0, *size), components=3, alignment=1)
    rgb = np.frombuffer(data, dtype=np.uint8).reshape(size[1], size[0], 3)[::-1]
    try:
        path = save_screenshot(rgb, pictures_folder(), datetime.now(), keep)
    except UserError as error:
        log.error("%s; the show goes on", error)
        show.say("show.notice.screenshot_failed")
        return
    print(f"screenshot saved: {path}", flush=True)
    log.info("screenshot saved: %s", path)
