"""What the operator's tools see: frame times over the last minute, the status file's keys
and its pacing, the notify messages in order, and STOPPING=1 before the shutdown."""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from conftest import FakeClock, make_frame, received

from visualizer import app
from visualizer.choreography import Phase
from visualizer.frame_times import FrameTimes
from visualizer.monitor import ShowMonitor, status_path
from visualizer.notify import ServiceNotifier
from visualizer.status_file import StatusFile

KEYS = {
    "pid",
    "started",
    "run",
    "epoch",
    "batch",
    "phase",
    "language",
    "fps",
    "frame_ms_p95",
    "last_frame",
    "restarts",
    "last_error",
}
WALL_START = 1_700_000_000.0  # 2023-11-14T22:13:20Z


@dataclass
class Monitored:
    monitor: ShowMonitor
    clock: FakeClock  # monotonic
    wall: FakeClock  # seconds since the epoch
    server: socket.socket  # the service manager's end
    path: Path  # the status file


@pytest.fixture
def monitored(tmp_path, notify_manager):
    """A monitor with a notify socket and a status file, on fake clocks."""
    server, address = notify_manager
    clock, wall = FakeClock(), FakeClock()
    wall.now = WALL_START
    environ = {"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "4000000"}
    path = tmp_path / "status.json"
    monitor = ShowMonitor(
        ServiceNotifier.from_environment(environ, clock),
        StatusFile(path),
        {"source": "shapes"},
        clock,
        wall,
    )
    yield Monitored(monitor, clock, wall, server, path)
    monitor.close()


def test_frame_times_describe_only_the_last_minute():
    frames = FrameTimes(60.0)
    assert frames.summary() is None
    now = 0.0
    frames.shown(now)
    for _ in range(3000):  # 30 s at 100 fps …
        now += 0.010
        frames.shown(now)
    slow = [0.020] * 2850 + [0.100] * 30  # … then 60 s at 50 fps with a few stutters
    for interval in slow:
        now += interval
        frames.shown(now)
    expected = np.array(slow)[np.cumsum(slow[::-1])[::-1] <= 60.0 + 1e-9]
    summary = frames.summary()
    assert summary is not None
    assert summary.fps == pytest.approx(len(expected) / expected.sum())
    assert summary.mean_ms == pytest.approx(1000 * expected.mean())
    assert summary.p95_ms == pytest.approx(1000 * np.percentile(expected, 95))
    assert summary.p95_ms > 20.0  # the stutters show, though the average hides them


def test_the_first_frame_says_ready_then_reports_at_once(monitored, records):
    m = monitored
    frame = make_frame(records[3], Phase.BACKWARD, 0.5)
    m.monitor.frame_shown(frame, restarts=2, language="de")
    messages = received(m.server)
    assert messages[0] == "READY=1"
    assert messages[1] == "STATUS=run 1, epoch 1/200, batch 4/15 (backward)"
    status = json.loads(m.path.read_text())
    assert set(status) >= KEYS
    assert status["pid"] == os.getpid()
    assert status["started"] == status["last_frame"] == "2023-11-14T22:13:20Z"
    assert (status["run"], status["epoch"], status["batch"]) == (1, 1, 4)
    assert status["phase"] == "backward" and status["language"] == "de"
    assert status["restarts"] == 2 and status["last_error"] is None
    assert status["fps"] is None and status["frame_ms_p95"] is None  # one frame: no interval


def test_reports_come_every_few_seconds_and_the_watchdog_in_between(monitored, records):
    m = monitored
    frame = make_frame(records[0], Phase.FORWARD, 0.2)
    writes = []
    start = m.clock.now
    for step in range(1, 12 * 50 + 1):  # 12 s at 50 fps
        m.clock.now = start + step * 0.02
        m.wall.now = WALL_START + step * 0.02
        m.monitor.frame_shown(frame, restarts=0, language="en")
        status = json.loads(m.path.read_text())
        if not writes or status != writes[-1][1]:
            writes.append((m.clock.now - start, status))
    messages = received(m.server)
    assert messages.count("READY=1") == 1
    assert [round(at, 2) for at, _ in writes] == [0.02, 5.02, 10.02]
    statuses = [line for line in messages if line.startswith("STATUS=")]
    assert len(statuses) == 3
    assert statuses[-1].endswith("50 fps, frames 20.0 ms (p95 20.0 ms)")
    assert messages.count("WATCHDOG=1") == 6  # every 2 s, half of WATCHDOG_USEC
    last = writes[-1][1]
    assert last["fps"] == 50.0 and last["frame_ms_p95"] == 20.0
    assert last["last_frame"] == "2023-11-14T22:13:30Z"


def test_last_error_is_the_first_line_of_the_latest_error_logged(monitored, records):
    m = monitored
    frame = make_frame(records[0], Phase.FORWARD, 0.2)
    logging.getLogger("visualizer.supervisor").error("the trainer failed:\nTraceback …")
    logging.getLogger("visualizer.other").warning("only a warning")
    m.monitor.frame_shown(frame, restarts=1, language="en")
    line = json.loads(m.path.read_text())["last_error"]
    stamp, name, message = line.split(" ", 2)
    datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")  # the time it was logged, in UTC
    assert (name, message) == ("visualizer.supervisor:", "the trainer failed:")


def test_closing_lets_go_of_the_log(monitored):
    monitor = monitored.monitor
    handlers = len(logging.getLogger().handlers)
    monitor.close()
    assert len(logging.getLogger().handlers) == handlers - 1


def test_before_a_record_the_status_says_waiting(monitored):
    m = monitored
    m.monitor.frame_shown(make_frame(None, Phase.WAITING, 0.0), restarts=0, language="en")
    assert received(m.server)[1] == "STATUS=waiting for the trainer"
    status = json.loads(m.path.read_text())
    assert status["run"] is None and status["epoch"] is None and status["phase"] == "waiting"


def test_the_status_file_setting(monkeypatch, tmp_path):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert status_path("") is None
    assert status_path("status.json") == tmp_path / "state" / "neural-particles" / "status.json"
    assert status_path(str(tmp_path / "elsewhere.json")) == tmp_path / "elsewhere.json"


@pytest.mark.parametrize("kiosk", [False, True])
def test_only_a_kiosk_writes_a_status_file(monkeypatch, tmp_path, default_config, records, kiosk):
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    config = default_config.replace(kiosk={"enabled": kiosk})
    assert config.kiosk.status_file == "status.json"
    monitor = ShowMonitor.for_show(config, {}, FakeClock(), FakeClock())
    try:
        monitor.frame_shown(make_frame(records[0], Phase.FORWARD, 0.1), restarts=0, language="en")
    finally:
        monitor.close()
    assert (tmp_path / "neural-particles" / "status.json").is_file() == kiosk


def test_shutting_down_says_stopping_before_the_save_and_the_join(
    monkeypatch, notify_manager, default_config
):
    """``run_window`` sends STOPPING=1 before it closes the clips and the show (which saves
    the checkpoint and joins the trainer); the parts are stand-ins that note what the
    service manager had been told when they were closed."""
    server, address = notify_manager
    monkeypatch.setenv("NOTIFY_SOCKET", address)
    told: dict[str, list[str]] = {}

    class Part:
        def __init__(self, name: str) -> None:
            self.name = name

        def close(self) -> None:
            told[self.name] = received(server)

    class FakeWindow(Part):
        ctx = None
        size = (640, 360)

    class FakeStage(Part):  # closing it closes the show: the save, the join
        show = None

    monkeypatch.setattr(app, "renderer_name", lambda ctx: "stand-in")
    monkeypatch.setattr(app, "Stage", lambda *args, **kwargs: FakeStage("show"))
    monkeypatch.setattr(app, "WindowClips", lambda *args: Part("clips"))
    monkeypatch.setattr(app, "_loop", lambda *args: 0)
    assert app.run_window(default_config, FakeWindow("window"), 0.0) == 0
    assert told == {"clips": ["STOPPING=1"], "show": [], "window": []}
