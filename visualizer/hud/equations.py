"""Explain this step: one neuron's equations for the phase on screen, with the record's numbers.

Contract: ``explained_neuron(record, chosen)`` is the neuron to explain — ``chosen``
(layer, index) when a neuron above the input was inspected, else the highlighted (focused)
image's strongest neuron of the first hidden layer. ``explain(record, phase, neuron,
chosen, words)`` returns an ``Explanation``: a title and the lines of the phase, in the
notation of docs/maths.md, its words in the language of ``words`` (the numbers are the
maths' own, as ``typeset`` writes them, in every language):

- forward: z = Σᵢ wᵢ·aᵢ + b with the ``TERMS`` largest products written out and the rest
  summed and counted, then BatchNorm's steps where the network has it, then a = φ(·) with
  φ named (softmax or σ at the output), then Dropout's mask where it has one;
- backward: δ — at the output the configured output × loss form (p − y for
  cross-entropy), in a hidden layer φ′·Σₖ wₖ·δₖ with the products written out (through
  Dropout's mask and BatchNorm's batch statistics where it has them) — then ∂J/∂w of the
  incoming weight with the largest gradient (+ λw with L2) and ∂J/∂b;
- update (and the wait after it): that weight and the bias before and after, η·∂J/∂w,
  or with momentum the velocity v = ∂J/∂w + μ·vₚᵣₑᵥ and Δw = −η·v.

Every number is read from the record: the weights the batch saw, the focused image's a, z
and δ, BatchNorm's μ, σ², x̂, γ and β, Dropout's masks, the gradients and the parameters
after the update. What is derived is derived from those alone: sums and means of their
products, φ and φ′ of the recorded z (with the network's own functions), the velocity
from the update (v = −Δw/η) and its previous value (vₚᵣₑᵥ = (v − ∂J/∂w)/μ).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from visualizer.choreography import Phase
from visualizer.hud.inspector import neuron_name
from visualizer.hud.typeset import decimals, factor, number, signed
from visualizer.scene.numbers import down
from visualizer.training.activations import HIDDEN
from visualizer.training.layers import EPS
from visualizer.training.parameters import beta_key, bias_key, gamma_key
from visualizer.training.records import StepRecord
from visualizer.words import Words

SMALLEST_CHANGE = 1e-8  # an update this small reads as none
TERMS = 3  # products of a sum written out; the rest are summed and counted
PHI = {"relu": "ReLU", "sigmoid": "σ", "tanh": "tanh"}
PHASE_NAMES = {Phase.FORWARD: "hud.equations.forward", Phase.BACKWARD: "hud.equations.backward"}


class Style(Enum):
    """How a line is set: what it is, for its place and colour."""

    FORMULA = "formula"  # the equation in symbols
    TERM = "term"  # one term of a sum: its value in the sum's column, then what it is
    TOTAL = "total"  # a sum's total, under a rule
    RESULT = "result"  # numbers worked out
    NOTE = "note"  # words


@dataclass(frozen=True)
class EquationLine:
    text: str
    style: Style = Style.RESULT
    value: str = ""  # a TERM's or TOTAL's number, in the sum's column


@dataclass(frozen=True)
class Explanation:
    title: str  # the neuron and the phase
    subtitle: str  # why this neuron
    phase: Phase  # whose colour the worked numbers take
    lines: tuple[EquationLine, ...]


def explained_neuron(record: StepRecord, chosen: tuple[int, int] | None) -> tuple[int, int]:
    """The inspected neuron, or (no neuron above the input inspected) the focused image's
    strongest neuron of the first hidden layer."""
    sizes = record.layer_sizes
    if chosen is not None and 0 < chosen[0] < len(sizes) and chosen[1] < sizes[chosen[0]]:
        return chosen
    return 1, int(np.argmax(record.activations[1][record.focus]))


def explain(
    record: StepRecord,
    phase: Phase,
    neuron: tuple[int, int],
    chosen: bool,
    words: Words,
    reached: bool = True,
) -> Explanation:
    """The equations of ``neuron`` (layer ≥ 1, index) for ``phase``; ``chosen``: it was
    inspected (else it is the strongest for the highlighted image). Until the pass on
    screen has ``reached`` the neuron, only the formulas, and when their numbers come."""
    layer, index = neuron
    # The update's equations serve the update and the wait once it is done.
    build = {Phase.FORWARD: _forward, Phase.BACKWARD: _backward}.get(phase, _update)
    lines = build(record, layer, index, words)
    if not reached:  # the card tells no more than the picture
        formulas = [line for line in lines if line.style is Style.FORMULA]
        key = "hud.card.waiting_forward" if phase is Phase.FORWARD else "hud.card.waiting_backward"
        lines = [*formulas, EquationLine(words(key, error="δ"), Style.NOTE)]
    name = neuron_name(record, layer, index, words)
    subtitle = words("hud.equations.chosen" if chosen else "hud.equations.strongest")
    phase_name = words(PHASE_NAMES.get(phase, "hud.equations.update"))
    title = words("hud.equations.title", name=f"{name[0].upper()}{name[1:]}", phase=phase_name)
    return Explanation(title, subtitle, phase, tuple(lines))


# ---------------------------------------------------------------- forward


def _forward(record: StepRecord, layer: int, j: int, words: Words) -> list[EquationLine]:
    n, gap = record.focus, layer - 1
    weights = record.weights_before[gap][:, j]
    inputs = record.activations[gap][n]
    bias = float(record.params_before[bias_key(gap)][j])
    z = float(record.pre_activations[gap][n, j])
    a = _source(layer)

    def term(i: int) -> str:
        return f"w{down(i + 1)}·{a}{down(i + 1)} = {number(weights[i])} × {_f(inputs[i])}"

    lines = [EquationLine(f"z = Σᵢ wᵢ·{a}ᵢ + b", Style.FORMULA)]
    lines += _sum(weights * inputs, term, words)
    lines.append(EquationLine("b", Style.TERM, signed(number(bias))))
    lines.append(EquationLine("z", Style.TOTAL, number(z)))
    if layer == len(record.layer_sizes) - 1:
        return lines + _output_activation(record, j)
    argument = "z"
    if record.batch_norm:
        argument = "u"
        lines += _normalisation(record, gap, j, words)
    u = float(record.activation_inputs[gap][n, j])
    h = _phi(record, u)
    symbol = "h" if record.dropout else "a"
    phi = PHI[record.hidden_activation]
    if record.hidden_activation == "relu":
        lines.append(
            EquationLine(f"{symbol} = ReLU({argument}) = max(0, {number(u)}) = {number(h)}")
        )
    else:
        lines.append(
            EquationLine(f"{symbol} = {phi}({argument}) = {phi}({number(u)}) = {number(h)}")
        )
    if record.dropout:
        a_value = float(record.activations[layer][n, j])
        if record.dropped[gap][n, j]:
            lines.append(EquationLine(words("hud.equations.dropout_drops")))
        else:
            keep = 1.0 - record.dropout
            lines.append(EquationLine(words("hud.equations.dropout_keeps"), Style.NOTE))
            lines.append(EquationLine(f"a = {number(h)} / {number(keep)} = {number(a_value)}"))
    return lines


def _normalisation(record: StepRecord, gap: int, j: int, words: Words) -> list[EquationLine]:
    """BatchNorm's steps for the focused image, with this batch's μ and σ²."""
    n = record.focus
    z = float(record.pre_activations[gap][n, j])
    mean = float(record.batch_means[gap][j])
    spread = math.sqrt(float(record.batch_variances[gap][j]) + EPS)
    xhat = float(record.normalised[gap][n, j])
    gamma = float(record.params_before[gamma_key(gap)][j])
    beta = float(record.params_before[beta_key(gap)][j])
    u = float(record.activation_inputs[gap][n, j])
    return [
        EquationLine(words("hud.equations.batch_norm"), Style.NOTE),
        EquationLine("x̂ = (z − μ) / √(σ² + ε)", Style.FORMULA),
        EquationLine(f"= ({number(z)} − {_f(mean)}) / {number(spread)} = {number(xhat)}"),
        EquationLine("u = γ·x̂ + β", Style.FORMULA),
        EquationLine(f"= {number(gamma)} × {_f(xhat)} + {_f(beta)} = {number(u)}"),
    ]


def _output_activation(record: StepRecord, k: int) -> list[EquationLine]:
    n = record.focus
    z = float(record.pre_activations[-1][n, k])
    p = float(record.activations[-1][n, k])
    if record.output == "sigmoid":
        return [EquationLine(f"p = σ(z) = 1 / (1 + exp(−z)) = {number(p)}")]
    total = float(np.sum(np.exp(record.pre_activations[-1][n])))
    return [
        EquationLine("p = exp(z) / Σⱼ exp(zⱼ)   (softmax)", Style.FORMULA),
        EquationLine(f"= exp({number(z)}) / {number(total)} = {number(p)}"),
    ]


# ---------------------------------------------------------------- backward


def _backward(record: StepRecord, layer: int, j: int, words: Words) -> list[EquationLine]:
    if layer == len(record.layer_sizes) - 1:
        lines = _output_delta(record, j, words)
    else:
        lines = _hidden_delta(record, layer, j, words)
    return lines + _gradients(record, layer, j, words)


def _output_delta(record: StepRecord, k: int, words: Words) -> list[EquationLine]:
    n = record.focus
    p = float(record.activations[-1][n, k])
    label = int(record.labels[n])
    y = float(label if record.output == "sigmoid" else label == k)
    delta = float(record.deltas[-1][n, k])
    name = words.class_name(record.class_names[label])
    truth = words("hud.equations.truth", name=name, y=f"{y:g}")
    squared = words("hud.equations.squared_error")
    if record.loss_name == "cross_entropy":
        cross_entropy = words("hud.equations.cross_entropy")
        return [
            EquationLine(f"δ = ∂ℓ/∂z = p − y   {cross_entropy}", Style.FORMULA),
            EquationLine(truth, Style.NOTE),
            EquationLine(f"= {number(p)} − {y:g} = {number(delta)}"),
        ]
    if record.output == "sigmoid":
        return [
            EquationLine(f"δ = 2(p − y)·p(1 − p)   {squared}", Style.FORMULA),
            EquationLine(truth, Style.NOTE),
            EquationLine(f"= 2 × {_f(p - y)} × {number(p)} × {number(1 - p)} = {number(delta)}"),
        ]
    probabilities = record.activations[-1][n]
    onehot = np.arange(len(probabilities)) == label
    g = 2.0 * (probabilities - onehot)
    weighted = float(g @ probabilities)
    return [
        EquationLine("δ = p·(g − Σⱼ gⱼpⱼ), g = 2(p − y)", Style.FORMULA),
        EquationLine(f"{truth}   {squared}", Style.NOTE),
        EquationLine(f"g = 2 × {_f(p - y)} = {number(g[k])},  Σⱼ gⱼpⱼ = {number(weighted)}"),
        EquationLine(f"δ = {number(p)} × ({number(g[k])} − {_f(weighted)}) = {number(delta)}"),
    ]


def _hidden_delta(record: StepRecord, layer: int, j: int, words: Words) -> list[EquationLine]:
    """δ of hidden neuron j: the error from the layer above, through Dropout, φ′ and
    (with it) BatchNorm."""
    n, gap = record.focus, layer - 1
    outgoing = record.weights_before[layer][j]  # to every neuron of the layer above
    above = record.deltas[layer]
    name = PHI[record.hidden_activation] + "′"
    argument = "u" if record.batch_norm else "z"
    mask = " · m/(1 − p)" if record.dropout else ""

    def term(k: int) -> str:
        return f"w{down(k + 1)}·δ{down(k + 1)} = {number(outgoing[k])} × {_f(above[n, k])}"

    products = outgoing * above[n]
    total = float(products.sum())
    if record.batch_norm:
        above_note = words("hud.equations.above")
        lines = [EquationLine(f"∂ℓ/∂a = Σₖ wₖ·δₖ   {above_note}", Style.FORMULA)]
    else:
        lines = [EquationLine(f"δ = {name}({argument}){mask} · Σₖ wₖ·δₖ", Style.FORMULA)]
    lines += _sum(products, term, words)
    lines.append(EquationLine("Σₖ wₖ·δₖ", Style.TOTAL, number(total)))
    slope = float(_derivative(record, record.activation_inputs[gap][[n], [j]])[0])
    lines.append(_slope_line(record, name, argument, slope, words))
    scale = _dropout_scale(record, gap)
    factors = _slope(record, slope) + (f" × {number(scale[n, j])}" if record.dropout else "")
    if record.dropout:
        kept = words("hud.equations.kept" if scale[n, j] else "hud.equations.dropped_here")
        lines.append(EquationLine(f"m/(1 − p) = {number(scale[n, j])}: {kept}", Style.NOTE))
    g = slope * scale[n, j] * total
    delta = float(record.deltas[gap][n, j])
    if not record.batch_norm:
        lines.append(EquationLine(f"δ = {factors} × {_f(total)} = {number(delta)}"))
        return lines
    # BatchNorm: g reaches u; μ and σ² tie every image of the batch to δ (docs/maths.md).
    lines.append(EquationLine(f"g = {name}(u){mask} · ∂ℓ/∂a", Style.FORMULA))
    lines.append(EquationLine(f"= {factors} × {_f(total)} = {number(g)}"))
    batch_g = _batch_signal(record, layer, j)
    xhat = record.normalised[gap][:, j]
    mean_g, mean_gx = float(batch_g.mean()), float((batch_g * xhat).mean())
    ratio = float(record.params_before[gamma_key(gap)][j]) / math.sqrt(
        float(record.batch_variances[gap][j]) + EPS
    )
    inner = g - mean_g - float(xhat[n]) * mean_gx
    return [
        *lines,
        EquationLine("δ = γ/√(σ²+ε)·(g − ḡ − x̂·mean(g·x̂))", Style.FORMULA),
        EquationLine(words("hud.equations.batch_means"), Style.NOTE),
        EquationLine(f"ḡ = {number(mean_g)},  mean(g·x̂) = {number(mean_gx)}"),
        EquationLine(f"g − ḡ − x̂·mean(g·x̂) = {number(inner)}"),
        EquationLine(f"δ = {number(ratio)} × {_f(inner)} = {number(delta)}"),
        EquationLine(words("hud.equations.batch_norm_delta"), Style.NOTE),
    ]


def _slope_line(
    record: StepRecord, name: str, argument: str, slope: float, words: Words
) -> EquationLine:
    """φ′ at the focused image's argument, said the way its formula reads."""
    if record.hidden_activation == "relu":
        return EquationLine(
            words(
                "hud.equations.because",
                slope=f"{name}({argument}) = {slope:g}",
                condition=f"{argument} {'>' if slope else '≤'} 0",
            )
        )
    h = "h" if record.dropout else "a"
    form = f"{h}(1 − {h})" if record.hidden_activation == "sigmoid" else f"1 − {h}²"
    return EquationLine(f"{name}({argument}) = {form} = {number(slope)}")


