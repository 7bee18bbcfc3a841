"""The neuron inspector: which neuron is under a pointer, and its real numbers.

Contract: ``neuron_at(layout, point)`` finds the neuron (layer, index) whose body is under
``point``; ``inspect(record, focus, layer, index)`` reads that neuron's values straight
from the record on screen: its pre-activation z and activation a for the focused image,
its error signal δ for the focused image and as the batch's root-mean-square (what the
halo shows), and the range of its incoming weights before the update and of their change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.scene.layout import NetworkLayout
from visualizer.training.records import StepRecord
from visualizer.training.shapes import CLASS_NAMES


@dataclass(frozen=True)
class NeuronValues:
    name: str  # "input pixel (row 3, column 5)", "hidden neuron 7", "output: circle"
    layer: int
    index: int
    z: float | None  # None for an input pixel, which has no pre-activation
    a: float
    delta: float  # ∂ℓ/∂z (∂ℓ/∂x for an input pixel) of the focused image
    delta_rms: float  # over the batch
    weights: tuple[float, float] | None  # incoming weights' min and max, before the update
    change: tuple[float, float] | None  # incoming weights' Δw min and max


def neuron_at(layout: NetworkLayout, point: tuple[float, float]) -> tuple[int, int] | None:
    x, y = point
    for layer, (positions, radius) in enumerate(zip(layout.positions, layout.radii)):
        reach = max(radius * 1.3, 8.0)  # a little more than the body, for fingers
        distance = np.hypot(positions[:, 0] - x, positions[:, 1] - y)
        nearest = int(np.argmin(distance))
        if distance[nearest] <= reach:
            return layer, nearest
    return None


def inspect(record: StepRecord, focus: int, layer: int, index: int) -> NeuronValues:
    errors = record.input_gradients if layer == 0 else record.deltas[layer - 1]
    weights = change = None
    if layer > 0:
        before = record.params_before[f"W{layer}"][:, index]
        after = record.params_after[f"W{layer}"][:, index]
        weights = (float(before.min()), float(before.max()))
        moved = after - before
        change = (float(moved.min()), float(moved.max()))
    last = len(record.activations) - 1
    if layer == 0:
        side = round(np.sqrt(record.inputs.shape[1]))
        row, column = divmod(index, side)
        name = f"input pixel (row {row + 1}, column {column + 1})"
    elif layer == last and record.probabilities.shape[1] == record.activations[last].shape[1]:
        name = f"output: {CLASS_NAMES[index]}"
    else:
        name = f"hidden neuron {index + 1}" if last == 2 else f"layer {layer} neuron {index + 1}"
    return NeuronValues(
        name=name,
        layer=layer,
        index=index,
        z=None if layer == 0 else float(record.pre_activations[layer - 1][focus, index]),
        a=float(record.activations[layer][focus, index]),
        delta=float(errors[focus, index]),
        delta_rms=float(np.sqrt(np.mean(errors[:, index] ** 2))),
        weights=weights,
        change=change,
    )
