"""The neuron inspector: which neuron is under a pointer, and its real numbers.

Contract: ``neuron_at(layout, point)`` finds the neuron (layer, index) whose body is under
``point``; ``inspect(record, layer, index)`` reads that neuron's values straight
from the record on screen: its pre-activation z and activation a for the focused image,
its error signal δ for the focused image and as the batch's root-mean-square (what the
halo shows), and the range of its incoming weights before and after the update and of
their change. ``as_shown(values, frame)`` keeps only what the show has reached
(z and a once the forward wave has passed the neuron, δ once the backward wave has, the
new weights and Δw once the update has landed); ``card_lines(values)`` is what the card says.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from visualizer.choreography import Frame, Phase
from visualizer.scene.layout import NetworkLayout
from visualizer.training.records import StepRecord


@dataclass(frozen=True)
class NeuronValues:
    name: str  # "input pixel (row 3, column 5)", "hidden neuron 7", "output: circle"
    layer: int
    index: int
    # None where the show has not got there yet (``as_shown``); an input pixel has no z,
    # and no incoming weights.
    z: float | None
    a: float | None
    delta: float | None  # ∂ℓ/∂z (∂ℓ/∂x for an input pixel) of the focused image
    delta_rms: float | None  # over the batch
    weights: tuple[float, float] | None  # incoming weights' min and max, before the update
    weights_after: tuple[float, float] | None  # … and after it
    change: tuple[float, float] | None  # incoming weights' Δw min and max
    dead: bool | None  # a hidden neuron off (a = 0) for every image of the batch
    momentum: float  # μ of the update (0: plain SGD, Δw = −η·∂J/∂w)


def neuron_at(layout: NetworkLayout, point: tuple[float, float]) -> tuple[int, int] | None:
    x, y = point
    for layer, (positions, radius) in enumerate(zip(layout.positions, layout.radii)):
        reach = max(radius * 1.3, 8.0)  # a little more than the body, for fingers
        distance = np.hypot(positions[:, 0] - x, positions[:, 1] - y)
        nearest = int(np.argmin(distance))
        if distance[nearest] <= reach:
            return layer, nearest
    return None


def inspect(record: StepRecord, layer: int, index: int) -> NeuronValues:
    focus = record.focus
    errors = record.input_gradients if layer == 0 else record.deltas[layer - 1]
    weights = weights_after = change = None
    if layer > 0:  # its incoming weights: the gap below it
        before = record.weights_before[layer - 1][:, index]
        after = record.weights_after[layer - 1][:, index]
        weights, weights_after, change = (_range(v) for v in (before, after, after - before))
    last = len(record.activations) - 1
    return NeuronValues(
        name=neuron_name(record, layer, index),
        layer=layer,
        index=index,
        z=None if layer == 0 else float(record.pre_activations[layer - 1][focus, index]),
        a=float(record.activations[layer][focus, index]),
        delta=float(errors[focus, index]),
        delta_rms=float(np.sqrt(np.mean(errors[:, index] ** 2))),
        weights=weights,
        weights_after=weights_after,
        change=change,
        dead=bool(record.dead_neurons[layer - 1][index]) if 0 < layer < last else False,
        momentum=record.momentum,
    )


def neuron_name(record: StepRecord, layer: int, index: int) -> str:
    """What the HUD calls a neuron: "input pixel (row 3, column 5)", "hidden neuron 7",
    "output: circle"."""
    last = len(record.activations) - 1
    side, features = record.test_set.image_side, record.test_set.feature_names
    if layer == 0 and side is not None:
        row, column = divmod(index, side)
        return f"input pixel (row {row + 1}, column {column + 1})"
    if layer == 0:
        return f"input: {features[index]}" if features else f"input {index + 1}"
    if layer == last:
        return f"output: {record.output_names[index]}"
    return f"hidden neuron {index + 1}" if last == 2 else f"layer {layer} neuron {index + 1}"


def as_shown(values: NeuronValues, frame: Frame) -> NeuronValues:
    """Only what the show has reached: the card tells no more than the picture."""
    layer, phase, wavefront = values.layer, frame.phase, frame.wavefront
    # The wave front counts layers (input = 0), as the neurons' glows and halos read it.
    forward = phase is not Phase.FORWARD or wavefront >= layer
    backward = phase not in (Phase.FORWARD, Phase.BACKWARD) or (
        phase is Phase.BACKWARD and wavefront <= layer
    )
    landed = frame.update_landed  # as the wires show it
    return dataclasses.replace(
        values,
        z=values.z if forward else None,
        a=values.a if forward else None,
        dead=values.dead if forward else None,
        delta=values.delta if backward else None,
        delta_rms=values.delta_rms if backward else None,
        weights_after=values.weights_after if landed else None,
        change=values.change if landed else None,
    )


def card_lines(values: NeuronValues) -> list[str]:
    """The inspector card's text: the name, then a line per pass, then the weights."""
    lines = [values.name]
    if values.a is None:
        lines.append("z and a: when the forward pass gets here")
    elif values.z is None:
        lines.append(f"pixel value a = {values.a:.3f}")
    else:
        lines.append(f"z = {values.z:+.3f}   a = {values.a:.3f}")
    if values.dead:
        lines.append("a = 0 for every image of this batch")
    error = "δ" if values.layer > 0 else "error ∂ℓ/∂x"
    if values.delta is None:
        lines.append(f"{error}: when the backward pass gets here")
    else:
        lines.append(f"{error} = {values.delta:+.4f}  (batch RMS {values.delta_rms:.4f})")
    if values.weights is None:
        return lines
    after, change = values.weights_after, values.change
    if after is None or change is None:  # both come when the update lands
        lines.append(f"incoming w: {_span(values.weights, 3)}")
        lines.append("Δw: when the update lands")
    else:
        lines.append(f"incoming w, updated: {_span(after, 3)}")
        lines.append(f"update Δw: {_span(change, 4)}")
        if values.momentum:  # the step is the velocity, not this batch's gradient
            lines.append(f"Δw = −η·v,  v = ∂J/∂w + {values.momentum:g} × last v")
    return lines


def _range(values: np.ndarray) -> tuple[float, float]:
    return float(values.min()), float(values.max())


def _span(span: tuple[float, float], digits: int) -> str:
    return f"{span[0]:+.{digits}f} … {span[1]:+.{digits}f}"
