"""How long one training step takes: batch 16, forward, loss, backward, update.

    python benchmarks/bench_training_step.py [--repeats 31]

Prints the median and best µs per step of the numpy network on real shuffled batches of
the default dataset, then with BatchNorm and Dropout 0.2 in the hidden layer, and, when
PyTorch is installed, the same step (same sizes, float64,
SGD with the same momentum) in PyTorch eager mode, with the ratio. Each repeat times one
pass over 15 epochs' worth of batches; the machine's noise shows in median vs best.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from visualizer.config import load_config
from visualizer.training.data import make_datasets
from visualizer.training.network import MLP
from visualizer.training.optimizer import SGD


def batches(config, epochs: int = 15) -> list[tuple[np.ndarray, np.ndarray]]:
    train, _ = make_datasets(config, np.random.default_rng(0))
    rng = np.random.default_rng(1)
    size = config.training.batch_size
    out = []
    for _ in range(epochs):
        order = rng.permutation(len(train))
        out += [
            (train.inputs[order[i : i + size]], train.labels[order[i : i + size]])
            for i in range(0, len(train), size)
        ]
    return out


def time_per_step(step, data, repeats: int) -> list[float]:
    for X, y in data[:50]:
        step(X, y)  # warm up buffers and caches
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        for X, y in data:
            step(X, y)
        samples.append((time.perf_counter() - started) / len(data) * 1e6)
    return samples


def numpy_step(config):
    t = config.training
    n = config.network
    net = MLP(
        n.sizes, n.hidden_activation, n.output, t.l2, 0, batch_norm=n.batch_norm, dropout=n.dropout
    )
    sgd = SGD(net.parameter_count, t.learning_rate, t.momentum)

    def step(X, y):
        inputs = net.input_buffer(len(X))
        np.copyto(inputs, X)  # the trainer gathers straight into this buffer
        net.compute_gradients(inputs, y)
        sgd.step(net.flat_params, net.flat_grads)

    return step


def torch_step(config):
    import torch

    torch.set_num_threads(1)
    t = config.training
    sizes = config.network.sizes
    model = torch.nn.Sequential(
        torch.nn.Linear(sizes[0], sizes[1]), torch.nn.ReLU(), torch.nn.Linear(sizes[1], sizes[2])
    ).double()
    weights = [model[0].weight, model[2].weight]
    biases = [model[0].bias, model[2].bias]
    optimizer = torch.optim.SGD(
        [{"params": weights, "weight_decay": t.l2}, {"params": biases, "weight_decay": 0.0}],
        lr=t.learning_rate,
        momentum=t.momentum,
    )
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(X, y):
        optimizer.zero_grad()
        loss = loss_fn(model(torch.from_numpy(X)), torch.from_numpy(y))
        loss.backward()
        optimizer.step()

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=31)
    args = parser.parse_args()
    config = load_config()
    data = batches(config)
    ours = time_per_step(numpy_step(config), data, args.repeats)
    print(
        f"numpy  step (batch {config.training.batch_size}): "
        f"median {statistics.median(ours):6.1f} µs, best {min(ours):6.1f} µs"
    )
    layered = config.replace(network={"batch_norm": True, "dropout": 0.2})
    times = time_per_step(numpy_step(layered), data, args.repeats)
    print(
        f"numpy  step with BatchNorm and dropout 0.2: "
        f"median {statistics.median(times):6.1f} µs, best {min(times):6.1f} µs"
    )
    try:
        import torch  # noqa: F401
    except ImportError:
        print("torch  not installed: pip install torch to compare")
        return
    theirs = time_per_step(torch_step(config), data, max(5, args.repeats // 4))
    ratio = statistics.median(theirs) / statistics.median(ours)
    print(
        f"torch  step (eager, float64, 1 thread): "
        f"median {statistics.median(theirs):6.1f} µs, best {min(theirs):6.1f} µs"
    )
    print(f"numpy is {ratio:.1f}× faster than PyTorch eager at this size")


if __name__ == "__main__":
    main()
