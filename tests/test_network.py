"""The network's maths: finite-difference checks, the seed's worked example, the contract,
and seed 004's BatchNorm and Dropout against an independent implementation."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from visualizer.training.network import HIDDEN_ACTIVATIONS, LOSSES, MLP, OUTPUTS
from visualizer.training.optimizer import SGD
from visualizer.training.parameters import bias_key

STEP = 1e-5
EPS = 1e-5  # BatchNorm's, as PyTorch's BatchNorm1d

# Seed 004's layers in a hidden layer, as (batch_norm, dropout).
LAYERS = {
    "plain": (False, 0.0),
    "bn": (True, 0.0),
    "dropout": (False, 0.3),
    "bn+dropout": (True, 0.3),
}

Masks = list[np.ndarray] | None


def _masks(net: MLP, rng: np.random.Generator, size: int) -> Masks:
    """Fixed Dropout masks for a batch (1 kept, 0 dropped), or None without Dropout."""
    if not net.dropout:
        return None
    return [(rng.random((size, n)) >= net.dropout).astype(float) for n in net.sizes[1:-1]]


def _batch(
    net: MLP, rng: np.random.Generator, size: int = 7
) -> tuple[np.ndarray, np.ndarray, Masks]:
    """Inputs, labels and masks whose hidden activations' inputs all stay clear of ReLU's
    kink at 0 (with BatchNorm, what φ receives is γ·x̂ + β of the training pass).

    A central difference across the kink measures the average of two slopes, not the
    derivative, so data that puts some input of φ within a few steps of 0 is drawn again.
    """
    for _ in range(100):
        X = rng.normal(size=(size, net.sizes[0]))
        y = rng.integers(0, net.class_count, size)
        masks = _masks(net, rng, size)
        net.loss_and_grads(X, y, masks)
        if all(np.abs(u).min() > 1e-3 for u in net.buffers(size).activation_inputs):
            return X, y, masks
    raise AssertionError("could not draw a batch away from the ReLU kink")


def _finite_difference_errors(
    net: MLP, X: np.ndarray, y: np.ndarray, masks: Masks = None
) -> dict[str, float]:
    """Per parameter, the largest relative error of ∂J/∂θ against central differences.

    The bias of a layer with BatchNorm has ∂J/∂b = 0 exactly (the batch mean takes it
    away): there a relative error would compare rounding noise, so its error is the
    absolute size of both, which must be as small.
    """
    _, grads = net.loss_and_grads(X, y, masks)
    cancelled = {bias_key(gap) for gap in range(net.layer_count - 1)} if net.batch_norm else ()
    errors = {}
    for key, param in net.params.items():
        numeric = np.empty_like(param)
        for index in np.ndindex(param.shape):
            original = param[index]
            param[index] = original + STEP
            plus, _ = net.loss_and_grads(X, y, masks)
            param[index] = original - STEP
            minus, _ = net.loss_and_grads(X, y, masks)
            param[index] = original
            numeric[index] = (plus - minus) / (2 * STEP)
        if key in cancelled:
            errors[key] = float(np.max(np.abs(numeric) + np.abs(grads[key])))
            continue
        # Relative error with an absolute floor, so near-zero gradients do not divide by ~0.
        scale = np.maximum(np.abs(numeric) + np.abs(grads[key]), 1e-6)
        errors[key] = float(np.max(np.abs(numeric - grads[key]) / scale))
    return errors


@pytest.mark.parametrize(
    ("activation", "output", "loss", "l2", "layers"),
    list(itertools.product(HIDDEN_ACTIVATIONS, OUTPUTS, LOSSES, (0.0, 0.05), LAYERS)),
)
def test_gradients_match_central_finite_differences(activation, output, loss, l2, layers):
    # Two hidden layers, so δ also travels from one hidden layer to another (through
    # Dropout's mask, φ′ and BatchNorm's batch statistics when the layer has them).
    sizes = (5, 4, 3, 3) if output == "softmax" else (5, 4, 3, 1)
    batch_norm, dropout = LAYERS[layers]
    net = MLP(sizes, activation, output, l2, 7, loss, batch_norm=batch_norm, dropout=dropout)
    if batch_norm:  # away from γ = 1, β = 0, so that a slip between them would show
        rng = np.random.default_rng(3)
        for gap in range(net.layer_count - 1):
            net.params[f"gamma{gap + 1}"] = rng.uniform(0.5, 1.5, sizes[gap + 1])
            net.params[f"beta{gap + 1}"] = rng.normal(0.0, 0.5, sizes[gap + 1])
    X, y, masks = _batch(net, np.random.default_rng(11))
    errors = _finite_difference_errors(net, X, y, masks)
    assert max(errors.values()) < 1e-5, errors


@pytest.mark.parametrize("loss", LOSSES)
def test_a_ten_class_softmax_is_exact_and_its_gradients_match_finite_differences(loss):
    # The softmax takes its row maximum column by column (network._softmax): all ten count.
    net = MLP((4, 6, 10), "tanh", "softmax", l2=0.01, seed=3, loss=loss)
    X, y, _ = _batch(net, np.random.default_rng(5), size=12)
    z = net.forward(X).pre_activations[-1]
    expected = np.exp(z - z.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.allclose(net.predict_proba(X), expected, rtol=0, atol=1e-15)
    assert max(_finite_difference_errors(net, X, y).values()) < 1e-5


def test_the_default_network_has_1074_parameters_in_the_contracted_shapes():
    net = MLP()
    shapes = {key: value.shape for key, value in net.params.items()}
    assert shapes == {"W1": (64, 16), "b1": (16,), "W2": (16, 2), "b2": (2,)}
    assert net.parameter_count == 1074


def test_params_are_writable_in_place_and_assignment_copies_into_the_same_array():
    net = MLP((3, 2, 2), seed=0)
    W1 = net.params["W1"]
    net.params["W1"][0, 0] = 5.0
    net.params["W1"] = np.ones((3, 2))
    assert net.params["W1"] is W1 and np.all(W1 == 1.0)
    assert np.all(net.flat_params[:6] == 1.0)  # the flat vector the optimizer updates
    with pytest.raises(ValueError, match="shape"):
        net.params["W1"] = np.ones((2, 3))


def test_forward_exposes_every_layers_z_and_a_consistent_with_X_at_W_plus_b():
    net = MLP((4, 3, 2), "tanh", "softmax", seed=1)
    X = np.random.default_rng(0).normal(size=(5, 4))
    forward = net.forward(X)
    z1 = X @ net.params["W1"] + net.params["b1"]
    a1 = np.tanh(z1)
    z2 = a1 @ net.params["W2"] + net.params["b2"]
    assert np.allclose(forward.pre_activations[0], z1)
    assert np.allclose(forward.activations[1], a1)
    assert np.allclose(forward.pre_activations[1], z2)
    expected = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    assert np.allclose(forward.probabilities, expected)
    assert np.array_equal(forward.activations[0], X)


def test_loss_is_the_batch_mean_cross_entropy_plus_half_lambda_times_squared_weights():
    net = MLP((4, 3, 2), "relu", "softmax", l2=0.3, seed=2)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(6, 4)), rng.integers(0, 2, 6)
    p = net.predict_proba(X)
    cross_entropy = -np.mean(np.log(p[np.arange(6), y]))
    penalty = 0.15 * (np.sum(net.params["W1"] ** 2) + np.sum(net.params["W2"] ** 2))
    loss, _ = net.loss_and_grads(X, y)
    assert loss == pytest.approx(cross_entropy + penalty, rel=1e-12)


def test_softmax_and_sigmoid_losses_stay_finite_for_huge_logits():
    # Logits of ±4800 overflow exp() in a naive implementation; the true loss is ~4800.
    for output, W2 in (("softmax", [[800.0, -800.0]] * 2), ("sigmoid", [[-800.0]] * 2)):
        net = MLP((2, 2, len(W2[0])), "relu", output, seed=0)
        net.params["W1"] = np.eye(2)
        net.params["W2"] = np.array(W2)
        loss, grads = net.loss_and_grads(np.array([[3.0, 3.0]]), np.array([1]))
        assert loss == pytest.approx(4800.0 * (2 if output == "softmax" else 1), rel=1e-9)
        assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_sigmoid_output_is_binary_cross_entropy():
    net = MLP((3, 4, 1), "sigmoid", "sigmoid", seed=4)
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(5, 3)), rng.integers(0, 2, 5)
    p = net.forward(X).activations[-1][:, 0]
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert net.loss_and_grads(X, y)[0] == pytest.approx(expected, rel=1e-12)
    assert np.allclose(net.predict_proba(X).sum(axis=1), 1.0)


def test_mse_is_the_batch_mean_of_squared_errors_against_one_hot_labels_plus_l2():
    rng = np.random.default_rng(3)
    for sizes, output in (((4, 3, 5), "softmax"), ((4, 3, 1), "sigmoid")):
        net = MLP(sizes, "relu", output, l2=0.2, seed=2, loss="mse")
        X, y = rng.normal(size=(6, 4)), rng.integers(0, net.class_count, 6)
        p = net.forward(X).activations[-1]
        target = np.eye(sizes[-1])[y] if output == "softmax" else y[:, None]
        squared_error = np.mean(np.sum((p - target) ** 2, axis=1))  # no ½, as seed 002
        penalty = 0.1 * (np.sum(net.params["W1"] ** 2) + np.sum(net.params["W2"] ** 2))
        assert net.loss_and_grads(X, y)[0] == pytest.approx(squared_error + penalty, rel=1e-12)
        assert net.last_data_loss == pytest.approx(squared_error, rel=1e-12)
        assert net.evaluate(X, y).loss == pytest.approx(squared_error, rel=1e-12)


def test_mse_stays_finite_for_huge_logits_and_is_bounded_by_two():
    # Saturated outputs: the squared error is at most 2 (softmax) or 1 (sigmoid).
    for output, W2, worst in (
        ("softmax", [[800.0, -800.0]] * 2, 2.0),
        ("sigmoid", [[-800.0]] * 2, 1.0),
    ):
        net = MLP((2, 2, len(W2[0])), "relu", output, seed=0, loss="mse")
        net.params["W1"] = np.eye(2)
        net.params["W2"] = np.array(W2)
        loss, grads = net.loss_and_grads(np.array([[3.0, 3.0]]), np.array([1]))
        assert loss == pytest.approx(worst, rel=1e-12)
        assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_the_same_seed_gives_the_same_weights_and_a_generator_is_accepted():
    assert np.array_equal(MLP(seed=5).flat_params, MLP(seed=5).flat_params)
    assert not np.array_equal(MLP(seed=5).flat_params, MLP(seed=6).flat_params)
    a = MLP(seed=np.random.default_rng(9)).flat_params
    assert np.array_equal(a, MLP(seed=np.random.default_rng(9)).flat_params)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hidden_activation": "gelu"}, "hidden_activation"),
        ({"output": "linear"}, "output"),
        ({"loss": "hinge"}, "loss must be one of cross_entropy, mse"),
        ({"output": "sigmoid"}, "exactly one unit"),
        ({"sizes": (64,)}, "at least two"),
        ({"l2": -1.0}, "l2"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        MLP(**kwargs)


def test_bad_inputs_and_labels_are_refused_by_the_public_api():
    net = MLP()
    with pytest.raises(ValueError, match="shape"):
        net.loss_and_grads(np.zeros((2, 63)), np.array([0, 1]))
    with pytest.raises(ValueError, match=r"0\.\.1"):
        net.loss_and_grads(np.zeros((2, 64)), np.array([0, 2]))


# ------------------------------------------------------------------ seed 002's XOR network


def test_mse_through_one_sigmoid_unit_reproduces_seed_002_on_xor():
    """Seed 002's 2-4-1 sigmoid network on the XOR points, its backward pass in plain numpy.

    The seed's layout is ours ((fan_in, fan_out), biases as rows) and its output error
    ``2·(ŷ − y) / N`` is the derivative of its ``np.mean((y − ŷ)**2)``, which is our J:
    the gradients must agree, and our per-sample δ is N times its ``output_delta``.
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    rng = np.random.default_rng(2)
    weights_input_hidden, weights_hidden_output = rng.normal(size=(2, 4)), rng.normal(size=(4, 1))
    bias_hidden, bias_output = rng.normal(size=(1, 4)), rng.normal(size=(1, 1))

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    def sigmoid_derivative(x):
        return x * (1 - x)

    hidden_layer_output = sigmoid(X @ weights_input_hidden + bias_hidden)
    predicted_output = sigmoid(hidden_layer_output @ weights_hidden_output + bias_output)
    error = np.mean((y - predicted_output) ** 2)
    output_error = 2 * (predicted_output - y) / y.shape[0]
    output_delta = output_error * sigmoid_derivative(predicted_output)
    hidden_error = np.dot(output_delta, weights_hidden_output.T)
    hidden_delta = hidden_error * sigmoid_derivative(hidden_layer_output)
    expected = {
        "W1": np.dot(X.T, hidden_delta),
        "b1": np.sum(hidden_delta, axis=0),
        "W2": np.dot(hidden_layer_output.T, output_delta),
        "b2": np.sum(output_delta, axis=0),
    }

    net = MLP((2, 4, 1), "sigmoid", "sigmoid", seed=0, loss="mse")
    net.params["W1"], net.params["b1"] = weights_input_hidden, bias_hidden[0]
    net.params["W2"], net.params["b2"] = weights_hidden_output, bias_output[0]
    loss, grads = net.loss_and_grads(X, y[:, 0])
    assert loss == pytest.approx(error, rel=1e-12)
    for key, gradient in expected.items():
        assert np.allclose(grads[key], gradient, rtol=1e-12, atol=0), key
    assert np.allclose(net.buffers(4).delta[-1], 4 * output_delta, rtol=1e-12, atol=0)
    assert np.allclose(net.buffers(4).delta[0], 4 * hidden_delta, rtol=1e-12, atol=0)


