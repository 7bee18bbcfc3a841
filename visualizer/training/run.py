"""One training run, stepped synchronously: the single place where training happens.

Contract: ``TrainingRun(config, seed, run)`` owns a network, the datasets and its own
random Generators, all derived from ``seed``. ``next_record(batches_per_cycle)`` trains
``batches_per_cycle`` batches (stopping early at an epoch's end, so an epoch's last batch
is always shown) and returns the ``StepRecord`` of the last one, or ``None`` once all
epochs are done. The trainer thread and headless mode both drive this class; nothing
else updates weights. The parameters that ``network.initial_parameters`` names start from
those values; the others keep their random initial values.

``run.scale`` is the run's scale over the records it has handed out (training/scale.py).
``run.history`` keeps the run's figures as plain numbers: J of the trained batches (every
one, or each span's extremes in a long run: ``thinning.py``) and the metrics of every
finished epoch. ``run.state()`` copies everything training has changed
(weights, BatchNorm's running statistics, velocity, learning rate, position, the epoch's
shuffle order, the shuffle and Dropout Generators, the scale and the history);
``restore(state)`` on a fresh ``TrainingRun`` with the same config and seed puts it back,
and training then continues bit-identically. The data is not part of the state: it is
regenerated from the seed (checkpoint.py). Batches train in training mode (BatchNorm's
batch statistics, Dropout's masks); an epoch's metrics are scored in evaluation mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from visualizer.config import Config, allowed
from visualizer.training.data import make_datasets
from visualizer.training.network import MLP, class_probabilities, predicted_classes
from visualizer.training.optimizer import SGD
from visualizer.training.parameters import weight_key
from visualizer.training.records import EpochMetrics, EpochSummary, StepRecord, frozen_array
from visualizer.training.scale import RunScale
from visualizer.training.thinning import LossCurve


@dataclass
class RunHistory:
    """What a run has trained so far: enough to redraw its loss and accuracy curves."""

    batch_losses: LossCurve = field(default_factory=LossCurve)  # J by step, thinned
    epochs: list[EpochSummary] = field(default_factory=list)  # every finished epoch

    def copy(self) -> RunHistory:
        return RunHistory(self.batch_losses.copy(), list(self.epochs))


@dataclass(frozen=True)
class RunState:
    """Everything training changes in a run; with its config and seed, the whole run."""

    epoch: int
    batch: int
    step: int
    params: np.ndarray  # laid out like ``MLP.flat_params``
    running_stats: np.ndarray  # BatchNorm's, laid out like ``MLP.flat_running_stats``
    velocity: np.ndarray
    learning_rate: float
    momentum: float
    order: np.ndarray  # the current epoch's shuffle of the training set
    shuffle_state: Mapping[str, Any]  # the shuffle Generator's ``bit_generator.state``
    dropout_state: Mapping[str, Any]  # the Dropout masks' Generator's
    scale: RunScale
    history: RunHistory


class TrainingRun:
    """A network, its data and its optimizer, advanced one batch at a time."""

    def __init__(self, config: Config, seed: int, run: int = 1) -> None:
        self.config = config
        self.seed = seed
        self.run = run
        seeds = np.random.default_rng(seed).spawn(4)
        init_rng, data_rng, self._shuffle_rng, self._dropout_rng = seeds
        self.train_set, self.test_set = make_datasets(config, data_rng)
        net = config.network
        training = config.training
        self.network = MLP(
            net.sizes,
            net.hidden_activation,
            net.output,
            training.l2,
            init_rng,
            loss=net.loss,
            batch_norm=net.batch_norm,
            dropout=net.dropout,
            dropout_rng=self._dropout_rng,
        )
        for key, values in net.initial_parameters.items():
            # Written as the seeds write W, one row per neuron fed: transposed, (fan_in,
            # fan_out) as the network holds it. A bias vector is its own transpose.
            self.network.params[key] = np.transpose(values)
        self.optimizer = SGD(
            self.network.parameter_count, training.learning_rate, training.momentum
        )
        self.epochs = training.epochs
        train_size = len(self.train_set)
        self.batch_size = min(training.batch_size, train_size)
        self.batches_per_epoch = -(-train_size // self.batch_size)
        self.epoch = 1  # the epoch the next batch belongs to
        self.batch = 0  # batches of that epoch already trained
        self.step = 0
        self._order = self._shuffle_rng.permutation(train_size)
        self.scale = RunScale.start(net.sizes)
        self.history = RunHistory()

    @property
    def finished(self) -> bool:
        return self.epoch > self.epochs

    def state(self) -> RunState:
        """A copy of everything training has changed so far."""
        return RunState(
            epoch=self.epoch,
            batch=self.batch,
            step=self.step,
            params=self.network.flat_params.copy(),
            running_stats=self.network.flat_running_stats.copy(),
            velocity=self.optimizer.velocity.copy(),
            learning_rate=self.optimizer.learning_rate,
            momentum=self.optimizer.momentum,
            order=self._order.copy(),
            shuffle_state=self._shuffle_rng.bit_generator.state,
            dropout_state=self._dropout_rng.bit_generator.state,
            scale=self.scale,
            history=self.history.copy(),
        )

    def restore(self, state: RunState) -> None:
        """Continue from ``state``, taken from a run with this config and seed.

        Raises ValueError, having changed nothing, when ``state`` cannot belong to this run.
        """
        _check_state(state, self)
        generators = {"shuffle_state": self._shuffle_rng, "dropout_state": self._dropout_rng}
        for name, rng in generators.items():
            try:  # on a fresh bit generator, so that a bad state changes nothing
                type(rng.bit_generator)().state = getattr(state, name)
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"{name} is not a generator state ({error!r})") from None
        for name, rng in generators.items():
            rng.bit_generator.state = getattr(state, name)
        self.network.flat_params[...] = state.params
        self.network.flat_running_stats[...] = state.running_stats
        self.optimizer.velocity[...] = state.velocity
        self.set_learning_rate(state.learning_rate)
        self.optimizer.momentum = float(state.momentum)
        self.epoch, self.batch, self.step = state.epoch, state.batch, state.step
        self._order = np.array(state.order, dtype=np.int64)
        self.scale = state.scale
        self.history = state.history.copy()

    def set_learning_rate(self, learning_rate: float) -> None:
        if not learning_rate > 0:
            raise ValueError(f"learning rate must be > 0, got {learning_rate}")
        self.optimizer.learning_rate = float(learning_rate)

    def next_record(self, batches_per_cycle: int = 1) -> StepRecord | None:
        """Train up to ``batches_per_cycle`` batches; the record of the last, or None if done."""
        if self.finished:
            return None
        # A diverging run overflows; health.py reports it, numpy need not warn on stderr.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            silent: list[float] = []
            while len(silent) < batches_per_cycle - 1 and self.batch < self.batches_per_epoch - 1:
                silent.append(self._train_batch())
                if not np.isfinite(silent[-1]):
                    break  # let the shown record carry the divergence to the consumer
            return self._train_shown_batch(tuple(silent))

    # ---------------------------------------------------------------- internals

    def _batch_indices(self) -> np.ndarray:
        start = self.batch * self.batch_size
        return self._order[start : start + self.batch_size]

    def _train_batch(self) -> float:
        """One silent step: gradients and update only."""
        indices = self._batch_indices()
        inputs = self.network.input_buffer(len(indices))
        np.take(self.train_set.inputs, indices, axis=0, out=inputs)
        loss = self.network.compute_gradients(inputs, self.train_set.labels[indices])
        self.optimizer.step(self.network.flat_params, self.network.flat_grads)
        self.history.batch_losses.append(self.step + 1, loss)
        self._advance()
        return loss

    def _train_shown_batch(self, silent_losses: tuple[float, ...]) -> StepRecord:
        net = self.network
        indices = self._batch_indices()
        labels = self.train_set.labels[indices]
        inputs = net.input_buffer(len(indices))
        np.take(self.train_set.inputs, indices, axis=0, out=inputs)
        params_before = frozen_array(net.flat_params)
        running_before = frozen_array(net.flat_running_stats)
        loss = net.compute_gradients(inputs, labels)
        buffers = net.buffers(len(indices))
        probabilities = class_probabilities(buffers.a[-1], net.output)
        predictions = predicted_classes(probabilities)
        # The error reaching the pixels, ∂ℓ/∂x = δ₁·W₁ᵀ, at the weights the batch saw.
        input_gradients = buffers.delta[0] @ net.params[weight_key(0)].T
        grads = frozen_array(net.flat_grads)
        self.optimizer.step(net.flat_params, net.flat_grads)
        params_after = frozen_array(net.flat_params)
        self.history.batch_losses.append(self.step + 1, loss)
        epoch, batch = self.epoch, self.batch + 1
        self._advance()
        record = StepRecord(
            run=self.run,
            seed=self.seed,
            step=self.step,
            epoch=epoch,
            epochs=self.epochs,
            batch=batch,
            batches_per_epoch=self.batches_per_epoch,
            sample_indices=frozen_array(indices),
            inputs=frozen_array(inputs),
            labels=frozen_array(labels),
            pre_activations=_frozen(buffers.z),
            activations=(frozen_array(inputs), *(frozen_array(a) for a in buffers.a)),
            deltas=_frozen(buffers.delta),
            input_gradients=frozen_array(input_gradients),
            dropout=net.dropout,
            dropout_masks=_frozen(buffers.masks),
            batch_means=_frozen(buffers.batch_mean),
            batch_variances=_frozen(buffers.batch_var),
            normalised=_frozen(buffers.normalised),
            running_stats_before=_named_running_stats(net, running_before),
            running_stats_after=_named_running_stats(net, frozen_array(net.flat_running_stats)),
            probabilities=frozen_array(probabilities),
            predictions=frozen_array(predictions),
            loss=loss,
            data_loss=net.last_data_loss,
            accuracy=float(np.mean(predictions == labels)),
            gradients=_named(net, grads),
            params_before=_named(net, params_before),
            params_after=_named(net, params_after),
            learning_rate=self.optimizer.learning_rate,
            momentum=self.optimizer.momentum,
            l2=net.l2,
            hidden_activation=net.hidden_activation,
            output=net.output,
            loss_name=net.loss,
            initial_spread=net.initial_spread,
            scale_before=self.scale,
            silent_losses=silent_losses,
            epoch_metrics=self._finish_epoch(epoch) if batch == self.batches_per_epoch else None,
            train_set=self.train_set,
            test_set=self.test_set,
        )
        self.scale = record.scale
        return record

    def _advance(self) -> None:
        self.step += 1
        self.batch += 1
        if self.batch == self.batches_per_epoch:
            self.batch = 0
            self.epoch += 1
            self._order = self._shuffle_rng.permutation(len(self.train_set))

    def _finish_epoch(self, epoch: int) -> EpochMetrics:
        """Score both splits at the epoch's final weights and add them to the history."""
        train = self.network.evaluate(self.train_set.inputs, self.train_set.labels)
        test = self.network.evaluate(self.test_set.inputs, self.test_set.labels)
        test.probabilities.flags.writeable = False
        metrics = EpochMetrics(
            epoch, train.loss, train.accuracy, test.loss, test.accuracy, test.probabilities
        )
        self.history.epochs.append(metrics.summary)
        return metrics


