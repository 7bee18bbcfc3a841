"""The user's own data (``--data PATH``): read once, or refused with one clear line.

Contract: ``load_table(path)`` returns the ``Table`` at ``path`` — a CSV, an .npz or a
folder of PNG folders (docs/dataset.md) — cached per path, size and modification time, so
that every run of a session reuses it. The command line calls it once before anything
starts, so every refusal happens there: a ``UserError`` whose message is one line naming
the file, the line or column and what is wrong, with the limit where there is one.
Nothing is ever written. ``stratified_split`` and ``standardised`` turn a table into the
training and test splits (``training/data.py`` builds their ``Dataset``s).

- CSV: a header line naming the columns, then one row per sample; the label is the column
  named ``label`` (any case), else the last; every other column is a numeric feature.
- .npz: arrays ``X`` (rows × features, numbers) and ``y`` (one label per row), read with
  ``allow_pickle=False``.
- A folder: one sub-folder per class, named after it, holding that class's ``.png``
  images, all square and of one size (``training/png.py`` decodes them to 0..1).

Labels may be numbers or text. Class names are the labels as text, in numeric order when
every label is a number, else sorted as text; label k is the k-th name.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from visualizer.errors import UserError
from visualizer.training.user_formats import read_csv, read_folder, read_npz
from visualizer.training.user_table import Table, held_out, refuse, unreadable


def load_table(path: str | Path) -> Table:
    """The data at ``path``, or a UserError saying in one line why it cannot be used."""
    path = Path(path)
    try:
        stamp = _stamp(path)
    except OSError as error:
        raise UserError(unreadable(path, error)) from None
    return _read(path, stamp)


def stratified_split(
    labels: np.ndarray, test_share: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the training and the test split. Of each class's n rows,
    round(test_share · n) are held out — at least one, never all — chosen by ``rng``;
    both splits come out shuffled."""
    train, test = [], []
    for label in range(int(labels.max()) + 1):
        rows = rng.permutation(np.flatnonzero(labels == label))
        held = held_out(len(rows), test_share)
        test.append(rows[:held])
        train.append(rows[held:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def standardised(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both splits in the training split's units: each feature minus its training mean,
    over its training standard deviation (a constant feature is only centred)."""
    mean, spread = train.mean(axis=0), train.std(axis=0)
    spread[spread == 0] = 1.0
    return (train - mean) / spread, (test - mean) / spread


# ------------------------------------------------------------------ reading


def _stamp(path: Path) -> tuple:
    """What changes when the data do: size and modification time of the file, or of every
    file in the folder."""
    if not path.is_dir():
        status = path.stat()
        return (status.st_size, status.st_mtime_ns)
    return tuple(
        (str(item.relative_to(path)), item.stat().st_size, item.stat().st_mtime_ns)
        for item in sorted(path.rglob("*"))
    )


@functools.lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple) -> Table:
    if path.is_dir():
        return read_folder(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".npz":
        return read_npz(path)
    raise refuse(path, "", "expected a .csv or .npz file, or a folder of PNG folders")
