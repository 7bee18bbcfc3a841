"""Generated 8×8 images of circles and squares: the default show's whole world.

Contract: ``render(labels, rng, style)`` draws one image per label (``0 = circle``,
``1 = square``, named by ``CLASS_NAMES``) as a ``(count, side, side)`` float64 array in
[0, 1], row 0 at the top, from the Generator passed in: a seed fixes the images; no files,
no downloads. ``training/data.py`` turns them into ``Dataset``s.

Each shape is a filled ellipse or rectangle with a random centre, size, aspect ratio and
(slight) rotation, rendered by supersampling so edges are anti-aliased, then dimmed a
little, given Gaussian noise and a few flipped pixels. Sizes are drawn by *area*, from
the same range for both classes, so brightness alone does not give the answer: the net
has to find corners versus curves. The defaults (config/default.yaml) were tuned with
benchmarks/bench_dataset.py, figures in docs/dataset.md: noisier or smaller shapes make a
1,074-parameter net memorise noise instead of shapes.
"""

from __future__ import annotations

import numpy as np

from visualizer.config import ShapesConfig

CLASS_NAMES = ("circle", "square")
CHUNK_SUBSAMPLES = 1 << 22  # subsamples computed at once: ~160 MB alive at the peak
CIRCLE, SQUARE = 0, 1


def render(labels: np.ndarray, rng: np.random.Generator, style: ShapesConfig) -> np.ndarray:
    """One image per label, ``(count, side, side)``."""
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

    # Subsampled in chunks of images: about 40 bytes per subsample are alive at once, so a
    # whole large set at once would need gigabytes (the result is the same either way).
    coverage = np.empty((count, size, size))
    chunk = max(1, CHUNK_SUBSAMPLES // (size * ss) ** 2)
    for start in range(0, count, chunk):
        part = slice(start, start + chunk)
        coverage[part] = _coverage(
            centre[part], angle[part], rx[part], ry[part], is_square[part], size, ss
        )

    images = coverage * brightness[:, None, None]
    images += rng.normal(0.0, style.noise, images.shape)
    flips = rng.random(images.shape) < style.flip_fraction
    images = np.where(flips, 1.0 - images, images)
    return np.clip(images, 0.0, 1.0)


def _coverage(
    centre: np.ndarray,
    angle: np.ndarray,
    rx: np.ndarray,
    ry: np.ndarray,
    is_square: np.ndarray,
    size: int,
    ss: int,
) -> np.ndarray:
    """The share of each pixel's ss×ss subsamples that falls inside each image's shape."""
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
    return inside.reshape(len(centre), size, ss, size, ss).mean(axis=(2, 4))
