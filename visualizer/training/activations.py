"""The non-linearities, computed in place into preallocated arrays.

Contract: ``HIDDEN[name]`` is (φ(z) → out, φ'(z) → out given z and a = φ(z)) for the hidden
activations ``relu | sigmoid | tanh``; ``sigmoid`` and ``softmax`` are the outputs'.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from visualizer.training.buffers import BatchBuffers


def relu(z: np.ndarray, out: np.ndarray) -> None:
    np.maximum(z, 0.0, out=out)


def relu_derivative(z: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    # The derivative at exactly 0 is taken as 0, the subgradient PyTorch uses too.
    np.greater(z, 0.0, out=out)


def sigmoid_derivative(z: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    np.subtract(1.0, a, out=out)
    out *= a


def tanh(z: np.ndarray, out: np.ndarray) -> None:
    np.tanh(z, out=out)


def tanh_derivative(z: np.ndarray, a: np.ndarray, out: np.ndarray) -> None:
    np.multiply(a, a, out=out)
    np.subtract(1.0, out, out=out)


def sigmoid(z: np.ndarray, out: np.ndarray) -> None:
    # e^{-z} overflows to inf for z < −709 and 1/(1+inf) is the correct 0: silence that only.
    with np.errstate(over="ignore"):
        np.negative(z, out=out)
        np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)


def softmax(z: np.ndarray, buffers: BatchBuffers, out: np.ndarray) -> None:
    """Row softmax of s = z − max(z); leaves s and Σexp(s) in ``buffers`` for the loss."""
    first, second, *rest = buffers.logit_columns
    row_max = buffers.row_max
    np.maximum(first, second, out=row_max)
    for column in rest:
        np.maximum(row_max, column, out=row_max)
    np.subtract(z, row_max, out=buffers.shifted)
    np.exp(buffers.shifted, out=out)
    np.dot(out, buffers.ones_out, out=buffers.row_sum)
    out /= buffers.row_sum


Activation = Callable[[np.ndarray, np.ndarray], None]
Derivative = Callable[[np.ndarray, np.ndarray, np.ndarray], None]

# Each hidden activation φ as (φ(z) → out, φ'(z) → out given z and a = φ(z)).
HIDDEN: dict[str, tuple[Activation, Derivative]] = {
    "relu": (relu, relu_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
}
