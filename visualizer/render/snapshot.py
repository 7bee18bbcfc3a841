"""Saving a rendered picture as a PNG file.

Contract: ``save_png(rgb, path)`` encodes the picture in memory, then writes it with
``write_atomically``: ``path`` is afterwards the old file or the whole new picture, never
a truncated one. Anything that stops it (a full disk, a folder that cannot be written,
``path`` a device or a folder) raises a ``UserError`` naming the path and the reason.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

from visualizer.atomic_file import write_atomically
from visualizer.errors import UserError


def save_png(rgb: np.ndarray, path: str | Path) -> Path:
    """Write an (height, width, 3) uint8 image; a UserError names an unwritable path."""
    path = Path(path)
    surface = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
    encoded = io.BytesIO()
    pygame.image.save(surface, encoded, "png")  # the format from the hint, not the name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, encoded.getvalue())
    except OSError as error:
        raise UserError(f"cannot write the screenshot {path}: {error.strerror or error}") from None
    return path
