"""Logging: one line per message on stderr, and a rotating log file per user.

Contract: ``setup_logging(level)`` sends records at ``level`` and above to stderr and to
``<user log dir>/neural-particles.log`` (rotated at 1 MB, five files kept, so an exhibit
running for months keeps at most 6 MB of logs); records logged with
``extra={FILE_ONLY: True}`` go to the file only. If the log file cannot be written (a
read-only home, say), the app still runs and says so once on stderr.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from visualizer.paths import user_log_dir

LOG_NAME = "neural-particles.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
LEVELS = ("debug", "info", "warning", "error")
FILE_ONLY = "file_only"  # log(..., extra={FILE_ONLY: True}): the file, not stderr
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: str = "info", directory: Path | None = None) -> Path | None:
    """Configure the root logger; returns the log file's path, or None if it is unusable."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        root.removeHandler(handler)
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
        file = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        logging.getLogger(__name__).warning("no log file (%s): logging to stderr only", error)
        return None
    file.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(file)
    return path
