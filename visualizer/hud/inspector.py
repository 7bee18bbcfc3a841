"""The neuron inspector: which neuron is under a pointer, and its real numbers.

Contract: ``neuron_at(layout, point)`` finds the neuron (layer, index) whose body is under
``point``; ``inspect(record, layer, index)`` reads that neuron's values straight
from the record on screen: its pre-activation z and activation a for the focused image,
its error signal δ for the focused image and as the batch's root-mean-square (what the
halo shows), and the range of its incoming weights before and after the update and of
their change. In a hidden layer with BatchNorm, the steps from z to a (the batch's μ and
σ², x̂, γ, β and γ·x̂ + β, for the focused image); with Dropout, whether it was dropped for
the focused image and for how many of the batch's images. ``as_shown(values, frame)``
keeps only what the show has reached (z, a and those steps once the forward wave has
passed the neuron, δ once the backward wave has, the new weights and Δw once the update
has landed); ``card_lines(values, words)`` is what the card says, in the language of
``words`` (the neuron's name comes with the values: ``inspect(..., words)``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from visualizer.choreography import Frame, Phase
from visualizer.scene.layout import NetworkLayout
from visualizer.training.parameters import beta_key, gamma_key
from visualizer.training.records import StepRecord
from visualizer.words import DEFAULT_LANGUAGE, Words, words_for


@dataclass(frozen=True)
class Normalisation:
    """BatchNorm's steps for the focused image: z → x̂ → γ·x̂ + β, which φ receives."""

    mean: float  # μ of z over the batch
    variance: float  # σ², biased (÷ B)
    normalised: float  # x̂ = (z − μ)/√(σ² + ε)
    gamma: float
    beta: float
    output: float  # γ·x̂ + β


@dataclass(frozen=True)
class Dropping:
    """What Dropout did to a hidden neuron in this batch."""

    p: float  # the chance of being dropped; kept units are scaled by 1/(1 − p)
    dropped: bool  # for the focused image
    count: int  # how many of the batch's images it was dropped for
    batch: int  # how many images the batch holds


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
    normalisation: Normalisation | None = None  # a hidden neuron with BatchNorm
    dropping: Dropping | None = None  # a hidden neuron with Dropout


def neuron_at(layout: NetworkLayout, point: tuple[float, float]) -> tuple[int, int] | None:
    x, y = point
    for layer, (positions, radius) in enumerate(zip(layout.positions, layout.radii)):
        reach = max(radius * 1.3, 8.0)  # a little more than the body, for fingers
        distance = np.hypot(positions[:, 0] - x, positions[:, 1] - y)
        nearest = int(np.argmin(distance))
        if distance[nearest] <= reach:
            return layer, nearest
    return None


def inspect(record: StepRecord, layer: int, index: int, words: Words | None = None) -> NeuronValues:
    focus = record.focus
    errors = record.input_gradients if layer == 0 else record.deltas[layer - 1]
    weights = weights_after = change = None
    if layer > 0:  # its incoming weights: the gap below it
        before = record.weights_before[layer - 1][:, index]
        after = record.weights_after[layer - 1][:, index]
        weights, weights_after, change = (_range(v) for v in (before, after, after - before))
    last = len(record.activations) - 1
    return NeuronValues(
        name=neuron_name(record, layer, index, words or words_for(DEFAULT_LANGUAGE)),
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
        normalisation=_normalisation(record, layer, index) if 0 < layer < last else None,
        dropping=_dropping(record, layer, index) if 0 < layer < last else None,
    )


def _normalisation(record: StepRecord, layer: int, index: int) -> Normalisation | None:
    if not record.batch_norm:
        return None
    gap, focus = layer - 1, record.focus
    return Normalisation(
        mean=float(record.batch_means[gap][index]),
        variance=float(record.batch_variances[gap][index]),
        normalised=float(record.normalised[gap][focus, index]),
        gamma=float(record.params_before[gamma_key(gap)][index]),
        beta=float(record.params_before[beta_key(gap)][index]),
        output=float(record.activation_inputs[gap][focus, index]),
    )


def _dropping(record: StepRecord, layer: int, index: int) -> Dropping | None:
    if not record.dropout:
        return None
    dropped = record.dropped[layer - 1][:, index]
    return Dropping(
        p=record.dropout,
        dropped=bool(dropped[record.focus]),
        count=int(dropped.sum()),
        batch=len(dropped),
    )


def neuron_name(record: StepRecord, layer: int, index: int, words: Words) -> str:
    """What the HUD calls a neuron: "input pixel (row 3, column 5)", "hidden neuron 7",
    "output: circle"."""
    last = len(record.activations) - 1
    side, features = record.test_set.image_side, record.test_set.feature_names
    if layer == 0 and side is not None:
        row, column = divmod(index, side)
        return words("hud.neuron.pixel", row=row + 1, column=column + 1)
    if layer == 0:
        if features:
            return words("hud.neuron.input_named", name=features[index])
        return words("hud.neuron.input", n=index + 1)
    if layer == last:
        return words("hud.neuron.output", name=output_names(record, words)[index])
    if last == 2:
        return words("hud.neuron.hidden", n=index + 1)
    return words("hud.neuron.layer", layer=layer, n=index + 1)


