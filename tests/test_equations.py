"""Explain this step: every number the equations show is recomputed here from the record.

Each test rebuilds a term from the record's own arrays (the weights the batch saw, a, z,
δ, BatchNorm's statistics, Dropout's masks, the gradients, the parameters after the
update) by plain arithmetic, and finds it, written as the card writes numbers, on the
line where it belongs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from visualizer.choreography import Phase
from visualizer.config import load_config
from visualizer.hud.equations import TERMS, Style, explain, explained_neuron
from visualizer.hud.typeset import factor, number, signed
from visualizer.training.layers import EPS
from visualizer.training.run import TrainingRun
from visualizer.words import words_for

ENGLISH = words_for("en")


def record_of(*overrides: str, index: int = 3, momentum_pair: bool = False):
    """The ``index``-th record of a run with ``overrides`` (and the one before it)."""
    config = load_config(overrides=list(overrides))
    run = TrainingRun(config, 0)
    records = [run.next_record() for _ in range(index + 1)]
    return (records[-2], records[-1]) if momentum_pair else records[-1]


def lines_of(record, phase, neuron):
    return explain(record, phase, neuron, chosen=True, words=ENGLISH).lines


def text(lines) -> str:
    return "\n".join(f"{line.value} {line.text}" for line in lines)


def term_values(lines) -> list[str]:
    return [line.value for line in lines if line.style is Style.TERM]


def test_numbers_are_written_with_three_significant_digits_and_a_true_minus():
    assert number(0.41234) == "0.412"
    assert number(-0.0031234) == "−0.00312"
    assert number(12.345) == "12.345"
    assert number(3.123e-5) == "3.12×10⁻⁵"
    assert factor(number(-0.5)) == "(−0.500)" and factor(number(0.5)) == "0.500"
    assert signed(number(0.25)) == "+0.250"


def test_the_forward_sum_writes_the_largest_products_and_sums_the_rest(records):
    record = records[5]
    layer, j = explained_neuron(record, None)
    n = record.focus
    assert (layer, j) == (1, int(np.argmax(record.activations[1][n])))  # the strongest
    lines = lines_of(record, Phase.FORWARD, (layer, j))
    w = np.asarray(record.weights_before[0])[:, j]
    x = np.asarray(record.inputs)[n]
    products = [w[i] * x[i] for i in range(len(w))]
    order = sorted(range(len(w)), key=lambda i: -abs(products[i]))
    shown, rest = order[:TERMS], order[TERMS:]
    terms = [line for line in lines if line.style is Style.TERM]
    for line, i in zip(terms, shown):
        assert line.value == signed(number(products[i]))
        assert (
            line.text == f"w{_sub(i + 1)}·x{_sub(i + 1)} = {number(w[i])} × {factor(number(x[i]))}"
        )
    assert terms[TERMS].text == f"{len(rest)} more"
    assert terms[TERMS].value == signed(number(sum(products[i] for i in rest)))
    bias = float(record.params_before["b1"][j])
    assert terms[TERMS + 1].text == "b" and terms[TERMS + 1].value == signed(number(bias))
    z = float(record.pre_activations[0][n, j])
    assert math.isclose(sum(products) + bias, z, abs_tol=1e-12)  # the terms add up to z
    total = next(line for line in lines if line.style is Style.TOTAL)
    assert total.value == number(z)
    a = float(record.activations[1][n, j])
    assert f"a = ReLU(z) = max(0, {number(z)}) = {number(a)}" in text(lines)


def test_an_output_neurons_forward_pass_ends_in_the_softmax(records):
    record = records[5]
    n, k = record.focus, 1
    lines = lines_of(record, Phase.FORWARD, (2, k))
    z = np.asarray(record.pre_activations[1])[n]
    p = math.exp(z[k]) / sum(math.exp(v) for v in z)
    assert math.isclose(p, record.probabilities[n, k], rel_tol=1e-12)
    assert f"= exp({number(z[k])}) / {number(sum(math.exp(v) for v in z))} = {number(p)}" in text(
        lines
    )
    w = np.asarray(record.weights_before[1])[:, k]
    a = np.asarray(record.activations[1])[n]
    products = sorted(w * a, key=lambda p: -abs(p))
    rest = signed(number(float(np.sum(products[TERMS:]))))
    b = signed(number(float(record.params_before["b2"][k])))
    assert term_values(lines) == [*(signed(number(p)) for p in products[:TERMS]), rest, b]


def test_a_hidden_neurons_delta_is_its_slope_times_the_error_from_above(records):
    record = records[5]
    n = record.focus
    j = int(np.argmax(record.activations[1][n]))
    lines = lines_of(record, Phase.BACKWARD, (1, j))
    outgoing = np.asarray(record.weights_before[1])[j]
    above = np.asarray(record.deltas[1])[n]
    products = outgoing * above
    assert term_values(lines)[:2] == [
        signed(number(p)) for p in sorted(products, key=lambda p: -abs(p))
    ]
    total = float(products.sum())
    slope = 1.0 if record.pre_activations[0][n, j] > 0 else 0.0  # ReLU′
    delta = float(record.deltas[0][n, j])
    assert math.isclose(slope * total, delta, abs_tol=1e-15)
    assert f"δ = {slope:g} × {factor(number(total))} = {number(delta)}" in text(lines)
    # ∂J/∂w of the incoming weight that learns most: the batch mean of x·δ.
    gradients = np.asarray(record.weight_gradients[0])[:, j]
    i = int(np.argmax(np.abs(gradients)))
    mean = float(np.mean(record.inputs[:, i] * record.deltas[0][:, j]))
    assert math.isclose(mean, gradients[i], rel_tol=1e-12)
    assert f"∂J/∂w{_sub(i + 1)} = batch mean of x{_sub(i + 1)}·δ" in text(lines)
    assert f"= {number(gradients[i])}" in text(lines)
    bias_gradient = float(np.mean(record.deltas[0][:, j]))
    assert f"∂J/∂b = mean of δ = {number(bias_gradient)}" in text(lines)


@pytest.mark.parametrize(
    "overrides",
    [
        [],
        ["network.loss=mse"],
        ["network.sizes=[64,16,1]", "network.output=sigmoid"],
        ["network.sizes=[64,16,1]", "network.output=sigmoid", "network.loss=mse"],
    ],
    ids=["softmax-ce", "softmax-mse", "sigmoid-ce", "sigmoid-mse"],
)
def test_the_output_delta_is_the_configured_form_with_the_records_numbers(overrides):
    record = record_of(*overrides)
    n, k = record.focus, 0
    lines = text(lines_of(record, Phase.BACKWARD, (2, k)))
    p = float(record.activations[2][n, k])
    label = int(record.labels[n])
    y = float(label if record.output == "sigmoid" else label == k)
    delta = float(record.deltas[1][n, k])
    if record.loss_name == "cross_entropy":
        assert math.isclose(p - y, delta, abs_tol=1e-15)
        assert f"= {number(p)} − {y:g} = {number(delta)}" in lines
    elif record.output == "sigmoid":
        assert math.isclose(2 * (p - y) * p * (1 - p), delta, abs_tol=1e-15)
        assert f"= 2 × {factor(number(p - y))} × {number(p)} × {number(1 - p)}" in lines
    else:
        probabilities = np.asarray(record.activations[2])[n]
        g = 2 * (probabilities - (np.arange(len(probabilities)) == label))
        weighted = float(g @ probabilities)
        assert math.isclose(p * (g[k] - weighted), delta, abs_tol=1e-15)
        assert f"g = 2 × {factor(number(p - y))} = {number(g[k])}" in lines
    assert number(delta) in lines
    assert f"the true class is {record.class_names[label]}: y = {y:g}" in lines


def test_the_update_moves_the_weight_by_the_learning_rate_times_its_gradient(records):
    record = records[5]
    j = int(np.argmax(record.activations[1][record.focus]))
    lines = text(lines_of(record, Phase.UPDATE, (1, j)))
    gradients = np.asarray(record.weight_gradients[0])[:, j]
    i = int(np.argmax(np.abs(gradients)))
    before, after = record.weights_before[0][i, j], record.weights_after[0][i, j]
    step = -record.learning_rate * gradients[i]
    assert math.isclose(before + step, after, abs_tol=1e-15)
    assert f"Δw{_sub(i + 1)} = −{record.learning_rate:g} × {factor(number(gradients[i]))}" in lines
    assert f"= {number(step)}" in lines
    places = max(3, math.ceil(-math.log10(abs(step))) + 2)
    assert f"w{_sub(i + 1)}: {before:.{places}f} → {after:.{places}f}".replace("-", "−") in lines
    assert "w ← w − η·∂J/∂w" in lines


def test_with_momentum_the_velocity_carries_the_previous_batches_step():
    previous, record = record_of("training.momentum=0.9", momentum_pair=True)
    j = int(np.argmax(record.activations[1][record.focus]))
    lines = text(lines_of(record, Phase.UPDATE, (1, j)))
    i = int(np.argmax(np.abs(record.weight_gradients[0][:, j])))
    rate, mu = record.learning_rate, record.momentum
    # The previous record's update was Δw = −η·vₚᵣₑᵥ: its velocity, read independently.
    v_prev = -(previous.weights_after[0][i, j] - previous.weights_before[0][i, j]) / rate
    v = record.weight_gradients[0][i, j] + mu * v_prev
    change = record.weights_after[0][i, j] - record.weights_before[0][i, j]
    assert math.isclose(-rate * v, change, rel_tol=1e-9)
    assert f"+ {mu:g} × {factor(number(v_prev))} = {number(v)}" in lines
    assert f"× {factor(number(v))} = {number(change)}" in lines
    assert "v = ∂J/∂w + μ·vₚᵣₑᵥ" in lines


def test_l2_adds_lambda_w_to_the_gradient():
    record = record_of("training.l2=0.01")
    j = int(np.argmax(record.activations[1][record.focus]))
    lines = text(lines_of(record, Phase.BACKWARD, (1, j)))
    i = int(np.argmax(np.abs(record.weight_gradients[0][:, j])))
    mean = float(np.mean(record.inputs[:, i] * record.deltas[0][:, j]))
    weight = float(record.weights_before[0][i, j])
    gradient = float(record.weight_gradients[0][i, j])
    assert math.isclose(mean + 0.01 * weight, gradient, rel_tol=1e-12)
    assert f"= {number(mean)} + {number(0.01)} × {factor(number(weight))} = {number(gradient)}" in (
        lines
    )


def test_batch_norm_and_dropout_are_said_step_by_step_with_the_batchs_statistics():
    record = record_of("network.batch_norm=true", "network.dropout=0.3")
    n = record.focus
    j = int(np.argmax(record.activations[1][n]))
    forward = text(lines_of(record, Phase.FORWARD, (1, j)))
    z = float(record.pre_activations[0][n, j])
    mean, var = float(record.batch_means[0][j]), float(record.batch_variances[0][j])
    assert math.isclose(mean, np.mean(record.pre_activations[0][:, j]), abs_tol=1e-12)
    xhat = (z - mean) / math.sqrt(var + EPS)
    assert math.isclose(xhat, record.normalised[0][n, j], abs_tol=1e-12)
    gamma, beta = float(record.params_before["gamma1"][j]), float(record.params_before["beta1"][j])
    u = gamma * xhat + beta
    assert f"= ({number(z)} − {factor(number(mean))}) / {number(math.sqrt(var + EPS))}" in forward
    assert f"= {number(gamma)} × {factor(number(xhat))} + {factor(number(beta))} = {number(u)}" in (
        forward
    )
    h = max(u, 0.0)
    a = float(record.activations[1][n, j])
    kept = bool(record.dropout_masks[0][n, j])
    assert math.isclose(h * kept / 0.7, a, abs_tol=1e-12)
    assert f"h = ReLU(u) = max(0, {number(u)}) = {number(h)}" in forward
    assert "a = z" not in forward and "a = ReLU(z)" not in forward  # never f(z) with BatchNorm
    if kept:
        assert f"a = {number(h)} / {number(0.7)} = {number(a)}" in forward
    # Backward: δ through Dropout, φ′ and BatchNorm's batch statistics.
    backward = text(lines_of(record, Phase.BACKWARD, (1, j)))
    error = record.deltas[1] @ record.weights_before[1][j]  # ∂ℓ/∂a, every image
    u_all = record.activation_inputs[0][:, j]
    g = (u_all > 0) * record.dropout_masks[0][:, j] / 0.7 * error
    xhat_all = record.normalised[0][:, j]
    ratio = gamma / math.sqrt(var + EPS)
    inner = g[n] - g.mean() - xhat_all[n] * np.mean(g * xhat_all)
    delta = float(record.deltas[0][n, j])
    assert math.isclose(ratio * inner, delta, rel_tol=1e-9, abs_tol=1e-15)
    assert f"g − ḡ − x̂·mean(g·x̂) = {number(inner)}" in backward
    assert f"δ = {number(ratio)} × {factor(number(inner))} = {number(delta)}" in backward


def test_a_chosen_neuron_is_explained_and_an_input_falls_back_to_the_strongest(records):
    record = records[2]
    strongest = (1, int(np.argmax(record.activations[1][record.focus])))
    assert explained_neuron(record, (2, 1)) == (2, 1)
    assert explained_neuron(record, (0, 12)) == strongest  # a pixel has no equations
    assert explained_neuron(record, (1, 99)) == strongest  # not in this network
    shown = explain(record, Phase.FORWARD, (2, 1), chosen=True, words=ENGLISH)
    assert shown.title == "Output: square · forward pass"
    assert "pointed at" in shown.subtitle
    assert (
        "strongest"
        in explain(record, Phase.WAITING, strongest, chosen=False, words=ENGLISH).subtitle
    )


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


@pytest.mark.parametrize(
    ("phase", "early", "late"), [(Phase.FORWARD, 0.05, 0.9), (Phase.BACKWARD, 0.05, 0.95)]
)
def test_the_card_tells_no_more_than_the_picture(records, phase, early, late):
    """Before the pass on screen reaches the hidden neuron, its formulas and no numbers;
    once it has, its numbers (the inspector's rule, ``reached``)."""
    from conftest import make_frame

    from visualizer.hud.history import ShowHistory
    from visualizer.hud.layout import hud_layout
    from visualizer.hud.model import Interaction, build_hud

    record = records[3]
    shown = []
    for progress in (early, late):
        frame = make_frame(record, phase, progress)
        content, _ = build_hud(
            frame,
            hud_layout((1280, 720)),
            ShowHistory(),
            Interaction(explain=True, chosen=(1, 0)),
            (1.0,),
            False,
        )
        shown.append(content.explanation.lines)
    before, after = shown
    assert [line.style for line in before[:-1]] == [Style.FORMULA] * (len(before) - 1)
    assert before[-1].style is Style.NOTE and "gets here" in before[-1].text
    written = "".join(line.text + line.value for line in before)
    assert not any(c in "0123456789" for c in written)  # no numbers (a subscript is a name)
    assert any(line.style is not Style.FORMULA for line in after[:-1])
    assert [line.text for line in after if line.style is Style.FORMULA] == [
        line.text for line in before[:-1]
    ]
