"""Do the training defaults meet the dataset's goals? Figures per seed and over seeds.

    python benchmarks/bench_defaults.py [--seeds 10] [--jobs N] [--lesson NAME]
                                        [--set KEY=VALUE ...]

The config is the app's: config/default.yaml, then the lesson's file (``--lesson``, as on
the app's command line; none by default), then ``--set`` overrides, parsed by
``load_config`` exactly as on the app's command line. Each seed 0..N−1 trains a whole run
through the real ``TrainingRun`` at full speed and without GL, as ``--headless`` does
(stopping at a non-finite loss, as it does). Seeds run in parallel processes.

Per seed, and as mean and worst over the seeds, it prints:

- train: accuracy on the run's training set after the last epoch;
- test: accuracy on the run's own test split (``data.test_size`` images);
- held-out: accuracy on 1,000 freshly generated images of the run's source (shapes or
  digits) and style, drawn from a Generator independent of the run's (seeded 10,000 +
  seed, the same images as benchmarks/bench_dataset.py); for a source that generates
  nothing (xor, worked-example, file) the run's own test split;
- fit at: the first epoch whose train accuracy reached 0.99 (— if none did);
- peak: the largest batch J of the run over the first batch's J. The show's loss chart
  is scaled to its largest value, so a peak above 1 means a spike sets the chart's scale;
- zigzag: over the first 10 epochs, the mean |J − previous batch's J| over the largest J
  so far, i.e. how far the chart's line jumps from batch to batch, as a share of its height;
- dead: hidden neurons that are 0 on every training image after the last epoch (ReLU units
  that no longer learn; all of them dead means the net answers one class for everything).

Then the mean test accuracy after the first epochs (what a visitor sees first). Figures
only, no verdict: the goals (issues 2 and 11) are train ≥ 0.99 and held-out ≥ 0.85 on
average over seeds with the defaults.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from visualizer.config import GENERATED_SOURCES, Config, load_config
from visualizer.errors import EXIT_USER_ERROR, UserError
from visualizer.training.data import Dataset, fit_to_data, generate
from visualizer.training.run import TrainingRun

HELD_OUT_SIZE = 1000
HELD_OUT_SEED_OFFSET = 10_000  # far from the run seeds, so the held-out images are new
FIT_ACCURACY = 0.99
EARLY_EPOCHS = (1, 3, 5, 10)
ZIGZAG_EPOCHS = 10


@dataclass(frozen=True)
class SeedResult:
    """One seed's run, scored."""

    seed: int
    diverged_at_epoch: int | None  # the epoch of the first non-finite J, if any
    train_accuracy: float
    test_accuracy: float
    held_out_accuracy: float
    fit_epoch: int | None  # first epoch with train accuracy ≥ FIT_ACCURACY
    early_test_accuracy: dict[int, float]  # epoch → test accuracy, for EARLY_EPOCHS
    peak: float  # max batch J / first batch J
    zigzag: float  # mean |ΔJ| over the first epochs / max J so far
    dead: int  # hidden neurons that are 0 on every training image at the end


def train_seed(config: Config, seed: int) -> SeedResult:
    """Train one run to its end (or its divergence) and score it."""
    run = TrainingRun(config, seed)
    diverged_at = None
    while (record := run.next_record(run.batches_per_epoch)) is not None:
        if not math.isfinite(record.loss):
            diverged_at = record.epoch
            break
    network = run.network
    with np.errstate(invalid="ignore"):  # a diverged network scores NaNs: let it score them
        held_out = _held_out(config, seed, run.test_set)
        train = network.evaluate(run.train_set.inputs, run.train_set.labels).accuracy
        test = network.evaluate(run.test_set.inputs, run.test_set.labels).accuracy
        held = network.evaluate(held_out.inputs, held_out.labels).accuracy
        hidden = network.forward(run.train_set.inputs).activations[1:-1]
    summaries = run.history.epochs
    losses = np.asarray(run.history.batch_losses.losses)
    losses = losses[np.isfinite(losses)]  # the curve up to a divergence: what a chart can draw
    return SeedResult(
        seed=seed,
        diverged_at_epoch=diverged_at,
        train_accuracy=train,
        test_accuracy=test,
        held_out_accuracy=held,
        fit_epoch=next((s.epoch for s in summaries if s.train_accuracy >= FIT_ACCURACY), None),
        early_test_accuracy={
            s.epoch: s.test_accuracy for s in summaries if s.epoch in EARLY_EPOCHS
        },
        peak=float(np.max(losses) / losses[0]),
        zigzag=_zigzag(losses[: ZIGZAG_EPOCHS * run.batches_per_epoch]),
        dead=sum(int(np.count_nonzero(~a.any(axis=0))) for a in hidden),
    )