def _gradients(record: StepRecord, layer: int, j: int, words: Words) -> list[EquationLine]:
    """∂J/∂w of the incoming weight that learns most, and ∂J/∂b."""
    gap = layer - 1
    i = _learning_weight(record, layer, j)
    a = f"{_source(layer)}{down(i + 1)}"
    mean = float(np.mean(record.activations[gap][:, i] * record.deltas[gap][:, j]))
    gradient = float(record.weight_gradients[gap][i, j])
    mean_of = words("hud.equations.batch_mean", a=a)
    lines = [EquationLine(f"∂J/∂w{down(i + 1)} = {mean_of}", Style.FORMULA)]
    if record.l2:
        weight = float(record.weights_before[gap][i, j])
        lines.append(EquationLine(f"+ λ·w   {words('hud.equations.l2_term')}", Style.FORMULA))
        worked = f"= {number(mean)} + {number(record.l2)} × {_f(weight)} = {number(gradient)}"
    else:
        worked = f"= {number(gradient)}"
    lines.append(EquationLine(worked))
    bias_gradient = float(record.gradients[bias_key(gap)][j])
    mean_delta = words("hud.equations.mean_of_delta")
    lines.append(EquationLine(f"∂J/∂b = {mean_delta} = {number(bias_gradient)}"))
    return lines