# ------------------------------------------------------------------ seed 003's example


def test_worked_example_of_seed_003_recomputed_independently():
    """The 2-2-1 sigmoid network of seeds/003_*, checked against scalar arithmetic.

    The seed's forward pass slips at the output: 0.5·0.6248 + 0.6·0.7540 + 0.05 is
    0.8148, not the printed 0.854, and every number after it moves (ŷ 0.6931, not
    0.701; loss 0.3665, not 0.355). docs/maths.md lists the corrected values.
    """
    net = MLP((2, 2, 1), "sigmoid", "sigmoid", seed=0)
    # The seed writes z = W x + b (W is out × in); our W is in × out, so transpose.
    net.params["W1"] = np.array([[0.1, 0.2], [0.3, 0.4]]).T
    net.params["b1"] = np.array([0.01, 0.02])
    net.params["W2"] = np.array([[0.5], [0.6]])
    net.params["b2"] = np.array([0.05])
    x, y = np.array([[1.0, 2.0]]), np.array([1])

    def sigmoid(v: float) -> float:
        return 1.0 / (1.0 + math.exp(-v))

    z1 = [0.1 * 1 + 0.2 * 2 + 0.01, 0.3 * 1 + 0.4 * 2 + 0.02]
    a1 = [sigmoid(v) for v in z1]
    z2 = 0.5 * a1[0] + 0.6 * a1[1] + 0.05
    y_hat = sigmoid(z2)
    delta2 = y_hat - 1.0
    delta1 = [w * delta2 * a * (1 - a) for w, a in zip((0.5, 0.6), a1)]

    forward = net.forward(x)
    assert forward.pre_activations[0][0] == pytest.approx(z1, abs=1e-12)
    assert forward.activations[1][0] == pytest.approx(a1, abs=1e-12)
    assert forward.pre_activations[1][0, 0] == pytest.approx(z2, abs=1e-12)
    assert z2 == pytest.approx(0.8148, abs=1e-4)  # the seed prints 0.854
    assert y_hat == pytest.approx(0.6931, abs=1e-4)  # the seed prints 0.701

    loss, grads = net.loss_and_grads(x, y)
    assert loss == pytest.approx(-math.log(y_hat), abs=1e-12)
    assert loss == pytest.approx(0.3665, abs=1e-4)  # the seed prints 0.355
    assert grads["W2"][:, 0] == pytest.approx([delta2 * a for a in a1], abs=1e-12)
    assert grads["b2"][0] == pytest.approx(delta2, abs=1e-12)
    assert net.buffers(1).delta[0][0] == pytest.approx(delta1, abs=1e-12)
    # ∂L/∂W1 = δ1 xᵀ in the seed's layout, i.e. x δ1ᵀ in ours.
    assert grads["W1"] == pytest.approx(np.outer([1.0, 2.0], delta1), abs=1e-12)
    assert grads["b1"] == pytest.approx(delta1, abs=1e-12)

    # The update with η = 0.1, then the seed's "forward pass 2".
    SGD(net.parameter_count, learning_rate=0.1).step(net.flat_params, net.flat_grads)
    expected_W2 = [w - 0.1 * delta2 * a for w, a in zip((0.5, 0.6), a1)]
    assert net.params["W2"][:, 0] == pytest.approx(expected_W2, abs=1e-12)
    assert expected_W2 == pytest.approx([0.5192, 0.6231], abs=1e-4)
    assert net.params["b2"][0] == pytest.approx(0.05 - 0.1 * delta2)
    W1 = [[0.1, 0.2], [0.3, 0.4]]  # the seed's layout: row j feeds hidden unit j
    new_W1 = [
        [W1[j][i] - 0.1 * delta1[j] * x_i for i, x_i in enumerate((1.0, 2.0))] for j in (0, 1)
    ]
    new_b1 = [b - 0.1 * d for b, d in zip((0.01, 0.02), delta1)]
    new_a1 = [sigmoid(w[0] * 1 + w[1] * 2 + b) for w, b in zip(new_W1, new_b1)]
    new_z2 = sum(w * a for w, a in zip(expected_W2, new_a1)) + 0.05 - 0.1 * delta2
    new_loss, _ = net.loss_and_grads(x, y)
    assert new_loss == pytest.approx(-math.log(sigmoid(new_z2)), abs=1e-12)
    assert new_loss < loss
    assert new_loss == pytest.approx(0.3470, abs=1e-4)  # the seed prints 0.350


