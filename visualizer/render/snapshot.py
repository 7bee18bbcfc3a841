"""Saving a rendered picture as a PNG file."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

from visualizer.errors import UserError


def save_png(rgb: np.ndarray, path: str | Path) -> Path:
    """Write an (height, width, 3) uint8 image; a UserError names an unwritable path."""
    path = Path(path)
    surface = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(surface, str(path))
    except (OSError, pygame.error) as error:
        raise UserError(f"cannot write the screenshot {path}: {error}") from None
    return path
