"""The status file: what the exhibit is doing, as JSON, for monitoring tools elsewhere.

Contract: ``StatusFile(path).write(status)`` replaces ``path`` with ``status`` (a JSON
object) in one rename, creating the folder if it is missing: the JSON goes into a new
temporary file beside ``path``, created exclusively (so never through a symlink planted
there), which is then renamed over ``path``; a rename replaces a symlink at ``path`` rather
than following it. A reader sees the old file or the whole new one, never a part. A failed
write returns False, removes the temporary, and is logged once per kind of failure: the
show goes on, and the next write tries again.

Nothing is synced to disk: the file is rewritten every few seconds, and syncing as often
would wear an exhibit's flash storage for a file whose next version is seconds away.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)


class StatusFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._reported: set[str] = set()  # kinds of failure already logged

    def write(self, status: Mapping[str, object]) -> bool:
        """Replace the file with ``status``; False (and logged, once per kind) if it failed."""
        text = json.dumps(status, indent=2) + "\n"
        temporary = self.path.with_name(
            f".{self.path.name}-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "x", encoding="utf-8") as file:
                file.write(text)
            os.replace(temporary, self.path)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
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
