"""Generated 8×8 images of circles and squares: the network's whole world.

Contract: ``make_splits(train_size, test_size, rng, style)`` returns two balanced
``Dataset``s of flattened images (float64 in [0, 1], row-major, row 0 at the top) with
labels ``0 = circle`` and ``1 = square`` (``CLASS_NAMES``, carried by each dataset).
Everything is drawn from the Generator passed in, so a seed fixes the data; no files, no
downloads.

Each shape is a filled ellipse or rectangle with a random centre, size, aspect ratio and
(slight) rotation, rendered by supersampling so edges are anti-aliased, then dimmed a
little, given Gaussian noise and a few flipped pixels. Sizes are drawn by *area*, from
the same range for both classes, so brightness alone does not give the answer: the net
has to find corners versus curves. The defaults (config/default.yaml) were tuned with
benchmarks/bench_dataset.py, figures in docs/dataset.md: noisier or smaller shapes make a
1,074-parameter net memorise noise instead of shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.config import ShapesConfig

CLASS_NAMES = ("circle", "square")
CIRCLE, SQUARE = 0, 1


@dataclass(frozen=True)
class Dataset:
    """Flattened images ``(N, size²)`` and labels ``(N,)``; arrays are read-only.

    ``class_names[k]`` is what label k means: the names travel with the data, so what
    shows it needs to know no dataset.
    """

    images: np.ndarray
    labels: np.ndarray
    image_size: int
    class_names: tuple[str, ...]

    def __post_init__(self) -> None:
        self.images.flags.writeable = False
        self.labels.flags.writeable = False

    def __len__(self) -> int:
        return len(self.labels)


def generate(count: int, rng: np.random.Generator, style: ShapesConfig) -> Dataset:
    """``count`` images, half circles and half squares (one more circle if odd), shuffled."""
    labels = np.arange(count) % 2
    rng.shuffle(labels)
    images = _render(labels, rng, style)
    return Dataset(
        images.reshape(count, -1), labels.astype(np.int64), style.image_size, CLASS_NAMES
    )


def make_splits(
    train_size: int, test_size: int, rng: np.random.Generator, style: ShapesConfig
) -> tuple[Dataset, Dataset]:
    """A training and a test set drawn independently from the same distribution."""
    train_rng, test_rng = rng.spawn(2)
    return generate(train_size, train_rng, style), generate(test_size, test_rng, style)


def _render(labels: np.ndarray, rng: np.random.Generator, style: ShapesConfig) -> np.ndarray:
    count, size, ss = len(labels), style.image_size, style.supersample
    area = rng.uniform(style.min_area, style.max_area, count)
    aspect = np.exp(rng.uniform(-1.0, 1.0, count) * np.log(style.max_aspect) / 2)
    angle = np.radians(rng.uniform(-1.0, 1.0, count) * style.max_rotation_degrees)
    centre = size / 2 + rng.uniform(-1.0, 1.0, (count, 2)) * style.max_offset
    brightness = rng.uniform(style.min_brightness, 1.0, count)

    # Half-extents along the shape's own axes, from area = π·rx·ry or 4·rx·ry.
    is_square = labels == SQUARE
    half_area = np.where(is_square, area / 4, area / np.pi)
    rx = np.sqrt(half_area * aspect)
    ry = np.sqrt(half_area / aspect)

    # Subsample centres in pixel units, shape (size·ss,) per axis.
    ticks = (np.arange(size * ss) + 0.5) / ss
    dx = ticks[None, None, :] - centre[:, 0, None, None]
    dy = ticks[None, :, None] - centre[:, 1, None, None]
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    u = (cos * dx + sin * dy) / rx[:, None, None]
    v = (-sin * dx + cos * dy) / ry[:, None, None]
    inside = np.where(
        is_square[:, None, None],
        np.maximum(np.abs(u), np.abs(v)) <= 1.0,
        u * u + v * v <= 1.0,
    )
    coverage = inside.reshape(count, size, ss, size, ss).mean(axis=(2, 4))

    images = coverage * brightness[:, None, None]
    images += rng.normal(0.0, style.noise, images.shape)
    flips = rng.random(images.shape) < style.flip_fraction
    images = np.where(flips, 1.0 - images, images)
    return np.clip(images, 0.0, 1.0)
