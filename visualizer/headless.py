"""``--headless``: train at full speed with no window and no GL, printing one line per epoch.

Each epoch's first batches train silently and its last batch is recorded, through the
same ``TrainingRun`` the show uses, so the figures printed here are the ones the show
would reach at the same epoch and seed. With ``headless.explain`` every batch is recorded
and explained before its epoch's line: each quantity of the step (visualizer/explain.py).
A run whose loss becomes NaN or explodes (``training/health.py``) stops with one line
saying so and exit status 1.
"""

from __future__ import annotations

import math
import time
from typing import TextIO

from visualizer import __version__
from visualizer.config import Config
from visualizer.explain import explain_step
from visualizer.metrics_log import MetricsLog
from visualizer.training.health import broken_loss
from visualizer.training.run import TrainingRun

EXIT_DIVERGED = 1


def run_headless(config: Config, out: TextIO, metrics: MetricsLog | None = None) -> int:
    """Train ``training.epochs`` epochs; returns the exit status."""
    started = time.perf_counter()
    run = TrainingRun(config, config.training.seed)
    setup_seconds = time.perf_counter() - started
    _print_header(config, run, out)

    explain = config.headless.explain
    training_seconds = 0.0
    while True:
        tick = time.perf_counter()
        # Explaining, every batch is recorded; else each epoch's last only.
        record = run.next_record(1 if explain else run.batches_per_epoch)
        training_seconds += time.perf_counter() - tick
        if record is None:
            break
        if explain:
            print("\n".join(explain_step(record, config)), file=out)
        broken = broken_loss(record)
        if broken is not None:
            how = "diverged" if not math.isfinite(broken) else "stopped learning (it exploded)"
            print(
                f"training {how} at epoch {record.epoch}, batch {record.batch} "
                f"(loss {broken:.6g}); lower training.learning_rate "
                f"(now {config.training.learning_rate:g})",
                file=out,
            )
            return EXIT_DIVERGED
        if not record.ends_epoch:
            continue
        m = run.history.epochs[-1]  # the epoch this record ends
        print(
            f"epoch {m.epoch:>{len(str(run.epochs))}}/{run.epochs}  "
            f"train loss {m.train_loss:.4f} acc {m.train_accuracy:6.1%}   "
            f"test loss {m.test_loss:.4f} acc {m.test_accuracy:6.1%}",
            file=out,
        )
        if metrics is not None:
            metrics.write(record)

    m = run.history.epochs[-1]
    print(
        f"done: {run.step:,} batches in {training_seconds:.2f} s of training "
        f"({training_seconds / run.step * 1e6:.0f} µs per batch, data ready in "
        f"{setup_seconds:.2f} s); final train acc {m.train_accuracy:.1%}, "
        f"test acc {m.test_accuracy:.1%}",
        file=out,
    )
    return 0


def _print_header(config: Config, run: TrainingRun, out: TextIO) -> None:
    net, training = config.network, config.training
    title = f", lesson “{config.lesson.title}”" if config.lesson.title else ""
    print(f"Neural Particles {__version__}: headless training{title}", file=out)
    layers = ", BatchNorm" * net.batch_norm + (f", dropout {net.dropout:g}" if net.dropout else "")
    print(
        f"network   {' → '.join(map(str, net.sizes))} ({net.hidden_activation} hidden{layers}, "
        f"{net.output} output, {net.loss} loss), {run.network.parameter_count:,} parameters",
        file=out,
    )
    print(f"data      {_data_description(config, run)}", file=out)
    print(
        f"          classes {', '.join(run.test_set.class_names)}; "
        f"{run.batches_per_epoch} batch{'' if run.batches_per_epoch == 1 else 'es'} of "
        f"{run.batch_size} per epoch",
        file=out,
    )
    print(
        f"training  SGD η={training.learning_rate:g}, momentum {training.momentum:g}, "
        f"L2 λ={training.l2:g}; seed {training.seed}; {training.epochs} epochs",
        file=out,
    )


def _data_description(config: Config, run: TrainingRun) -> str:
    """The source, how many samples each split holds and what one sample is."""
    train, test = run.train_set, run.test_set
    data = config.data
    source = f"{data.source} {data.file}" if data.source == "file" else data.source
    if train.image_side is not None:
        noun, what = "image", f"of {train.image_side}×{train.image_side} pixels"
    else:
        features = train.inputs.shape[1]
        noun, what = "sample", f"of {features} feature{'' if features == 1 else 's'}"
        if data.source == "file":
            what += ", standardised"
    if test is train:
        return f"{source}: {_count(len(train), noun)} {what}, tested on the same (no others)"
    return f"{source}: {len(train)} training + {_count(len(test), 'test ' + noun)} {what}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
