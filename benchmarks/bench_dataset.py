"""Does the default config fit the training set and generalise? The dataset's evidence.

    python benchmarks/bench_dataset.py [--seeds 10] [--set KEY=VALUE ...]

For each seed: a full run through the real ``TrainingRun``, then accuracy on 1,000
freshly generated held-out images that the run never saw. Prints per-seed figures, the
means and the mean test accuracy after the first epochs (what a visitor sees first).
Issue 2's bar: train accuracy ≥ 0.99 and held-out accuracy ≥ 0.85 on average.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from visualizer.config import load_config
from visualizer.training.data import generate
from visualizer.training.run import TrainingRun

EARLY_EPOCHS = (1, 3, 5, 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--set", action="append", default=[], dest="overrides")
    args = parser.parse_args()
    config = load_config(overrides=args.overrides)

    rows, early = [], {epoch: [] for epoch in EARLY_EPOCHS}
    for seed in range(args.seeds):
        run = TrainingRun(config, seed)
        while (record := run.next_record(run.batches_per_epoch)) is not None:
            if record.epoch in early:
                early[record.epoch].append(record.epoch_metrics.test_accuracy)
            last = record.epoch_metrics
        held_out = generate(config.data, 1000, np.random.default_rng(10_000 + seed))
        held = run.network.evaluate(held_out.inputs, held_out.labels).accuracy
        rows.append((last.train_accuracy, last.test_accuracy, held))
        print(
            f"seed {seed:2}: train {last.train_accuracy:.3f}  "
            f"test(40) {last.test_accuracy:.3f}  held-out(1000) {held:.3f}"
        )

    train, test, held = (statistics.mean(column) for column in zip(*rows))
    worst = min(row[2] for row in rows)
    print(
        f"mean over {args.seeds} seeds after {config.training.epochs} epochs: train {train:.3f}, "
        f"test(40) {test:.3f}, held-out(1000) {held:.3f}; worst held-out {worst:.3f}"
    )
    curve = ", ".join(f"epoch {e}: {statistics.mean(v):.2f}" for e, v in early.items() if v)
    print(f"mean test accuracy early on: {curve}")


if __name__ == "__main__":
    main()
