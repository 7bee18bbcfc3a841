"""The command line: ``python main.py``, ``python -m visualizer`` and ``neural-particles``.

Contract: ``main(argv)`` returns the process exit status. A user error (a bad flag, config
file, key or value) prints one line on stderr and returns 2, never a traceback. Shortcut
flags (``--seed``, ``--epochs`` …) are turned into ``--set`` overrides so that they are
validated exactly like the config files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from visualizer import __version__
from visualizer.errors import EXIT_USER_ERROR, UserError

PROGRAM = "neural-particles"


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit status 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{message} (see --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog=PROGRAM,
        description="A real neural network learning circles from squares, shown as light.",
    )
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__}")
    config = parser.add_argument_group("configuration")
    config.add_argument("--config", metavar="FILE", help="YAML file with the keys to change")
    config.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        dest="overrides",
        help="change one key, e.g. --set training.learning_rate=0.1 (repeatable)",
    )
    config.add_argument("--seed", metavar="N", help="same as --set training.seed=N")
    config.add_argument(
        "--print-config", action="store_true", help="print the effective config and exit"
    )
    headless = parser.add_argument_group("headless training (no window, no GL)")
    headless.add_argument("--headless", action="store_true", help="train at full speed and print")
    headless.add_argument("--epochs", metavar="N", help="same as --set training.epochs=N")
    parser.add_argument(
        "--metrics-out",
        metavar="FILE",
        help="write one JSON line per finished epoch (epoch, losses, accuracies)",
    )
    return parser


def _overrides(args: argparse.Namespace) -> list[str]:
    shortcuts = {"training.seed": args.seed, "training.epochs": args.epochs}
    return args.overrides + [
        f"{key}={value}" for key, value in shortcuts.items() if value is not None
    ]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(build_parser().parse_args(argv))
    except UserError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    from visualizer.config import dump_config, load_config

    config = load_config(args.config, _overrides(args))
    if args.print_config:
        sys.stdout.write(dump_config(config))
        return 0
    if not args.headless:
        raise UserError("the window is not built yet; run with --headless")

    from visualizer.headless import run_headless
    from visualizer.metrics_log import MetricsLog

    if args.metrics_out is None:
        return run_headless(config, sys.stdout)
    with MetricsLog(args.metrics_out) as metrics:
        return run_headless(config, sys.stdout, metrics)
