"""The shipped lessons: named partial configs in ``config/lessons/NAME.yaml``."""

from __future__ import annotations

from pathlib import Path

from visualizer.config.schema import ConfigError
from visualizer.errors import excerpt
from visualizer.resources import resource_path

LESSONS_FOLDER = "lessons"  # config/lessons/NAME.yaml: partial configs, each a lesson
DEFAULT_LESSON = "shapes"  # today's show: what runs without --lesson and --config
# The order the picker and --list-lessons give them in; other lesson files follow by name.
LESSON_ORDER = ("shapes", "xor", "worked-example", "digits", "minitorch")


def lesson_names() -> tuple[str, ...]:
    """Every lesson shipped in ``config/lessons/``, in ``LESSON_ORDER``."""
    stems = {path.stem for path in (resource_path("config") / LESSONS_FOLDER).glob("*.yaml")}
    known = tuple(name for name in LESSON_ORDER if name in stems)
    return known + tuple(sorted(stems - set(known)))


def lesson_file(name: str) -> Path:
    """The file of the lesson ``name``, or a ConfigError listing the lessons."""
    names = lesson_names()
    if name not in names:
        raise ConfigError(f"unknown lesson {excerpt(name)}; the lessons are {', '.join(names)}")
    return resource_path("config") / LESSONS_FOLDER / f"{name}.yaml"
