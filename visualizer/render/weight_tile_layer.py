"""What each hidden neuron looks for: its incoming weights drawn as a small image over it.

Contract: ``WeightTileLayer(ctx, shaders)``; ``update(record, landed)`` writes the tiles'
colours into one texture when the weights the wires show change — the record's weights
before its update, then (``landed``) after it — and never on other frames;
``draw(layout, size)`` draws one tile per neuron of the first hidden layer where
``scene/weight_tiles.py`` puts them: a handful of quads. ``weight_tile_colours`` is the
picture: per neuron its image-shaped weights, blue where positive and amber where
negative as the wires are, as bright as |w| against that neuron's largest |w|.
"""

from __future__ import annotations

import moderngl
import numpy as np

from visualizer.render.palette import NEGATIVE_WEIGHT, NEURON_RIM, POSITIVE_WEIGHT, TILE_BACK
from visualizer.render.shaders import ShaderLibrary
from visualizer.render.ui import UiBatch
from visualizer.scene.layout import NetworkLayout
from visualizer.scene.weight_tiles import weight_tile_boxes
from visualizer.training.parameters import weights_by_gap
from visualizer.training.records import StepRecord


def weight_tile_colours(weights: np.ndarray, side: int) -> np.ndarray:
    """(fan_in = side², neurons) weights → (side, neurons·side, 3) colours, neuron by neuron
    from the left, each pixel's weight where its input pixel is."""
    largest = np.abs(weights).max(axis=0)
    share = np.abs(weights) / np.where(largest > 0, largest, 1.0)  # (fan_in, neurons)
    sign = np.where(weights >= 0, 1.0, 0.0)[..., None]
    hue = sign * np.asarray(POSITIVE_WEIGHT) + (1 - sign) * np.asarray(NEGATIVE_WEIGHT)
    base = np.asarray(TILE_BACK[:3])
    colours = base + (hue - base) * share[..., None]  # (fan_in, neurons, 3)
    tiles = colours.reshape(side, side, -1, 3)  # rows, columns, neuron
    return tiles.transpose(0, 2, 1, 3).reshape(side, -1, 3)


class WeightTileLayer:
    def __init__(self, ctx: moderngl.Context, shaders: ShaderLibrary) -> None:
        self._ui = UiBatch(ctx, shaders, capacity=256)
        self._key: tuple | None = None  # whose weights the texture holds
        self._count = 0
        self.uploads = 0  # texture writes so far (a test's figure: one per change)

    def update(self, record: StepRecord, landed: bool, side: int) -> None:
        key = (record.run, record.step, landed)
        if key == self._key:
            return
        params, _ = record.parameters_at(landed)
        weights = weights_by_gap(params)[0]
        self._ui.set_picture(weight_tile_colours(weights, side), smooth=False)
        self._count = weights.shape[1]
        self._key = key
        self.uploads += 1

    def draw(self, layout: NetworkLayout, size: tuple[int, int]) -> None:
        boxes = weight_tile_boxes(layout)
        if not boxes or not self._count:
            return
        rim = (*NEURON_RIM, 1.0)
        for index, box in enumerate(boxes):
            self._ui.rect(box.inset(-1.5), rim, 2.0)
            columns = (index / self._count, (index + 1) / self._count)
            self._ui.picture(box, 1.0, columns)
        self._ui.flush(size)

    def release(self) -> None:
        self._ui.release()
