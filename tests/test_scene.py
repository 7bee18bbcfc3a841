"""What to draw, without GL: layout, visual signals, particle plans and spark bursts."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from visualizer.scene.layout import Rect, bezier, layout_network
from visualizer.scene.particles import allocate, gap_budgets, plan_particles
from visualizer.scene.signals import look_of
from visualizer.scene.sparks import update_burst, verdict_burst
from visualizer.training.run import TrainingRun
from visualizer.training.scale import RunScale

STAGE = Rect(0, 0, 1280, 720)


@pytest.mark.parametrize(
    "size", [(1280, 720), (1920, 1080), (1024, 768), (720, 1280), (2560, 1080)]
)
def test_every_neuron_fits_the_stage_and_layers_stack_upwards(size):
    stage = Rect(0, 0, *size)
    layout = layout_network((64, 16, 2), stage, 8)
    for positions, radius in zip(layout.positions, layout.radii):
        assert positions[:, 0].min() - radius >= stage.x
        assert positions[:, 0].max() + radius <= stage.x + stage.width
        assert positions[:, 1].min() - radius >= stage.y
        assert positions[:, 1].max() + radius <= stage.bottom
    tops = [positions[:, 1].min() for positions in layout.positions]
    assert tops == sorted(tops, reverse=True)  # input at the bottom, output on top


def test_the_input_layer_is_the_image_in_reading_order():
    layout = layout_network((64, 16, 2), STAGE, 8)
    grid = layout.positions[0].reshape(8, 8, 2)
    assert np.all(np.diff(grid[:, :, 0], axis=1) > 0)  # columns left to right
    assert np.all(np.diff(grid[:, :, 1], axis=0) > 0)  # rows top to bottom, like the image
    assert layout.grid_side == 8


@pytest.mark.parametrize("sizes", [(2, 2, 1), (2, 4, 1), (9, 5, 3, 2)])
def test_other_small_networks_get_rows_and_ordered_synapses(sizes):
    layout = layout_network(sizes, STAGE, 8)
    assert layout.grid_side is None
    assert [len(p) for p in layout.positions] == list(sizes)
    assert layout.synapse_count == sum(a * b for a, b in itertools.pairwise(sizes))


def test_synapse_k_of_a_gap_joins_the_neurons_of_w_ravel_k():
    layout = layout_network((64, 16, 2), STAGE, 8)
    W = np.arange(64 * 16).reshape(64, 16)
    k = 300
    source, target = np.argwhere(W.ravel()[k] == W)[0]
    curve = layout.controls[layout.gap_slice(0)][k]
    assert np.allclose(curve[0], layout.positions[0][source])
    assert np.allclose(curve[3], layout.positions[1][target])
    ends = bezier(layout.controls, [0.0, 1.0])
    assert np.allclose(ends[:, 0], layout.controls[:, 0]) and np.allclose(
        ends[:, 1], layout.controls[:, 3]
    )


def test_allocate_is_exactly_proportional_and_sums_to_the_total():
    counts = allocate(np.array([1.0, 2.0, 0.0, 7.0]), 100)
    assert counts.tolist() == [10, 20, 0, 70]
    counts = allocate(np.array([1.0, 1.0, 1.0]), 10)
    assert counts.sum() == 10 and sorted(counts.tolist()) == [3, 3, 4]
    assert allocate(np.zeros(3), 10).tolist() == [0, 0, 0]


def test_forward_particles_follow_the_signal_each_synapse_carries(records):
    layout = layout_network((64, 16, 2), STAGE, 8)
    look = look_of(records[0])
    ids = plan_particles(layout, look, backward=False, pool=24000)
    counts = np.bincount(ids[ids >= 0], minlength=layout.synapse_count)
    assert counts.sum() == 24000
    # In each gap, counts are the signal |a_i w_ij| of the focused image, shared out.
    for gap, budget in enumerate(gap_budgets(layout, 24000)):
        span = layout.gap_slice(gap)
        record = records[0]
        signal = np.abs(
            record.activations[gap][look.focus][:, None] * record.params_before[f"W{gap + 1}"]
        ).ravel()
        expected = budget * signal / signal.sum()
        assert np.abs(counts[span] - expected).max() <= 1.0
    # A dark pixel carries no signal, so its wires carry no particles.
    dark = np.flatnonzero(record.inputs[look.focus] == 0.0)
    if len(dark):
        assert counts[dark[0] * 16 : dark[0] * 16 + 16].sum() == 0


def test_backward_particles_follow_the_gradient_and_thin_out_as_it_shrinks(records):
    layout = layout_network((64, 16, 2), STAGE, 8)
    first = look_of(records[0])
    ids = plan_particles(layout, first, backward=True, pool=24000)
    counts = np.bincount(ids[ids >= 0], minlength=layout.synapse_count)
    gradient = np.abs(records[0].gradients["W2"]).ravel()
    span = layout.gap_slice(1)
    assert np.corrcoef(counts[span], gradient)[0, 1] > 0.99
    # The next record with gradients a hundred times smaller: its scale holds the first's.
    smaller = dataclasses.replace(
        records[1], gradients={key: value / 100 for key, value in records[1].gradients.items()}
    )
    assert smaller.scale_before == records[0].scale
    later = look_of(smaller)
    fewer = plan_particles(layout, later, backward=True, pool=24000)
    assert (fewer >= 0).sum() < 0.2 * (ids >= 0).sum()
    assert later.error[0].max() <= 1.0 and later.gradient_total.max() <= 0.2


def test_a_new_run_is_scaled_against_itself(default_config, records):
    assert records[5].scale_before.gradient_total[0] > 0  # it carries the run so far
    first_of_next_run = TrainingRun(default_config, seed=1, run=2).next_record()
    assert first_of_next_run.scale_before == RunScale.start((64, 16, 2))
    assert look_of(first_of_next_run).gradient_total.max() == pytest.approx(1.0)


def test_the_run_scale_holds_the_largest_values_of_the_records_shown(records):
    scale = records[9].scale
    for layer in range(3):
        assert scale.error[layer] == max(r.error_rms[layer].max() for r in records[:10])
    for gap in range(2):
        totals = [np.abs(r.weight_gradients[gap]).sum() for r in records[:10]]
        assert scale.gradient_total[gap] == pytest.approx(max(totals))
        assert scale.change[gap] == max(r.weight_changes[gap].max() for r in records[:10])
    assert scale.change_total == pytest.approx(
        max(sum(c.sum() for c in r.weight_changes) for r in records[:10])
    )
    assert RunScale.from_array(scale.as_array(), (64, 16, 2)) == scale


def test_activations_are_the_focused_images_own_values(records):
    record = records[3]
    look = look_of(record)
    assert look.focus == record.focus == 3  # step 4: a different image each batch
    assert np.array_equal(look.activation[0], record.inputs[3])
    hidden = record.activations[1]
    assert np.allclose(look.activation[1], hidden[3] / hidden.max())
    assert np.allclose(look.activation[2], record.probabilities[3])


def test_weights_are_drawn_against_three_initial_standard_deviations(records):
    """As the network drew them: He (√(2/64)) into the ReLUs, Glorot (√(2/18)) above."""
    look = look_of(records[0])
    W1, W2 = (records[0].params_before[key].ravel() for key in ("W1", "W2"))
    assert np.std(W1) == pytest.approx(np.sqrt(2 / 64), rel=0.1)  # what it really drew
    for weights, reference, shown in (
        (W1, 3 * np.sqrt(2 / 64), look.weight_before[:1024]),
        (W2, 3 * np.sqrt(2 / (16 + 2)), look.weight_before[1024:]),
    ):
        assert np.allclose(shown, np.minimum(np.abs(weights) / reference, 1))
    assert np.array_equal(look.sign_before[:1024], np.where(W1 >= 0, 1.0, -1.0))


def test_bursts_surround_the_truth_and_follow_the_weight_changes(records):
    layout = layout_network((64, 16, 2), STAGE, 8)
    look = look_of(records[0])
    rng = np.random.default_rng(0)
    burst = verdict_burst(layout, look, rng)
    truth = layout.positions[-1][look.truth]
    distances = np.linalg.norm(burst.sparks[:, :2] - truth, axis=1)
    assert np.allclose(distances, layout.radii[-1] * 1.1, atol=1e-3)
    update = update_burst(layout, look, rng)
    assert len(update.sparks) > 0


def test_rect_helpers():
    rect = Rect(10.0, 20.0, 100.0, 50.0)
    assert rect.inset(5) == Rect(15.0, 25.0, 90.0, 40.0)
    assert rect.inset(-1) == Rect(9.0, 19.0, 102.0, 52.0)
    assert rect.union(Rect(0.0, 60.0, 20.0, 30.0)) == Rect(0.0, 20.0, 110.0, 70.0)
    top, bottom = rect.halves(10.0)
    assert top == Rect(10.0, 20.0, 100.0, 20.0) and bottom == Rect(10.0, 50.0, 100.0, 20.0)
    assert rect.contains((10.0, 70.0)) and not rect.contains((9.9, 30.0))
