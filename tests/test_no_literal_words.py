"""Every word on screen comes from the catalogues: the whole show (network labels, HUD,
every view, the lesson list, notices) is drawn in a made-up language whose every entry is
English wrapped in ⟦ ⟧, and any drawn run with a word outside those marks is a literal that
escaped the catalogues."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from visualizer import words as words_module
from visualizer.config import load_config
from visualizer.hud.toggles import Toggle
from visualizer.lessons import menu_for
from visualizer.render.context import OffscreenTarget
from visualizer.show import Show
from visualizer.words import words_for

# What may be drawn outside the catalogues: the maths' own names and the names of things.
NOT_WORDS = {"ReLU", "BatchNorm", "Dropout", "softmax", "sigmoid", "max", "exp", "ln", "log"}
NOT_WORDS |= {"MSE", "SGD", "XOR", "mean"}


def wrapped(entry: object) -> object:
    """An entry of the made-up language: English, marked."""
    if isinstance(entry, dict):
        return {name: wrapped(value) for name, value in entry.items()}
    return f"⟦{entry}⟧"


@pytest.fixture
def marked_language(tmp_path: Path, monkeypatch) -> Iterator[str]:
    """The catalogues, plus "xx": every English entry wrapped in ⟦ ⟧."""
    folder = tmp_path / "languages"
    shutil.copytree(words_module.LANGUAGES_FOLDER, folder)
    (folder / "xx").mkdir()
    for path in (folder / "en").glob("*.yaml"):
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = yaml.safe_dump(wrapped(tree), allow_unicode=True)
        (folder / "xx" / path.name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(words_module, "LANGUAGES_FOLDER", folder)
    words_for.cache_clear()
    yield "xx"
    words_for.cache_clear()


class Reader:
    """Reads the runs in the order they are drawn, keeping count of open marks: an entry
    that the layout wrapped over several lines, or one filled into another, stays marked
    from its ⟦ to its ⟧."""

    def __init__(self) -> None:
        self.depth = 0  # marks opened and not yet closed

    def literals(self, run: str) -> list[str]:
        """The words of ``run`` outside the marks and outside ``NOT_WORDS``: two Latin
        letters or more (Greek letters and a maths name's modifier letters are symbols)."""
        outside = []
        for c in run:
            if c in "⟦⟧":
                self.depth += 1 if c == "⟦" else -1
                outside.append(" ")
            elif self.depth == 0 and _latin_letter(c):
                outside.append(c)
            else:
                outside.append(" ")
        words = "".join(outside).split()
        return [word for word in words if len(word) > 1 and word not in NOT_WORDS]


def _latin_letter(c: str) -> bool:
    """A letter of a word: Latin, and not a subscript or modifier (the i of wᵢ, the k of wₖ)."""
    name = unicodedata.name(c, "")
    return name.startswith("LATIN") and "SUBSCRIPT" not in name and unicodedata.category(c) != "Lm"


def spied(show: Show) -> list[str]:
    runs: list[str] = []
    text = show.renderer.text
    real = text.draw

    def spy(target_size, run, *args, **kwargs):
        runs.append(run)
        return real(target_size, run, *args, **kwargs)

    text.draw = spy
    return runs


def views(show: Show, frame) -> Iterator[str]:
    """Each view the HUD has, in turn, named."""
    controller = show.controller
    controller.touched = True  # the view buttons and the lesson button show
    yield "curves"
    controller.toggle_legend()
    yield "legend"
    controller.toggle_legend()
    controller.toggle(Toggle.EXPLAIN, frame)
    yield "equations"
    controller.toggle(Toggle.EXPLAIN, frame)
    controller.toggle(Toggle.MATRIX, frame)
    yield "matrix"
    controller.toggle(Toggle.MATRIX, frame)
    if controller.picker is not None:
        controller.picker.toggle()
        yield "lesson list"
        controller.picker.toggle()


@pytest.mark.parametrize("lesson", ["shapes", "xor", "worked-example", "minitorch"])
def test_every_word_drawn_comes_from_the_catalogues(ctx, marked_language, lesson):
    config = load_config(lesson=lesson, overrides=["choreography.speed=10"])
    size = (1280, 720)
    target = OffscreenTarget(ctx, size)
    menu = menu_for(config, lesson, lambda name: load_config(lesson=name))
    show = Show(config, ctx, size, wait_for_records=True, lessons=menu, language=marked_language)
    try:
        runs = spied(show)
        reader = Reader()
        escaped: dict[str, list[str]] = {}
        for _ in range(60):  # through a whole cycle at 10×: every phase, its numbers
            frame = show.tick(0.15)
            for _view in views(show, frame):
                runs.clear()
                show.draw(show.tick(0.0), target.framebuffer)
                for run in runs:
                    if words := reader.literals(run):
                        escaped.setdefault(run, words)
        show.say("show.notice.next_run", seconds=12)
        runs.clear()
        show.draw(show.tick(0.0), target.framebuffer)
        for run in runs:
            if words := reader.literals(run):
                escaped.setdefault(run, words)
        assert escaped == {}
    finally:
        show.close()
        target.release()