def test_sgd_with_momentum_accumulates_velocity():
    params, grads = np.zeros(3), np.array([1.0, -2.0, 0.5])
    sgd = SGD(3, learning_rate=0.1, momentum=0.5)
    sgd.step(params, grads)
    assert params == pytest.approx(-0.1 * grads)
    sgd.step(params, grads)  # v = 0.5·g + g
    assert params == pytest.approx(-0.1 * grads - 0.15 * grads)


# ------------------------------------------------------------------ seed 004's layers


def _textbook_pass(params, running, X, y, masks, p, l2):
    """Linear → BatchNorm → ReLU → Dropout (twice) → Linear → softmax + cross-entropy,
    forward and backward with whole-array numpy and BatchNorm's staged backward of Ioffe &
    Szegedy (through σ², then μ), independent of the network's one-line form."""
    B = len(X)
    a, cache, stats = X, [], {}
    for layer in (1, 2):
        W, b = params[f"W{layer}"], params[f"b{layer}"]
        gamma, beta = params[f"gamma{layer}"], params[f"beta{layer}"]
        z = a @ W + b
        mu, var = z.mean(axis=0), z.var(axis=0)
        xhat = (z - mu) / np.sqrt(var + EPS)
        u = gamma * xhat + beta
        h = np.maximum(u, 0.0)
        stats[f"running_mean{layer}"] = 0.9 * running[f"running_mean{layer}"] + 0.1 * mu
        stats[f"running_var{layer}"] = 0.9 * running[f"running_var{layer}"] + 0.1 * z.var(
            axis=0, ddof=1
        )
        cache.append((a, z, mu, var, xhat, u))
        a = h * masks[layer - 1] / (1 - p)
    logits = a @ params["W3"] + params["b3"]
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    weights = sum(np.sum(params[f"W{layer}"] ** 2) for layer in (1, 2, 3))
    loss = -np.mean(np.log(probs[np.arange(B), y])) + l2 / 2 * weights

    grads = {}
    dz = (probs - np.eye(probs.shape[1])[y]) / B
    grads["W3"], grads["b3"] = a.T @ dz + l2 * params["W3"], dz.sum(axis=0)
    da = dz @ params["W3"].T
    for layer in (2, 1):
        a_in, z, mu, var, xhat, u = cache[layer - 1]
        du = da * masks[layer - 1] / (1 - p) * (u > 0)
        grads[f"gamma{layer}"], grads[f"beta{layer}"] = (du * xhat).sum(axis=0), du.sum(axis=0)
        dxhat = du * params[f"gamma{layer}"]
        dvar = np.sum(dxhat * (z - mu), axis=0) * -0.5 * (var + EPS) ** -1.5
        dmu = -np.sum(dxhat, axis=0) / np.sqrt(var + EPS) + dvar * np.mean(-2 * (z - mu), axis=0)
        dz = dxhat / np.sqrt(var + EPS) + dvar * 2 * (z - mu) / B + dmu / B
        grads[f"W{layer}"] = a_in.T @ dz + l2 * params[f"W{layer}"]
        grads[f"b{layer}"] = dz.sum(axis=0)
        da = dz @ params[f"W{layer}"].T
    return loss, grads, stats, cache