def _check_state(state: RunState, run: TrainingRun) -> None:
    """ValueError unless ``state`` is a consistent position in ``run``'s schedule."""
    per_epoch, parameters = run.batches_per_epoch, run.network.parameter_count
    problems = [
        (np.shape(state.params) != (parameters,), f"params must have {parameters} values"),
        (np.shape(state.velocity) != (parameters,), f"velocity must have {parameters} values"),
        (
            np.shape(state.running_stats) != run.network.flat_running_stats.shape,
            f"running_stats must have {run.network.flat_running_stats.size} values",
        ),
        (not 1 <= state.epoch <= run.epochs + 1, f"epoch must lie in 1..{run.epochs + 1}"),
        (not 0 <= state.batch < per_epoch, f"batch must lie in 0..{per_epoch - 1}"),
        (state.epoch > run.epochs and state.batch != 0, "a finished run has no batch under way"),
        (state.step != (state.epoch - 1) * per_epoch + state.batch, "step must match the epoch"),
        (
            state.history.batch_losses.steps[-1:] != ([state.step] if state.step else []),
            "the loss curve must end at the current step",
        ),
        (
            [summary.epoch for summary in state.history.epochs] != list(range(1, state.epoch)),
            "there must be one summary per finished epoch",
        ),
        (
            not np.array_equal(np.sort(state.order), np.arange(len(run.train_set))),
            f"order must be a permutation of the {len(run.train_set)} training images",
        ),
        (not np.isfinite(state.params).all(), "params must be finite numbers"),
        (not np.isfinite(state.velocity).all(), "velocity must be finite numbers"),
        (
            not allowed("training.learning_rate", state.learning_rate),
            "learning_rate must be a value training.learning_rate allows",
        ),
        (
            not allowed("training.momentum", state.momentum),
            "momentum must be a value training.momentum allows",
        ),
    ]
    failed = [message for broken, message in problems if broken]
    if failed:
        raise ValueError("; ".join(failed))


def _named(net: MLP, flat: np.ndarray) -> MappingProxyType:
    """Read-only ``W1, b1, …`` views of a read-only flat parameter vector."""
    return MappingProxyType(net.named_views(flat))


def _named_running_stats(net: MLP, flat: np.ndarray) -> MappingProxyType:
    """Read-only ``running_mean1, running_var1, …`` views of a read-only flat vector."""
    return MappingProxyType(net.named_running_stats(flat))


def _frozen(arrays: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    return tuple(frozen_array(array) for array in arrays)
