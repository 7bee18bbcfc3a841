"""Draw your own: an 8×8 canvas painted with a soft brush, fed to the network as an image.

Contract: ``DrawCanvas(side)``; ``paint(cell_x, cell_y)`` adds ink around a point given in
cell units (fractions allowed), ``erase`` removes it, ``pixels`` is the image in 0..1,
row-major like the dataset. A drawing is only ever shown to the network, never trained on.
"""

from __future__ import annotations

import numpy as np

BRUSH_RADIUS = 0.9  # cells: a stroke is about two pixels wide, like the dataset's edges


class DrawCanvas:
    def __init__(self, side: int) -> None:
        self.side = side
        self._image = np.zeros((side, side))
        centres = np.arange(side) + 0.5
        self._ys, self._xs = np.meshgrid(centres, centres, indexing="ij")

    @property
    def pixels(self) -> np.ndarray:
        return self._image.ravel().copy()

    @property
    def empty(self) -> bool:
        return not self._image.any()

    def paint(self, cell_x: float, cell_y: float, erase: bool = False) -> None:
        distance = np.hypot(self._xs - cell_x, self._ys - cell_y)
        ink = np.clip(1.0 - (distance - BRUSH_RADIUS * 0.5) / BRUSH_RADIUS, 0.0, 1.0)
        if erase:
            self._image = np.clip(self._image - ink, 0.0, 1.0)
        else:
            self._image = np.maximum(self._image, ink)

    def clear(self) -> None:
        self._image[...] = 0.0
