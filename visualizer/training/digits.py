"""Generated images of the digits 0–9, drawn from the shipped Inter fonts' glyphs.

Contract: ``render(labels, rng, style)`` draws one digit per label (label k is the digit
k, named by ``CLASS_NAMES``) as a ``(count, side, side)`` float64 array in [0, 1], row 0
at the top, from the Generator passed in: a seed fixes the images. numpy only: the glyphs
were rasterised once from assets/fonts by scripts/make_digit_glyphs.py into
assets/digits/glyphs.npz (64×64 coverage bitmaps, Inter Regular and SemiBold, each digit
centred by its ink box). ``training/data.py`` turns the images into ``Dataset``s.

Each image is its digit's glyph under a random affine map — height (``min_scale`` …
``max_scale`` of the side), tilt, centre offset — at a random stroke weight, resampled by
supersampling (bilinear within the glyph bitmap, then averaged over ``supersample²``
points per pixel, as shapes.py does), dimmed a little and given Gaussian noise. Stroke
weight w blends two neighbouring weights: 0 is Regular, 1 SemiBold, and each step above
1 thickens SemiBold's strokes by one bitmap pixel on every side (a 3×3 maximum filter).
"""

from __future__ import annotations

import functools

import numpy as np

from visualizer.config import MAX_STROKE_WEIGHT, DigitsConfig
from visualizer.resources import resource_path

CLASS_NAMES = tuple(str(digit) for digit in range(10))
GLYPHS_FILE = ("digits", "glyphs.npz")  # under assets/
_CHUNK_SUBSAMPLES = 2**21  # subsample points rendered at once: bounds the memory used


@functools.cache
def glyph_weights() -> tuple[np.ndarray, int]:
    """Every stroke weight 0, 1, … MAX_STROKE_WEIGHT of every digit as coverage in 0..1,
    ``(weights, 10, side + 2, side + 2)`` with a blank border (so that sampling outside a
    glyph gives 0), and the tallest digit's height in bitmap pixels."""
    with np.load(resource_path("assets").joinpath(*GLYPHS_FILE), allow_pickle=False) as file:
        regular, semibold = file["glyphs"] / 255.0
        height = int(file["height"])
    weights = [regular, semibold]
    while len(weights) <= MAX_STROKE_WEIGHT:
        weights.append(_thicken(weights[-1]))
    return np.pad(np.stack(weights), ((0, 0), (0, 0), (1, 1), (1, 1))), height


def _thicken(glyphs: np.ndarray) -> np.ndarray:
    """Each pixel the largest coverage of its 3×3 neighbourhood: strokes one pixel wider a side."""
    side = glyphs.shape[-1]
    padded = np.pad(glyphs, ((0, 0), (1, 1), (1, 1)))
    shifted = [padded[:, dy : dy + side, dx : dx + side] for dy in range(3) for dx in range(3)]
    return np.max(shifted, axis=0)


def render(labels: np.ndarray, rng: np.random.Generator, style: DigitsConfig) -> np.ndarray:
    """One image per label, ``(count, side, side)``."""
    count, side = len(labels), style.image_size
    scale = rng.uniform(style.min_scale, style.max_scale, count)
    angle = np.radians(rng.uniform(-1.0, 1.0, count) * style.max_rotation_degrees)
    centre = side / 2 + rng.uniform(-1.0, 1.0, (count, 2)) * style.max_offset
    weight = rng.uniform(style.min_weight, style.max_weight, count)
    brightness = rng.uniform(style.min_brightness, 1.0, count)

    # In chunks, after every draw: the images do not depend on the chunk size.
    chunk = max(1, _CHUNK_SUBSAMPLES // (side * style.supersample) ** 2)
    parts = []
    for start in range(0, count, chunk):
        part = slice(start, start + chunk)
        parts.append(
            _coverage(labels[part], scale[part], angle[part], centre[part], weight[part], style)
        )
    coverage = np.concatenate(parts)
    images = coverage * brightness[:, None, None]
    images += rng.normal(0.0, style.noise, images.shape)
    return np.clip(images, 0.0, 1.0)


def _coverage(
    labels: np.ndarray,
    scale: np.ndarray,
    angle: np.ndarray,
    centre: np.ndarray,
    weight: np.ndarray,
    style: DigitsConfig,
) -> np.ndarray:
    """How much of each pixel the transformed glyphs cover, ``(count, side, side)``."""
    glyphs, height = glyph_weights()
    count, side, ss = len(labels), style.image_size, style.supersample
    padded = glyphs.shape[-1]
    middle = (padded - 2) / 2

    # Subsample centres in output pixels, mapped into the glyph's bitmap: undo the offset,
    # the tilt and the scale (bitmap pixels per output pixel), then index the padded array.
    ticks = (np.arange(side * ss) + 0.5) / ss
    dx = ticks[None, None, :] - centre[:, 0, None, None]
    dy = ticks[None, :, None] - centre[:, 1, None, None]
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    zoom = (height / (scale * side))[:, None, None]
    # A bitmap pixel's centre sits at index + 0.5; the blank border adds 1.
    x = np.clip((cos * dx + sin * dy) * zoom + middle + 0.5, 0.0, padded - 1.001)
    y = np.clip((-sin * dx + cos * dy) * zoom + middle + 0.5, 0.0, padded - 1.001)
    x0, y0 = x.astype(np.intp), y.astype(np.intp)
    fx, fy = x - x0, y - y0

    lower = np.minimum(weight.astype(np.intp), len(glyphs) - 2)
    upper_share = (weight - lower)[:, None, None]
    flat = glyphs.reshape(-1)

    def bilinear(level: np.ndarray) -> np.ndarray:
        corner = ((level * len(CLASS_NAMES) + labels) * padded * padded)[:, None, None]
        corner = corner + y0 * padded + x0
        top = flat[corner] * (1 - fx) + flat[corner + 1] * fx
        bottom = flat[corner + padded] * (1 - fx) + flat[corner + padded + 1] * fx
        return top * (1 - fy) + bottom * fy

    blended = bilinear(lower) * (1 - upper_share) + bilinear(lower + 1) * upper_share
    return blended.reshape(count, side, ss, side, ss).mean(axis=(2, 4))
