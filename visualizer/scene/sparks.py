"""Sparks for the two moments of a cycle: the prediction meets the truth, the update lands.

A burst is planned once, when its moment arrives, from the record: around the true class
(wide and golden if the prediction was right, a few pale sparks falling if not), and on
the wires in proportion to how much their weight changed, |Δw|.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from visualizer.scene.layout import NetworkLayout, point_on_each
from visualizer.scene.signals import RecordLook

VERDICT_SPARKS = 90
UPDATE_SPARKS = 260
MAX_SPARKS = max(VERDICT_SPARKS, UPDATE_SPARKS)


class SparkKind(Enum):
    """What a burst says; the renderer gives each its colour (render/palette.py)."""

    RIGHT = "the prediction was right"  # gold, flying out
    WRONG = "the prediction was wrong"  # pale, fewer, falling
    UPDATE = "the weights changed here"


@dataclass(frozen=True)
class Burst:
    sparks: np.ndarray  # (n, 6): origin xy, velocity xy, delay, size
    kind: SparkKind


def verdict_burst(layout: NetworkLayout, look: RecordLook, rng: np.random.Generator) -> Burst:
    """Around the true class's output neuron: a wide golden ring if the guess was right."""
    if look.truth is None:
        raise ValueError("a verdict needs the true class: a record's look, not a drawing's")
    outputs = layout.positions[-1]
    right = look.prediction == look.truth
    origin = outputs[min(look.truth, len(outputs) - 1)]
    count = VERDICT_SPARKS if right else VERDICT_SPARKS // 3
    angle = rng.uniform(0.0, 2.0 * np.pi, count)
    speed = rng.uniform(40.0, 120.0, count) if right else rng.uniform(15.0, 45.0, count)
    velocity = np.stack([np.cos(angle), np.sin(angle)], axis=1) * speed[:, None]
    if not right:
        velocity[:, 1] = np.abs(velocity[:, 1])  # a wrong guess fizzles downward
    radius = layout.radii[-1] * 1.1
    start = origin + np.stack([np.cos(angle), np.sin(angle)], axis=1) * radius
    return Burst(
        _sparks(start, velocity, rng.uniform(0.0, 0.25, count), rng.uniform(6.0, 12.0, count)),
        SparkKind.RIGHT if right else SparkKind.WRONG,
    )


def update_burst(layout: NetworkLayout, look: RecordLook, rng: np.random.Generator) -> Burst:
    """On the wires that changed most, in proportion to |Δw|; as many as the update is
    large against the run's largest (``change_total``): a small late update, few sparks."""
    weights = look.change**2  # back from the √ display scale to |Δw|
    count = round(UPDATE_SPARKS * look.change_total)
    if weights.sum() <= 0 or count == 0:
        return Burst(np.zeros((0, 6), dtype="f4"), SparkKind.UPDATE)
    chosen = rng.choice(len(weights), size=count, p=weights / weights.sum())
    points = point_on_each(layout.controls[chosen], rng.uniform(0.1, 0.9, count))
    velocity = np.stack([rng.normal(0.0, 8.0, count), rng.uniform(-30.0, -8.0, count)], axis=1)
    return Burst(
        _sparks(points, velocity, rng.uniform(0.0, 0.5, count), rng.uniform(4.0, 8.0, count)),
        SparkKind.UPDATE,
    )


def _sparks(origin, velocity, delay, size) -> np.ndarray:
    return np.column_stack([origin, velocity, delay, size]).astype("f4")