# ---------------------------------------------------------------- update


def _update(record: StepRecord, layer: int, j: int, words: Words) -> list[EquationLine]:
    gap = layer - 1
    i = _learning_weight(record, layer, j)
    rate, momentum = record.learning_rate, record.momentum
    w = f"w{down(i + 1)}"
    before = float(record.weights_before[gap][i, j])
    after = float(record.weights_after[gap][i, j])
    gradient = float(record.weight_gradients[gap][i, j])
    key = bias_key(gap)
    bias_before, bias_after = (
        float(record.params_before[key][j]),
        float(record.params_after[key][j]),
    )
    moved = [
        _moved(w, before, after, words),
        _moved("b", bias_before, bias_after, words),
        EquationLine(words("hud.equations.every_step"), Style.NOTE),
    ]
    if not momentum:
        bias_gradient = float(record.gradients[key][j])
        return [
            EquationLine("w ← w − η·∂J/∂w", Style.FORMULA),
            EquationLine(words("hud.equations.learning_rate", rate=f"{rate:g}"), Style.NOTE),
            EquationLine(f"Δ{w} = −{rate:g} × {_f(gradient)} = {number(after - before)}"),
            EquationLine(
                f"Δb = −{rate:g} × {_f(bias_gradient)} = {number(bias_after - bias_before)}"
            ),
            *moved,
        ]
    velocity = -(after - before) / rate
    previous = (velocity - gradient) / momentum
    return [
        EquationLine("w ← w + Δw,  Δw = −η·v", Style.FORMULA),
        EquationLine("v = ∂J/∂w + μ·vₚᵣₑᵥ", Style.FORMULA),
        EquationLine(
            words("hud.equations.momentum", rate=f"{rate:g}", momentum=f"{momentum:g}"),
            Style.NOTE,
        ),
        EquationLine(
            f"v = {number(gradient)} + {momentum:g} × {_f(previous)} = {number(velocity)}"
        ),
        EquationLine(f"Δ{w} = −{rate:g} × {_f(velocity)} = {number(after - before)}"),
        *moved,
    ]


