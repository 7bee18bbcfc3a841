"""A small fully connected network in numpy, with hand-written backpropagation.

Contract (public, kept stable: ../shared/DESIGN.md, "Public contracts"):

- ``MLP(sizes=(64, 16, 2), hidden_activation="relu", output="softmax", l2=0.0, seed=0,
  loss="cross_entropy", batch_norm=False, dropout=0.0)``. Each hidden layer is Linear →
  (BatchNorm) → activation → (Dropout), in seed 004's order (``layers.py``: PyTorch's
  conventions). Hidden activations ``relu | sigmoid | tanh``. Outputs ``softmax``
  (integer labels, two or more units) or ``sigmoid`` (one unit, labels 0/1, its
  activation is P(class 1)). Per-sample losses ℓ: ``cross_entropy`` (−log p_y; binary
  cross-entropy for a sigmoid unit) or ``mse``, the squared error Σ_k (p_k − y_k)² against
  the one-hot y (softmax) or (p − y)² (sigmoid), without a ½, as seed 002 writes it.
- ``net.params`` maps ``W1, b1, W2, b2, …`` to float64 arrays; weights are shaped
  ``(fan_in, fan_out)`` so a layer computes ``X @ W + b``. With BatchNorm, hidden layer l
  adds ``gamma{l}`` and ``beta{l}`` (after ``b{l}``); ``b{l}`` is then redundant (the batch
  mean takes it away) but kept, as PyTorch keeps it. The arrays are views into one flat
  parameter vector, so they are writable in place (assigning a whole array to a key copies
  into that view). ``net.running_stats`` holds BatchNorm's ``running_mean{l}`` and
  ``running_var{l}`` the same way, as views of ``flat_running_stats``; not parameters.
- ``net.loss_and_grads(X, y, dropout_masks=None)`` returns ``(J, grads)`` for the
  batch-mean objective ``J = mean(ℓ) + λ/2 Σ‖W‖²`` (biases, γ and β not decayed) and its
  gradients under the same keys, in training mode: BatchNorm normalises with the batch's
  statistics (and moves its running ones), Dropout drops units, with one 0/1 mask
  (batch × width) per hidden layer if given, else with masks drawn from ``dropout_rng``
  (a Generator derived from ``seed`` unless one is given).
- ``net.forward(X, train=False)`` returns every layer's pre-activation ``z`` (the Linear
  output, ``X @ W + b``) and activation ``a`` (after Dropout, what the next layer
  receives). ``train=False`` is evaluation mode, as are ``predict_proba`` and
  ``evaluate``: BatchNorm uses its running statistics and nothing is dropped.
- The trainer's hot path (not part of that contract): gather a batch into
  ``input_buffer(B)``, ``compute_gradients(X, y)``, then read ``flat_grads`` and
  ``buffers(B)``; no checks and no copies.

Error signals: ``delta[l] = ∂ℓ/∂z[l]`` of the *per-sample* loss ℓ, so
``∂J/∂W[l] = a[l−1]ᵀ δ[l] / B + λW`` (with BatchNorm, whose batch statistics tie the
samples together, δ is B·∂J/∂z, which keeps that formula). At the output, with y one-hot
(or 0/1): cross-entropy gives ``p − y`` for either output; MSE gives ``2(p − y)·p(1 − p)``
through a sigmoid unit and ``p ⊙ (g − g·p)`` with ``g = 2(p − y)`` through the softmax
Jacobian.

Speed: in the flat vector each layer's ``b`` follows its ``W``, so the block is the
augmented matrix ``[W; b]`` of shape ``(fan_in + 1, fan_out)``. Feeding every layer its
input with a column of ones appended turns ``X @ W + b`` into one ``np.dot`` and yields
``∂J/∂W`` and ``∂J/∂b`` from one ``np.dot``. With preallocated buffers a batch-16 step
costs a few dozen numpy calls (benchmarks/bench_training_step.py prints the figure).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from visualizer.training import layers
from visualizer.training.activations import HIDDEN, sigmoid, softmax
from visualizer.training.buffers import BatchBuffers
from visualizer.training.losses import OUTPUT_LOSSES
from visualizer.training.parameters import (
    ParameterDict,
    linear_and_norm,
    named_parameter_views,
    named_running_views,
    parameter_count,
    parameter_shapes,
    views,
)

HIDDEN_ACTIVATIONS = tuple(HIDDEN)  # relu, sigmoid, tanh
OUTPUTS = ("softmax", "sigmoid")
LOSSES = ("cross_entropy", "mse")


@dataclass(frozen=True)
class ForwardPass:
    """Every layer's values for one batch: ``z[l]`` for layers 1..L, ``a[l]`` for 0..L.

    ``activations[0]`` is the input; ``activations[-1]`` is the output non-linearity
    (softmax probabilities, or the sigmoid unit's probability of class 1).
    """

    pre_activations: tuple[np.ndarray, ...]
    activations: tuple[np.ndarray, ...]
    output: str

    @property
    def probabilities(self) -> np.ndarray:
        """Class probabilities, shape (B, classes); a sigmoid unit becomes two columns."""
        return class_probabilities(self.activations[-1], self.output)


def class_probabilities(output_activation: np.ndarray, output: str) -> np.ndarray:
    """Turn the output layer's activation into (B, classes) probabilities."""
    if output == "sigmoid":
        p1 = output_activation[:, 0]
        return np.stack([1.0 - p1, p1], axis=1)
    return output_activation


def predicted_classes(probabilities: np.ndarray) -> np.ndarray:
    """The most probable class of each row."""
    return probabilities.argmax(axis=1)


@dataclass(frozen=True)
class Evaluation:
    """A dataset split scored at the current weights."""

    loss: float  # mean of the network's per-sample loss ℓ, without the L2 term
    accuracy: float  # fraction correct, 0..1
    probabilities: np.ndarray  # (N, classes)


class MLP:
    """A multi-layer perceptron trained with hand-derived backpropagation (float64)."""

    def __init__(
        self,
        sizes: Sequence[int] = (64, 16, 2),
        hidden_activation: str = "relu",
        output: str = "softmax",
        l2: float = 0.0,
        seed: int | np.random.Generator = 0,
        loss: str = "cross_entropy",
        batch_norm: bool = False,
        dropout: float = 0.0,
        dropout_rng: np.random.Generator | None = None,
    ) -> None:
        sizes = tuple(int(n) for n in sizes)
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must list at least two positive layer widths, got {sizes}")
        if hidden_activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(
                f"hidden_activation must be one of {', '.join(HIDDEN_ACTIVATIONS)}, "
                f"got {hidden_activation!r}"
            )
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, got {output!r}")
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {loss!r}")
        if output == "sigmoid" and sizes[-1] != 1:
            raise ValueError(f"a sigmoid output has exactly one unit, got {sizes[-1]}")
        if output == "softmax" and sizes[-1] < 2:
            raise ValueError(f"a softmax output needs at least two units, got {sizes[-1]}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {dropout}")

        self.sizes = sizes
        self.hidden_activation = hidden_activation
        self._activate, self._derivative = HIDDEN[hidden_activation]
        self.output = output
        self.loss = loss
        self._loss_sum = OUTPUT_LOSSES[output, loss]
        self.layer_count = len(sizes) - 1
        self.batch_norm = bool(batch_norm)
        self.dropout = float(dropout)
        rng = np.random.default_rng(seed)
        # Spawning takes nothing from rng's stream: the weights are those of the seed alone.
        self.dropout_rng = rng.spawn(1)[0] if dropout_rng is None else dropout_rng

        shapes = parameter_shapes(sizes, self.batch_norm)
        total = parameter_count(sizes, self.batch_norm)
        self.flat_params = np.zeros(total)
        self.flat_grads = np.zeros(total)
        self._blocks, self._scale_shift = linear_and_norm(
            list(views(self.flat_params, shapes)), self.batch_norm
        )
        self._grad_blocks, self._scale_shift_grads = linear_and_norm(
            list(views(self.flat_grads, shapes)), self.batch_norm
        )
        self.params = ParameterDict(named_parameter_views(self._blocks, self._scale_shift))
        normalised = sizes[1:-1] if self.batch_norm else ()
        self.flat_running_stats = np.zeros(2 * sum(normalised))
        self._running = list(views(self.flat_running_stats, [(2, n) for n in normalised]))
        self.running_stats = ParameterDict(named_running_views(self._running))
        self._layout = [
            (key, offset, offset + view.size, view.shape)
            for key, view in self.params.items()
            for offset in [int(view.ctypes.data - self.flat_params.ctypes.data) // 8]
        ]
        self._grads = dict(named_parameter_views(self._grad_blocks, self._scale_shift_grads))
        self._weights = [block[:-1] for block in self._blocks]
        self._weight_mask = np.zeros(total)
        mask_blocks, _ = linear_and_norm(list(views(self._weight_mask, shapes)), batch_norm)
        for mask in mask_blocks:
            mask[:-1] = 1.0
        self._decay = np.zeros(total)
        self._scratch = np.empty(total)
        self._buffers: dict[int, BatchBuffers] = {}
        self.last_data_loss = float("nan")  # mean data loss of the last compute_gradients
        self.l2 = l2
        self.initialize(rng)

    @property
    def l2(self) -> float:
        """The weight-decay strength λ (biases are not decayed)."""
        return self._l2

    @l2.setter
    def l2(self, value: float) -> None:
        if not value >= 0:
            raise ValueError(f"l2 must be >= 0, got {value}")
        self._l2 = float(value)
        np.multiply(self._weight_mask, self._l2, out=self._decay)

    @property
    def parameter_count(self) -> int:
        return self.flat_params.size

    @property
    def class_count(self) -> int:
        return 2 if self.output == "sigmoid" else self.sizes[-1]

    @property
    def initial_spread(self) -> tuple[float, ...]:
        """Per gap, the standard deviation ``initialize`` draws its weights with: He
        (√(2/fan_in)) for a layer that feeds a ReLU, Glorot (√(2/(fan_in + fan_out)))
        otherwise."""
        spreads = []
        for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(self.sizes)):
            feeds_relu = layer < self.layer_count - 1 and self.hidden_activation == "relu"
            spreads.append(float(np.sqrt(2.0 / (fan_in if feeds_relu else fan_in + fan_out))))
        return tuple(spreads)

    def initialize(self, seed: int | np.random.Generator) -> None:
        """Draw fresh weights, normal with ``initial_spread``; zero biases; BatchNorm as
        PyTorch starts it: γ = 1, β = 0, running mean 0 and running variance 1."""
        rng = np.random.default_rng(seed)
        for W, std in zip(self._weights, self.initial_spread):
            W[...] = rng.normal(0.0, std, size=W.shape)
        for block in self._blocks:
            block[-1] = 0.0
        for block in self._scale_shift:
            block[0], block[1] = 1.0, 0.0
        for running in self._running:
            running[0], running[1] = 0.0, 1.0

    # ---------------------------------------------------------------- public API

    def forward(
        self,
        X: np.ndarray,
        train: bool = False,
        dropout_masks: Sequence[np.ndarray] | None = None,
    ) -> ForwardPass:
        """Run the forward pass; the result owns its arrays and is safe to keep.

        ``train=False`` is evaluation mode; ``train=True`` is the pass ``loss_and_grads``
        makes (batch statistics, which move the running ones; Dropout with these masks,
        or fresh ones).
        """
        X = self.check_inputs(X)
        masks = self.check_masks(dropout_masks, len(X), train)
        buffers = self._forward(X, train, masks)
        return ForwardPass(
            pre_activations=tuple(z.copy() for z in buffers.z),
            activations=(buffers.x.copy(), *(a.copy() for a in buffers.a)),
            output=self.output,
        )

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class probabilities, shape (N, classes), in evaluation mode."""
        return self.forward(X).probabilities

    def loss_and_grads(
        self,
        X: np.ndarray,
        y: np.ndarray,
        dropout_masks: Sequence[np.ndarray] | None = None,
    ) -> tuple[float, dict[str, np.ndarray]]:
        """The batch-mean objective J (data loss + L2 on weights) and copies of its
        gradients, in training mode (see the module's contract for ``dropout_masks``)."""
        X = self.check_inputs(X)
        y = self.check_labels(y, len(X))
        loss = self.compute_gradients(X, y, self.check_masks(dropout_masks, len(X), True))
        return loss, {key: grad.copy() for key, grad in self._grads.items()}

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> Evaluation:
        """Mean data loss (no L2 term), accuracy and class probabilities, in one pass in
        evaluation mode."""
        X = self.check_inputs(X)
        y = self.check_labels(y, len(X))
        buffers = self._forward(X, train=False)
        loss = self._output_loss(buffers, y)
        probabilities = class_probabilities(buffers.a[-1], self.output).copy()
        accuracy = float(np.mean(predicted_classes(probabilities) == y))
        return Evaluation(loss, accuracy, probabilities)

    def named_views(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        """``W1, b1, …`` views of any vector laid out like ``flat_params``."""
        return {key: flat[start:stop].reshape(shape) for key, start, stop, shape in self._layout}

    def named_running_stats(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        """``running_mean1, running_var1, …`` views of a vector laid out like
        ``flat_running_stats``."""
        return dict(named_running_views(list(views(flat, [r.shape for r in self._running]))))

    def check_inputs(self, X: np.ndarray) -> np.ndarray:
        """X as a float64 array of shape (batch, inputs), or a ValueError saying why not."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (batch, {self.sizes[0]}), got {X.shape}")
        return X

    def check_labels(self, y: np.ndarray, batch: int) -> np.ndarray:
        """y as class indices (integers; 0/1 floats for a sigmoid output) of length batch."""
        y = np.asarray(y)
        if y.shape != (batch,):
            raise ValueError(f"y must have shape ({batch},), got {y.shape}")
        if not np.issubdtype(y.dtype, np.integer) and not np.all(y == np.round(y)):
            raise ValueError("labels must be whole numbers")
        y = y.astype(np.int64)
        if batch and (y.min() < 0 or y.max() >= self.class_count):
            raise ValueError(f"labels must lie in 0..{self.class_count - 1}")
        return y if self.output == "softmax" else y.astype(np.float64)

    def check_masks(
        self, masks: Sequence[np.ndarray] | None, batch: int, train: bool
    ) -> tuple[np.ndarray, ...] | None:
        """Dropout masks as float 0/1 arrays, one (batch, width) per hidden layer, or a
        ValueError saying why not; also refuses a BatchNorm training pass on one sample,
        whose variance is 0 and whose unbiased variance does not exist."""
        if train and self.batch_norm and batch < 2 and self.layer_count > 1:
            raise ValueError("BatchNorm in training mode needs at least 2 samples in a batch")
        if masks is None:
            return None
        if not (train and self.dropout):
            raise ValueError("dropout masks apply to training with dropout > 0 only")
        shapes = [(batch, n) for n in self.sizes[1:-1]]
        checked = tuple(np.asarray(mask, dtype=np.float64) for mask in masks)
        if [mask.shape for mask in checked] != shapes:
            raise ValueError(f"dropout_masks must be one 0/1 array per hidden layer, {shapes}")
        if not all(np.all((mask == 0.0) | (mask == 1.0)) for mask in checked):
            raise ValueError("dropout masks must hold only 0 (dropped) and 1 (kept)")
        return checked

    # ------------------------------------------------------------- hot path API

    def compute_gradients(
        self, X: np.ndarray, y: np.ndarray, dropout_masks: Sequence[np.ndarray] | None = None
    ) -> float:
        """Forward (training mode) and backward into the preallocated buffers; returns J.

        Afterwards ``flat_grads`` holds ∂J/∂θ and ``buffers(len(X))`` holds this batch's
        z, a and δ (and BatchNorm's statistics and Dropout's masks). Inputs are not checked
        here: this is the trainer's hot path, fed by data that was checked once (use
        ``check_inputs``/``check_labels``/``check_masks`` otherwise).
        """
        buffers = self._forward(X, True, dropout_masks)
        data_loss = self.last_data_loss = self._output_loss(buffers, y)
        self._backward(buffers)
        self.flat_grads *= 1.0 / len(X)
        if not self._l2:
            return data_loss
        # λ on weights, 0 on biases: the L2 term and its gradient as whole-vector ops.
        decayed = self._scratch
        np.multiply(self.flat_params, self._decay, out=decayed)
        self.flat_grads += decayed
        return data_loss + 0.5 * float(np.dot(decayed, self.flat_params))

    def buffers(self, batch: int) -> BatchBuffers:
        """The buffers that the last pass on a batch of this size filled."""
        return self._buffers[batch]

    def input_buffer(self, batch: int) -> np.ndarray:
        """Where to gather a batch of inputs so that ``compute_gradients`` need not copy it."""
        return self._buffers_for(batch).x

    # ---------------------------------------------------------------- internals

    def _buffers_for(self, batch: int) -> BatchBuffers:
        buffers = self._buffers.get(batch)
        if buffers is None:
            buffers = self._buffers[batch] = BatchBuffers(
                self.sizes, batch, self.batch_norm, self.dropout > 0
            )
        return buffers

    def _forward(
        self, X: np.ndarray, train: bool, masks: Sequence[np.ndarray] | None = None
    ) -> BatchBuffers:
        buffers = self._buffers_for(len(X))
        if X is not buffers.x:
            np.copyto(buffers.x, X)
        dropping = train and self.dropout > 0
        hidden = self.layer_count - 1
        for layer in range(hidden):
            z = buffers.z[layer]
            np.dot(buffers.inputs[layer], self._blocks[layer], out=z)
            if self.batch_norm:
                scale_shift, running = self._scale_shift[layer], self._running[layer]
                layers.normalise(layer, buffers, scale_shift, running, train)
            if not dropping:
                self._activate(buffers.activation_inputs[layer], buffers.a[layer])
                continue
            self._activate(buffers.activation_inputs[layer], buffers.unit_outputs[layer])
            if masks is None:
                layers.draw_masks(layer, buffers, self.dropout, self.dropout_rng)
            else:
                np.copyto(buffers.masks[layer], masks[layer])
                layers.scale_masks(layer, buffers, self.dropout)
            np.multiply(
                buffers.unit_outputs[layer], buffers.scaled_masks[layer], out=buffers.a[layer]
            )
        z, a = buffers.z[hidden], buffers.a[hidden]
        np.dot(buffers.inputs[hidden], self._blocks[hidden], out=z)
        if self.output == "softmax":
            softmax(z, buffers, out=a)
        else:
            sigmoid(z, out=a)
        return buffers

    def _output_loss(self, buffers: BatchBuffers, y: np.ndarray) -> float:
        """Mean data loss; leaves the output δ in ``buffers.delta[-1]``."""
        return self._loss_sum(buffers, y) / len(y)

    def _backward(self, buffers: BatchBuffers) -> None:
        """Batch sums of [a, 1]ᵀ·δ (and BatchNorm's sums) into ``flat_grads``; the caller
        divides by the batch. Through a hidden layer: Dropout's scaled mask, φ′, BatchNorm."""
        for layer in range(self.layer_count - 1, -1, -1):
            delta = buffers.delta[layer]
            np.dot(buffers.inputs[layer].T, delta, out=self._grad_blocks[layer])
            if not layer:
                continue
            below, derivative = buffers.delta[layer - 1], buffers.derivative[layer - 1]
            np.dot(delta, self._weights[layer].T, out=below)
            if self.dropout:
                below *= buffers.scaled_masks[layer - 1]
            self._derivative(
                buffers.activation_inputs[layer - 1], buffers.unit_outputs[layer - 1], derivative
            )
            below *= derivative
            if self.batch_norm:
                layers.normalise_backward(
                    layer - 1,
                    buffers,
                    self._scale_shift[layer - 1],
                    self._scale_shift_grads[layer - 1],
                )