def _held_out(config: Config, seed: int, test_set: Dataset) -> Dataset:
    """Fresh images of a generated source; else the run's test split (there are no others)."""
    if config.data.source not in GENERATED_SOURCES:
        return test_set
    rng = np.random.default_rng(HELD_OUT_SEED_OFFSET + seed)
    return generate(config.data, HELD_OUT_SIZE, rng)


def _zigzag(losses: np.ndarray) -> float:
    """Mean batch-to-batch jump of J, each over the chart's height (max J so far) then."""
    if len(losses) < 2:
        return 0.0
    return float(np.mean(np.abs(np.diff(losses)) / np.maximum.accumulate(losses)[1:]))


def print_report(config: Config, results: list[SeedResult]) -> None:
    training = config.training
    print(
        f"SGD η={training.learning_rate:g}, momentum {training.momentum:g}, "
        f"L2 λ={training.l2:g}, batch {training.batch_size}, {training.epochs} epochs; "
        f"{len(results)} seeds"
    )
    for r in results:
        diverged = f"  DIVERGED in epoch {r.diverged_at_epoch}" if r.diverged_at_epoch else ""
        print(
            f"seed {r.seed:2}: train {r.train_accuracy:.3f}  test({config.data.test_size}) "
            f"{r.test_accuracy:.3f}  held-out({HELD_OUT_SIZE}) {r.held_out_accuracy:.3f}  "
            f"fit at {_epoch(r.fit_epoch)}  peak {r.peak:.3g}  zigzag {r.zigzag:.3f}  "
            f"dead {r.dead:2}{diverged}"
        )

    def spread(values: list[float]) -> str:
        return f"{statistics.mean(values):.3f} (worst {min(values):.3f})"

    fits = [r.fit_epoch for r in results if r.fit_epoch is not None]
    fit = (
        f"mean {statistics.mean(fits):.1f}, latest {max(fits)}, {len(results) - len(fits)} never"
        if fits
        else "never"
    )
    diverged = sum(r.diverged_at_epoch is not None for r in results)
    print(f"train     {spread([r.train_accuracy for r in results])}")
    print(f"test      {spread([r.test_accuracy for r in results])}")
    print(f"held-out  {spread([r.held_out_accuracy for r in results])}")
    print(f"fit at    epoch {fit}   (train accuracy ≥ {FIT_ACCURACY})")
    peaks, zigzags = [r.peak for r in results], [r.zigzag for r in results]
    print(
        f"loss      peak median {statistics.median(peaks):.3g} (max {max(peaks):.3g}), "
        f"zigzag mean {statistics.mean(zigzags):.3f} (max {max(zigzags):.3f}); "
        f"{diverged} diverged"
    )
    dead = [r.dead for r in results]
    hidden = sum(config.network.sizes[1:-1])
    print(
        f"dead      hidden neurons mean {statistics.mean(dead):.1f} of {hidden}, "
        f"most {max(dead)}; {dead.count(hidden)} runs with all dead"
    )
    early = ", ".join(
        f"epoch {epoch}: {statistics.mean(values):.2f}"
        for epoch in EARLY_EPOCHS
        if (
            values := [
                r.early_test_accuracy[epoch] for r in results if epoch in r.early_test_accuracy
            ]
        )
    )
    print(f"early     mean test accuracy after {early}")


def _epoch(epoch: int | None) -> str:
    return f"{epoch:3}" if epoch is not None else "  —"


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1; got {text!r}")
    return int(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=_count, default=10, help="seeds 0..N−1 (default 10)")
    parser.add_argument(
        "--jobs", type=_count, default=os.cpu_count() or 1, help="processes (default: all cores)"
    )
    parser.add_argument("--lesson", metavar="NAME", help="start from a lesson's config, e.g. xor")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        dest="overrides",
        metavar="KEY=VALUE",
        help="change one config key, as on the app's command line (repeatable)",
    )
    args = parser.parse_args()
    try:
        config = fit_to_data(load_config(overrides=args.overrides, lesson=args.lesson))
    except UserError as error:
        print(f"bench_defaults: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    with ProcessPoolExecutor(max_workers=min(args.jobs, args.seeds)) as pool:
        results = list(pool.map(partial(train_seed, config), range(args.seeds)))
    print_report(config, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