# ---------------------------------------------------------------- shared


def _sum(products: np.ndarray, describe: Callable[[int], str], words: Words) -> list[EquationLine]:
    """The largest products by size, then the others summed and counted."""
    order = np.argsort(-np.abs(products), kind="stable")
    shown, rest = (order[:TERMS], order[TERMS:]) if len(order) > TERMS + 1 else (order, order[:0])
    lines = [EquationLine(describe(int(i)), Style.TERM, signed(number(products[i]))) for i in shown]
    if len(rest):
        value = signed(number(float(products[rest].sum())))
        lines.append(EquationLine(words("hud.equations.more", n=len(rest)), Style.TERM, value))
    return lines


def _slope(record: StepRecord, slope: float) -> str:
    """φ′ as a factor: ReLU's is exactly 0 or 1."""
    return f"{slope:g}" if record.hidden_activation == "relu" else number(slope)


def _learning_weight(record: StepRecord, layer: int, j: int) -> int:
    """The incoming weight of neuron j with the largest |∂J/∂w|: the one that learns most."""
    return int(np.argmax(np.abs(record.weight_gradients[layer - 1][:, j])))


def _source(layer: int) -> str:
    """What a layer's inputs are called: x at the input, a above it."""
    return "x" if layer == 1 else "a"


def _phi(record: StepRecord, argument: float) -> float:
    out = np.empty(1)
    HIDDEN[record.hidden_activation][0](np.array([argument]), out)
    return float(out[0])


