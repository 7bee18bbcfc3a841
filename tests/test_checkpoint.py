"""Checkpoints: exact resumption, bad files set aside, the trainer's saves, and real kills.

The crash test at the end kills a training process at random moments and checks that
what it leaves behind always loads; it takes about 20 s, most of it process start-ups.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import logging
import math
import os
import random
import select
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from visualizer.config import load_config
from visualizer.errors import UserError
from visualizer.training import checkpoint
from visualizer.training import trainer as trainer_module
from visualizer.training.checkpoint import (
    FILENAME,
    load_checkpoint,
    prepare_directory,
    save_checkpoint,
)
from visualizer.training.data import fit_to_data
from visualizer.training.records import Diverged, Resumed, RunFinished, StepRecord
from visualizer.training.run import TrainingRun
from visualizer.training.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 10.0
TINY = ["data.train_size=32", "data.test_size=8", "training.epochs=3"]  # 2 batches an epoch


@pytest.fixture(scope="module")
def tiny_config():
    return load_config(overrides=TINY)


def _train(run, batches):
    return [run.next_record() for _ in range(batches)]


def _same(a, b) -> bool:
    """Exact equality through records: arrays bit for bit, floats exactly."""
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a, b)
    if dataclasses.is_dataclass(a):
        return type(a) is type(b) and all(
            _same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a)
        )
    if isinstance(a, Mapping):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _set_aside(directory, kind="*"):
    return sorted(directory.glob(f"{FILENAME}.{kind}-*"))


# ------------------------------------------------------------------ save and load


def test_a_loaded_run_has_everything_the_saved_one_had(small_config, tmp_path):
    run = TrainingRun(small_config, seed=5, run=3)
    _train(run, 20)  # into the second epoch
    run.set_learning_rate(0.02)
    path = save_checkpoint(tmp_path, run)
    assert path == tmp_path / FILENAME

    loaded = load_checkpoint(tmp_path, small_config)
    assert (loaded.seed, loaded.run, loaded.epoch, loaded.batch, loaded.step) == (5, 3, 2, 5, 20)
    assert _same(loaded.state(), run.state())
    assert loaded.optimizer.learning_rate == 0.02
    assert len(loaded.history.batch_losses) == 20 and len(loaded.history.epochs) == 1
    assert _same(loaded.train_set, run.train_set) and _same(loaded.test_set, run.test_set)
    assert not _set_aside(tmp_path)


def test_the_file_is_a_pickle_free_npz_without_the_data(small_config, tmp_path):
    run = TrainingRun(small_config, seed=0)
    path = save_checkpoint(tmp_path, run)
    with np.load(path, allow_pickle=False) as archive:
        assert all(archive[key].dtype != object for key in archive.files)
        assert "images" not in " ".join(archive.files)
        meta = json.loads(str(archive["meta"][()]))
    assert meta["shuffle_state"]["bit_generator"] == "PCG64"
    assert path.stat().st_size < 60_000
    assert not [p for p in tmp_path.iterdir() if p.name != FILENAME]  # no temporary left


def test_the_data_regenerates_bit_identically_from_the_seed(default_config):
    first, second = TrainingRun(default_config, 11), TrainingRun(default_config, 11)
    assert _same((first.train_set, first.test_set), (second.train_set, second.test_set))
    other = TrainingRun(default_config, 12)
    assert not np.array_equal(first.train_set.inputs, other.train_set.inputs)


LAYERS = {"batch_norm": True, "dropout": 0.2}  # running statistics and a mask Generator


@pytest.mark.parametrize("network", [{}, LAYERS], ids=["plain", "batchnorm+dropout"])
@pytest.mark.parametrize("stop_after", [30, 22], ids=["epoch-end", "mid-epoch"])
def test_a_restored_run_continues_bit_identically(default_config, tmp_path, stop_after, network):
    config = default_config.replace(training={"epochs": 4}, network=network)
    uninterrupted = TrainingRun(config, seed=2)
    expected = _train(uninterrupted, 60)

    interrupted = TrainingRun(config, seed=2)
    _train(interrupted, stop_after)
    save_checkpoint(tmp_path, interrupted)
    del interrupted
    restored = load_checkpoint(tmp_path, config)
    continued = _train(restored, 60 - stop_after)

    assert all(_same(ours, theirs) for ours, theirs in zip(continued, expected[stop_after:]))
    assert np.array_equal(restored.network.flat_params, uninterrupted.network.flat_params)
    assert _same(restored.state(), uninterrupted.state())
    assert restored.next_record() is None


def test_no_checkpoint_gives_none_and_creates_nothing(small_config, tmp_path):
    assert load_checkpoint(tmp_path, small_config) is None
    assert load_checkpoint(tmp_path / "missing", small_config) is None
    assert not (tmp_path / "missing").exists()


def test_leftovers_of_a_killed_writer_are_removed(small_config, tmp_path):
    save_checkpoint(tmp_path, TrainingRun(small_config, 0))
    leftover = tmp_path / ".checkpoint-123-abcd.tmp"
    leftover.write_bytes(b"half a checkpoint")
    assert load_checkpoint(tmp_path, small_config) is not None
    assert not leftover.exists()


# ------------------------------------------------------------------ bad files


def _rewrite(path, change):
    """Rewrite the npz at ``path`` with ``change(arrays)`` applied to its arrays."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    change(arrays)
    np.savez(path, **arrays)


