"""The decision map of a network with two inputs: its answer at every point of the plane.

Contract: ``DecisionMaps(network, resolution).of(record, updated)`` runs a private copy of
the network (evaluation mode, like a visitor's drawing) with the record's parameters of
one moment — before its batch, or once its update has ``updated`` the weights — on a
``resolution × resolution`` grid over the plane that holds the run's data, and returns a
``DecisionMap``: the class probabilities at each grid point, row 0 at the top (the largest
value of the second input), as TensorFlow Playground draws it. A map is computed again
only when its record or moment changes: once per update, not once per frame.

Nothing here reaches the trainer: the weights come from the record on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from visualizer.config import NetworkConfig
from visualizer.scene.probe import network_copy
from visualizer.training.records import StepRecord

MARGIN = 0.1  # of the data's extent, on each side of the plane
Bounds = tuple[float, float, float, float]  # x_min, x_max, y_min, y_max


@dataclass(frozen=True)
class DecisionMap:
    key: tuple[int, int, int, bool]  # run, seed, step and moment it shows
    bounds: Bounds
    probabilities: np.ndarray = field(compare=False, repr=False)  # (rows, columns, classes)


def plane_bounds(points: np.ndarray) -> Bounds:
    """The plane that holds every point (N, 2), with ``MARGIN`` around it."""
    low, high = points.min(axis=0), points.max(axis=0)
    extent = np.maximum(high - low, 1e-9)
    low, high = low - MARGIN * extent, high + MARGIN * extent
    return float(low[0]), float(high[0]), float(low[1]), float(high[1])


def plane_grid(bounds: Bounds, resolution: int) -> np.ndarray:
    """The (resolution², 2) points of the map, row by row from the top."""
    x_min, x_max, y_min, y_max = bounds
    xs = np.linspace(x_min, x_max, resolution)
    ys = np.linspace(y_max, y_min, resolution)
    return np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)


class DecisionMaps:
    """The latest map, computed again only for another record or moment."""

    def __init__(self, network: NetworkConfig, resolution: int) -> None:
        self._network = network
        self._resolution = resolution
        self._latest: DecisionMap | None = None

    def of(self, record: StepRecord, updated: bool) -> DecisionMap:
        key = (record.run, record.seed, record.step, updated)
        if self._latest is None or self._latest.key != key:
            points = np.concatenate([record.train_set.inputs, record.test_set.inputs])
            bounds = plane_bounds(points)
            net = network_copy(self._network, *record.parameters_at(updated))
            grid = plane_grid(bounds, self._resolution)
            probabilities = net.predict_proba(grid).reshape(self._resolution, self._resolution, -1)
            probabilities.flags.writeable = False
            self._latest = DecisionMap(key, bounds, probabilities)
        return self._latest
