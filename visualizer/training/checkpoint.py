"""Checkpoints: a training run written to disk and resumed exactly, after a kill or power cut.

Contract (docs/checkpoints.md):

- ``save_checkpoint(directory, run, state=None)`` writes ``directory/checkpoint.npz``
  atomically and returns its path (``state``: a state of ``run`` taken earlier, such as
  the one after the record on screen; by default the run as it is now): after a crash at
  any moment the directory holds the previous checkpoint or the new one, never a mixture.
  It raises ``UserError`` only when the directory cannot be written.
- ``load_checkpoint(directory, config)`` returns the saved run as a ``TrainingRun`` that
  trains on bit-identically, or None when there is no checkpoint. A corrupt or truncated
  file, or one written under an incompatible config or whose data no longer regenerate
  the same, is logged, renamed aside (``checkpoint.npz.corrupt-<time>`` or
  ``.mismatch-<time>``) and gives None; only a rename that fails raises ``UserError``.
- ``prepare_directory(directory)`` creates the directory and proves it writable, so that
  a bad path fails at start rather than at the first epoch's end.

One file, an npz without pickles: the run's arrays plus ``meta``, a JSON string holding
the rest. The datasets are not stored: they are regenerated from the seed, and a digest
of them proves they came out the same. One process writes a directory at a time (the
kiosk holds ``instance_lock`` on it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import json
import logging
import os
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from visualizer.atomic_file import temporaries, write_atomically
from visualizer.config import Config
from visualizer.errors import UserError, excerpt
from visualizer.regular_file import read_regular
from visualizer.training.data import file_digest
from visualizer.training.parameters import parameter_count
from visualizer.training.records import EpochSummary
from visualizer.training.run import RunHistory, RunState, TrainingRun
from visualizer.training.scale import RunScale
from visualizer.training.thinning import CAPACITY, LossCurve

logger = logging.getLogger(__name__)

FILENAME = "checkpoint.npz"
FORMAT = 4  # bump when the layout changes; formats not READABLE are set aside as mismatches
# 2: the run's scale (training/scale.py), so that a resumed run draws as it would have
# 3: BatchNorm's running statistics and the Dropout Generator's state
# 4: the loss curve thinned (training/thinning.py), with the step of each loss
READABLE = (3, 4)  # 3 kept every batch's loss, without steps: read, and thinned
_META_BYTES = 1 << 20  # the JSON text: a config fingerprint and a generator state
_ITEM_BYTES = 8  # every array entry holds float64 or int64 values
_HEADER_BYTES = 4096  # an .npy header is 128 bytes; never more than this
_ZIP_ENTRY_BYTES = 1024  # a zip's own records for one entry
_HEADER_READERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}
_EPOCH_COLUMNS = {
    name: np.int64 if name == "epoch" else np.float64 for name in EpochSummary._fields
}


class _Mismatch(Exception):
    """A sound checkpoint that belongs to another config, format or data."""


def prepare_directory(directory: Path) -> None:
    """Create ``directory`` and prove that a file can be written in it, or raise UserError."""
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory):
            pass
    except OSError as error:
        raise UserError(_unwritable(directory, error)) from error


def save_checkpoint(directory: Path, run: TrainingRun, state: RunState | None = None) -> Path:
    """Write ``run`` (at ``state``, or as it is) to ``directory/checkpoint.npz`` atomically;
    returns that path."""
    directory = Path(directory)
    state = run.state() if state is None else state
    meta = {
        "format": FORMAT,
        "fingerprint": _fingerprint(run.config),
        "data_sha256": _data_digest(run),
        "seed": int(run.seed),
        "run": int(run.run),
        "epoch": state.epoch,
        "batch": state.batch,
        "step": state.step,
        "learning_rate": state.learning_rate,
        "momentum": state.momentum,
        "shuffle_state": state.shuffle_state,
        "dropout_state": state.dropout_state,
    }
    arrays = {
        "meta": np.array(json.dumps(meta)),
        "params": state.params,
        "running_stats": state.running_stats,
        "velocity": state.velocity,
        "order": state.order,
        "scale": state.scale.as_array(),
        "history_batch_step": np.array(state.history.batch_losses.steps, dtype=np.int64),
        "history_batch_loss": np.array(state.history.batch_losses.losses, dtype=np.float64),
    }
    for name, dtype in _EPOCH_COLUMNS.items():
        column = [getattr(summary, name) for summary in state.history.epochs]
        arrays[f"history_{name}"] = np.array(column, dtype=dtype)
    path = directory / FILENAME
    try:
        directory.mkdir(parents=True, exist_ok=True)
        write_atomically(path, functools.partial(_write_npz, arrays=arrays))
    except OSError as error:
        raise UserError(_unwritable(directory, error)) from error
    return path


def load_checkpoint(directory: Path, config: Config) -> TrainingRun | None:
    """The run saved in ``directory``, ready to continue; None if there is none usable."""
    path = Path(directory) / FILENAME
    for leftover in temporaries(path):
        # A writer killed before its rename left this; nothing refers to it.
        with contextlib.suppress(OSError):
            leftover.unlink()
    if not path.exists():
        return None
    try:
        run = _read(path, config)
    except _Mismatch as error:
        _set_aside(path, "mismatch", f"it does not fit this config: {error}")
        return None
    except Exception as error:  # anything wrong in bytes from disk means a corrupt file
        _set_aside(path, "corrupt", f"it is corrupt or truncated: {type(error).__name__}: {error}")
        return None
    logger.info(
        "resuming run %d (seed %d) at epoch %d, batch %d from %s",
        run.run,
        run.seed,
        run.epoch,
        run.batch,
        path,
    )
    return run


# ------------------------------------------------------------------ writing


def _write_npz(file: BinaryIO, *, arrays: dict[str, np.ndarray]) -> None:
    """What ``np.savez`` writes, with pickles refused on every numpy version we support."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


