"""What a record looks like: every visual quantity, derived from the record's own numbers.

Contract: ``look_of(record)`` is a pure function of the record. All values are in 0..1
and say exactly which number drives them (docs/legend.md):

- forward pass, for one *focused* image of the batch (the batch strip highlights it):
  ``activation`` — the focused image's pixels at the input; a hidden neuron's activation
  divided by the largest activation of its layer in this batch; the output probabilities.
  ``signal`` per synapse — ``|a_i · w_ij|`` of the focused image, relative to the largest
  in its gap (``gradient_share`` is the same for ``|∂J/∂w_ij|``), and ``pushes_up``, its
  sign. ``dead`` — the hidden neurons off for the whole batch; ``dropped`` — those Dropout
  took out for the focused image (its a is 0 there, so it carries no signal).
- backward pass, for the whole batch (the update uses the batch mean): ``error`` per
  neuron — the root-mean-square of its δ over the batch (``∂ℓ/∂x`` at the input), and
  ``gradient_total`` per gap — Σ|∂J/∂w|, both against the largest in the run so far
  (the record's ``scale``), square-rooted so that small values stay visible. As training
  converges the halos shrink and the red particles thin out.
- the update: ``weight_before/after`` — ``|w|`` against three initial standard deviations
  of the layer (``sign`` gives the hue); ``change`` — ``|Δw|`` against the run's largest
  change in its layer, and ``change_total`` — the update's Σ|Δw| against the run's
  largest, both square-rooted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from visualizer.training.records import StepRecord


@dataclass(frozen=True)
class RecordLook:
    record: StepRecord | None  # None for a visitor's drawing (a forward pass only)
    focus: int  # the batch row shown in the forward pass
    truth: int | None  # the focused image's label (None for a drawing)
    prediction: int
    probabilities: np.ndarray  # the focused image's class probabilities
    activation: tuple[np.ndarray, ...]  # per layer 0..L
    error: tuple[np.ndarray, ...]  # per layer 0..L
    dead: tuple[np.ndarray, ...]  # per layer 0..L: off for the whole batch (hidden layers only)
    dropped: tuple[np.ndarray, ...]  # per layer 0..L: dropped for the focused image (hidden only)
    signal: np.ndarray  # per synapse, forward: |a_i·w_ij| against the largest in its gap
    pushes_up: np.ndarray  # per synapse, forward: a_i·w_ij ≥ 0 (raises the neuron's z)
    gradient_share: np.ndarray  # per synapse, |∂J/∂w| against the largest in its gap
    gradient_total: np.ndarray  # per gap: Σ|∂J/∂w| against the run's largest, square-rooted
    weight_before: np.ndarray  # per synapse, |w| / reference, clipped to 1
    weight_after: np.ndarray
    sign_before: np.ndarray  # per synapse, +1 or −1
    sign_after: np.ndarray
    change: np.ndarray  # per synapse, |Δw| against the run's largest, square-rooted
    change_total: float  # Σ|Δw| of the update against the run's largest, square-rooted


FULL_WIRE_SPREADS = 3.0  # a wire is at full width at this many initial standard deviations


def look_of(record: StepRecord) -> RecordLook:
    """How ``record`` is drawn; run-relative channels use the record's own ``scale``."""
    focus, sizes, scale = record.focus, record.layer_sizes, record.scale
    before, after = record.weights_before, record.weights_after
    gradients = [np.abs(g).ravel() for g in record.weight_gradients]
    changes = record.weight_changes
    return RecordLook(
        record=record,
        focus=focus,
        truth=int(record.labels[focus]),
        prediction=int(record.predictions[focus]),
        probabilities=record.probabilities[focus],
        activation=shown_activations(
            record.activations, focus, record.test_set.image_side is not None
        ),
        error=tuple(_against_run(e, m) for e, m in zip(record.error_rms, scale.error)),
        dead=(none_marked(sizes[0]), *record.dead_neurons, none_marked(sizes[-1])),
        dropped=(
            none_marked(sizes[0]),
            *(dropped[focus] for dropped in record.dropped),
            none_marked(sizes[-1]),
        ),
        signal=forward_signal(record.activations, focus, before),
        pushes_up=pushes_up(record.activations, focus, before),
        gradient_share=np.concatenate([_relative(g, g.max()) for g in gradients]),
        gradient_total=np.array(
            [_against_run(g.sum(), m) for g, m in zip(gradients, scale.gradient_total)]
        ),
        weight_before=wire_strength(before, record.initial_spread),
        weight_after=wire_strength(after, record.initial_spread),
        sign_before=wire_sign(before),
        sign_after=wire_sign(after),
        change=np.concatenate([_against_run(c, m) for c, m in zip(changes, scale.change)]),
        change_total=float(_against_run(sum(c.sum() for c in changes), scale.change_total)),
    )


def _against_run(values, largest: float):
    """Values against the largest of their kind in the run so far, square-rooted."""
    return np.sqrt(_relative(np.asarray(values, dtype=np.float64), largest))


def forward_signal(
    activations: Sequence[np.ndarray], row: int, weights: Sequence[np.ndarray]
) -> np.ndarray:
    """Per synapse, ``|a_i · w_ij|`` of one image, relative to the largest in its gap."""
    carried = [np.abs(a[row][:, None] * w).ravel() for a, w in zip(activations, weights)]
    return np.concatenate([_relative(c, c.max()) for c in carried])


def pushes_up(
    activations: Sequence[np.ndarray], row: int, weights: Sequence[np.ndarray]
) -> np.ndarray:
    """Per synapse, whether ``a_i · w_ij`` of one image is ≥ 0: it raises the pre-activation
    of the neuron it feeds (< 0: it holds it down)."""
    return np.concatenate(
        [(a[row][:, None] * w).ravel() >= 0 for a, w in zip(activations, weights)]
    )


def shown_activations(
    activations: tuple[np.ndarray, ...], row: int, image_input: bool
) -> tuple[np.ndarray, ...]:
    """Input pixels (0..1) and output probabilities as they are; hidden layers, and inputs
    that are not pixels (standardised features, of either sign), as magnitudes against the
    largest in their layer over the batch."""
    last = len(activations) - 1
    shown = []
    for layer, values in enumerate(activations):
        if layer == last or (layer == 0 and image_input):
            shown.append(np.clip(values[row], 0.0, 1.0))  # already in 0..1: no value is cut
        else:
            magnitude = np.abs(values)
            shown.append(_relative(magnitude[row], magnitude.max()))
    return tuple(shown)


def wire_strength(weights: Sequence[np.ndarray], spreads: Sequence[float]) -> np.ndarray:
    """Per synapse, ``|w|`` against ``FULL_WIRE_SPREADS`` standard deviations of its gap's
    initial weights (``spreads``, as the network drew them), capped at 1."""
    return np.concatenate(
        [
            np.minimum(np.abs(w.ravel()) / (FULL_WIRE_SPREADS * spread), 1.0)
            for w, spread in zip(weights, spreads)
        ]
    )


def none_marked(count: int) -> np.ndarray:
    return np.zeros(count, dtype=bool)


def wire_sign(weights: Sequence[np.ndarray]) -> np.ndarray:
    return np.concatenate([np.where(w.ravel() >= 0, 1.0, -1.0) for w in weights])


def _relative(values: np.ndarray, reference: float) -> np.ndarray:
    return values / reference if reference > 0 else np.zeros_like(values)
