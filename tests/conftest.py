"""Shared fixtures: configs, real records, one offscreen GL context, and frames to draw.

Tests that need OpenGL (EGL) or a virtual display (Xvfb) skip on a machine without them,
but CI sets NEURAL_PARTICLES_REQUIRE_ALL_TESTS=1, which turns those skips into failures:
what CI passes, it has run.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import moderngl
import numpy as np
import pytest

from visualizer.choreography import Frame, Phase, forward_wavefront
from visualizer.config import Config, load_config
from visualizer.render.context import GLUnavailable, offscreen_context
from visualizer.training.records import StepRecord
from visualizer.training.run import TrainingRun
from visualizer.training.trainer import Trainer

REQUIRE_ALL = os.environ.get("NEURAL_PARTICLES_REQUIRE_ALL_TESTS") == "1"


def need(available: bool, what: str) -> None:
    """Skip without ``what`` on a developer's machine; fail without it in CI."""
    if available:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{what} is required here (NEURAL_PARTICLES_REQUIRE_ALL_TESTS=1)")
    pytest.skip(f"{what} is not available on this machine")


@pytest.fixture(scope="session")
def default_config() -> Config:
    return load_config()


@pytest.fixture(scope="session")
def small_config(default_config: Config) -> Config:
    """Two epochs of the real network and dataset: quick, but every code path."""
    return default_config.replace(training={"epochs": 2})


@pytest.fixture(scope="session")
def records(default_config: Config) -> list[StepRecord]:
    """The first 20 records of the default run (seed 0)."""
    run = TrainingRun(default_config, 0)
    return [run.next_record() for _ in range(20)]


@pytest.fixture
def trainer_factory():
    """Started trainers, each stopped (and checked to stop in time) after the test."""
    trainers = []

    def make(config, **kwargs):
        trainer = Trainer(config, **kwargs)
        trainers.append(trainer)
        trainer.start()
        return trainer

    yield make
    for trainer in trainers:
        assert trainer.stop(timeout=2.0)


@pytest.fixture
def diverge_at(monkeypatch):
    """``diverge_at(step, run=1)``: that run's record of batch ``step`` comes out with a NaN
    loss, as when training diverges, in every trainer started afterwards."""
    real = TrainingRun.next_record

    def arm(step: int, run: int = 1) -> None:
        def diverging(self, batches_per_cycle=1):
            record = real(self, batches_per_cycle)
            if record is not None and (record.run, record.step) == (run, step):
                object.__setattr__(record, "loss", math.nan)
            return record

        monkeypatch.setattr(TrainingRun, "next_record", diverging)

    return arm


@pytest.fixture
def fail_batches(monkeypatch):
    """``fail_batches(times)``: the next ``times`` batches any trainer computes raise, as a
    fault in the thread would."""
    original = TrainingRun.next_record

    def arm(times: int) -> None:
        left = [times]

        def explode(self, batches_per_cycle=1):
            left[0] -= 1
            if left[0] == 0:
                monkeypatch.setattr(TrainingRun, "next_record", original)
            raise RuntimeError("simulated fault")

        monkeypatch.setattr(TrainingRun, "next_record", explode)

    return arm


@pytest.fixture(scope="session")
def gl() -> moderngl.Context:
    """One offscreen context for the whole session (creating one costs ~0.3 s)."""
    try:
        ctx = offscreen_context()
    except GLUnavailable as error:
        need(False, f"EGL offscreen OpenGL ({error})")
    yield ctx
    ctx.release()


@pytest.fixture
def ctx(gl: moderngl.Context) -> moderngl.Context:
    """The session's context with the state a test may have changed put back."""
    gl.disable(moderngl.BLEND | moderngl.DEPTH_TEST)
    yield gl
    gl.disable(moderngl.BLEND)


class FakeClock:
    """A clock that moves only when a test sets ``now``."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def notify_manager(tmp_path: Path):
    """A service manager's notify socket, bound at a path: (its socket, NOTIFY_SOCKET)."""
    path = tmp_path / "notify"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    yield server, str(path)
    server.close()


def received(server: socket.socket) -> list[str]:
    """Every datagram waiting at ``server`` (one is queued by the time sendto returns)."""
    server.setblocking(False)
    messages = []
    while True:
        try:
            messages.append(server.recv(4096).decode())
        except BlockingIOError:
            return messages


def have_xvfb() -> bool:
    return bool(shutil.which("Xvfb") and shutil.which("xdotool"))


def ffprobe(path: Path) -> dict:
    """The video stream of ``path`` as ffprobe reports it, with its frames counted."""
    need(shutil.which("ffprobe") is not None, "ffprobe (the ffmpeg package)")
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    (stream,) = json.loads(result.stdout)["streams"]
    return stream


def decoded_frames(path: Path, size: tuple[int, int]) -> np.ndarray:
    """Every frame of a video as (frames, height, width, 3) RGB, decoded by ffmpeg."""
    import imageio_ffmpeg

    raw = ("-f", "rawvideo", "-pix_fmt", "rgb24", "-")
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), *raw],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(result.stdout, np.uint8).reshape(-1, size[1], size[0], 3)


_LIMITED_MAIN = (
    "import os, resource, runpy, sys; "
    "limit = int(os.environ['NEURAL_PARTICLES_TEST_FILE_LIMIT']); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)); "
    "sys.argv[0] = 'main.py'; "
    "runpy.run_path('main.py', run_name='__main__')"
)


def file_size_limited(size_bytes: int, home: Path) -> tuple[list[str], dict[str, str]]:
    """The command (then the app's arguments) and environment of the app run in the
    checkout with no file larger than ``size_bytes``: a disk that fills up. (Python then
    gets "File too large"; ffmpeg, whose signals are reset, is stopped by SIGXFSZ.)"""
    need(sys.platform != "win32", "RLIMIT_FSIZE (POSIX)")
    env = {
        **os.environ,
        "HOME": str(home),
        "SDL_AUDIODRIVER": "dummy",
        "MESA_SHADER_CACHE_DISABLE": "true",  # its files are not what this is about
        "NEURAL_PARTICLES_TEST_FILE_LIMIT": str(size_bytes),
    }
    return [sys.executable, "-c", _LIMITED_MAIN], env


def make_frame(record: StepRecord | None, phase: Phase, progress: float, **changes) -> Frame:
    """A frame as the choreographer would make it at ``progress`` through ``phase``."""
    layers = len(record.activations) - 1 if record else 0
    travelled = forward_wavefront(progress, layers)
    wavefront = {Phase.FORWARD: travelled, Phase.BACKWARD: layers - travelled}.get(phase, 0.0)
    frame = Frame(
        record=record,
        phase=phase,
        progress=progress,
        wavefront=wavefront,
        show_time=10.0,
        motion_time=10.0,
        phase_started_at=0.0,
        speed=1.0,
        paused=False,
        seconds_left=1.0,
        cycle=1,
    )
    return dataclasses.replace(frame, **changes) if changes else frame
