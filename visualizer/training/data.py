"""What a run trains on, from any source: the ``Dataset`` type, and ``make_datasets``.

Contract: ``make_datasets(config, rng)`` returns the training and the test ``Dataset`` of
``config.data.source``, deterministic from ``rng`` (the checkpoint's data digest relies on
it), numpy only:

- ``shapes``, ``digits``: ``data.train_size`` and ``data.test_size`` generated images
  (training/shapes.py, training/digits.py), classes balanced, from two Generators spawned
  from ``rng``;
- ``xor``: the four XOR points; ``worked-example``: seed 003's one sample. There is
  nothing else to test on, so the test set is the training set;
- ``file``: the user's table (training/user_data.py), split by class with
  ``data.test_share`` held out, shuffled by ``rng``; features (not images) standardised
  with the training split's mean and standard deviation.

``fit_to_data(config)`` is the config a file source trains with: ``network.sizes`` ending
in the file's widths (validated by visualizer.config; every refusal of the file happens here).
``data_widths(config)`` tells any source's widths without making its data;
``file_digest(config)`` a file source's SHA-256.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from visualizer.config import (
    GENERATED_SOURCES,
    Config,
    DataConfig,
    DataWidths,
    fit_network_to_data,
    generated_widths,
)
from visualizer.training import digits, shapes
from visualizer.training.user_data import load_table, standardised, stratified_split


@dataclass(frozen=True)
class Dataset:
    """Samples ``inputs`` (N, d) with class indices ``labels`` (N,); arrays are read-only.

    ``class_names[k]`` is what label k means: the names travel with the data, so what
    shows it needs to know no dataset. ``image_side``: the inputs are ``image_side ×
    image_side`` images (row-major, row 0 on top) in 0..1, or None; then
    ``feature_names`` names each column.
    """

    inputs: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]
    image_side: int | None
    feature_names: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        self.inputs.flags.writeable = False
        self.labels.flags.writeable = False

    def __len__(self) -> int:
        return len(self.labels)


# Seed 002's XOR and seed 003's worked example: inputs x1, x2, classes "0" and "1".
XOR = ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
WORKED_EXAMPLE = ([[1.0, 2.0]], [1])
_FIXED = {"xor": XOR, "worked-example": WORKED_EXAMPLE}
_FIXED_CLASSES = ("0", "1")
_FIXED_FEATURES = ("x1", "x2")


def make_datasets(config: Config, rng: np.random.Generator) -> tuple[Dataset, Dataset]:
    """The (training, test) datasets of ``config.data.source``."""
    data = config.data
    if data.source in GENERATED_SOURCES:
        train_rng, test_rng = rng.spawn(2)
        return generate(data, data.train_size, train_rng), generate(data, data.test_size, test_rng)
    if data.source == "file":
        return _from_file(config, rng)
    inputs, labels = _FIXED[data.source]
    fixed = Dataset(
        np.array(inputs), np.array(labels, dtype=np.int64), _FIXED_CLASSES, None, _FIXED_FEATURES
    )
    return fixed, fixed


def generate(data: DataConfig, count: int, rng: np.random.Generator) -> Dataset:
    """``count`` images of a generated source (shapes or digits), shuffled, with every class
    ``count // classes`` times (the first classes once more when it does not divide)."""
    names: tuple[str, ...]
    render: Callable[[np.ndarray, np.random.Generator], np.ndarray]
    match data.source:
        case "shapes":
            names, render = shapes.CLASS_NAMES, partial(shapes.render, style=data.shapes)
        case "digits":
            names, render = digits.CLASS_NAMES, partial(digits.render, style=data.digits)
        case _:
            raise ValueError(f"data.source {data.source} is not generated")
    labels = np.arange(count) % len(names)
    rng.shuffle(labels)
    images = render(labels, rng)
    return Dataset(images.reshape(count, -1), labels.astype(np.int64), names, images.shape[1])


def fit_to_data(config: Config) -> Config:
    """``config``, with a file source's network ends set to its widths (loading the file,
    so refusing it here if it cannot be used); other sources' configs are already fitted."""
    if config.data.source != "file":
        return config
    widths = load_table(config.data.file).widths(config.data.test_share)
    return fit_network_to_data(config, widths, f"data.file {config.data.file}")


def data_widths(config: Config) -> DataWidths:
    """Inputs per sample, classes, image side and training samples of ``config.data``."""
    generated = generated_widths(config.data)
    return generated or load_table(config.data.file).widths(config.data.test_share)


def file_digest(config: Config) -> str | None:
    """SHA-256 of a file source's bytes (an edited file is other data); None for the others."""
    return load_table(config.data.file).digest if config.data.source == "file" else None


def _from_file(config: Config, rng: np.random.Generator) -> tuple[Dataset, Dataset]:
    table = load_table(config.data.file)
    if fit_to_data(config).network.sizes != config.network.sizes:
        raise ValueError(
            f"network.sizes {list(config.network.sizes)} do not fit data.file "
            f"{config.data.file}; train with fit_to_data(config), as the command line does"
        )
    train_rows, test_rows = stratified_split(table.labels, config.data.test_share, rng)
    train, test = table.inputs[train_rows], table.inputs[test_rows]
    if table.image_side is None:  # images stay in 0..1, so that they draw as images
        train, test = standardised(train, test)

    def dataset(inputs: np.ndarray, rows: np.ndarray) -> Dataset:
        return Dataset(
            inputs, table.labels[rows], table.class_names, table.image_side, table.feature_names
        )

    return dataset(train, train_rows), dataset(test, test_rows)