def test_batchnorm_and_dropout_match_an_independent_numpy_implementation():
    p, l2, batch = 0.25, 0.02, 9
    net = MLP((6, 5, 4, 3), "relu", "softmax", l2, seed=3, batch_norm=True, dropout=p)
    rng = np.random.default_rng(0)
    for key in net.params:  # biases, γ and β away from their starting values
        if not key.startswith("W"):
            net.params[key] = rng.normal(size=net.params[key].shape)
    for gap in (1, 2):  # and running statistics that have moved before
        net.running_stats[f"running_mean{gap}"] = rng.normal(size=net.sizes[gap])
        net.running_stats[f"running_var{gap}"] = rng.uniform(0.5, 2.0, net.sizes[gap])
    params = {key: value.copy() for key, value in net.params.items()}
    running = {key: value.copy() for key, value in net.running_stats.items()}
    X, y = rng.normal(size=(batch, 6)), rng.integers(0, 3, batch)
    masks = [(rng.random((batch, n)) >= p).astype(float) for n in (5, 4)]

    loss, grads = net.loss_and_grads(X, y, masks)
    expected_loss, expected_grads, expected_running, cache = _textbook_pass(
        params, running, X, y, masks, p, l2
    )
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    assert grads.keys() == expected_grads.keys()
    for key, gradient in expected_grads.items():
        assert np.allclose(grads[key], gradient, rtol=1e-9, atol=1e-13), key
    for key, value in expected_running.items():
        assert np.allclose(net.running_stats[key], value, rtol=1e-12, atol=0), key
    buffers = net.buffers(batch)
    for layer, (_, z, mu, var, xhat, u) in enumerate(cache):
        assert np.allclose(buffers.z[layer], z, rtol=1e-12, atol=1e-14)
        assert np.allclose(buffers.batch_mean[layer], mu, rtol=1e-12, atol=1e-14)
        assert np.allclose(buffers.batch_var[layer], var, rtol=1e-12, atol=1e-14)
        assert np.allclose(buffers.normalised[layer], xhat, rtol=1e-10, atol=1e-13)
        assert np.allclose(buffers.activation_inputs[layer], u, rtol=1e-10, atol=1e-13)
        assert np.array_equal(buffers.masks[layer], masks[layer])

    # Evaluation mode: the running statistics, nothing dropped; the statistics stay put.
    new = rng.normal(size=(4, 6))
    a = new
    for layer in (1, 2):
        z = a @ params[f"W{layer}"] + params[f"b{layer}"]
        xhat = (z - expected_running[f"running_mean{layer}"]) / np.sqrt(
            expected_running[f"running_var{layer}"] + EPS
        )
        a = np.maximum(params[f"gamma{layer}"] * xhat + params[f"beta{layer}"], 0.0)
    logits = a @ params["W3"] + params["b3"]
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert np.allclose(net.predict_proba(new), expected, rtol=1e-12, atol=1e-15)
    assert np.allclose(net.forward(new, train=False).activations[2], a, rtol=1e-12, atol=1e-15)
    for key, value in expected_running.items():
        assert np.allclose(net.running_stats[key], value, rtol=1e-12, atol=0), key