# ------------------------------------------------------------------ reading


def _read(path: Path, config: Config) -> TrainingRun:
    """The checkpoint's run; _Mismatch if it belongs elsewhere; any other error if corrupt.

    Only a regular file is read, of at most the size this config's checkpoint can have,
    and each entry's size and shape is checked against what the config allows before it
    is read: a FIFO cannot block, nor a small file expand into gigabytes.
    """
    total = max(_file_limit(_entry_limits(config, version)) for version in READABLE)
    # Read into memory first, so no handle stays open on a file that may be renamed aside.
    with zipfile.ZipFile(io.BytesIO(read_regular(path, total))) as archive:
        meta = json.loads(str(_entry(archive, "meta", np.str_, None)[()]))
        if meta["format"] not in READABLE:
            raise _Mismatch(f"format {excerpt(meta['format'])}, this version reads {READABLE}")
        limits = _entry_limits(config, meta["format"])
        differences = _differences(meta["fingerprint"], _fingerprint(config))
        if differences:
            raise _Mismatch("; ".join(differences))
        run = TrainingRun(config, int(meta["seed"]), int(meta["run"]))
        if meta["data_sha256"] != _data_digest(run):
            raise _Mismatch(f"seed {run.seed} no longer gives the data it trained on")

        def entry(name: str, dtype: type) -> np.ndarray:
            return _entry(archive, name, dtype, limits[name])

        columns = [entry(f"history_{name}", t) for name, t in _EPOCH_COLUMNS.items()]
        state = RunState(
            epoch=int(meta["epoch"]),
            batch=int(meta["batch"]),
            step=int(meta["step"]),
            params=entry("params", np.float64),
            running_stats=entry("running_stats", np.float64),
            velocity=entry("velocity", np.float64),
            learning_rate=float(meta["learning_rate"]),
            momentum=float(meta["momentum"]),
            order=entry("order", np.int64),
            shuffle_state=meta["shuffle_state"],
            dropout_state=meta["dropout_state"],
            scale=RunScale.from_array(entry("scale", np.float64), config.network.sizes),
            history=RunHistory(
                batch_losses=_loss_curve(meta["format"], entry),
                epochs=[
                    EpochSummary(*row) for row in zip(*(c.tolist() for c in columns), strict=True)
                ],
            ),
        )
    run.restore(state)
    return run


def _loss_curve(version: int, entry) -> LossCurve:
    losses = entry("history_batch_loss", np.float64).tolist()
    if version == 3:  # every batch's loss, from the first
        return LossCurve.from_every_loss(losses)
    return LossCurve.from_points(entry("history_batch_step", np.int64).tolist(), losses)


