"""systemd's notify protocol, spoken to real datagram sockets (a path and an abstract name),
with the watchdog paced by a fake clock."""

from __future__ import annotations

import errno
import itertools
import logging
import os
import socket
import threading

import pytest
from conftest import FakeClock, received

from visualizer.notify import ServiceNotifier


def test_without_notify_socket_nothing_is_sent():
    assert ServiceNotifier.from_environment({}, FakeClock()) is None
    assert ServiceNotifier.from_environment({"NOTIFY_SOCKET": ""}, FakeClock()) is None


@pytest.mark.parametrize("address", ["relative/notify", "vsock:2:1234", "@"])
def test_an_address_it_cannot_use_is_said_once_and_ignored(address, caplog):
    with caplog.at_level(logging.WARNING):
        assert ServiceNotifier.from_environment({"NOTIFY_SOCKET": address}, FakeClock()) is None
    assert len(caplog.records) == 1 and "NOTIFY_SOCKET" in caplog.text


def test_no_socket_to_be_had_is_said_once_and_the_show_goes_on(monkeypatch, caplog):
    def refuse(*args):
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(socket, "socket", refuse)
    with caplog.at_level(logging.ERROR):
        assert (
            ServiceNotifier.from_environment({"NOTIFY_SOCKET": "/run/notify"}, FakeClock()) is None
        )
    assert len(caplog.records) == 1 and "Too many open files" in caplog.text


def test_ready_status_and_stopping_arrive_as_datagrams(notify_manager):
    server, address = notify_manager
    notifier = ServiceNotifier.from_environment({"NOTIFY_SOCKET": address}, FakeClock())
    assert notifier is not None
    notifier.ready()
    notifier.status("run 3, epoch 2/200\nbatch 4/15")
    notifier.stopping()
    notifier.close()
    assert received(server) == [
        "READY=1",
        "STATUS=run 3, epoch 2/200 batch 4/15",  # one line: a newline would start a new key
        "STOPPING=1",
    ]


def test_an_abstract_socket_is_named_with_an_at_sign():
    name = f"neural-particles-test-{os.getpid()}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind("\0" + name)  # the kernel's abstract namespace: no file anywhere
    try:
        notifier = ServiceNotifier.from_environment({"NOTIFY_SOCKET": "@" + name}, FakeClock())
        assert notifier is not None
        notifier.ready()
        notifier.close()
        assert received(server) == ["READY=1"]
    finally:
        server.close()


def test_the_watchdog_is_pinged_at_every_half_of_its_timeout(notify_manager):
    server, address = notify_manager
    clock = FakeClock()
    environ = {"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "10000000"}  # 10 s
    notifier = ServiceNotifier.from_environment(environ, clock)
    assert notifier is not None and notifier.watchdog_interval == 5.0
    started = clock.now
    pings = []
    for frame in range(1, 31 * 60):  # half a minute of frames at 60 fps
        clock.now = started + frame / 60
        notifier.alive()
        pings += [clock.now - started for _ in received(server)]
    notifier.close()
    assert len(pings) == 6
    assert pings[0] == pytest.approx(5.0, abs=1 / 60)
    gaps = [later - earlier for earlier, later in itertools.pairwise(pings)]
    assert all(5.0 <= gap <= 5.0 + 1 / 60 + 1e-9 for gap in gaps)


def test_a_loop_that_stops_calling_stops_the_pings(notify_manager):
    """The pings come from the frame loop, not a thread: no frames, no pings."""
    server, address = notify_manager
    clock = FakeClock()
    environ = {"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "2000000"}
    notifier = ServiceNotifier.from_environment(environ, clock)
    assert notifier is not None
    clock.now += 1.0
    notifier.alive()
    assert received(server) == ["WATCHDOG=1"]
    clock.now += 60.0  # the loop hangs for a minute: nothing is sent meanwhile
    assert received(server) == []
    notifier.alive()  # … until it runs again
    notifier.close()
    assert received(server) == ["WATCHDOG=1"]


@pytest.mark.parametrize(
    ("watchdog_pid", "pinged"), [(None, True), (str(os.getpid()), True), ("1", False)]
)
def test_the_watchdog_is_ours_only_when_watchdog_pid_is_unset_or_our_pid(
    notify_manager, watchdog_pid, pinged
):
    server, address = notify_manager
    clock = FakeClock()
    environ = {"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "1000000"}
    if watchdog_pid is not None:
        environ["WATCHDOG_PID"] = watchdog_pid
    notifier = ServiceNotifier.from_environment(environ, clock)
    assert notifier is not None
    clock.now += 10.0
    notifier.alive()
    notifier.ready()  # the other messages are ours either way
    notifier.close()
    assert received(server) == (["WATCHDOG=1", "READY=1"] if pinged else ["READY=1"])


@pytest.mark.parametrize("usec", ["0", "ten", "-5"])
def test_a_watchdog_timeout_that_is_not_a_number_means_no_watchdog(notify_manager, usec, caplog):
    server, address = notify_manager
    clock = FakeClock()
    with caplog.at_level(logging.WARNING):
        notifier = ServiceNotifier.from_environment(
            {"NOTIFY_SOCKET": address, "WATCHDOG_USEC": usec}, clock
        )
    assert notifier is not None and notifier.watchdog_interval is None
    assert "WATCHDOG_USEC" in caplog.text
    clock.now += 100.0
    notifier.alive()
    notifier.close()
    assert received(server) == []


def test_a_socket_that_is_gone_is_logged_once_and_never_stops_the_show(tmp_path, caplog):
    environ = {"NOTIFY_SOCKET": str(tmp_path / "nobody-listens"), "WATCHDOG_USEC": "1000000"}
    clock = FakeClock()
    notifier = ServiceNotifier.from_environment(environ, clock)
    assert notifier is not None
    with caplog.at_level(logging.ERROR):
        notifier.ready()
        for _ in range(100):
            clock.now += 1.0
            notifier.alive()
            notifier.status("still here")
        notifier.stopping()
    notifier.close()
    assert len(caplog.records) == 1
    assert "cannot tell the service manager READY" in caplog.text


def test_a_manager_that_stops_reading_never_blocks_the_frame_loop(notify_manager, caplog):
    server, address = notify_manager
    notifier = ServiceNotifier.from_environment({"NOTIFY_SOCKET": address}, FakeClock())
    assert notifier is not None

    def flood() -> None:
        for _ in range(5000):  # far more than a socket's queue holds
            notifier.status("x" * 200)

    with caplog.at_level(logging.ERROR):
        sender = threading.Thread(target=flood, daemon=True)
        sender.start()
        sender.join(timeout=10.0)
    notifier.close()
    assert not sender.is_alive(), "sending blocked on a full queue"
    assert len(caplog.records) == 1 and "queue is full" in caplog.text
    assert 0 < len(received(server)) < 5000
