"""Which synapse each particle travels on, for one pass: emission, separate from drawing.

Contract: the renderer owns a fixed pool of particles whose motion is static (each has a
random phase and lane, animated on the GPU from time alone). For each pass,
``plan_particles`` assigns every pool slot a synapse id (or −1: not shown) so that:

- the pool is split between gaps in proportion to √(synapses in the gap), so the 32
  output wires are not starved by the 1,024 input wires; a gap never gets more than
  ``MAX_PER_SYNAPSE`` per synapse, so that in a small network (XOR's 12 wires) particles
  stay particles instead of merging into solid light;
- forward: a gap's whole share is spread over its synapses in proportion to the real
  signal they carry, ``|a_i · w_ij|`` of the focused image;
- backward: a gap uses ``gradient_total`` of its share (the gap's Σ|∂J/∂w| against the
  run's largest, √-scaled), spread in proportion to ``|∂J/∂w_ij|``.

Counts are exact largest-remainder roundings, so density is proportional, not sampled.
"""

from __future__ import annotations

import numpy as np

from visualizer.scene.layout import NetworkLayout
from visualizer.scene.signals import RecordLook

MAX_PER_SYNAPSE = 120  # the default network's output wires get about 112 each


def gap_budgets(layout: NetworkLayout, pool: int) -> list[int]:
    """How many of the pool's particles each gap may use."""
    counts = np.diff(layout.gap_offsets)
    shares = allocate(np.sqrt(counts), pool)
    return np.minimum(shares, MAX_PER_SYNAPSE * counts).tolist()


def allocate(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``weights`` that sum to ``total`` (0 where weights are 0)."""
    weights = np.asarray(weights, dtype=np.float64)
    weight_sum = weights.sum()
    if total <= 0 or weight_sum <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = weights * (total / weight_sum)
    counts = np.floor(exact).astype(np.int64)
    remainder = total - counts.sum()
    if remainder:
        counts[np.argsort(counts - exact, kind="stable")[:remainder]] += 1
    return counts


def plan_particles(
    layout: NetworkLayout, look: RecordLook, backward: bool, pool: int
) -> np.ndarray:
    """Synapse id per pool slot for the forward (``backward=False``) or backward pass."""
    ids = np.full(pool, -1, dtype=np.int32)
    used = 0
    for gap, budget in enumerate(gap_budgets(layout, pool)):
        span = layout.gap_slice(gap)
        if backward:
            weights = look.gradient_share[span]
            budget = round(budget * float(look.gradient_total[gap]))
        else:
            weights = look.signal[span]
        counts = allocate(weights, budget)
        chosen = np.repeat(np.arange(span.start, span.stop, dtype=np.int32), counts)
        ids[used : used + len(chosen)] = chosen
        used += len(chosen)
    return ids
