"""headless.explain: every printed number is the record's, and seed 003's step is right."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from visualizer.config import load_config
from visualizer.explain import explain_step
from visualizer.training.records import StepRecord
from visualizer.training.run import TrainingRun

ROOT = Path(__file__).resolve().parents[1]
HALF_A_DIGIT = 0.5e-4 + 1e-12  # a number printed to 4 decimals is this close to its value
DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
QUANTITY = re.compile(
    r"^    (?P<name>\S+?)(?P<layer>[⁰¹²³⁴⁵⁶⁷⁸⁹]*)(?: \(sample (?P<k>\d+)\))?(?P<arrow> ←)? "
)
INPUT = re.compile(r"^  x(?: \(sample (?P<k>\d+)\))? = (?P<x>\[.*\])   y = (?P<y>\d+)$")


def quantity(record: StepRecord, name: str, layer: int, k: int, update: bool) -> np.ndarray:
    """What the line ``name``ˡᵃʸᵉʳ (of sample k) must show, read from the record by the test's
    own reckoning: W one row per neuron it feeds, as the seeds write it."""
    if update:
        after = record.params_after[f"{name}{layer}"]
        return after.T if name == "W" else after
    per_sample = {
        "z": lambda: record.pre_activations[layer - 1][k],
        "a": lambda: record.activations[layer][k],
        "δ": lambda: record.deltas[layer - 1][k],
        "ŷ": lambda: record.activations[-1][k],
    }
    if name in per_sample:
        return per_sample[name]()
    batch = {
        "L": lambda: np.array(record.data_loss),
        "J": lambda: np.array(record.loss),
        "∂J/∂W": lambda: record.gradients[f"W{layer}"].T,
        "∂J/∂b": lambda: record.gradients[f"b{layer}"],
    }
    return batch[name]()


def printed_quantities(lines: list[str]) -> dict[tuple[str, int, int, bool], np.ndarray]:
    """Each quantity line's numbers (the part after its last " = "), by what it names."""
    found = {}
    for line in lines:
        match = QUANTITY.match(line)
        if match is None:
            continue
        layer = int(match["layer"].translate(DIGITS) or 0)
        key = (match["name"], layer, int(match["k"] or 1) - 1, bool(match["arrow"]))
        found[key] = np.array(json.loads(line.rsplit(" = ", 1)[1]), dtype=float)
    return found


def check_against_the_record(record: StepRecord, lines: list[str]) -> int:
    """Every number printed is the record's, to 4 decimals; returns how many were checked."""
    checked = 0
    for (name, layer, k, update), shown in printed_quantities(lines).items():
        expected = quantity(record, name, layer, k, update)
        assert shown.shape == np.shape(expected), (name, layer, k)
        assert np.all(np.abs(shown - expected) <= HALF_A_DIGIT), (name, layer, k, shown, expected)
        checked += shown.size
    inputs = [INPUT.match(line) for line in lines]
    for match in filter(None, inputs):
        k = int(match["k"] or 1) - 1
        assert np.all(np.abs(np.array(json.loads(match["x"])) - record.inputs[k]) <= HALF_A_DIGIT)
        assert int(match["y"]) == record.labels[k]
        checked += record.inputs.shape[1] + 1
    assert sum(m is not None for m in inputs) == len(record.labels)
    return checked


def first_step(lesson: str, overrides: tuple[str, ...] = ()):
    config = load_config(overrides=overrides, lesson=lesson)
    record = TrainingRun(config, 0).next_record(1)
    assert record is not None
    return config, record, explain_step(record, config)


def test_the_worked_examples_first_step_prints_the_records_numbers_in_the_seeds_notation():
    _, record, lines = first_step("worked-example")
    # x and y; z¹, a¹, z², ŷ, L; δ², ∂J/∂W², ∂J/∂b², δ¹, ∂J/∂W¹, ∂J/∂b¹; W¹, b¹, W², b².
    assert check_against_the_record(record, lines) == 3 + (2 + 2 + 1 + 1 + 1) + (
        1 + 2 + 1 + 2 + 4 + 2
    ) + (4 + 2 + 2 + 1)
    names = [QUANTITY.match(line)[0].strip() for line in lines if QUANTITY.match(line)]
    assert names == [
        "z¹", "a¹", "z²", "ŷ", "L",
        "δ²", "∂J/∂W²", "∂J/∂b²", "δ¹", "∂J/∂W¹", "∂J/∂b¹",
        "W¹ ←", "b¹ ←", "W² ←", "b² ←",
    ]  # fmt: skip


