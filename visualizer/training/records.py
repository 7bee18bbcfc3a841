"""What the trainer hands out: immutable records of real computation, and trainer events.

Contract: a ``StepRecord`` describes one trained batch completely — inputs, every layer's
z, a and δ, probabilities, loss, every gradient, the parameters before and after the
update — and, on an epoch's last batch, the epoch's metrics. Every array in a record is
read-only and owned by the record, so the show can hold it while the trainer moves on.
Records are the renderer's only source of truth.

Layer numbering follows the seeds: layer 0 is the input, layer L the output. So
``activations`` has L+1 entries (``activations[0]`` is the input batch) while
``pre_activations`` and ``deltas`` have L (index ``l − 1`` holds layer l). Gap g joins
layer g to layer g + 1.

What a record means is said here once, for every reader: the image the forward pass
follows (``focus``), each gap's weights before and after the update and their gradients
(``weights_before``, ``weights_after``, ``weight_gradients``), how large each neuron's
error and each weight's change were (``error_rms``, ``weight_changes``), which neurons
were off for the whole batch (``dead_neurons``), what each label and each output neuron
stands for (``class_names``, ``output_names``, from the data), what the network computes
(``hidden_activation``, ``output``, ``loss_name``, the L2 strength ``l2``, beside η and μ),
the run's scale with this
record included (``scale``, training/scale.py), and an epoch's figures without the
per-image probabilities (``EpochMetrics.summary``). Seed 004's layers (docs/maths.md):
whether the hidden layers have BatchNorm (``batch_norm``), what it normalised and what φ
then received (``pre_normalisation``, ``activation_inputs``), and which neurons Dropout
took out of this batch (``dropped``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np

from visualizer.training.data import Dataset
from visualizer.training.parameters import beta_key, gamma_key, weights_by_gap
from visualizer.training.scale import RunScale


@dataclass(frozen=True)
class EpochMetrics:
    """Train and test figures after an epoch's last update, on the whole of each split.

    Losses are the mean of the network's loss ℓ (``network.loss``) without the L2 term;
    accuracies are fractions 0..1.
    ``test_probabilities`` has one row per test image, in the test set's order.
    """

    epoch: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float
    test_probabilities: np.ndarray

    @property
    def summary(self) -> EpochSummary:
        return EpochSummary(
            self.epoch, self.train_loss, self.train_accuracy, self.test_loss, self.test_accuracy
        )


@dataclass(frozen=True)
class StepRecord:
    """One batch, forward and backward, exactly as the trainer computed it."""

    run: int  # counts runs since the app started: a reset or reseed starts the next one
    seed: int
    step: int  # batches trained so far in this run, this one included (silent ones too)
    epoch: int  # 1-based
    epochs: int
    batch: int  # 1-based position within the epoch
    batches_per_epoch: int
    sample_indices: np.ndarray  # rows of the training set, (B,)
    inputs: np.ndarray  # (B, d): the batch's samples, one value per input neuron
    labels: np.ndarray  # (B,) indices into ``class_names``
    pre_activations: tuple[np.ndarray, ...]  # z = a @ W + b of layers 1..L, each (B, n_l)
    activations: tuple[np.ndarray, ...]  # a of layers 0..L, each (B, n_l)
    deltas: tuple[np.ndarray, ...]  # δ = ∂ℓ/∂z of layers 1..L, per sample, each (B, n_l)
    input_gradients: np.ndarray  # ∂ℓ/∂x per sample, (B, d): the error reaching the input
    # Seed 004's layers, per hidden layer 1..L−1 (index l − 1 holds layer l); each () in a
    # network without the layer. A hidden layer computes z → BatchNorm → φ → Dropout → a.
    dropout: float  # p, the chance that training drops a hidden unit (0: no Dropout)
    dropout_masks: tuple[np.ndarray, ...]  # (B, n_l): 1 kept, 0 dropped in this batch
    batch_means: tuple[np.ndarray, ...]  # BatchNorm's μ: mean of z over the batch, (n_l,)
    batch_variances: tuple[np.ndarray, ...]  # its σ²: the biased variance of z (÷ B), (n_l,)
    normalised: tuple[np.ndarray, ...]  # x̂ = (z − μ)/√(σ² + ε), before γ and β, (B, n_l)
    running_stats_before: Mapping[str, np.ndarray]  # running_mean{l}, running_var{l} before
    running_stats_after: Mapping[str, np.ndarray]  # … and after this batch moved them
    probabilities: np.ndarray  # (B, classes)
    predictions: np.ndarray  # (B,)
    loss: float  # the objective J the update descended (data loss + L2 term)
    data_loss: float  # mean loss ℓ of the batch (``network.loss``), without the L2 term
    accuracy: float  # fraction of this batch predicted correctly, before the update
    gradients: Mapping[str, np.ndarray]  # ∂J/∂θ, keys W1, b1, W2, b2, …
    params_before: Mapping[str, np.ndarray]
    params_after: Mapping[str, np.ndarray]
    learning_rate: float  # η of this update
    momentum: float  # μ of this update (0: plain SGD)
    l2: float  # λ of the objective's L2 term, λ/2·‖W‖² (0: none)
    hidden_activation: str  # φ of the hidden layers: relu, sigmoid or tanh
    output: str  # the output layer: softmax or sigmoid
    loss_name: str  # the per-sample loss ℓ: cross_entropy or mse
    initial_spread: tuple[float, ...]  # per gap, the std. deviation of the initial weights
    scale_before: RunScale  # the run's scale over the records shown before this one
    silent_losses: tuple[float, ...]  # J of batches trained unshown just before this one
    epoch_metrics: EpochMetrics | None  # set on the last batch of an epoch
    train_set: Dataset  # the run's training samples (shared, read-only)
    test_set: Dataset  # the run's held-out samples (shared, read-only)

    @property
    def batches_trained(self) -> int:
        """Batches trained for this record to be shown: the silent ones before it, and it."""
        return len(self.silent_losses) + 1

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        return tuple(a.shape[1] for a in self.activations)

    @property
    def focus(self) -> int:
        """Which image of the batch the forward pass follows: a different one each batch."""
        return (self.step - 1) % len(self.labels)

    @property
    def class_names(self) -> tuple[str, ...]:
        """What each label means (``labels``, ``predictions`` and probability columns)."""
        return self.test_set.class_names

    @property
    def output_names(self) -> tuple[str, ...]:
        """What each output neuron stands for: its class, or for a single sigmoid unit (the
        probability of class 1) class 1 against class 0."""
        names = self.class_names
        if self.layer_sizes[-1] == len(names):
            return names
        return (f"{names[1]} vs {names[0]}",)

    @property
    def weights_before(self) -> tuple[np.ndarray, ...]:
        """Each gap's weight matrix ``(fan_in, fan_out)``, as the batch saw it."""
        return weights_by_gap(self.params_before)

    @property
    def weights_after(self) -> tuple[np.ndarray, ...]:
        """Each gap's weight matrix after the update."""
        return weights_by_gap(self.params_after)

    @property
    def weight_gradients(self) -> tuple[np.ndarray, ...]:
        """∂J/∂W of each gap."""
        return weights_by_gap(self.gradients)

    @cached_property
    def error_rms(self) -> tuple[np.ndarray, ...]:
        """Per layer 0..L, each neuron's error over the batch as a root-mean-square: of
        ∂ℓ/∂x at the input, of δ above."""
        return tuple(np.sqrt(np.mean(e**2, axis=0)) for e in (self.input_gradients, *self.deltas))

    @cached_property
    def weight_changes(self) -> tuple[np.ndarray, ...]:
        """Per gap, |Δw| of the update, flattened as ``W.ravel()`` orders the weights."""
        return tuple(
            np.abs(after - before).ravel()
            for before, after in zip(self.weights_before, self.weights_after)
        )

    @cached_property
    def scale(self) -> RunScale:
        """The run's scale with this record included."""
        gradients = [np.abs(g) for g in self.weight_gradients]
        return self.scale_before.including(self.error_rms, gradients, self.weight_changes)

    @property
    def dead_neurons(self) -> tuple[np.ndarray, ...]:
        """Per hidden layer (1..L−1), which neurons are off (a = 0) for every image of the
        batch: a "dead" ReLU lets no signal through, so no error comes back through it."""
        return tuple(np.all(a == 0.0, axis=0) for a in self.activations[1:-1])

    @property
    def batch_norm(self) -> bool:
        """Whether each hidden layer normalises its z over the batch (BatchNorm)."""
        return bool(self.batch_means)

    @property
    def pre_normalisation(self) -> tuple[np.ndarray, ...]:
        """Per hidden layer, what BatchNorm normalised: z, the Linear output (() without
        BatchNorm)."""
        return self.pre_activations[:-1] if self.batch_norm else ()

    @cached_property
    def activation_inputs(self) -> tuple[np.ndarray, ...]:
        """Per hidden layer, what the activation φ received: γ·x̂ + β with BatchNorm (γ and
        β as the batch saw them), z without."""
        if not self.batch_norm:
            return self.pre_activations[:-1]
        params = self.params_before
        return tuple(
            frozen_array(xhat * params[gamma_key(gap)] + params[beta_key(gap)])
            for gap, xhat in enumerate(self.normalised)
        )

    @cached_property
    def dropped(self) -> tuple[np.ndarray, ...]:
        """Per hidden layer, (B, n_l): which neurons Dropout took out of this batch, image by
        image (all False without Dropout). A dropped neuron's a is 0 in that image and no
        error comes back through its a; with BatchNorm its δ still gets a share of the
        batch's error through the batch statistics (docs/maths.md)."""
        if not self.dropout_masks:
            return tuple(frozen_array(np.zeros(a.shape, bool)) for a in self.activations[1:-1])
        return tuple(frozen_array(mask == 0.0) for mask in self.dropout_masks)

    def parameters_at(
        self, updated: bool
    ) -> tuple[Mapping[str, np.ndarray], Mapping[str, np.ndarray]]:
        """The parameters and BatchNorm's running statistics of one moment: before this
        batch, or once its update has landed (``updated``)."""
        if updated:
            return self.params_after, self.running_stats_after
        return self.params_before, self.running_stats_before

    @property
    def ends_epoch(self) -> bool:
        return self.epoch_metrics is not None

    @property
    def ends_run(self) -> bool:
        return self.ends_epoch and self.epoch == self.epochs


