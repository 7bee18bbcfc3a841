"""The parameters' layout and names: one flat vector, seen as named arrays.

Contract: the network keeps every parameter in one flat float64 vector (so the optimizer
updates them all with one vector operation) laid out block by block
(``parameter_shapes``): per layer the augmented ``[W; b]``, then for a hidden layer with
BatchNorm ``[γ; β]``. ``views`` cuts any vector of that layout into views;
``named_parameter_views`` names them ``W1, b1, gamma1, beta1, W2, …`` after the layer they feed, as
the seeds do (``weight_key(gap)`` and friends: gap g joins layer g to layer g + 1);
``ParameterDict`` is a dict of such views that copies into them on assignment.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence

import numpy as np


class ParameterDict(dict):
    """A dict of parameter views; assigning to a key copies into the view.

    The arrays are views of one flat vector (that is what lets the optimizer update all
    parameters with one vector operation), so a key must never be rebound to a new array.
    """

    def __setitem__(self, key: str, value: np.ndarray) -> None:
        if key not in self:
            raise KeyError(f"unknown key {key!r}; expected one of {', '.join(self)}")
        target = dict.__getitem__(self, key)
        value = np.asarray(value, dtype=np.float64)
        if value.shape != target.shape:
            raise ValueError(f"{key} must have shape {target.shape}, got {value.shape}")
        target[...] = value


def parameter_shapes(sizes: Sequence[int], batch_norm: bool) -> list[tuple[int, int]]:
    """The blocks of the flat vector in order: per layer ``[W; b]``, then for a hidden
    layer with BatchNorm ``[γ; β]``."""
    shapes = []
    for gap, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        shapes.append((fan_in + 1, fan_out))
        if batch_norm and gap < len(sizes) - 2:
            shapes.append((2, fan_out))
    return shapes


def parameter_count(sizes: Sequence[int], batch_norm: bool) -> int:
    """How many numbers a network of these widths learns (``MLP.parameter_count``)."""
    return sum(rows * cols for rows, cols in parameter_shapes(sizes, batch_norm))


def linear_and_norm(
    blocks: list[np.ndarray], batch_norm: bool
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The ``[W; b]`` blocks and the ``[γ; β]`` blocks of ``parameter_shapes``' list."""
    return (blocks[::2], blocks[1::2]) if batch_norm else (blocks, [])


def views(flat: np.ndarray, shapes: Sequence[tuple[int, ...]]) -> Iterator[np.ndarray]:
    """Consecutive 2-d blocks of a flat vector, as views."""
    offset = 0
    for rows, cols in shapes:
        yield flat[offset : offset + rows * cols].reshape(rows, cols)
        offset += rows * cols


def weight_key(gap: int) -> str:
    """The ``params`` key of a gap's weights. Gap g joins layer g to layer g + 1 (the input
    is layer 0); its weights are named, as in the seeds, after the layer they feed."""
    return f"W{gap + 1}"


def bias_key(gap: int) -> str:
    """The ``params`` key of the biases of layer ``gap + 1``."""
    return f"b{gap + 1}"


def gamma_key(gap: int) -> str:
    """The ``params`` key of BatchNorm's scale γ in layer ``gap + 1``."""
    return f"gamma{gap + 1}"


def beta_key(gap: int) -> str:
    """The ``params`` key of BatchNorm's shift β in layer ``gap + 1``."""
    return f"beta{gap + 1}"


def weights_by_gap(params: Mapping[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """The weight matrices of ``params`` (``W1, b1, W2, …``), gap by gap from the input."""
    keys = itertools.takewhile(params.__contains__, map(weight_key, itertools.count()))
    return tuple(params[key] for key in keys)


def named_parameter_views(
    linear: list[np.ndarray], scale_shift: list[np.ndarray]
) -> Iterator[tuple[str, np.ndarray]]:
    for gap, block in enumerate(linear):
        yield weight_key(gap), block[:-1]
        yield bias_key(gap), block[-1]
        if gap < len(scale_shift):
            yield gamma_key(gap), scale_shift[gap][0]
            yield beta_key(gap), scale_shift[gap][1]


def named_running_views(running: list[np.ndarray]) -> Iterator[tuple[str, np.ndarray]]:
    for gap, block in enumerate(running):
        yield f"running_mean{gap + 1}", block[0]
        yield f"running_var{gap + 1}", block[1]
