"""Lessons: the shipped presets (``config/lessons/NAME.yaml``), listed and loaded.

Contract: a lesson is a partial config whose ``lesson:`` section gives its ``title`` (short)
and ``description`` (one line); its name is the file's stem. ``available_lessons()`` lists
them in ``config.LESSON_ORDER`` (each loaded and validated over the defaults);
``listing()`` is what ``--list-lessons`` prints. A ``LessonMenu`` is what the window may
switch between: the lessons a visitor may pick, the one on screen, and how the command
line builds a lesson's config (the lesson, then the ``--config`` file, then ``--set``:
what ``--lesson NAME`` would have given). A mistake is a ``ConfigError`` of one line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from visualizer.config import Config, ConfigError, lesson_file, lesson_names, load_config


@dataclass(frozen=True)
class Lesson:
    name: str  # the file's stem: --lesson NAME
    title: str
    description: str


@functools.cache
def available_lessons() -> tuple[Lesson, ...]:
    """Every shipped lesson, in the picker's order."""
    return tuple(_lesson(name) for name in lesson_names())


def find_lesson(name: str) -> Lesson:
    """The lesson ``name``, or a ConfigError listing the lessons."""
    lesson_file(name)  # refuses a name that is not a lesson's
    return next(lesson for lesson in available_lessons() if lesson.name == name)


def listing() -> str:
    """One line per lesson, ``name — description``."""
    return "".join(f"{lesson.name} — {lesson.description}\n" for lesson in available_lessons())


@dataclass(frozen=True)
class LessonMenu:
    """What the window may switch to: ``lessons`` (in order), the one on screen
    (``current``, None when the config is not a lesson), and ``config_for(name)``, the
    config that lesson runs with (a ConfigError if the command line's keys do not fit it)."""

    lessons: tuple[Lesson, ...]
    current: str | None
    config_for: Callable[[str], Config]

    def showing(self, name: str) -> LessonMenu:
        """The same menu with ``name`` on screen."""
        return LessonMenu(self.lessons, name, self.config_for)


def menu_for(
    config: Config, current: str | None, config_for: Callable[[str], Config]
) -> LessonMenu:
    """The menu of a window running ``config``: in a kiosk only ``kiosk.lessons`` (none when
    it lists none), elsewhere every lesson."""
    names = config.kiosk.lessons if config.kiosk.enabled else lesson_names()
    lessons = tuple(find_lesson(name) for name in dict.fromkeys(names))  # each once
    return LessonMenu(lessons, current, config_for)


def _lesson(name: str) -> Lesson:
    section = load_config(lesson=name).lesson
    if not section.title.strip() or not section.description.strip():
        raise ConfigError(f"lesson {name} must give lesson.title and lesson.description")
    if "\n" in section.description:
        raise ConfigError(f"lesson {name}: lesson.description must be one line")
    return Lesson(name, section.title, section.description)
