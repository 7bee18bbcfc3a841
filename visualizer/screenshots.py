"""F12 in the window: the picture on screen saved as a PNG, without ever stopping the show.

Contract: ``save_screenshot(rgb, folder, now, keep)`` writes
``neural-particles-<date>-<time>-<ms>.png`` into ``folder`` (for F12,
``paths.pictures_folder``), atomically (``render/snapshot.py``), and returns its path.
With ``keep`` (the kiosk's ``kiosk.screenshots_kept``), only that many of the newest
screenshots in ``folder`` stay: visitors pressing F12 cannot fill the disk. A failure
raises ``UserError``; the window logs it and says so in the HUD, and the show goes on.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

import numpy as np

from visualizer.render.snapshot import save_png

log = logging.getLogger(__name__)

PREFIX = "neural-particles-"
# Only names this module writes are ever deleted: the date and time sort them in order.
_OURS = re.compile(rf"^{PREFIX}\d{{8}}-\d{{6}}-\d{{3}}\.png$")


def save_screenshot(rgb: np.ndarray, folder: Path, now: datetime, keep: int | None) -> Path:
    """Save ``rgb`` in ``folder``; then delete all but the ``keep`` newest (if given)."""
    name = f"{PREFIX}{now:%Y%m%d-%H%M%S}-{now.microsecond // 1000:03d}.png"
    path = save_png(rgb, folder / name)
    if keep is not None:
        for old in sorted(p for p in folder.iterdir() if _OURS.match(p.name))[:-keep]:
            try:
                old.unlink()
            except OSError as error:  # gone already, or not ours to delete: no reason to stop
                log.warning("cannot delete the old screenshot %s: %s", old, error)
            else:
                log.info("deleted the old screenshot %s (the kiosk keeps %d)", old, keep)
    return path