def test_dropout_keeps_a_unit_whose_uniform_draw_is_at_least_p_and_scales_it_by_1_over_1_minus_p():
    X = np.random.default_rng(0).normal(size=(200, 4))
    net = MLP((4, 50, 2), "relu", "softmax", dropout=0.25, dropout_rng=np.random.default_rng(3))
    undropped = net.forward(X).activations[1]  # evaluation mode: nothing dropped
    draws = np.random.default_rng(3).random((2, 200, 50))

    for draw in draws:  # a fresh mask every pass, in the Generator's order
        kept = draw >= 0.25
        dropped_out = net.forward(X, train=True).activations[1]
        assert np.array_equal(net.buffers(200).masks[0], kept)
        expected = np.where(kept, undropped / 0.75, 0.0)
        assert np.allclose(dropped_out, expected, rtol=1e-15, atol=0)
        assert np.mean(~kept) == pytest.approx(0.25, abs=0.02)
    assert not np.array_equal(draws[0] >= 0.25, draws[1] >= 0.25)


def test_a_seed_fixes_the_dropout_masks_and_dropout_leaves_the_seeds_weights_alone():
    X, y = np.random.default_rng(0).normal(size=(8, 5)), np.arange(8) % 2
    first, second = (MLP((5, 6, 2), seed=4, dropout=0.5) for _ in range(2))
    assert np.array_equal(first.loss_and_grads(X, y)[1]["W1"], second.loss_and_grads(X, y)[1]["W1"])
    assert np.array_equal(first.buffers(8).masks[0], second.buffers(8).masks[0])
    assert np.array_equal(first.flat_params, MLP((5, 6, 2), seed=4).flat_params)


