"""The numbers themselves, written on the network: for small networks (the worked example).

Contract: ``stage_numbers(record, layout, moment_of(frame), measure)`` returns the
``StageNumber``s to write for the focused sample at a moment of the cycle (``Moment``): in
the forward pass, each weight on its wire and, once the wave reaches a neuron, its z and a
(x at the input); in the backward pass, δ at each neuron and ∂J/∂w on each wire once the
backward wave has passed them (and J at the output); once the update has landed, the new
weights and biases. Every number is read from the record, never recomputed. The notation
is the seeds': a layer's number as a superscript, a neuron's as a subscript (w¹₂₁ feeds
neuron 2 of layer 1 from input 1, one row per neuron as seed 003 writes W¹), ŷ for the
output's activation.

Where a wire's number goes: at the middle of its curve, or, where that would cover another
number, a little nearer one end; ``place`` is given the size of each text to decide.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from visualizer.choreography import Frame, Phase
from visualizer.scene.layout import NetworkLayout, Rect, point_on_each
from visualizer.training.parameters import bias_key
from visualizer.training.records import StepRecord

REACHED = 0.02  # the wave front counts as at a layer this close to it (as the glows do)

WIRE_SPOTS = (0.5, 0.32, 0.68, 0.4, 0.6, 0.25, 0.75)  # where along a wire to try, in order

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class Kind(Enum):
    """What a number belongs to, for its colour."""

    FORWARD = "forward"
    BACKWARD = "backward"
    UPDATE = "update"


@dataclass(frozen=True)
class Moment:
    """How far the cycle has got, as the numbers need it."""

    forward_reached: int  # layers the forward wave has reached (−1: none yet)
    backward_reached: int | None  # the lowest layer the backward wave has reached, or None
    landed: bool  # the update has landed


@dataclass(frozen=True)
class StageNumber:
    text: str
    position: tuple[float, float]
    anchor: str  # as TextRenderer anchors
    kind: Kind


def moment_of(frame: Frame) -> Moment:
    """Where the cycle of ``frame`` is: which layers each wave has reached, and whether
    the update has landed (as the wires show it)."""
    layers = frame.layer_count
    phase, _, wavefront = frame.network_pass()
    if phase is Phase.FORWARD:
        return Moment(math.floor(wavefront + REACHED), None, False)
    if phase is Phase.BACKWARD:
        return Moment(layers, math.ceil(wavefront - REACHED), False)
    return Moment(layers, 0, frame.update_landed)


def up(n: int) -> str:
    return str(n).translate(_SUPERSCRIPT)


def down(n: int) -> str:
    return str(n).translate(_SUBSCRIPT)


def stage_numbers(
    record: StepRecord,
    layout: NetworkLayout,
    moment: Moment,
    measure: Callable[[str], tuple[float, float]],
) -> list[StageNumber]:
    """The numbers to write now; ``measure(text)`` gives a text's width and height."""
    line = 1.2 * measure("Ag")[1]
    numbers = _neuron_numbers(record, layout, moment, line)
    taken = [_box(number, measure) for number in numbers] + _neuron_boxes(layout)
    for gap in range(len(layout.positions) - 1):
        for text, kind, curve in _wire_texts(record, layout, moment, gap):
            number = _place(text, kind, curve, measure, taken)
            numbers.append(number)
            taken.append(_box(number, measure))
    return numbers


def _neuron_numbers(
    record: StepRecord, layout: NetworkLayout, moment: Moment, line: float
) -> list[StageNumber]:
    focus, last = record.focus, len(layout.positions) - 1
    numbers = []
    for layer, (positions, radius) in enumerate(zip(layout.positions, layout.radii)):
        for index, (x, y) in enumerate(positions):
            lines: list[tuple[str, Kind]] = []
            n = "" if layer == last and len(positions) == 1 else down(index + 1)
            if layer <= moment.forward_reached and not moment.landed:
                a = float(record.activations[layer][focus, index])
                if layer == 0:
                    lines.append((f"x{n} = {a:.4g}", Kind.FORWARD))
                else:
                    z = float(record.pre_activations[layer - 1][focus, index])
                    name = f"ŷ{n}" if layer == last else f"a{up(layer)}{n}"
                    lines.append((f"z{up(layer)}{n} = {z:.4f}", Kind.FORWARD))
                    lines.append((f"{name} = {a:.4f}", Kind.FORWARD))
            reached = moment.backward_reached
            if layer > 0 and reached is not None and layer >= reached and not moment.landed:
                delta = float(record.deltas[layer - 1][focus, index])
                lines.append((f"δ{up(layer)}{n} = {delta:+.4f}", Kind.BACKWARD))
                if layer == last and index == 0:
                    lines.append((f"J = {record.loss:.4f}", Kind.BACKWARD))
            if layer > 0 and moment.landed:
                bias = float(record.params_after[bias_key(layer - 1)][index])
                lines.append((f"b{up(layer)}{n} → {bias:.4f}", Kind.UPDATE))
            # Beside the neuron, away from the middle of the picture.
            right = x >= layout.stage.centre_x
            anchor = "left" if right else "right"
            start_x = x + 1.6 * radius if right else x - 1.6 * radius
            for row, (text, kind) in enumerate(lines):
                offset = (row - (len(lines) - 1) / 2) * line  # centred on the neuron
                numbers.append(StageNumber(text, (start_x, y + offset), anchor, kind))
    return numbers


def _wire_texts(record: StepRecord, layout: NetworkLayout, moment: Moment, gap: int):
    """(text, kind, control points) of each wire of ``gap`` that has a number now."""
    before = record.weights_before[gap]
    gradient = record.weight_gradients[gap]
    after = record.weights_after[gap]
    span = layout.gap_slice(gap)
    layer = gap + 1
    fan_in, fan_out = before.shape
    backward = moment.backward_reached is not None and moment.backward_reached <= gap
    for k, controls in zip(range(fan_in * fan_out), layout.controls[span]):
        source, target = divmod(k, fan_out)
        name = f"w{up(layer)}{down(target + 1)}{down(source + 1)}"
        if moment.landed:
            yield f"{name} → {after[source, target]:.4f}", Kind.UPDATE, controls
        elif backward:
            yield f"∂J/∂{name} = {gradient[source, target]:+.4f}", Kind.BACKWARD, controls
        elif moment.forward_reached >= gap:
            yield f"{name} = {before[source, target]:.4f}", Kind.FORWARD, controls


def _place(text, kind, controls, measure, taken: list[Rect]) -> StageNumber:
    """At the first spot along the wire where the text covers no other number."""
    number = None
    for t in WIRE_SPOTS:
        point = point_on_each(controls[None], np.array([t]))[0]
        number = StageNumber(text, (float(point[0]), float(point[1])), "centre", kind)
        box = _box(number, measure)
        if not any(_overlap(box, other) for other in taken):
            return number
    assert number is not None
    return number  # nowhere free: the middle spot's last try, over another number


def _box(number: StageNumber, measure) -> Rect:
    width, height = measure(number.text)
    x, y = number.position
    dx = {"left": 0.0, "right": -width, "centre": -width / 2}[number.anchor]
    return Rect(x + dx, y - height / 2, width, height)


def _neuron_boxes(layout: NetworkLayout) -> list[Rect]:
    return [
        Rect(x - r, y - r, 2 * r, 2 * r)
        for positions, r in zip(layout.positions, layout.radii)
        for x, y in positions
    ]


def _overlap(a: Rect, b: Rect) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.bottom and b.y < a.bottom
