"""One training run, stepped synchronously: the single place where training happens.

Contract: ``TrainingRun(config, seed, run)`` owns a network, the datasets and its own
random Generators, all derived from ``seed``. ``next_record(batches_per_cycle)`` trains
``batches_per_cycle`` batches (stopping early at an epoch's end, so an epoch's last batch
is always shown) and returns the ``StepRecord`` of the last one, or ``None`` once all
epochs are done. The trainer thread and headless mode both drive this class; nothing
else updates weights.
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from visualizer.config import Config
from visualizer.training.network import MLP, class_probabilities, predicted_classes
from visualizer.training.optimizer import SGD
from visualizer.training.records import EpochMetrics, StepRecord, frozen_array
from visualizer.training.shapes import make_splits


class TrainingRun:
    """A network, its data and its optimizer, advanced one batch at a time."""

    def __init__(self, config: Config, seed: int, run: int = 1) -> None:
        self.config = config
        self.seed = seed
        self.run = run
        init_rng, data_rng, self._shuffle_rng = np.random.default_rng(seed).spawn(3)
        data = config.data
        self.train_set, self.test_set = make_splits(
            data.train_size, data.test_size, data_rng, data.shapes
        )
        net = config.network
        training = config.training
        self.network = MLP(net.sizes, net.hidden_activation, net.output, training.l2, init_rng)
        self.optimizer = SGD(
            self.network.parameter_count, training.learning_rate, training.momentum
        )
        self.epochs = training.epochs
        self.batch_size = min(training.batch_size, data.train_size)
        self.batches_per_epoch = -(-data.train_size // self.batch_size)
        self.epoch = 1  # the epoch the next batch belongs to
        self.batch = 0  # batches of that epoch already trained
        self.step = 0
        self._order = self._shuffle_rng.permutation(data.train_size)

    @property
    def finished(self) -> bool:
        return self.epoch > self.epochs

    def set_learning_rate(self, learning_rate: float) -> None:
        if not learning_rate > 0:
            raise ValueError(f"learning rate must be > 0, got {learning_rate}")
        self.optimizer.learning_rate = float(learning_rate)

    def next_record(self, batches_per_cycle: int = 1) -> StepRecord | None:
        """Train up to ``batches_per_cycle`` batches; the record of the last, or None if done."""
        if self.finished:
            return None
        silent = []
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
        np.take(self.train_set.images, indices, axis=0, out=inputs)
        loss = self.network.compute_gradients(inputs, self.train_set.labels[indices])
        self.optimizer.step(self.network.flat_params, self.network.flat_grads)
        self._advance()
        return loss

    def _train_shown_batch(self, silent_losses: tuple[float, ...]) -> StepRecord:
        net = self.network
        indices = self._batch_indices()
        labels = self.train_set.labels[indices]
        inputs = net.input_buffer(len(indices))
        np.take(self.train_set.images, indices, axis=0, out=inputs)
        params_before = frozen_array(net.flat_params)
        loss = net.compute_gradients(inputs, labels)
        buffers = net.buffers(len(indices))
        probabilities = class_probabilities(buffers.a[-1], net.output)
        predictions = predicted_classes(probabilities)
        # The error reaching the pixels, ∂ℓ/∂x = δ₁·W₁ᵀ, at the weights the batch saw.
        input_gradients = buffers.delta[0] @ net.params["W1"].T
        grads = frozen_array(net.flat_grads)
        self.optimizer.step(net.flat_params, net.flat_grads)
        params_after = frozen_array(net.flat_params)
        epoch, batch = self.epoch, self.batch + 1
        self._advance()
        return StepRecord(
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
            pre_activations=tuple(frozen_array(z) for z in buffers.z),
            activations=(frozen_array(inputs), *(frozen_array(a) for a in buffers.a)),
            deltas=tuple(frozen_array(d) for d in buffers.delta),
            input_gradients=frozen_array(input_gradients),
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
            silent_losses=silent_losses,
            epoch_metrics=self._evaluate(epoch) if batch == self.batches_per_epoch else None,
            test_set=self.test_set,
        )

    def _advance(self) -> None:
        self.step += 1
        self.batch += 1
        if self.batch == self.batches_per_epoch:
            self.batch = 0
            self.epoch += 1
            self._order = self._shuffle_rng.permutation(len(self.train_set))

    def _evaluate(self, epoch: int) -> EpochMetrics:
        train = self.network.evaluate(self.train_set.images, self.train_set.labels)
        test = self.network.evaluate(self.test_set.images, self.test_set.labels)
        test.probabilities.flags.writeable = False
        return EpochMetrics(
            epoch=epoch,
            train_loss=train.loss,
            train_accuracy=train.accuracy,
            test_loss=test.loss,
            test_accuracy=test.accuracy,
            test_probabilities=test.probabilities,
        )


def _named(net: MLP, flat: np.ndarray) -> MappingProxyType:
    """Read-only ``W1, b1, …`` views of a read-only flat parameter vector."""
    return MappingProxyType(net.named_views(flat))
