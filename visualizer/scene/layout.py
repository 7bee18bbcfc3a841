"""Where every neuron and synapse sits on screen, for any window shape and small network.

Contract: ``layout_network(sizes, stage, image_side)`` returns a ``NetworkLayout`` in pixel
coordinates (origin top-left, y down). The input layer is drawn as the image itself when
``image_side² == sizes[0]`` (an ``image_side × image_side`` grid of pixel-neurons at the
bottom); any other layer is a row. Layers stack from the bottom (input) to the top
(output), so the forward pass flows up the screen.

Synapses are cubic Bézier curves leaving each neuron straight up and arriving at the next
layer from straight below. They are ordered gap by gap, and within a gap as ``W.ravel()``
orders weights (source-major), so synapse ``k`` of gap ``g`` is ``W[g+1].flat[k]``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2

    def inset(self, by: float) -> Rect:
        """Smaller by ``by`` on every side (larger for a negative ``by``)."""
        return Rect(self.x + by, self.y + by, self.width - 2 * by, self.height - 2 * by)

    def union(self, other: Rect) -> Rect:
        """The smallest rectangle holding both."""
        x, y = min(self.x, other.x), min(self.y, other.y)
        right = max(self.x + self.width, other.x + other.width)
        return Rect(x, y, right - x, max(self.bottom, other.bottom) - y)

    def halves(self, gap: float) -> tuple[Rect, Rect]:
        """The top and bottom halves, ``gap`` apart."""
        half = (self.height - gap) / 2
        return Rect(self.x, self.y, self.width, half), Rect(
            self.x, self.y + half + gap, self.width, half
        )

    def contains(self, point: tuple[float, float]) -> bool:
        return self.x <= point[0] <= self.x + self.width and self.y <= point[1] <= self.bottom


@dataclass(frozen=True)
class NetworkLayout:
    stage: Rect
    positions: tuple[np.ndarray, ...]  # per layer, (n, 2) pixel centres
    radii: tuple[float, ...]  # per layer: a neuron's core radius (half a cell for the grid)
    grid_side: int | None  # the input layer is an image grid of this side, or a row
    controls: np.ndarray  # (synapses, 4, 2) Bézier control points
    gap_of_synapse: np.ndarray  # (synapses,) which gap (0 = input → first hidden) it crosses
    gap_offsets: tuple[int, ...]  # index of each gap's first synapse, and the total at the end

    @property
    def layer_count(self) -> int:
        return len(self.positions)

    @property
    def synapse_count(self) -> int:
        return len(self.controls)

    def gap_slice(self, gap: int) -> slice:
        return slice(self.gap_offsets[gap], self.gap_offsets[gap + 1])


def layout_network(sizes: tuple[int, ...], stage: Rect, image_side: int | None) -> NetworkLayout:
    """Place layers bottom (input) to top (output) inside ``stage``."""
    grid_side = image_side if image_side and image_side**2 == sizes[0] else None
    w, h = stage.width, stage.height
    top = stage.y + 0.16 * h  # room above the outputs for their labels
    if grid_side:
        grid_size = min(0.36 * h, 0.42 * w)
        grid_bottom = stage.bottom - 0.02 * h
        input_positions = _grid(grid_side, stage.centre_x, grid_bottom - grid_size / 2, grid_size)
        input_radius = grid_size / grid_side / 2
        lowest_row = grid_bottom - grid_size - 0.1 * h  # where the first row above the grid may sit
    else:
        input_positions = None
        lowest_row = stage.bottom - 0.08 * h

    row_layers = list(range(0 if input_positions is None else 1, len(sizes)))
    ys = np.linspace(lowest_row, top, len(row_layers)) if len(row_layers) > 1 else [top]
    positions: list[np.ndarray] = [] if input_positions is None else [input_positions]
    radii: list[float] = [] if input_positions is None else [input_radius]
    for layer, y in zip(row_layers, ys):
        is_output = layer == len(sizes) - 1
        row, radius = _row(sizes[layer], stage, y, is_output)
        positions.append(row)
        radii.append(radius)

    controls, gaps, offsets = _synapses(positions)
    return NetworkLayout(stage, tuple(positions), tuple(radii), grid_side, controls, gaps, offsets)


def _grid(side: int, centre_x: float, centre_y: float, size: float) -> np.ndarray:
    """Pixel-neuron centres in image order: row 0 (the image's top) first."""
    cell = size / side
    offsets = (np.arange(side) - (side - 1) / 2) * cell
    ys, xs = np.meshgrid(centre_y + offsets, centre_x + offsets, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1)


SMALL_ROW = 4  # rows of at most this many neurons are spread wider, with larger neurons


def _row(count: int, stage: Rect, y: float, is_output: bool) -> tuple[np.ndarray, float]:
    w, h = stage.width, stage.height
    if is_output and count <= 2:
        span = min(0.34 * w, 0.45 * h) * (count - 1) / max(count - 1, 1)
        radius = min(0.032 * h, 0.06 * w)
    elif is_output:  # up to ten classes: a wider row, and neurons that keep apart
        span = min(0.78 * w, 0.16 * h * (count - 1))
        radius = min(0.032 * h, 0.06 * w, 0.3 * span / (count - 1))
    elif count <= SMALL_ROW:  # a few neurons (XOR, the worked example): room between them
        span = min(0.5 * w, 0.22 * h * (count - 1))
        radius = min(0.024 * h, 0.3 * span / max(count - 1, 1), 0.03 * w)
    else:
        span = min(0.78 * w, 0.075 * h * count)
        radius = min(0.016 * h, 0.3 * span / max(count - 1, 1), 0.03 * w)
    xs = stage.centre_x + (np.linspace(-0.5, 0.5, count) if count > 1 else np.zeros(1)) * span
    return np.stack([xs, np.full(count, y)], axis=1), max(radius, 3.0)


def _synapses(positions: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    controls, gaps, offsets = [], [], [0]
    for gap, (lower, upper) in enumerate(itertools.pairwise(positions)):
        start = np.repeat(lower, len(upper), axis=0)  # source-major, like W.ravel()
        end = np.tile(upper, (len(lower), 1))
        pull = np.zeros_like(start)
        pull[:, 1] = 0.45 * (start[:, 1] - end[:, 1])  # leave straight up, arrive from below
        controls.append(np.stack([start, start - pull, end + pull, end], axis=1))
        gaps.append(np.full(len(start), gap))
        offsets.append(offsets[-1] + len(start))
    return np.concatenate(controls), np.concatenate(gaps), tuple(offsets)


def bezier(controls: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Points on every curve at each of the parameters ``t``: (curves, len(t), 2)."""
    return _cubic(controls[:, None, :, :], np.asarray(t)[None, :, None])


def point_on_each(controls: np.ndarray, t: np.ndarray) -> np.ndarray:
    """One point per curve, curve i at parameter t[i]: (curves, 2)."""
    return _cubic(controls, np.asarray(t)[:, None])


def _cubic(controls: np.ndarray, t: np.ndarray) -> np.ndarray:
    p0, p1, p2, p3 = (controls[..., i, :] for i in range(4))
    u = 1.0 - t
    return u**3 * p0 + 3 * u**2 * t * p1 + 3 * u * t**2 * p2 + t**3 * p3
