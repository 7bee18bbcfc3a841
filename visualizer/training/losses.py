"""The output layer's losses: each (output, loss) pair, its value and its δ.

Contract: ``OUTPUT_LOSSES[(output, loss)](buffers, y)`` takes a forward pass's buffers and
the labels, returns Σℓ over the batch and leaves the output δ = ∂ℓ/∂z (per sample) in
``buffers.delta[-1]``. Cross-entropy is the default; the squared error is seed 002's,
ℓ = Σ_k (p_k − y_k)² without the ½ (docs/maths.md derives each δ).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from visualizer.training.buffers import BatchBuffers


def _softmax_cross_entropy(buffers: BatchBuffers, y: np.ndarray) -> float:
    # ℓ = log Σexp(s) − s_y with s = z − max(z), left behind by _softmax; δ = p − onehot(y).
    onehot = buffers.onehot
    np.equal(y[:, None], buffers.class_ids, out=onehot)
    np.subtract(buffers.a[-1], onehot, out=buffers.delta[-1])
    np.log(buffers.row_sum[:, 0], out=buffers.log_sum)
    return float(np.dot(buffers.log_sum, buffers.ones_batch) - np.vdot(buffers.shifted, onehot))


def _sigmoid_cross_entropy(buffers: BatchBuffers, y: np.ndarray) -> float:
    # Binary cross-entropy on the logit: ℓ = softplus(z) − y·z, stable for any z; δ = p − y.
    logits = buffers.z[-1][:, 0]
    total = np.dot(np.logaddexp(0.0, logits), buffers.ones_batch) - np.dot(y, logits)
    np.subtract(buffers.a[-1][:, 0], y, out=buffers.delta[-1][:, 0])
    return float(total)


def _softmax_squared_error(buffers: BatchBuffers, y: np.ndarray) -> float:
    # ℓ = Σ_k (p_k − y_k)²; through the softmax Jacobian ∂p_k/∂z_j = p_k(1[j=k] − p_j),
    # δ = p ⊙ (g − g·p) with g = 2(p − y) (the factor 2 taken out to the end).
    p, delta, error, row_dot = buffers.a[-1], buffers.delta[-1], buffers.error, buffers.row_dot
    np.equal(y[:, None], buffers.class_ids, out=buffers.onehot)
    np.subtract(p, buffers.onehot, out=error)
    total = np.vdot(error, error)
    np.multiply(p, error, out=delta)
    np.dot(delta, buffers.ones_out, out=row_dot)
    np.subtract(error, row_dot, out=error)
    np.multiply(p, error, out=delta)
    delta *= 2.0
    return float(total)


def _sigmoid_squared_error(buffers: BatchBuffers, y: np.ndarray) -> float:
    # ℓ = (p − y)²; through the sigmoid, δ = 2(p − y)·p(1 − p).
    p, delta, error = buffers.a[-1][:, 0], buffers.delta[-1][:, 0], buffers.error[:, 0]
    np.subtract(p, y, out=error)
    total = np.dot(error, error)
    np.subtract(1.0, p, out=delta)
    delta *= p
    delta *= error
    delta *= 2.0
    return float(total)


OutputLoss = Callable[[BatchBuffers, np.ndarray], float]

OUTPUT_LOSSES: dict[tuple[str, str], OutputLoss] = {
    ("softmax", "cross_entropy"): _softmax_cross_entropy,
    ("sigmoid", "cross_entropy"): _sigmoid_cross_entropy,
    ("softmax", "mse"): _softmax_squared_error,
    ("sigmoid", "mse"): _sigmoid_squared_error,
}
