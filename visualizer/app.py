"""The window's event loop: the show inside an open ``Window``.

Contract: ``run_window(config, window, started, metrics)`` runs until the user quits and
returns the exit status. The wall clock is read here and only here: each frame's elapsed
time goes to the show, which paces everything from it. Keys: Esc/Q quit, Space pauses,
1–9 pick the speed presets, F11 toggles fullscreen, F12 saves a screenshot, F5 reloads
the shaders (development).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pygame

from visualizer.choreography import speed_label
from visualizer.config import Config
from visualizer.controls import Action, Command, commands_for
from visualizer.metrics_log import MetricsLog
from visualizer.render.context import renderer_name
from visualizer.render.snapshot import save_png
from visualizer.show import Show
from visualizer.window import Window

log = logging.getLogger(__name__)


def run_window(
    config: Config, window: Window, started: float, metrics: MetricsLog | None = None
) -> int:
    """Run the show in ``window`` (already open) until the user quits."""
    ctx = window.ctx
    log.info("OpenGL renderer: %s", renderer_name(ctx))
    show = Show(config, ctx, metrics=metrics)
    try:
        return _loop(config, window, ctx, show, started)
    finally:
        show.close()
        window.close()


def _loop(config: Config, window: Window, ctx, show: Show, started: float) -> int:
    clock = pygame.time.Clock()
    show.renderer.resize(window.size)
    speeds = config.choreography.speeds
    dt = 0.0
    first = True
    while True:
        for event in pygame.event.get():
            for command in commands_for(event, speeds, window.size):
                speed = show.choreographer.speed
                if not _apply(command, window, ctx, show):
                    return 0
                if show.choreographer.speed != speed:
                    log.info("speed %s", speed_label(show.choreographer.speed))
        frame = show.tick(dt)
        show.draw(frame, ctx.screen)
        window.present()
        if first:
            log.info("first frame of the show %.2f s after start", time.perf_counter() - started)
            first = False
        dt = clock.tick(config.window.fps_cap) / 1000.0


def _apply(command: Command, window: Window, ctx, show: Show) -> bool:
    """Carry out one command; False means quit."""
    action, hud = command.action, show.controller
    if show.frame is None:  # nothing on screen yet to point at
        return action is not Action.QUIT
    view = show.view()
    if action is Action.QUIT:
        if not hud.drawing:
            return False
        hud.stop_drawing()  # Esc leaves the canvas first
    elif action is Action.TOGGLE_PAUSE:
        show.choreographer.paused = not show.choreographer.paused
    elif action is Action.STEP:
        show.choreographer.paused = True
        show.choreographer.step()
    elif action is Action.RESTART:
        show.reset(show.seed)
    elif action is Action.NEW_SEED:
        show.reset(show.seed + 1)
    elif action is Action.SET_SPEED:
        show.choreographer.set_speed(command.value)
    elif action is Action.TOGGLE_LEGEND:
        hud.toggle_legend()
    elif action is Action.DRAW:
        if hud.drawing:
            hud.stop_drawing()
        else:
            hud.start_drawing(view)
    elif action is Action.CLEAR_DRAWING:
        hud.clear_canvas(view)
    elif action is Action.POINTER_DOWN:
        x, y, erase = command.value
        hud.pointer_down((x, y), erase, view)
    elif action is Action.POINTER_MOVE:
        hud.pointer_move(command.value, view)
    elif action is Action.POINTER_UP:
        hud.pointer_up(view)
    elif action is Action.TOGGLE_FULLSCREEN:
        window.toggle_fullscreen()
    elif action is Action.RESIZE:
        show.renderer.resize(window.size)
    elif action is Action.RELOAD_SHADERS:
        for failure in show.renderer.reload_shaders():
            log.error("%s", failure)
    elif action is Action.SCREENSHOT:
        _screenshot(ctx, window.size)
    return True


def _screenshot(ctx, size: tuple[int, int]) -> None:
    """Save the picture on screen to the user's Pictures folder (or the working folder)."""
    data = ctx.screen.read(viewport=(0, 0, *size), components=3, alignment=1)
    rgb = np.frombuffer(data, dtype=np.uint8).reshape(size[1], size[0], 3)[::-1]
    folder = Path.home() / "Pictures"
    name = f"neural-particles-{datetime.now():%Y%m%d-%H%M%S}.png"
    path = save_png(rgb, (folder if folder.is_dir() else Path.cwd()) / name)
    print(f"screenshot saved: {path}", flush=True)
    log.info("screenshot saved: %s", path)
