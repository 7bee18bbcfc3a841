"""The circles-and-squares dataset: balanced, bounded, seeded, and learnable."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from visualizer.training.data import generate, make_datasets
from visualizer.training.shapes import CIRCLE, SQUARE


@pytest.fixture(scope="module")
def style(default_config):
    return default_config.data.shapes


@pytest.fixture(scope="module")
def shapes(default_config):
    """``shapes(count, seed, style)``: generated shapes in that style."""

    def make(count, seed, style):
        data = dataclasses.replace(default_config.data, shapes=style)
        return generate(data, count, np.random.default_rng(seed))

    return make


def test_splits_have_the_configured_sizes_balanced_classes_and_values_in_0_1(default_config):
    train, test = make_datasets(default_config, np.random.default_rng(0))
    assert train.inputs.shape == (240, 64) and test.inputs.shape == (40, 64)
    assert train.image_side == test.image_side == 8 and train.feature_names is None
    for split in (train, test):
        assert np.bincount(split.labels).tolist() == [len(split) // 2] * 2
        assert split.inputs.dtype == np.float64
        assert split.inputs.min() >= 0.0 and split.inputs.max() <= 1.0


def test_the_same_seed_gives_the_same_images_and_another_seed_does_not(shapes, style):
    a = shapes(20, 3, style)
    b = shapes(20, 3, style)
    c = shapes(20, 4, style)
    assert np.array_equal(a.inputs, b.inputs) and np.array_equal(a.labels, b.labels)
    assert not np.array_equal(a.inputs, c.inputs)


def test_a_dataset_names_its_classes_by_label(shapes, style):
    data = shapes(4, 0, style)
    assert (data.class_names[CIRCLE], data.class_names[SQUARE]) == ("circle", "square")


def test_datasets_are_read_only(shapes, style):
    data = shapes(4, 0, style)
    with pytest.raises(ValueError):
        data.inputs[0, 0] = 1.0


def test_shapes_are_centred_and_edges_are_anti_aliased(shapes, style):
    clean = dataclasses.replace(style, noise=0.0, flip_fraction=0.0, min_brightness=1.0)
    data = shapes(200, 1, clean)
    images = data.inputs.reshape(-1, 8, 8)
    # The middle 2×2 pixels are always inside the shape; the frame's corners almost never.
    assert images[:, 3:5, 3:5].min() > 0.99
    corners = images[:, [0, 0, 7, 7], [0, 7, 0, 7]]
    assert corners.mean() < 0.01 and corners.max() < 0.5
    # Anti-aliasing: partially covered pixels exist, strictly between 0 and 1.
    assert np.mean((images > 0.05) & (images < 0.95)) > 0.1


def test_squares_fill_their_corners_and_circles_do_not(shapes, style):
    """The cue a person sees: a square fills its bounding box, a circle only about π/4 of it."""
    clean = dataclasses.replace(style, noise=0.0, flip_fraction=0.0, min_brightness=1.0)
    data = shapes(400, 2, clean)
    images = data.inputs.reshape(-1, 8, 8)

    def fill_of_bounding_box(image):
        rows, cols = np.nonzero(image > 0.5)
        box = image[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
        return box.mean()

    fill = np.array([fill_of_bounding_box(im) for im in images])
    circles, squares = fill[data.labels == CIRCLE], fill[data.labels == SQUARE]
    assert squares.mean() > circles.mean() + 0.05


def test_area_is_drawn_from_the_same_range_for_both_classes(shapes, style):
    """Total brightness alone must not separate the classes."""
    clean = dataclasses.replace(style, noise=0.0, flip_fraction=0.0, min_brightness=1.0)
    data = shapes(2000, 5, clean)
    ink = data.inputs.sum(axis=1)
    circles, squares = ink[data.labels == CIRCLE], ink[data.labels == SQUARE]
    assert abs(circles.mean() - squares.mean()) < 0.05 * ink.mean()