def test_evaluation_mode_neither_drops_nor_moves_the_running_statistics_nor_draws_masks():
    net = MLP((5, 4, 3), "tanh", "softmax", seed=2, batch_norm=True, dropout=0.5)
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(6, 5)), rng.integers(0, 3, 6)
    net.loss_and_grads(X, y)
    running, generator = net.flat_running_stats.copy(), net.dropout_rng.bit_generator.state
    first = net.predict_proba(X)
    assert np.array_equal(net.evaluate(X, y).probabilities, first)
    assert np.array_equal(net.forward(X).probabilities, first)
    assert np.array_equal(net.flat_running_stats, running)
    assert net.dropout_rng.bit_generator.state == generator


def test_batchnorm_adds_gamma_and_beta_after_each_hidden_bias_and_they_are_not_decayed():
    net = MLP(batch_norm=True, l2=0.5)
    assert list(net.params) == ["W1", "b1", "gamma1", "beta1", "W2", "b2"]
    assert net.parameter_count == 1074 + 2 * 16
    assert np.all(net.params["gamma1"] == 1.0) and np.all(net.params["beta1"] == 0.0)
    assert list(net.running_stats) == ["running_mean1", "running_var1"]
    assert np.all(net.running_stats["running_mean1"] == 0.0)
    assert np.all(net.running_stats["running_var1"] == 1.0)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(5, 64)), rng.integers(0, 2, 5)
    net.params["gamma1"] = rng.uniform(0.5, 2.0, 16)
    loss, grads = net.loss_and_grads(X, y)
    weights = np.sum(net.params["W1"] ** 2) + np.sum(net.params["W2"] ** 2)
    assert loss == pytest.approx(net.last_data_loss + 0.25 * weights, rel=1e-12)
    net.l2 = 0.0
    _, undecayed = net.loss_and_grads(X, y)
    for key in ("gamma1", "beta1", "b1"):
        assert np.array_equal(grads[key], undecayed[key]), key


