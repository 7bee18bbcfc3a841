"""The loss curve of a long run: bounded, with every spike and dip where it was."""

from __future__ import annotations

import random

import pytest

from visualizer.training import thinning
from visualizer.training.thinning import SPANS, LossCurve


def reference(steps, losses, spans):
    """What thinning keeps, computed from scratch: each span's first lowest and first
    highest point, and the latest point of the last span."""
    width = 1
    while (steps[-1] - 1) // width >= spans:
        width *= 2
    groups = {}
    for i, step in enumerate(steps):
        groups.setdefault((step - 1) // width, []).append(i)
    kept = set()
    for members in groups.values():
        kept.add(min(members, key=lambda i: (losses[i], i)))
        kept.add(max(members, key=lambda i: (losses[i], -i)))
    kept.add(len(steps) - 1)
    return [steps[i] for i in sorted(kept)], [losses[i] for i in sorted(kept)]


@pytest.mark.parametrize("seed", range(6))
def test_what_is_kept_depends_on_the_series_alone(monkeypatch, seed):
    monkeypatch.setattr(thinning, "SPANS", 8)  # small spans: many doublings in a short test
    rng = random.Random(seed)
    steps, losses, curve = [], [], LossCurve()
    step = rng.randint(1, 5)
    for _ in range(rng.randint(1, 400)):
        step += rng.choice([1, 1, 1, 2, 7])  # a resumed show's history can have gaps
        loss = rng.choice([rng.random(), 0.5])  # ties too
        steps.append(step)
        losses.append(loss)
        curve.append(step, loss)
        assert (curve.steps, curve.losses) == reference(steps, losses, 8)
        assert len(curve) <= 2 * 8 + 1
    again = LossCurve.from_points(curve.steps, curve.losses)
    for extra in range(1, 30):  # a restored curve thins on exactly as the original
        loss = rng.random()
        curve.append(step + extra, loss)
        again.append(step + extra, loss)
    assert (again.steps, again.losses) == (curve.steps, curve.losses)


def test_a_long_run_stays_within_the_capacity_with_every_extreme_where_it_was(monkeypatch):
    monkeypatch.setattr(thinning, "SPANS", 64)  # 500,000 batches are then 12 doublings
    curve = LossCurve()
    for step in range(1, 500_001):
        loss = 0.7 * 0.99999**step
        if step == 345_678:
            loss = 50.0  # one spike, late in the run
        if step == 123_457:
            loss = 0.0001  # and one dip
        curve.append(step, loss)
    assert len(curve) <= 2 * 64 + 1
    assert max(curve.losses) == 50.0 and curve.steps[curve.losses.index(50.0)] == 345_678
    assert min(curve.losses) == 0.0001 and curve.steps[curve.losses.index(0.0001)] == 123_457
    assert (curve.steps[0], curve.losses[0]) == (1, 0.7 * 0.99999)
    assert (curve.steps[-1], curve.losses[-1]) == (500_000, 0.7 * 0.99999**500_000)


def test_a_default_run_keeps_every_batch():
    curve = LossCurve()
    for step in range(1, 3001):
        curve.append(step, 1.0 / step)
    assert curve.steps == list(range(1, 3001)) and SPANS > 3000


def test_points_thinning_could_not_have_kept_are_refused():
    with pytest.raises(ValueError):
        LossCurve.from_points([3, 2], [0.1, 0.2])
    with pytest.raises(ValueError):
        LossCurve.from_points([0], [0.1])
    with pytest.raises(ValueError):
        LossCurve.from_points(range(1, SPANS + 3), [0.5] * (SPANS + 2))  # too many