def _entry_limits(config: Config, version: int) -> dict[str, int]:
    """The most values each 1-d entry can hold in a checkpoint of a run of ``config``."""
    parameters = parameter_count(config.network.sizes, config.network.batch_norm)
    train_size, epochs = config.data.train_size, config.training.epochs
    batches = epochs * -(-train_size // min(config.training.batch_size, train_size))
    losses = batches if version == 3 else min(batches, CAPACITY)
    return {
        "params": parameters,
        "running_stats": 2 * sum(config.network.sizes),  # BatchNorm's means and variances
        "velocity": parameters,
        "order": train_size,
        "scale": 4 * len(config.network.sizes),
        "history_batch_loss": losses,
        "history_batch_step": losses,
        **{f"history_{name}": epochs for name in _EPOCH_COLUMNS},
    }


def _file_limit(limits: dict[str, int]) -> int:
    """The largest file a checkpoint with entries of these sizes can be."""
    entries = sum(limits.values()) * _ITEM_BYTES + len(limits) * _HEADER_BYTES
    return _META_BYTES + entries + (len(limits) + 1) * _ZIP_ENTRY_BYTES


def _entry(archive: zipfile.ZipFile, name: str, dtype: type, limit: int | None) -> np.ndarray:
    """Entry ``name``: a 1-d ``dtype`` array of at most ``limit`` values (None: the 0-d
    ``meta`` text, at most ``_META_BYTES``), its size and header checked before reading."""
    info = archive.getinfo(f"{name}.npy")
    most = _META_BYTES if limit is None else limit * _ITEM_BYTES + _HEADER_BYTES
    if info.file_size > most:
        raise ValueError(f"{name} would expand to {info.file_size:,} bytes, over {most:,}")
    data = io.BytesIO(archive.read(info))  # ZipFile reads no more than file_size
    read_header = _HEADER_READERS[np.lib.format.read_magic(data)]  # KeyError: not ours
    shape, _, kind = read_header(data)
    if kind.hasobject or np.prod(shape) * kind.itemsize > info.file_size:
        raise ValueError(f"{name}'s header claims {shape} {kind}, more than it holds")
    data.seek(0)
    array = np.lib.format.read_array(data, allow_pickle=False)
    wanted = () if limit is None else (1,)
    if not np.issubdtype(array.dtype, dtype) or array.ndim != len(wanted):
        raise ValueError(
            f"{name} is a {array.dtype} array of shape {array.shape}, not {len(wanted)}-d {dtype}"
        )
    return array


def _set_aside(path: Path, kind: str, why: str) -> None:
    """Rename a bad checkpoint out of the way (kept for a post-mortem) and say so."""
    target = path.with_name(f"{path.name}.{kind}-{datetime.now():%Y%m%dT%H%M%S.%f}")
    try:
        os.replace(path, target)
    except OSError as error:
        raise UserError(
            f"checkpoint {path} is unusable ({why}) and cannot be moved aside: "
            f"{error.strerror or error}"
        ) from error
    logger.warning("ignoring checkpoint %s, %s; moved it to %s", path, why, target.name)


# ------------------------------------------------------------------ what must match


def _fingerprint(config: Config) -> dict[str, Any]:
    """The config keys a checkpoint depends on, as JSON data (tuples become lists)."""
    return json.loads(
        json.dumps(
            {
                "network": dataclasses.asdict(config.network),
                "data": {**dataclasses.asdict(config.data), "file_sha256": file_digest(config)},
                "training": {
                    "batch_size": config.training.batch_size,
                    "epochs": config.training.epochs,
                },
            }
        )
    )


def _differences(saved: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """One line per dotted key whose value differs, e.g. ``network.sizes: [64, 8, 2] ...``."""
    saved, current = _flatten(saved), _flatten(current)
    return [
        f"{key}: {saved.get(key, 'absent')!r} in the checkpoint, {current.get(key, 'absent')!r} now"
        for key in sorted(saved.keys() | current.keys())
        if saved.get(key) != current.get(key)
    ]


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _data_digest(run: TrainingRun) -> str:
    """SHA-256 of both splits: proves the seed regenerated (or split) the very data trained on."""
    digest = hashlib.sha256()
    for split in (run.train_set, run.test_set):
        digest.update(split.inputs.tobytes())
        digest.update(split.labels.tobytes())
    return digest.hexdigest()


def _unwritable(directory: Path, error: OSError) -> str:
    return (
        f"cannot write checkpoints in {directory}: {error.strerror or error}; "
        "choose a directory this user can write"
    )