class EpochSummary(NamedTuple):
    """An epoch's figures, as in ``EpochMetrics`` without the per-image probabilities."""

    epoch: int
    train_loss: float
    train_accuracy: float
    test_loss: float
    test_accuracy: float


@dataclass(frozen=True)
class Resumed:
    """The trainer continues a run from a checkpoint; its history so far comes along."""

    run: int
    seed: int
    batch_losses: tuple[float, ...]  # J of the batches trained before (thinning.py) …
    epochs: tuple[EpochSummary, ...]
    batch_steps: tuple[int, ...]  # … and their steps


@dataclass(frozen=True)
class RunFinished:
    """The run trained all its epochs; no more records come until a reset."""

    run: int
    seed: int


@dataclass(frozen=True)
class Diverged:
    """The loss became NaN or infinite; the run is halted until a reset."""

    run: int
    seed: int
    epoch: int
    batch: int
    loss: float


@dataclass(frozen=True)
class TrainerFailed:
    """The trainer thread raised; ``details`` is the formatted traceback for the log."""

    message: str
    details: str


TrainerEvent = StepRecord | Resumed | RunFinished | Diverged | TrainerFailed


def frozen_array(array: np.ndarray) -> np.ndarray:
    """A read-only copy of ``array``."""
    copy = array.copy()
    copy.flags.writeable = False
    return copy
