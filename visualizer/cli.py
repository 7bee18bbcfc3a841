"""The command line: ``python main.py``, ``python -m visualizer`` and ``neural-particles``.

Contract: ``main(argv)`` returns the process exit status. A user error (a bad flag, config
file, key or value) prints one line on stderr and returns 2, never a traceback. Shortcut
flags (``--seed``, ``--epochs`` …) are turned into ``--set`` overrides so that they are
validated exactly like the config files.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from visualizer import __version__
from visualizer.errors import EXIT_USER_ERROR, UserError, excerpt
from visualizer.logs import FILE_ONLY, LEVELS, LOG_NAME, setup_logging
from visualizer.paths import user_log_dir

EXIT_INTERNAL_ERROR = 1
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader left

log = logging.getLogger(__name__)

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
    config.add_argument(
        "--lesson",
        metavar="NAME",
        help="start a shipped lesson, e.g. xor (--list-lessons); --config and --set apply "
        "on top of it. Default: shapes, unless --config is given",
    )
    config.add_argument(
        "--list-lessons", action="store_true", help="print each lesson's name and what it is"
    )
    config.add_argument("--config", metavar="FILE", help="YAML file with the keys to change")
    config.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        dest="overrides",
        help="change one key, e.g. --set training.learning_rate=0.1 (repeatable)",
    )
    config.add_argument(
        "--data",
        metavar="PATH",
        help="train on your own data: a .csv, an .npz or a folder of PNG folders, one per "
        "class (same as --set data.source=file --set data.file=PATH; docs/dataset.md)",
    )
    config.add_argument(
        "--language",
        metavar="CODE",
        help="the words on screen: en, de, fr or es (same as --set ui.language=CODE)",
    )
    config.add_argument("--seed", metavar="N", help="same as --set training.seed=N")
    config.add_argument(
        "--speed",
        metavar="X",
        help="start at this speed, e.g. 5 (same as --set choreography.speed=X)",
    )
    config.add_argument(
        "--fullscreen",
        action="store_true",
        help="start fullscreen (same as --set window.fullscreen=true)",
    )
    config.add_argument(
        "--kiosk",
        action="store_true",
        help="unattended exhibit: fullscreen, no quitting but the chord, resume, repeat "
        "(same as --set kiosk.enabled=true; docs/exhibit.md)",
    )
    config.add_argument(
        "--log-level",
        choices=LEVELS,
        help="how much to log to stderr and the log file (same as --set logging.level=…)",
    )
    config.add_argument(
        "--print-config", action="store_true", help="print the effective config and exit"
    )
    headless = parser.add_argument_group("headless training (no window, no GL)")
    headless.add_argument("--headless", action="store_true", help="train at full speed and print")
    headless.add_argument("--epochs", metavar="N", help="same as --set training.epochs=N")
    offscreen = parser.add_argument_group("offscreen rendering (no display needed)")
    offscreen.add_argument(
        "--offscreen", action="store_true", help="render without a window, then exit"
    )
    offscreen.add_argument(
        "--size", metavar="WxH", default="1280x720", type=_size, help="picture size (1280x720)"
    )
    offscreen.add_argument(
        "--frames", metavar="N", type=_positive_int, default=1, help="frames to render (1)"
    )
    offscreen.add_argument(
        "--dt",
        metavar="SECONDS",
        type=_positive_float,
        default=1 / 60,
        help="simulated seconds per frame (1/60)",
    )
    offscreen.add_argument(
        "--screenshot", metavar="FILE.png", type=_png_path, help="save the last frame"
    )
    clips = parser.add_argument_group(
        "recording a clip (needs the video extra: pip install 'neural-particles[video]')"
    )
    clips.add_argument(
        "--record",
        metavar="FILE",
        type=Path,
        help="record the show into FILE.mp4 (H.264) or FILE.gif: with --offscreen every "
        "frame; in the window from the start until F9 or quitting (F9 records into "
        "~/Pictures)",
    )
    desktop = parser.add_argument_group("desktop").add_mutually_exclusive_group()
    desktop.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add the app and its icon to the desktop's menu (Linux, BSD), then exit",
    )
    desktop.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added, then exit",
    )
    parser.add_argument(
        "--metrics-out",
        metavar="FILE",
        help="append one JSON line per finished epoch (epoch, losses, accuracies)",
    )
    return parser


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if sep and width.isdigit() and height.isdigit():
        size = int(width), int(height)
        if all(16 <= side <= 16384 for side in size):
            return size
    raise argparse.ArgumentTypeError(
        f"expected WIDTHxHEIGHT in pixels, e.g. 1920x1080; got {excerpt(text)}"
    )


def _png_path(text: str) -> Path:
    if Path(text).suffix.lower() != ".png":
        raise argparse.ArgumentTypeError(
            f"screenshots are PNG files: give a name ending in .png; got {excerpt(text)}"
        )
    return Path(text)


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1; got {excerpt(text)}")
    return int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value <= 10.0:
        raise argparse.ArgumentTypeError(f"expected seconds in (0, 10]; got {excerpt(text)}")
    return value


def _overrides(args: argparse.Namespace) -> list[str]:
    shortcuts = {
        "training.seed": args.seed,
        "training.epochs": args.epochs,
        "choreography.speed": args.speed,
        "window.fullscreen": "true" if args.fullscreen else None,
        "kiosk.enabled": "true" if args.kiosk else None,
        "logging.level": args.log_level,
        "ui.language": json.dumps(args.language) if args.language is not None else None,
    }
    given = [f"{key}={value}" for key, value in shortcuts.items() if value is not None]
    if args.data is not None:
        # Quoted, so that a path such as 2024 or yes stays text: JSON strings are YAML.
        given += ["data.source=file", f"data.file={json.dumps(args.data)}"]
    return args.overrides + given


def _run_window(config, metrics, started: float, record: Path | None, lessons) -> int:
    from visualizer.instance_lock import instance_lock
    from visualizer.paths import checkpoint_dir
    from visualizer.window import Window

    checkpoints = checkpoint_dir() if config.kiosk.enabled else None
    with instance_lock(checkpoints) if checkpoints else contextlib.nullcontext():
        window = Window(config.window, config.kiosk)  # on screen now, before the rest loads
        log.info("window presented %.2f s after start", time.perf_counter() - started)
        from visualizer.app import run_window

        return run_window(config, window, started, metrics, checkpoints, record, lessons)


def _desktop_entry(install: bool) -> int:
    from visualizer.desktop_entry import (
        default_data_home,
        install_desktop_entry,
        uninstall_desktop_entry,
    )

    if install:
        for path in install_desktop_entry():
            print(f"wrote {path}")
        return 0
    removed = uninstall_desktop_entry()
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print(f"nothing to remove: no menu entry under {default_data_home()}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    _report_native_crashes()
    _without_pkg_resources()
    setup_logging("warning")  # until the config says otherwise
    try:
        return _run(build_parser().parse_args(argv), started)
    except UserError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        log.error("stopped: %s", error, extra={FILE_ONLY: True})
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader left (e.g. `| head`): stop quietly, as `yes | head` does
        # Point stdout at nothing, or Python's flush at exit reports the closed pipe again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as error:  # a bug: one line for the user, the traceback in the log
        log.exception("internal error", extra={FILE_ONLY: True})
        print(
            f"{PROGRAM}: internal error: {type(error).__name__}: {error} "
            f"(the details are in {user_log_dir() / LOG_NAME}; please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR


def _report_native_crashes() -> None:
    """A crash in native code (the GL driver, SDL) ends the process with no Python error:
    have it leave every thread's stack on stderr first, where a service manager's journal
    keeps it. Unless stderr is no file (a windowed app on Windows has none)."""
    with contextlib.suppress(RuntimeError, ValueError):  # stderr None, or without a descriptor
        faulthandler.enable()


def _without_pkg_resources() -> None:
    """pygame imports pkg_resources (setuptools) at its own import only to find its bundled
    default font, which this app never uses (it draws with its own, through freetype): a
    tenth of a second and more of every start. Marked absent, pygame falls back to plain
    file paths for that font."""
    sys.modules.setdefault("pkg_resources", None)  # type: ignore[arg-type]


def _run(args: argparse.Namespace, started: float) -> int:
    from visualizer.config import DEFAULT_LESSON, Config, dump_config, load_config
    from visualizer.lessons import listing, menu_for
    from visualizer.training.data import fit_to_data

    if args.list_lessons:
        print(listing(), end="")
        return 0
    overrides = _overrides(args)

    def config_for(lesson: str | None) -> Config:
        """The lesson, then the --config file, then --set; a file source is read here,
        before anything starts, so that every refusal comes now."""
        return fit_to_data(load_config(args.config, overrides, lesson))

    lesson = args.lesson or (DEFAULT_LESSON if args.config is None else None)
    config = config_for(lesson)
    rotation = config.kiosk.lessons if config.kiosk.enabled else ()
    if rotation and lesson not in rotation:  # an exhibit starts with a lesson of its own
        lesson = rotation[0]
        config = config_for(lesson)
    setup_logging(config.logging.level)
    if args.print_config:
        print(dump_config(config), end="")  # print: a windowed build may have no stdout
        return 0
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return _desktop_entry(install=args.install_desktop_entry)
    if args.headless and args.offscreen:
        raise UserError("choose one of --headless and --offscreen")
    if args.record is not None:
        if args.headless:
            raise UserError("--record needs pictures: use it with --offscreen or the window")
        from visualizer.recording.target import check_clip_target

        check_clip_target(args.record)  # before anything is drawn
    from visualizer.memory import check_memory

    # Before anything is allocated: a user's mistake must not cost the machine's memory.
    check_memory(config, args.size if args.offscreen else None, headless=args.headless)

    from visualizer.metrics_log import MetricsLog

    with contextlib.ExitStack() as stack:
        metrics = stack.enter_context(MetricsLog(args.metrics_out)) if args.metrics_out else None
        if args.headless:
            from visualizer.headless import run_headless

            return run_headless(config, sys.stdout, metrics)
        if args.offscreen:
            from visualizer.offscreen import run_offscreen

            return run_offscreen(
                config, args.size, args.frames, args.dt, args.screenshot, metrics, args.record
            )
        lessons = menu_for(config, lesson, config_for)
        return _run_window(config, metrics, started, args.record, lessons)