def _edit_meta(**changes):
    def change(arrays):
        meta = json.loads(str(arrays["meta"][()]))
        meta.update(changes)
        arrays["meta"] = np.array(json.dumps(meta))

    return change


def _poison(name, value):
    def change(arrays):
        arrays[name] = arrays[name].copy()
        arrays[name][7] = value

    return change


def _flip_a_parameter_byte(path):
    data = bytearray(path.read_bytes())
    with np.load(path, allow_pickle=False) as archive:
        start = bytes(data).index(archive["params"].tobytes())
    data[start + 100] ^= 0x10
    path.write_bytes(bytes(data))


CORRUPTIONS = {
    "empty": lambda path: path.write_bytes(b""),
    "truncated-to-100-bytes": lambda path: path.write_bytes(path.read_bytes()[:100]),
    "truncated-to-half": lambda path: path.write_bytes(
        path.read_bytes()[: path.stat().st_size // 2]
    ),
    "last-byte-missing": lambda path: path.write_bytes(path.read_bytes()[:-1]),
    "random-bytes": lambda path: path.write_bytes(random.Random(1).randbytes(path.stat().st_size)),
    "flipped-bit": _flip_a_parameter_byte,
    "missing-velocity": lambda path: _rewrite(path, lambda arrays: arrays.pop("velocity")),
    "missing-meta": lambda path: _rewrite(path, lambda arrays: arrays.pop("meta")),
    "meta-not-json": lambda path: _rewrite(
        path, lambda arrays: arrays.update(meta=np.array("{not json"))
    ),
    "params-wrong-length": lambda path: _rewrite(
        path, lambda arrays: arrays.update(params=arrays["params"][:-1])
    ),
    "step-inconsistent": lambda path: _rewrite(path, _edit_meta(step=3)),
    "generator-state-garbage": lambda path: _rewrite(path, _edit_meta(shuffle_state={"x": 1})),
    "a-directory": lambda path: (path.unlink(), path.mkdir()),
    "learning-rate-infinite": lambda path: _rewrite(path, _edit_meta(learning_rate=math.inf)),
    "learning-rate-out-of-range": lambda path: _rewrite(path, _edit_meta(learning_rate=1e9)),
    "momentum-nan": lambda path: _rewrite(path, _edit_meta(momentum=math.nan)),
    "a-parameter-nan": lambda path: _rewrite(path, _poison("params", math.nan)),
    "a-velocity-infinite": lambda path: _rewrite(path, _poison("velocity", -math.inf)),
}


LAYER_CORRUPTIONS = {
    "running-stats-wrong-length": lambda path: _rewrite(
        path, lambda arrays: arrays.update(running_stats=arrays["running_stats"][:-1])
    ),
    "dropout-state-garbage": lambda path: _rewrite(path, _edit_meta(dropout_state={"x": 1})),
}


@pytest.mark.parametrize("damage", LAYER_CORRUPTIONS.values(), ids=LAYER_CORRUPTIONS.keys())
def test_a_checkpoint_with_bad_layer_state_is_set_aside(small_config, tmp_path, damage):
    config = small_config.replace(network=LAYERS)
    run = TrainingRun(config, 0)
    _train(run, 3)
    path = save_checkpoint(tmp_path, run)
    assert load_checkpoint(tmp_path, config) is not None  # sound before the damage
    path = save_checkpoint(tmp_path, run)
    damage(path)
    assert load_checkpoint(tmp_path, config) is None
    assert len(_set_aside(tmp_path, "corrupt")) == 1


@pytest.mark.parametrize("damage", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupt_checkpoint_is_set_aside_with_a_warning(small_config, tmp_path, caplog, damage):
    path = save_checkpoint(tmp_path, TrainingRun(small_config, 0))
    damage(path)
    with caplog.at_level(logging.WARNING, logger=checkpoint.__name__):
        assert load_checkpoint(tmp_path, small_config) is None
    (aside,) = _set_aside(tmp_path, "corrupt")
    assert not path.exists()
    assert "corrupt" in caplog.text and aside.name in caplog.text
    # The next save and load work as if nothing had happened.
    save_checkpoint(tmp_path, TrainingRun(small_config, 0))
    assert load_checkpoint(tmp_path, small_config) is not None


def _forge_entry(path, name, shape, megabytes_of_zeros=0):
    """Replace entry ``name`` of the npz at ``path`` by an .npy header claiming ``shape``
    followed by ``megabytes_of_zeros`` of zeros, deflated (a few tens of kB for 64 MB)."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": shape}
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as forged:
        for key, array in arrays.items():
            if key != name:
                with forged.open(f"{key}.npy", "w") as member:
                    np.lib.format.write_array(member, array, allow_pickle=False)
        with forged.open(f"{name}.npy", "w", force_zip64=True) as member:
            member.write(header.getvalue())
            for _ in range(megabytes_of_zeros):
                member.write(bytes(1 << 20))


def test_a_zip_bomb_is_set_aside_without_being_expanded(small_config, tmp_path, caplog):
    path = save_checkpoint(tmp_path, TrainingRun(small_config, 0))
    _forge_entry(path, "history_batch_loss", (8 << 20,), megabytes_of_zeros=64)
    assert path.stat().st_size < 200_000  # with 64 MB of array inside
    with caplog.at_level(logging.WARNING, logger=checkpoint.__name__):
        assert load_checkpoint(tmp_path, small_config) is None
    assert _set_aside(tmp_path, "corrupt")
    assert "history_batch_loss would expand to 67,108,992 bytes, over 4,336" in caplog.text


def test_an_entry_whose_header_claims_more_than_it_holds_is_corrupt(small_config, tmp_path, caplog):
    path = save_checkpoint(tmp_path, TrainingRun(small_config, 0))
    _forge_entry(path, "history_batch_loss", (10**12,))  # read as it stands: 8 TB allocated
    with caplog.at_level(logging.WARNING, logger=checkpoint.__name__):
        assert load_checkpoint(tmp_path, small_config) is None
    assert "history_batch_loss's header claims (1000000000000,) float64" in caplog.text


def test_a_checkpoint_that_is_a_fifo_never_blocks_the_trainer(small_config, tmp_path, caplog):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / FILENAME)  # opening it to read would wait for a writer for ever
    outcome = []
    reader = threading.Thread(
        target=lambda: outcome.append(load_checkpoint(tmp_path, small_config)), daemon=True
    )
    with caplog.at_level(logging.WARNING, logger=checkpoint.__name__):
        reader.start()
        reader.join(timeout=10.0)
    assert outcome == [None]
    assert "it is a pipe (FIFO), not a regular file" in caplog.text
    assert _set_aside(tmp_path, "corrupt") and not (tmp_path / FILENAME).exists()


MISMATCHES = {
    "network-sizes": ["network.sizes=[64, 8, 2]"],
    "hidden-activation": ["network.hidden_activation=tanh"],
    "train-size": ["data.train_size=200"],
    "shape-noise": ["data.shapes.noise=0.1"],
    "data-source": ["data.source=digits", "network.sizes=[64, 16, 10]"],
    "digit-noise": ["data.digits.noise=0.1"],
    "batch-size": ["training.batch_size=8"],
    "epochs": ["training.epochs=3"],
    "batch-norm": ["network.batch_norm=true"],
    "dropout": ["network.dropout=0.1"],
}


@pytest.mark.parametrize("overrides", MISMATCHES.values(), ids=MISMATCHES.keys())
def test_a_checkpoint_from_another_config_is_set_aside(small_config, tmp_path, caplog, overrides):
    path = save_checkpoint(tmp_path, TrainingRun(small_config, 0))
    other = load_config(overrides=["training.epochs=2", *overrides])
    with caplog.at_level(logging.WARNING, logger=checkpoint.__name__):
        assert load_checkpoint(tmp_path, other) is None
    (aside,) = _set_aside(tmp_path, "mismatch")
    assert not path.exists() and aside.read_bytes()
    key = overrides[0].split("=")[0]
    assert f"{key}: " in caplog.text and "in the checkpoint" in caplog.text


def test_a_run_on_a_file_resumes_and_an_edited_file_is_a_mismatch(tmp_path, caplog):
    data = tmp_path / "points.csv"
    data.write_text("x,y,label\n" + "".join(f"{i},{i % 3},{'ab'[i % 2]}\n" for i in range(20)))
    overrides = ["training.epochs=2", "data.source=file", f"data.file={data}"]
    config = fit_to_data(load_config(overrides=overrides))
    run = TrainingRun(config, 4)
    _train(run, 1)
    save_checkpoint(tmp_path, run)
    resumed = load_checkpoint(tmp_path, config)
    assert resumed is not None and _same(resumed.state(), run.state())
    assert _same((resumed.train_set, resumed.test_set), (run.train_set, run.test_set))
    data.write_text(data.read_text().replace("19,1,b", "19,2,b"))
    os.utime(data, ns=(1, 1))  # another modification time, whatever the clock's resolution
    with caplog.at_level(logging.WARNING, logger=checkpoint.__name__):
        assert load_checkpoint(tmp_path, config) is None
    assert len(_set_aside(tmp_path, "mismatch")) == 1
    assert "data.file_sha256: " in caplog.text


@pytest.mark.parametrize(
    "change",
    [_edit_meta(data_sha256="0" * 64), _edit_meta(format=99)],
    ids=["data-regenerated-differently", "another-format"],
)
def test_other_data_or_another_format_is_a_mismatch(small_config, tmp_path, change):
    path = save_checkpoint(tmp_path, TrainingRun(small_config, 0))
    _rewrite(path, change)
    assert load_checkpoint(tmp_path, small_config) is None
    assert len(_set_aside(tmp_path, "mismatch")) == 1


def test_seed_and_learning_rate_come_from_the_checkpoint_not_the_config(small_config, tmp_path):
    save_checkpoint(tmp_path, TrainingRun(small_config, seed=4))
    changed = small_config.replace(training={"seed": 9, "learning_rate": 0.5})
    loaded = load_checkpoint(tmp_path, changed)
    assert (loaded.seed, loaded.optimizer.learning_rate) == (4, small_config.training.learning_rate)


# ------------------------------------------------------------------ unwritable


def test_a_directory_that_cannot_be_written_is_a_user_error(small_config, tmp_path):
    run = TrainingRun(small_config, 0)
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    for directory in (a_file, a_file / "below"):
        with pytest.raises(UserError, match="cannot write checkpoints in"):
            save_checkpoint(directory, run)
        with pytest.raises(UserError, match="cannot write checkpoints in"):
            prepare_directory(directory)
        with pytest.raises(UserError, match="cannot write checkpoints in"):
            Trainer(small_config, checkpoint_dir=directory)
    assert load_checkpoint(a_file, small_config) is None


def test_a_failed_write_keeps_the_previous_checkpoint_and_no_temporary(
    small_config, tmp_path, monkeypatch
):
    run = TrainingRun(small_config, 0)
    path = save_checkpoint(tmp_path, run)
    before = path.read_bytes()
    _train(run, 3)

    def disk_full(file, arrays):
        file.write(b"PK\x03\x04 the first bytes")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(checkpoint, "_write_npz", disk_full)
    with pytest.raises(UserError, match="No space left"):
        save_checkpoint(tmp_path, run)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [FILENAME]


def test_a_bad_checkpoint_that_cannot_be_moved_aside_is_a_user_error(
    small_config, tmp_path, monkeypatch
):
    path = save_checkpoint(tmp_path, TrainingRun(small_config, 0))
    path.write_bytes(b"garbage")

    def refuse(source, target):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(checkpoint.os, "replace", refuse)
    with pytest.raises(UserError, match="cannot be moved aside"):
        load_checkpoint(tmp_path, small_config)


# ------------------------------------------------------------------ the trainer


def _spy_on_saves(monkeypatch):
    """The (epoch, batch) of every checkpoint the trainer writes."""
    saves = []
    real = trainer_module.save_checkpoint

    def spy(directory, run, state):
        saves.append((state.epoch, state.batch))
        return real(directory, run, state)

    monkeypatch.setattr(trainer_module, "save_checkpoint", spy)
    return saves


def _take_until_finished(trainer):
    records = []
    while isinstance(event := trainer.wait(TIMEOUT), StepRecord):
        records.append(event)
    assert isinstance(event, RunFinished), event
    return records


@pytest.mark.parametrize("every, expected", [(1, [2, 3, 4]), (2, [3, 4])])
def test_the_trainer_saves_after_every_nth_epoch_and_the_last(
    tiny_config, tmp_path, monkeypatch, trainer_factory, every, expected
):
    saves = _spy_on_saves(monkeypatch)
    trainer = trainer_factory(tiny_config, checkpoint_dir=tmp_path, checkpoint_every=every)
    assert len(_take_until_finished(trainer)) == 6
    assert saves == [(epoch, 0) for epoch in expected]
    finished = load_checkpoint(tmp_path, tiny_config)
    assert finished.finished and len(finished.history.epochs) == 3


def test_a_resumed_trainer_continues_where_the_checkpoint_left_off(
    tiny_config, tmp_path, trainer_factory
):
    expected = _train(TrainingRun(tiny_config, 0), 6)
    saved = TrainingRun(tiny_config, 0)
    _train(saved, 4)  # two epochs
    save_checkpoint(tmp_path, saved)

    trainer = trainer_factory(tiny_config, checkpoint_dir=tmp_path, resume=True)
    resumed = trainer.wait(TIMEOUT)  # first the history, for the show's curves
    assert isinstance(resumed, Resumed) and (resumed.run, resumed.seed) == (1, 0)
    curve = saved.history.batch_losses
    assert resumed.batch_losses == tuple(curve.losses) and len(resumed.batch_losses) == 4
    assert resumed.batch_steps == (1, 2, 3, 4)
    assert [e.epoch for e in resumed.epochs] == [1, 2]
    records = _take_until_finished(trainer)
    assert [(r.epoch, r.batch, r.step) for r in records] == [(3, 1, 5), (3, 2, 6)]
    assert all(_same(ours, theirs) for ours, theirs in zip(records, expected[4:]))


def test_resume_without_a_usable_checkpoint_starts_from_the_seed(
    tiny_config, tmp_path, trainer_factory
):
    (tmp_path / FILENAME).write_bytes(b"garbage")
    trainer = trainer_factory(tiny_config, seed=6, checkpoint_dir=tmp_path, resume=True)
    first = trainer.wait(TIMEOUT)
    assert (first.seed, first.step) == (6, 1)
    assert len(_set_aside(tmp_path, "corrupt")) == 1


def test_save_now_writes_between_batches_even_when_paused(tiny_config, tmp_path, trainer_factory):
    config = tiny_config.replace(training={"epochs": 50})
    trainer = trainer_factory(config, checkpoint_dir=tmp_path, checkpoint_every=1000)
    trainer.wait(TIMEOUT)
    trainer.pause()
    assert trainer.save_now(timeout=TIMEOUT)
    saved = load_checkpoint(tmp_path, config)
    assert saved.step in (1, 2)  # the thread may have computed the record after the one taken
    assert saved.step == trainer.steps_computed

    trainer.resume()
    later = [trainer.wait(TIMEOUT) for _ in range(3)]
    assert trainer.save_now(timeout=TIMEOUT)
    assert load_checkpoint(tmp_path, config).step >= later[-1].step
    assert trainer.stop(timeout=2.0)
    assert not trainer.save_now(timeout=TIMEOUT)  # no thread: returns at once, unwritten


def test_save_now_needs_a_checkpoint_directory(tiny_config):
    with pytest.raises(ValueError, match="checkpoint_dir"):
        Trainer(tiny_config).save_now()
    with pytest.raises(ValueError, match="checkpoint_dir"):
        Trainer(tiny_config, resume=True)


def test_a_diverged_run_is_never_saved(tiny_config, tmp_path, diverge_at, trainer_factory):
    diverge_at(step=3)
    trainer = trainer_factory(tiny_config, checkpoint_dir=tmp_path)
    for _ in range(2):
        assert isinstance(trainer.wait(TIMEOUT), StepRecord)
    assert isinstance(trainer.wait(TIMEOUT), Diverged)
    assert not trainer.save_now(timeout=TIMEOUT)
    assert load_checkpoint(tmp_path, tiny_config).step == 2  # the end of epoch 1


def test_a_failed_save_is_logged_and_training_goes_on(tiny_config, tmp_path, caplog):
    directory = tmp_path / "checkpoints"
    trainer = Trainer(tiny_config, checkpoint_dir=directory)
    directory.rmdir()
    directory.write_text("the directory became a file")
    with caplog.at_level(logging.ERROR, logger=trainer_module.__name__):
        trainer.start()
        try:
            assert len(_take_until_finished(trainer)) == 6
        finally:
            assert trainer.stop(timeout=2.0)
    assert caplog.text.count("cannot write checkpoints in") == 3


# ------------------------------------------------------------------ real kills

KILLS = 25
CRASH_OVERRIDES = [
    "data.train_size=32",
    "data.test_size=8",
    "training.epochs=100000",
    "choreography.batches_per_cycle=2",  # one record an epoch: checkpoints as fast as it goes
]
CHILD = """
import sys
from pathlib import Path
from visualizer.config import load_config
from visualizer.training.records import Resumed, StepRecord
from visualizer.training.trainer import Trainer

directory = Path(sys.argv[1])
trainer = Trainer(load_config(overrides=sys.argv[2:]), checkpoint_dir=directory, resume=True)
trainer.start()
announced = False
while True:
    event = trainer.wait(30)
    if isinstance(event, Resumed):
        continue
    if not isinstance(event, StepRecord):
        sys.exit(f"the trainer sent {event!r}")
    if not announced and (directory / "checkpoint.npz").exists():
        print("training", flush=True)
        announced = True
"""


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="waits on the child's pipe with select")
def test_a_run_killed_at_random_moments_always_resumes_from_a_sound_checkpoint(tmp_path):
    config = load_config(overrides=CRASH_OVERRIDES)
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    rng = random.Random()
    last = (0, 0)
    for kill in range(KILLS):
        delay = rng.uniform(0.05, 0.5)
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp_path), *CRASH_OVERRIDES],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ready, _, _ = select.select([child.stdout], [], [], 30)
            started = ready and child.stdout.readline().strip() == "training"
            if started:
                time.sleep(delay)
            alive = child.poll() is None
        finally:
            child.kill()
            _, errors = child.communicate()
        assert started and alive, f"kill {kill}: the child failed:\n{errors}"

        run = load_checkpoint(tmp_path, config)
        where = f"kill {kill} after {delay:.2f} s"
        assert run is not None, where
        assert not _set_aside(tmp_path), where
        assert not list(tmp_path.glob(".checkpoint-*")), where  # leftovers cleared by the load
        assert (run.epoch, run.step) >= last, where
        last = (run.epoch, run.step)
    assert last[0] > KILLS  # every child trained: each was killed only after its first save


def test_save_now_keeps_the_record_on_screen_not_the_one_computed_ahead(
    tiny_config, tmp_path, trainer_factory
):
    trainer = trainer_factory(tiny_config, checkpoint_dir=tmp_path)
    taken = [trainer.wait(TIMEOUT) for _ in range(3)]
    assert [record.step for record in taken] == [1, 2, 3]
    assert trainer.wait_until_idle(TIMEOUT)  # record 4 is computed, waiting to be taken
    assert trainer.save_now()
    saved = load_checkpoint(tmp_path, tiny_config)
    assert saved.step == 3 and saved.scale == taken[-1].scale
    assert saved.next_record().step == 4
