"""BatchNorm and Dropout of one hidden layer, forward and backward, in place in a batch's buffers.

Contract (the conventions of PyTorch's ``BatchNorm1d`` and ``Dropout``, so results compare):

- ``normalise(z, …)`` computes x̂ = (z − μ)/√(σ² + ε) and γ·x̂ + β. In training μ and σ²
  are the batch's mean and biased variance (÷ B), and the running statistics move
  towards them: ``r ← (1 − m)·r + m·s`` with m = ``MOMENTUM`` and s the batch mean, or the
  *unbiased* batch variance (÷ (B − 1)). In evaluation μ and σ² are the running ones.
- ``normalise_backward`` turns ``∂ℓ/∂(γx̂ + β)`` into ``δ = ∂ℓ/∂z`` in place and writes the
  batch sums behind ∂J/∂γ and ∂J/∂β (docs/maths.md derives it).
- ``draw_masks`` draws a Dropout mask (1 kept with probability 1 − p, 0 dropped) and the
  mask scaled by 1/(1 − p) (inverted dropout), from the Generator it is given.

δ here is, as in ``network.py``, B·∂J/∂z: batch statistics tie the samples together, so
it is no longer one sample's own derivative, but ∂J/∂W = aᵀδ/B still holds.
"""

from __future__ import annotations

import numpy as np

from visualizer.training.buffers import BatchBuffers

EPS = 1e-5  # added to σ² before the square root
MOMENTUM = 0.1  # how far the running statistics move towards each batch's


def normalise(
    layer: int,
    buffers: BatchBuffers,
    scale_shift: np.ndarray,
    running: np.ndarray,
    train: bool,
) -> None:
    """BatchNorm of hidden layer ``layer`` (0-based): ``buffers.z`` → ``activation_inputs``.

    ``scale_shift`` is the layer's ``[γ; β]`` (2, n); ``running`` its ``[mean; var]`` (2, n),
    updated in training.
    """
    z, xhat, out = buffers.z[layer], buffers.normalised[layer], buffers.activation_inputs[layer]
    inv_std = buffers.inv_std[layer]
    if train:
        batch = len(z)
        mean, var, squares = buffers.batch_mean[layer], buffers.batch_var[layer], out
        np.dot(buffers.ones_batch, z, out=mean)
        mean *= 1.0 / batch
        np.subtract(z, mean, out=xhat)
        np.multiply(xhat, xhat, out=squares)
        np.dot(buffers.ones_batch, squares, out=var)
        var *= 1.0 / batch
        _move_towards(running[0], mean, MOMENTUM, buffers.feature_scratch[layer])
        _move_towards(
            running[1], var, MOMENTUM * batch / (batch - 1), buffers.feature_scratch[layer]
        )
        np.add(var, EPS, out=inv_std)
    else:
        np.subtract(z, running[0], out=xhat)
        np.add(running[1], EPS, out=inv_std)
    np.sqrt(inv_std, out=inv_std)
    np.reciprocal(inv_std, out=inv_std)
    xhat *= inv_std
    np.multiply(xhat, scale_shift[0], out=out)
    out += scale_shift[1]


def normalise_backward(
    layer: int, buffers: BatchBuffers, scale_shift: np.ndarray, grad_sums: np.ndarray
) -> None:
    """``buffers.delta[layer]``: ∂ℓ/∂(γx̂ + β) in, δ = ∂ℓ/∂z out; ``grad_sums`` (2, n) gets
    Σ_rows g·x̂ and Σ_rows g, B times ∂J/∂γ and ∂J/∂β (the caller divides by B).

    δ = γ/√(σ² + ε) · (g − Σg/B − x̂·Σ(g·x̂)/B): the two sums are the gradients' own.
    """
    g, xhat = buffers.delta[layer], buffers.normalised[layer]
    scratch, small = buffers.batch_scratch[layer], buffers.feature_scratch[layer]
    per_sample = 1.0 / len(g)
    np.multiply(g, xhat, out=scratch)
    np.dot(buffers.ones_batch, scratch, out=grad_sums[0])
    np.dot(buffers.ones_batch, g, out=grad_sums[1])
    np.multiply(grad_sums[0], per_sample, out=small)
    np.multiply(xhat, small, out=scratch)
    g -= scratch
    np.multiply(grad_sums[1], per_sample, out=small)
    g -= small
    np.multiply(scale_shift[0], buffers.inv_std[layer], out=small)
    g *= small


def draw_masks(
    layer: int, buffers: BatchBuffers, probability: float, rng: np.random.Generator
) -> None:
    """A fresh Dropout mask for hidden layer ``layer``: a unit is kept when its uniform draw
    is ≥ p."""
    scaled = buffers.scaled_masks[layer]
    rng.random(out=scaled)
    np.greater_equal(scaled, probability, out=buffers.masks[layer])
    scale_masks(layer, buffers, probability)


def scale_masks(layer: int, buffers: BatchBuffers, probability: float) -> None:
    """``scaled_masks`` from given ``masks`` (1 kept, 0 dropped)."""
    np.multiply(buffers.masks[layer], 1.0 / (1.0 - probability), out=buffers.scaled_masks[layer])


def _move_towards(
    running: np.ndarray, batch: np.ndarray, weight: float, scratch: np.ndarray
) -> None:
    """running ← (1 − m)·running + weight·batch (weight is m, times B/(B − 1) for σ²)."""
    running *= 1.0 - MOMENTUM
    np.multiply(batch, weight, out=scratch)
    running += scratch
