"""Where each hidden neuron's weight tile sits: what the neuron looks for, over it.

Contract: ``weight_tile_boxes(layout)`` returns one square ``Rect`` per neuron of the
first hidden layer (in its order), just above the neuron, for a network whose input is
drawn as an image grid (``layout.grid_side``; else no tiles). Tiles are as large as the
row's spacing allows, up to ``LARGEST`` of the stage's height; where the spacing keeps
them well below that, every other tile moves up a row, so that each may be twice as wide
(a checkerboard, each tile still centred over its neuron).
"""

from __future__ import annotations

import numpy as np

from visualizer.scene.layout import NetworkLayout, Rect

LARGEST = 0.075  # of the stage's height
CROWDED = 0.8  # tiles in one row this much smaller than the largest are staggered
FILL = 0.9  # of the room a tile has


def weight_tile_boxes(layout: NetworkLayout) -> list[Rect]:
    if not layout.grid_side or len(layout.positions) < 3:
        return []  # no image to draw weights as, or no hidden layer
    positions, radius = layout.positions[1], layout.radii[1]
    largest = LARGEST * layout.stage.height
    spacing = float(np.min(np.diff(positions[:, 0]))) if len(positions) > 1 else largest
    side = min(FILL * spacing, largest)
    staggered = side < CROWDED * largest and len(positions) > 1
    if staggered:
        side = min(2 * FILL * spacing, largest)
    gap = 0.6 * radius
    boxes = []
    for index, (x, y) in enumerate(positions):
        bottom = y - radius - gap - (side + gap) * (staggered and index % 2)
        boxes.append(Rect(float(x) - side / 2, bottom - side, side, side))
    return boxes