def output_names(record: StepRecord, words: Words) -> tuple[str, ...]:
    """What each output neuron stands for, in the language (``StepRecord.output_names``):
    its class, or for a single sigmoid unit class 1 against class 0."""
    names = tuple(words.class_name(name) for name in record.class_names)
    if record.layer_sizes[-1] == len(names):
        return names
    return (words("hud.network.versus", first=names[1], second=names[0]),)


def reached(layer: int, frame: Frame) -> tuple[bool, bool]:
    """Whether the picture has shown ``layer``'s forward values, and its error, yet."""
    phase, wavefront = frame.phase, frame.wavefront
    # The wave front counts layers (input = 0), as the neurons' glows and halos read it.
    forward = phase is not Phase.FORWARD or wavefront >= layer
    backward = phase not in (Phase.FORWARD, Phase.BACKWARD) or (
        phase is Phase.BACKWARD and wavefront <= layer
    )
    return forward, backward


def as_shown(values: NeuronValues, frame: Frame) -> NeuronValues:
    """Only what the show has reached: the card tells no more than the picture."""
    forward, backward = reached(values.layer, frame)
    landed = frame.update_landed  # as the wires show it
    return dataclasses.replace(
        values,
        z=values.z if forward else None,
        a=values.a if forward else None,
        dead=values.dead if forward else None,
        normalisation=values.normalisation if forward else None,
        dropping=values.dropping if forward else None,
        delta=values.delta if backward else None,
        delta_rms=values.delta_rms if backward else None,
        weights_after=values.weights_after if landed else None,
        change=values.change if landed else None,
    )


def card_lines(values: NeuronValues, words: Words | None = None) -> list[str]:
    """The inspector card's text: the name, then a line per pass, then the weights (in
    English unless ``words`` says another language)."""
    words = words or words_for(DEFAULT_LANGUAGE)
    lines = [values.name]
    number = words.number
    if values.a is None:
        lines.append(words("hud.card.waiting_forward"))
    elif values.z is None:
        lines.append(words("hud.card.pixel", a=number(values.a, 3)))
    elif values.normalisation is None and values.dropping is None:
        lines.append(f"z = {number(values.z, 3, sign=True)}   a = {number(values.a, 3)}")
    else:
        lines += _steps_to_a(values.z, values.a, values.normalisation, values.dropping, words)
    if values.dead:
        lines.append(words("hud.card.dead"))
    error = "δ" if values.layer > 0 else words("hud.card.input_error")
    if values.delta is None or values.delta_rms is None:
        lines.append(words("hud.card.waiting_backward", error=error))
    else:
        value, rms = number(values.delta, 4, sign=True), number(values.delta_rms, 4)
        lines.append(words("hud.card.error", error=error, value=value, rms=rms))
        if values.dropping is not None and values.dropping.dropped:
            lines.append(words("hud.card.no_error" if values.delta == 0.0 else "hud.card.via"))
    if values.weights is None:
        return lines
    after, change = values.weights_after, values.change
    if after is None or change is None:  # both come when the update lands
        lines.append(words("hud.card.incoming", span=_span(values.weights, 3, words)))
        lines.append(words("hud.card.waiting_update"))
    else:
        lines.append(words("hud.card.updated", span=_span(after, 3, words)))
        lines.append(words("hud.card.change", span=_span(change, 4, words)))
        if values.momentum:  # the step is the velocity, not this batch's gradient
            lines.append(words("hud.card.momentum", momentum=short(values.momentum, words)))
    return lines


def _steps_to_a(
    z: float,
    a: float,
    normalisation: Normalisation | None,
    dropping: Dropping | None,
    words: Words,
) -> list[str]:
    """From the Linear output z to a, through BatchNorm and Dropout, step by step: with
    either, a is not φ(z)."""
    number = words.number
    lines = [words("hud.card.linear", z=number(z, 3, sign=True))]
    received = "z"  # what φ receives
    if normalisation is not None:
        n = normalisation
        mean, variance = number(n.mean, 3, sign=True), number(n.variance, 3)
        gamma, beta = number(n.gamma, 3), number(n.beta, 3, sign=True)
        lines += [
            words("hud.card.batch_stats", mean=mean, variance=variance),
            f"x̂ = (z − μ)/√(σ² + ε) = {number(n.normalised, 3, sign=True)}",
            f"γ = {gamma}  β = {beta}   γ·x̂ + β = {number(n.output, 3, sign=True)}",
        ]
        received = "γ·x̂ + β"
    if dropping is None:
        return [*lines, f"a = φ({received}) = {number(a, 3)}"]
    if dropping.dropped:
        lines.append(words("hud.card.dropped"))
    else:
        keep = short(1 - dropping.p, words)
        lines.append(words("hud.card.kept", received=received, keep=keep, a=number(a, 3)))
    count = number(dropping.count)
    lines.append(words.count("hud.card.dropped_count", dropping.batch, count=count))
    return lines


def short(value: float, words: Words) -> str:
    """A setting (μ, 1 − p, η) with as few decimals as it has: 0.9, 0.8, 0.001."""
    plain = f"{value:g}"
    if "e" in plain:  # a power of ten: maths notation, the same in every language
        return plain
    return words.number(value, len(plain.partition(".")[2]))


def _range(values: np.ndarray) -> tuple[float, float]:
    return float(values.min()), float(values.max())


def _span(span: tuple[float, float], digits: int, words: Words) -> str:
    low, high = (words.number(value, digits, sign=True) for value in span)
    return f"{low} … {high}"
