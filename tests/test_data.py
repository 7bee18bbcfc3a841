"""Every data source through one door: widths the config can tell, fixed points where the
seeds fix them, the user's file split and standardised, and each one trainable."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

from visualizer.config import generated_widths, load_config
from visualizer.training.data import (
    data_widths,
    file_digest,
    fit_to_data,
    make_datasets,
)
from visualizer.training.run import TrainingRun
from visualizer.training.user_data import load_table, stratified_split

ROOT = Path(__file__).resolve().parents[1]
FRUIT = ROOT / "examples" / "fruit.csv"

SOURCES = {
    "shapes": [],
    "digits": ["data.source=digits", "network.sizes=[64, 32, 10]"],
    "xor": ["data.source=xor", "network.sizes=[2, 4, 1]", "network.output=sigmoid"],
    "worked-example": [
        "data.source=worked-example",
        "network.sizes=[2, 2, 1]",
        "network.output=sigmoid",
    ],
}


def file_config(path, *overrides):
    return fit_to_data(load_config(overrides=["data.source=file", f"data.file={path}", *overrides]))


@pytest.mark.parametrize("overrides", SOURCES.values(), ids=SOURCES.keys())
def test_the_config_tells_each_generated_sources_widths_as_its_data_has_them(overrides):
    config = load_config(overrides=overrides)
    train, test = make_datasets(config, np.random.default_rng(0))
    widths = generated_widths(config.data)
    assert widths == data_widths(config)
    for split in (train, test):
        assert split.inputs.shape[1] == widths.inputs
        assert len(split.class_names) == widths.classes and split.image_side == widths.image_side
        assert set(split.labels.tolist()) <= set(range(widths.classes))


def test_xor_is_the_four_points_of_seed_002_trained_and_tested_on():
    config = load_config(overrides=SOURCES["xor"])
    train, test = make_datasets(config, np.random.default_rng(0))
    assert train is test
    assert train.inputs.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert train.labels.tolist() == [0, 1, 1, 0]
    assert train.class_names == ("0", "1") and train.feature_names == ("x1", "x2")
    assert train.image_side is None
    with pytest.raises(ValueError):
        train.inputs[0, 0] = 1.0


def test_the_worked_example_is_seed_003s_one_sample():
    config = load_config(overrides=SOURCES["worked-example"])
    train, test = make_datasets(config, np.random.default_rng(5))
    assert train is test and train.inputs.tolist() == [[1.0, 2.0]] and train.labels.tolist() == [1]


def test_a_file_is_split_by_class_and_its_features_standardised_by_the_training_split():
    config = file_config(FRUIT)
    assert config.network.sizes == (2, 16, 3)
    table = load_table(FRUIT)
    train, test = make_datasets(config, np.random.default_rng(0))
    assert (len(train), len(test)) == (144, 36)  # 20% of each class's 60 rows held out
    assert np.bincount(test.labels).tolist() == [12, 12, 12]
    assert train.class_names == ("apple", "lemon", "orange")
    assert train.feature_names == ("weight_g", "sugar_percent") and train.image_side is None
    assert np.allclose(train.inputs.mean(axis=0), 0) and np.allclose(train.inputs.std(axis=0), 1)
    # Both splits in the training split's units, rows chosen as stratified_split chooses them.
    train_rows, test_rows = stratified_split(table.labels, 0.2, np.random.default_rng(0))
    raw = table.inputs[train_rows]
    mean, spread = raw.mean(axis=0), raw.std(axis=0)
    assert np.allclose(train.inputs, (raw - mean) / spread)
    assert np.allclose(test.inputs, (table.inputs[test_rows] - mean) / spread)
    assert np.array_equal(test.labels, table.labels[test_rows])


def test_a_file_splits_the_same_for_the_same_seed_and_otherwise_for_another():
    config = file_config(FRUIT)
    a, b, c = (make_datasets(config, np.random.default_rng(seed)) for seed in (1, 1, 2))
    assert np.array_equal(a[1].inputs, b[1].inputs) and np.array_equal(a[1].labels, b[1].labels)
    assert not np.array_equal(a[1].inputs, c[1].inputs)


def test_images_from_a_folder_stay_in_0_1_as_read(tmp_path):
    rng = np.random.default_rng(0)
    for name in ("a", "b"):
        (tmp_path / "images" / name).mkdir(parents=True)
        for i in range(5):
            pixels = rng.integers(0, 256, (3, 3, 3)).astype(np.uint8)
            pygame.image.save(
                pygame.surfarray.make_surface(pixels), str(tmp_path / "images" / name / f"{i}.png")
            )
    config = file_config(tmp_path / "images")
    assert config.network.sizes == (9, 16, 2)
    assert data_widths(config).image_side == 3
    train, test = make_datasets(config, np.random.default_rng(0))
    table = load_table(tmp_path / "images")
    assert train.image_side == 3 and train.feature_names is None
    everything = {tuple(row) for row in table.inputs.tolist()}
    assert {tuple(row) for row in [*train.inputs.tolist(), *test.inputs.tolist()]} == everything


def test_a_file_config_whose_network_does_not_fit_is_not_trained():
    config = load_config(overrides=["data.source=file", f"data.file={FRUIT}"])  # not fitted
    with pytest.raises(ValueError, match=r"do not fit data\.file"):
        make_datasets(config, np.random.default_rng(0))


def test_fitting_leaves_every_other_source_as_it_is(default_config):
    assert fit_to_data(default_config) is default_config


def test_a_files_digest_is_its_bytes(default_config):
    assert file_digest(default_config) is None
    expected = hashlib.sha256(FRUIT.read_bytes()).hexdigest()
    assert file_digest(file_config(FRUIT)) == expected


@pytest.mark.parametrize(
    ("overrides", "batches", "batch_size"),
    [
        (SOURCES["xor"], 1, 4),
        (SOURCES["worked-example"], 1, 1),
        (SOURCES["digits"], 15, 16),
        (["data.source=file", f"data.file={FRUIT}"], 9, 16),
    ],
    ids=["xor", "worked-example", "digits", "file"],
)
def test_every_source_trains_through_a_run(overrides, batches, batch_size):
    config = fit_to_data(load_config(overrides=[*overrides, "training.epochs=2"]))
    run = TrainingRun(config, 0)
    assert (run.batches_per_epoch, run.batch_size) == (batches, batch_size)
    records = [run.next_record(batches) for _ in range(2)]
    assert run.next_record() is None and all(r.ends_epoch for r in records)
    assert records[-1].class_names == run.train_set.class_names
    assert records[-1].inputs.shape == (batch_size, config.network.sizes[0])


def test_digits_are_learned_within_a_few_epochs():
    """The digits lesson's network and pace (docs/dataset.md): after five epochs of 240
    images most held-out digits are right (the full goal is benchmarks/bench_defaults.py's)."""
    config = load_config(
        overrides=[*SOURCES["digits"], "training.learning_rate=0.3", "training.epochs=5"]
    )
    run = TrainingRun(config, 0)
    while run.next_record(run.batches_per_epoch) is not None:
        pass
    assert run.history.epochs[-1].test_accuracy >= 0.6


def test_the_example_file_is_learned_within_a_few_epochs():
    run = TrainingRun(file_config(FRUIT, "training.epochs=5"), 0)
    while run.next_record(run.batches_per_epoch) is not None:
        pass
    assert run.history.epochs[-1].test_accuracy >= 0.85
