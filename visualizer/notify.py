"""systemd's notify protocol (``sd_notify``), spoken from the show's frame loop, without
libsystemd.

Contract: ``ServiceNotifier.from_environment(environ, clock)`` returns a notifier when
``NOTIFY_SOCKET`` names a socket (an absolute path, or ``@name`` for an abstract one), else
None. Each message is one AF_UNIX datagram, sent without blocking:

- ``ready()``: ``READY=1``, once the first frame is on screen;
- ``alive()``, called on every frame by the frame loop itself: ``WATCHDOG=1`` whenever half
  of ``WATCHDOG_USEC`` has passed on ``clock`` since the last one (only if ``WATCHDOG_PID``
  is unset or names this process). A render loop that hangs stops pinging, and the service
  manager restarts it; a helper thread would go on pinging for a hung loop;
- ``status(text)``: ``STATUS=text`` (what ``systemctl status`` shows);
- ``stopping()``: ``STOPPING=1``.

A socket that fails (gone, refusing, full) is logged once per kind of failure and never
raises: the show goes on without its service manager.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

Clock = Callable[[], float]  # monotonic seconds


class ServiceNotifier:
    """Sends notify messages to ``address`` (see the module's contract)."""

    def __init__(self, address: str, watchdog_seconds: float | None, clock: Clock) -> None:
        """``address``: as in ``NOTIFY_SOCKET`` (``@`` for an abstract socket);
        ``watchdog_seconds``: the service manager's watchdog timeout, or None for none."""
        # Python names an abstract socket with a leading NUL byte, as the kernel does.
        self._address = "\0" + address[1:] if address.startswith("@") else address
        self._clock = clock
        self._ping_every = watchdog_seconds / 2 if watchdog_seconds else None
        self._next_ping = clock() + (self._ping_every or 0.0)
        self._reported: set[int | None] = set()  # kinds of failure already logged
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.setblocking(False)  # a manager that stops reading never stalls a frame

    @classmethod
    def from_environment(cls, environ: Mapping[str, str], clock: Clock) -> ServiceNotifier | None:
        """A notifier for the service manager that started us, or None if there is none."""
        address = environ.get("NOTIFY_SOCKET", "")
        if not address:
            return None
        if not (address.startswith("/") or (address.startswith("@") and len(address) > 1)):
            log.warning("NOTIFY_SOCKET=%r is not a socket this app can use; not notifying", address)
            return None
        try:
            return cls(address, _watchdog_seconds(environ), clock)
        except OSError as error:  # no socket to be had (out of file descriptors …)
            log.error("cannot make a socket to notify the service manager (%s)", error)
            return None

    @property
    def watchdog_interval(self) -> float | None:
        """Seconds between ``WATCHDOG=1`` messages, or None without a watchdog."""
        return self._ping_every

    def ready(self) -> None:
        self._send("READY=1")

    def alive(self) -> None:
        """Ping the watchdog if half its timeout has passed since the last ping."""
        if self._ping_every is None:
            return
        now = self._clock()
        if now >= self._next_ping:
            self._send("WATCHDOG=1")
            self._next_ping = now + self._ping_every

    def status(self, text: str) -> None:
        self._send("STATUS=" + " ".join(text.split()))  # one line: a newline starts a new key

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def close(self) -> None:
        self._socket.close()

    def _send(self, message: str) -> None:
        try:
            self._socket.sendto(message.encode(), self._address)
        except OSError as error:
            if error.errno in self._reported:
                return
            self._reported.add(error.errno)
            why = "its queue is full" if error.errno == errno.EAGAIN else error.strerror or error
            log.error(
                "cannot tell the service manager %s (%s); the show goes on",
                message.partition("=")[0],
                why,
            )


def _watchdog_seconds(environ: Mapping[str, str]) -> float | None:
    """``WATCHDOG_USEC`` in seconds, if the watchdog is meant for this process."""
    usec = environ.get("WATCHDOG_USEC", "")
    if not usec:
        return None
    pid = environ.get("WATCHDOG_PID", "")
    if pid and pid != str(os.getpid()):
        return None  # inherited: the watchdog watches another process
    if not usec.isdigit() or int(usec) == 0:
        log.warning("WATCHDOG_USEC=%r is not a whole number of microseconds; no watchdog", usec)
        return None
    return int(usec) / 1_000_000