@pytest.mark.parametrize(
    ("kwargs", "call", "message"),
    [
        ({"dropout": 1.0}, None, r"dropout must lie in \[0, 1\)"),
        ({"dropout": -0.1}, None, r"dropout must lie in \[0, 1\)"),
        ({"batch_norm": True}, ("loss_and_grads", 1, None), "at least 2 samples"),
        ({}, ("loss_and_grads", 3, [np.ones((3, 4))]), "dropout > 0 only"),
        ({"dropout": 0.2}, ("forward", 3, [np.ones((3, 4))]), "dropout > 0 only"),  # evaluation
        ({"dropout": 0.2}, ("loss_and_grads", 3, [np.ones((4, 3))]), r"\[\(3, 4\)\]"),
        ({"dropout": 0.2}, ("loss_and_grads", 3, [np.full((3, 4), 0.5)]), "only 0"),
    ],
)
def test_bad_layer_arguments_say_what_is_wrong(kwargs, call, message):
    with pytest.raises(ValueError, match=message):
        net = MLP((2, 4, 2), **kwargs)
        method, batch, masks = call
        X, y = np.zeros((batch, 2)), np.zeros(batch, dtype=int)
        if method == "forward":
            net.forward(X, train=False, dropout_masks=masks)
        else:
            net.loss_and_grads(X, y, masks)