def _derivative(record: StepRecord, arguments: np.ndarray) -> np.ndarray:
    """φ′ at each argument, by the network's own function."""
    activate, derivative = HIDDEN[record.hidden_activation]
    arguments = np.asarray(arguments, dtype=float)
    values, slopes = np.empty_like(arguments), np.empty_like(arguments)
    activate(arguments, values)
    derivative(arguments, values, slopes)
    return slopes


def _dropout_scale(record: StepRecord, gap: int) -> np.ndarray:
    """Per image and neuron, m/(1 − p): 0 where Dropout took it out (1 without Dropout)."""
    if not record.dropout:
        return np.ones(record.activations[gap + 1].shape)
    return record.dropout_masks[gap] / (1.0 - record.dropout)


def _batch_signal(record: StepRecord, layer: int, j: int) -> np.ndarray:
    """g = φ′(u)·m/(1 − p)·∂ℓ/∂a of neuron j for every image of the batch."""
    gap = layer - 1
    error = record.deltas[layer] @ record.weights_before[layer][j]
    slopes = _derivative(record, record.activation_inputs[gap][:, j])
    return slopes * _dropout_scale(record, gap)[:, j] * error


def _moved(name: str, before: float, after: float, words: Words) -> EquationLine:
    """A parameter before → after, with the decimals that show its change."""
    change = abs(after - before)
    if change < SMALLEST_CHANGE:  # a bias BatchNorm makes redundant: ∂J/∂b is rounding
        return EquationLine(words("hud.equations.no_change", name=name, value=number(after)))
    places = max(3, math.ceil(-math.log10(change)) + 2)
    return EquationLine(f"{name}: {decimals(before, places)} → {decimals(after, places)}")


def _f(value: float) -> str:
    return factor(number(float(value)))
