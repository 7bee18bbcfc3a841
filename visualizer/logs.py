"""Logging: one line per message on stderr, and a rotating log file per user.

Contract: ``setup_logging(level)`` sends records at ``level`` and above to stderr and to
``<user log dir>/neural-particles.log`` (rotated at 1 MB, five files kept, so an exhibit
running for months keeps at most 6 MB of logs); records logged with
``extra={FILE_ONLY: True}`` go to the file only. The file is opened without following a
symlink (one planted at its path is refused, not written through).

Logging never stops the app nor prints a traceback. If the log file cannot be opened (a
read-only home, a symlink in its place) the app says so once on stderr, however often
``setup_logging`` is called; if writing to it fails later (a full disk), the app says so
once and logs to stderr only from then on.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from visualizer.paths import user_log_dir

LOG_NAME = "neural-particles.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
LEVELS = ("debug", "info", "warning", "error")
FILE_ONLY = "file_only"  # log(..., extra={FILE_ONLY: True}): the file, not stderr
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_FILE_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)

log = logging.getLogger(__name__)
_said_no_log_file: set[Path] = set()  # paths already reported as unusable


class _LogFile(logging.handlers.RotatingFileHandler):
    """The rotating file, opened without following a symlink, that gives up quietly."""

    def __init__(self, path: Path) -> None:
        self.failed = False
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")

    def _open(self):
        fd = os.open(self.baseFilename, _FILE_FLAGS, 0o644)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if self.failed or not isinstance(error, OSError):
            super().handleError(record)  # a bug in a message, not the disk: say so as usual
            return
        self.failed = True  # before logging below, which comes back through this handler
        log.warning(
            "cannot write the log file %s (%s): logging to stderr only",
            self.baseFilename,
            error.strerror or error,
        )
        with contextlib.suppress(OSError):  # closing flushes what failed once more
            self.close()


def setup_logging(level: str = "info", directory: Path | None = None) -> Path | None:
    """Configure the root logger; returns the log file's path, or None if it is unusable."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        root.removeHandler(handler)
        with contextlib.suppress(OSError):  # a log file on a full disk cannot flush
            handler.close()
    if sys.stderr is not None:  # a windowed build on Windows has no stderr
        console = logging.StreamHandler()
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        # What the command line already said in its own words goes to the file only.
        console.addFilter(lambda record: not getattr(record, FILE_ONLY, False))
        root.addHandler(console)
    path = (directory or user_log_dir()) / LOG_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file = _LogFile(path)
    except OSError as error:
        if path not in _said_no_log_file:
            _said_no_log_file.add(path)
            log.warning("no log file (%s): logging to stderr only", error)
        return None
    file.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(file)
    return path
