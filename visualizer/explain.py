"""``headless.explain``: every quantity of one training step, as the seeds write them.

Contract: ``explain_step(record, config)`` returns the lines that explain ``record``: its
inputs and labels, the forward pass (zˡ and aˡ of each layer, ŷ, the loss), the backward
pass from the output down (δˡ, ∂J/∂Wˡ, ∂J/∂bˡ) and the parameters after the update. Each
quantity is one line, ``name = formula = value`` (an update ``name ← formula = value``),
its numbers to 4 decimals; in a batch of several samples, each per-sample quantity gets
one line per sample, marked ``(sample k)``. The notation is the seeds': superscripts
number the layers (x is layer 0), z = Wx + b, and every W is written one row per neuron
of the layer it feeds, the transpose of the (fan_in, fan_out) array the network holds.

Every number is read from the record, none recomputed: this is what the trainer did. The
config only names what the record does not (φ, the output, the loss, λ). Plain layers
only: the config refuses ``headless.explain`` with BatchNorm or Dropout.
"""

from __future__ import annotations

import numpy as np

from visualizer.config import Config
from visualizer.training.records import StepRecord

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_PHI = {"sigmoid": "σ", "relu": "ReLU", "tanh": "tanh"}
_OUTPUT = {"sigmoid": "σ", "softmax": "softmax"}
# Per (output, loss): the per-sample loss L and the output's δ = ∂L/∂z (docs/maths.md).
_LOSS = {
    ("sigmoid", "cross_entropy"): "−[y log ŷ + (1 − y) log(1 − ŷ)]",
    ("softmax", "cross_entropy"): "−log ŷ_y",
    ("sigmoid", "mse"): "(ŷ − y)²",
    ("softmax", "mse"): "Σₖ (ŷₖ − yₖ)²",
}
_OUTPUT_DELTA = {
    ("sigmoid", "cross_entropy"): "ŷ − y",
    ("softmax", "cross_entropy"): "ŷ − y",
    ("sigmoid", "mse"): "2(ŷ − y) ŷ(1 − ŷ)",
    ("softmax", "mse"): "ŷ ⊙ (g − g·ŷ), g = 2(ŷ − y)",
}


def explain_step(record: StepRecord, config: Config) -> list[str]:
    """The lines that explain ``record`` (see the module's contract)."""
    return _Explanation(record, config).lines


def superscript(name: str, layer: int) -> str:
    """``superscript("W", 2)`` → ``"W²"``."""
    return f"{name}{str(layer).translate(_SUPERSCRIPTS)}"


def numbers(values: np.ndarray) -> str:
    """A vector ``[0.1234, -0.5678]``, or a matrix as a list of such rows."""
    if values.ndim == 2:
        return "[" + ", ".join(numbers(row) for row in values) + "]"
    return "[" + ", ".join(f"{value:.4f}" for value in values) + "]"


class _Explanation:
    def __init__(self, record: StepRecord, config: Config) -> None:
        self.record = record
        network = config.network
        self.phi = _PHI[network.hidden_activation]
        self.output = network.output
        self.loss = (network.output, network.loss)
        self.l2 = config.training.l2
        self.samples = len(record.labels)
        self.layers = len(record.pre_activations)  # L: the output layer's number
        self.lines: list[str] = []
        self._header()
        self.lines.append("  forward")
        self._forward()
        self.lines.append("  backward")
        self._backward()
        self.lines.append("  update")
        self._update()

    def _header(self) -> None:
        r = self.record
        plural = "" if self.samples == 1 else "s"
        momentum = f", μ = {r.momentum:g}" if r.momentum else ""
        self.lines.append(
            f"step {r.step}: epoch {r.epoch} of {r.epochs}, batch {r.batch} of "
            f"{r.batches_per_epoch} ({self.samples} sample{plural}), η = {r.learning_rate:g}"
            f"{momentum}"
        )
        for k in range(self.samples):
            x = numbers(r.activations[0][k])
            self.lines.append(f"  {self._of_sample('x', k)} = {x}   y = {int(r.labels[k])}")

    def _forward(self) -> None:
        r, top = self.record, self.layers
        for layer in range(1, top + 1):
            z, W, b = (superscript(name, layer) for name in ("z", "W", "b"))
            self._per_sample(z, f"{W}{self._below(layer)} + {b}", r.pre_activations[layer - 1])
            if layer < top:
                self._per_sample(superscript("a", layer), f"{self.phi}({z})", r.activations[layer])
        output = f"{superscript('a', top)} = {_OUTPUT[self.output]}({superscript('z', top)})"
        self._per_sample("ŷ", output, r.activations[top])
        mean = " (the batch's mean)" if self.samples > 1 else ""
        self._line("L =", f"{_LOSS[self.loss]}{mean}", f"{r.data_loss:.4f}")
        if self.l2:
            self._line("J =", "L + λ/2 Σ ‖Wˡ‖²", f"{r.loss:.4f}")

    def _backward(self) -> None:
        r, top = self.record, self.layers
        mean = "mean of " if self.samples > 1 else ""
        for layer in range(top, 0, -1):
            delta, W, b = (superscript(name, layer) for name in ("δ", "W", "b"))
            if layer == top:
                formula = f"∂L/∂{superscript('z', layer)} = {_OUTPUT_DELTA[self.loss]}"
            else:
                above = f"({superscript('W', layer + 1)})ᵀ{superscript('δ', layer + 1)}"
                formula = f"{above} ⊙ {self.phi}′({superscript('z', layer)})"
            self._per_sample(delta, formula, r.deltas[layer - 1])
            decay = f" + λ{W}" if self.l2 else ""
            fed = "xᵀ" if layer == 1 else f"({superscript('a', layer - 1)})ᵀ"
            gradient = f"{mean}{delta}{fed}{decay}"
            self._line(f"∂J/∂{W} =", gradient, numbers(r.gradients[f"W{layer}"].T))
            self._line(f"∂J/∂{b} =", f"{mean}{delta}", numbers(r.gradients[f"b{layer}"]))

    def _update(self) -> None:
        r = self.record
        for layer in range(1, self.layers + 1):
            for name in ("W", "b"):
                shown = superscript(name, layer)
                if r.momentum:
                    formula = f"{shown} − ηv, its velocity v = μv + ∂J/∂{shown}"
                else:
                    formula = f"{shown} − η ∂J/∂{shown}"
                after = r.params_after[f"{name}{layer}"]
                self._line(f"{shown} ←", formula, numbers(after.T if name == "W" else after))

    # ---------------------------------------------------------------- lines

    def _below(self, layer: int) -> str:
        """What layer ``layer`` is fed: x, or the activation of the layer below."""
        return "x" if layer == 1 else superscript("a", layer - 1)

    def _of_sample(self, name: str, k: int) -> str:
        return f"{name} (sample {k + 1})" if self.samples > 1 else name

    def _per_sample(self, name: str, formula: str, rows: np.ndarray) -> None:
        for k, row in enumerate(rows):
            self._line(f"{self._of_sample(name, k)} =", formula, numbers(row))

    def _line(self, name: str, formula: str, value: str) -> None:
        self.lines.append(f"    {name} {formula} = {value}")
