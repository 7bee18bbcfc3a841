"""The status file: what the exhibit is doing, as JSON, for monitoring tools elsewhere.

Contract: ``StatusFile(path).write(status)`` replaces ``path`` with ``status`` (a JSON
object) in one rename, creating the folder if it is missing (``atomic_file.py``: a
temporary beside ``path``, created exclusively, so never through a symlink planted there,
then renamed over ``path``, which replaces a symlink at ``path`` rather than following
it). A reader sees the old file or the whole new one, never a part. A failed write
returns False, removes the temporary, and is logged once per kind of failure: the show
goes on, and the next write tries again.

Nothing is synced to disk: the file is rewritten every few seconds, and syncing as often
would wear an exhibit's flash storage for a file whose next version is seconds away.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path

from visualizer.atomic_file import write_atomically

log = logging.getLogger(__name__)


class StatusFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._reported: set[str] = set()  # kinds of failure already logged

    def write(self, status: Mapping[str, object]) -> bool:
        """Replace the file with ``status``; False (and logged, once per kind) if it failed."""
        text = json.dumps(status, indent=2) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, text.encode("utf-8"), sync=False)
        except OSError as error:
            self._report(error)
            return False
        return True

    def _report(self, error: OSError) -> None:
        kind = f"{type(error).__name__} {error.errno}"
        if kind in self._reported:
            return
        self._reported.add(kind)
        log.error(
            "cannot write the status file %s (%s); the show goes on without it",
            self.path,
            error.strerror or error,
        )
