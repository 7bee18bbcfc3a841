"""What an operator's tools see of the running show: systemd's notify protocol and the
status file, both fed by the frame loop (docs/exhibit.md lists the status file's keys).

Contract: ``ShowMonitor.for_show(config, environ, clock, wall_clock)`` builds one for the
window: a ``ServiceNotifier`` when ``NOTIFY_SOCKET`` is set, a ``StatusFile`` in kiosk mode
unless ``kiosk.status_file`` is empty (a relative path is in the state folder). The loop
calls ``frame_shown(frame, restarts, language)`` once per frame presented: the first sends
``READY=1``; every one lets the watchdog be pinged; the first and then one every
``REPORT_SECONDS`` of ``clock`` send a ``STATUS=`` line and rewrite the status file.
``stopping()`` sends ``STOPPING=1``; ``close()`` lets go of the socket and the log.

``clock`` is monotonic seconds (pacing, frame times), ``wall_clock`` seconds since the
epoch (the file's timestamps); both are passed in, as only the app reads clocks. The
status file's ``last_error`` is the latest error logged anywhere in the process while the
monitor is open.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from visualizer.choreography import Frame
from visualizer.config import Config
from visualizer.frame_times import FrameSummary, FrameTimes
from visualizer.notify import Clock, ServiceNotifier
from visualizer.paths import user_state_dir
from visualizer.status_file import StatusFile

REPORT_SECONDS = 5.0  # between STATUS lines and status file rewrites
FRAME_WINDOW_SECONDS = 60.0  # fps and frame_ms_p95 describe this last stretch
ERROR_CHARACTERS = 300  # of a logged error's first line, kept for last_error


class ShowMonitor:
    def __init__(
        self,
        notifier: ServiceNotifier | None,
        status_file: StatusFile | None,
        facts: Mapping[str, object],
        clock: Clock,
        wall_clock: Clock,
    ) -> None:
        """``facts``: what the status file says that does not change while the show runs
        (the data source)."""
        self._notifier = notifier
        self._status_file = status_file
        self._clock = clock
        self._wall_clock = wall_clock
        self._facts = {"pid": os.getpid(), "started": _timestamp(wall_clock()), **facts}
        self._frames = FrameTimes(FRAME_WINDOW_SECONDS)
        self._shown_one = False
        self._next_report = float("-inf")
        self._last_error = _LastError()
        logging.getLogger().addHandler(self._last_error)

    @classmethod
    def for_show(
        cls, config: Config, environ: Mapping[str, str], clock: Clock, wall_clock: Clock
    ) -> ShowMonitor:
        path = status_path(config.kiosk.status_file) if config.kiosk.enabled else None
        return cls(
            ServiceNotifier.from_environment(environ, clock),
            StatusFile(path) if path is not None else None,
            {"source": config.data.source},
            clock,
            wall_clock,
        )

    def frame_shown(self, frame: Frame, restarts: int, language: str) -> None:
        """``frame`` is on screen now; ``restarts``: the supervisor's count; ``language``:
        the code of the words on screen."""
        now = self._clock()
        self._frames.shown(now)
        if self._notifier is not None:
            if not self._shown_one:
                self._notifier.ready()
            self._notifier.alive()
        self._shown_one = True
        if now >= self._next_report:  # the first frame is reported at once
            self._next_report = now + REPORT_SECONDS
            self._report(frame, restarts, language)

    def stopping(self) -> None:
        if self._notifier is not None:
            self._notifier.stopping()

    def close(self) -> None:
        logging.getLogger().removeHandler(self._last_error)
        if self._notifier is not None:
            self._notifier.close()

    def _report(self, frame: Frame, restarts: int, language: str) -> None:
        frames = self._frames.summary()
        if self._notifier is not None:
            self._notifier.status(_status_line(frame, frames))
        if self._status_file is not None:
            self._status_file.write(self._status(frame, frames, restarts, language))

    def _status(
        self, frame: Frame, frames: FrameSummary | None, restarts: int, language: str
    ) -> dict[str, object]:
        """The status file's content (docs/exhibit.md describes each key)."""
        record = frame.record
        return {
            **self._facts,
            "run": record.run if record else None,
            "seed": record.seed if record else None,
            "epoch": record.epoch if record else None,
            "epochs": record.epochs if record else None,
            "batch": record.batch if record else None,
            "batches": record.batches_per_epoch if record else None,
            "phase": frame.phase.value,
            "language": language,
            "paused": frame.paused,
            "speed": frame.speed,
            "fps": round(frames.fps, 1) if frames else None,
            "frame_ms_p95": round(frames.p95_ms, 1) if frames else None,
            "last_frame": _timestamp(self._wall_clock()),
            "restarts": restarts,
            "last_error": self._last_error.line,
        }


def _status_line(frame: Frame, frames: FrameSummary | None) -> str:
    """The ``STATUS=`` line: what ``systemctl status`` shows."""
    record = frame.record
    where = (
        f"run {record.run}, epoch {record.epoch}/{record.epochs}, "
        f"batch {record.batch}/{record.batches_per_epoch} ({frame.phase.value})"
        if record
        else "waiting for the trainer"
    )
    if frames is None:
        return where
    return (
        f"{where}; {frames.fps:.0f} fps, frames {frames.mean_ms:.1f} ms "
        f"(p95 {frames.p95_ms:.1f} ms)"
    )


def status_path(setting: str) -> Path | None:
    """``kiosk.status_file`` as a path: empty is off, a relative path is in the state folder."""
    if not setting:
        return None
    path = Path(setting).expanduser()
    return path if path.is_absolute() else user_state_dir() / path


class _LastError(logging.Handler):
    """Keeps the first line of the latest error logged, with its time (in UTC)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.line: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            first = record.getMessage().partition("\n")[0][:ERROR_CHARACTERS]
        except Exception:  # a malformed log call: logging reports it through its own handlers
            self.handleError(record)
            return
        self.line = f"{_timestamp(record.created)} {record.name}: {first}"


def _timestamp(seconds: float) -> str:
    """ISO 8601 in UTC to the second, which jq's ``fromdate`` reads."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
