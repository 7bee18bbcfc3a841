"""Draw your own: the network's forward pass on a visitor's drawing, as a look to draw.

Contract: ``probe_look(network, weights, running_stats, pixels)`` runs a private copy of
the network with ``weights`` (the ones on screen) and BatchNorm's ``running_stats`` (of the
same moment; empty without BatchNorm) on one image, in evaluation mode, and returns a
``RecordLook`` of that forward pass: no backward pass, no update, no record, nothing
dropped. Nothing here reaches the trainer, its data or its weights; a drawing is never
trained on.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from visualizer.config import NetworkConfig
from visualizer.scene.signals import (
    RecordLook,
    forward_signal,
    none_marked,
    pushes_up,
    shown_activations,
    wire_sign,
    wire_strength,
)
from visualizer.training.network import MLP
from visualizer.training.parameters import weights_by_gap


def network_copy(
    network: NetworkConfig,
    weights: Mapping[str, np.ndarray],
    running_stats: Mapping[str, np.ndarray],
) -> MLP:
    """A private network with these parameters and running statistics, to run on new
    input in evaluation mode (the trainer's own network is never touched)."""
    net = MLP(
        network.sizes,
        network.hidden_activation,
        network.output,
        loss=network.loss,
        batch_norm=network.batch_norm,
        dropout=network.dropout,
    )
    for key in net.params:
        net.params[key] = weights[key]
    for key in net.running_stats:
        net.running_stats[key] = running_stats[key]
    return net


def probe_look(
    network: NetworkConfig,
    weights: Mapping[str, np.ndarray],
    running_stats: Mapping[str, np.ndarray],
    pixels: np.ndarray,
) -> RecordLook:
    net = network_copy(network, weights, running_stats)
    forward = net.forward(np.asarray(pixels, dtype=np.float64)[None, :], train=False)
    probabilities = forward.probabilities[0]
    matrices = weights_by_gap(weights)
    strength, sign = wire_strength(matrices, net.initial_spread), wire_sign(matrices)
    nothing = np.zeros(len(strength))
    return RecordLook(
        record=None,
        focus=0,
        truth=None,
        prediction=int(np.argmax(probabilities)),
        probabilities=probabilities,
        activation=shown_activations(forward.activations, 0, image_input=True),
        error=tuple(np.zeros(n) for n in network.sizes),
        dead=tuple(none_marked(n) for n in network.sizes),  # one drawing says nothing of that
        dropped=tuple(none_marked(n) for n in network.sizes),  # evaluation drops nothing
        signal=forward_signal(forward.activations, 0, matrices),
        pushes_up=pushes_up(forward.activations, 0, matrices),
        gradient_share=nothing,
        gradient_total=np.zeros(len(matrices)),
        weight_before=strength,
        weight_after=strength,
        sign_before=sign,
        sign_after=sign,
        change=nothing,
        change_total=0.0,
    )