def test_the_worked_examples_first_step_is_seed_003_recomputed_by_hand():
    """Seed 003's arithmetic, written out here with scalars (its document slips from z² on,
    so nothing is copied from it), against what --headless prints."""
    _, _, lines = first_step("worked-example")
    shown = printed_quantities(lines)

    def sigmoid(z: float) -> float:
        return 1.0 / (1.0 + math.exp(-z))

    x1, x2, y, eta = 1.0, 2.0, 1.0, 0.1
    w11, w12, w21, w22, b11, b12 = 0.1, 0.2, 0.3, 0.4, 0.01, 0.02  # W¹ row by row, b¹
    v1, v2, c = 0.5, 0.6, 0.05  # W², b²
    z11, z12 = w11 * x1 + w12 * x2 + b11, w21 * x1 + w22 * x2 + b12
    a11, a12 = sigmoid(z11), sigmoid(z12)
    z2 = v1 * a11 + v2 * a12 + c
    y_hat = sigmoid(z2)
    loss = -(y * math.log(y_hat) + (1 - y) * math.log(1 - y_hat))
    d2 = y_hat - y
    d11, d12 = v1 * d2 * a11 * (1 - a11), v2 * d2 * a12 * (1 - a12)
    by_hand = {
        ("z", 1): [z11, z12],
        ("a", 1): [a11, a12],
        ("z", 2): [z2],
        ("ŷ", 0): [y_hat],
        ("L", 0): loss,
        ("δ", 2): [d2],
        ("∂J/∂W", 2): [[d2 * a11, d2 * a12]],
        ("∂J/∂b", 2): [d2],
        ("δ", 1): [d11, d12],
        ("∂J/∂W", 1): [[d11 * x1, d11 * x2], [d12 * x1, d12 * x2]],
        ("∂J/∂b", 1): [d11, d12],
    }
    after = {
        ("W", 1): [
            [w11 - eta * d11 * x1, w12 - eta * d11 * x2],
            [w21 - eta * d12 * x1, w22 - eta * d12 * x2],
        ],
        ("b", 1): [b11 - eta * d11, b12 - eta * d12],
        ("W", 2): [[v1 - eta * d2 * a11, v2 - eta * d2 * a12]],
        ("b", 2): [c - eta * d2],
    }
    for (name, layer), value in by_hand.items():
        assert np.all(np.abs(shown[(name, layer, 0, False)] - value) <= HALF_A_DIGIT), name
    for (name, layer), value in after.items():
        assert np.all(np.abs(shown[(name, layer, 0, True)] - value) <= HALF_A_DIGIT), name
    # And as the seed's reader sees them: each to 4 decimals.
    assert f"    z² = W²a¹ + b² = [{z2:.4f}]" in lines
    assert f"    ŷ = a² = σ(z²) = [{y_hat:.4f}]" in lines


SOFTMAX_DEEPER = ("network.output=softmax", "network.sizes=[2, 3, 3, 2]")


@pytest.mark.parametrize(
    ("lesson", "overrides"),
    [
        ("xor", ("training.l2=0.01", "training.momentum=0.5")),
        ("xor", (*SOFTMAX_DEEPER, "network.hidden_activation=tanh")),
        ("shapes", ("network.loss=mse", "training.batch_size=3")),
    ],
    ids=["xor-l2-momentum", "softmax-mse-three-layers", "shapes-batch-of-3"],
)
def test_every_number_of_any_explained_step_is_the_records(lesson, overrides):
    config, record, lines = first_step(lesson, overrides)
    samples, layers = len(record.labels), len(record.pre_activations)
    # Each sample: z and a of each hidden layer, z and ŷ at the output, δ of every layer.
    per_sample = 2 * layers + layers
    # The batch: L (and J with L2); ∂J/∂W and ∂J/∂b of every layer; W and b after the update.
    batch = 1 + (config.training.l2 > 0) + 2 * layers + 2 * layers
    assert len(printed_quantities(lines)) == samples * per_sample + batch
    assert check_against_the_record(record, lines) > 0
    assert any("(sample 3)" in line for line in lines)


def test_headless_explains_every_step_before_its_epochs_line():
    result = subprocess.run(
        [sys.executable, "main.py", "--lesson", "worked-example", "--headless", "--epochs", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    steps = [i for i, line in enumerate(lines) if line.startswith("step ")]
    epochs = [i for i, line in enumerate(lines) if line.startswith("epoch ")]
    assert len(steps) == len(epochs) == 2 and steps[0] < epochs[0] < steps[1] < epochs[1]
    config = load_config(overrides=["training.epochs=2"], lesson="worked-example")
    run = TrainingRun(config, config.training.seed)
    for start in steps:
        record = run.next_record(1)
        assert record is not None
        block = lines[start : start + len(explain_step(record, config))]
        assert block == explain_step(record, config)
        check_against_the_record(record, block)


def test_the_readmes_explained_step_is_what_the_worked_example_prints():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```\n(step 1: .*?)```", readme, flags=re.S)
    assert shown is not None
    config = load_config(overrides=["training.epochs=1"], lesson="worked-example")
    record = TrainingRun(config, config.training.seed).next_record(1)
    assert record is not None
    assert shown[1].splitlines() == explain_step(record, config)
