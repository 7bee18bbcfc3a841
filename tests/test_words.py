"""The catalogues: every language has every key of English's, with the same placeholders,
and the lookups fill them."""

from __future__ import annotations

import string
import subprocess
import sys

import pytest

from visualizer.config import lesson_names
from visualizer.words import LANGUAGE_ORDER, Words, available_languages, speed_label, words_for

OTHERS = [code for code in available_languages() if code != "en"]


def placeholders(entry: object) -> set[str]:
    texts = entry.values() if isinstance(entry, dict) else [entry]
    return {
        name
        for text in texts
        for _, name, _, _ in string.Formatter().parse(str(text))
        if name is not None
    }


def test_the_four_languages_are_shipped():
    assert available_languages() == LANGUAGE_ORDER == ("en", "de", "fr", "es")


@pytest.mark.parametrize("code", OTHERS)
def test_every_catalogue_has_every_key_and_placeholder(code):
    english, other = words_for("en").entries, words_for(code).entries
    assert sorted(set(english) - set(other)) == [], "missing keys"
    assert sorted(set(other) - set(english)) == [], "keys English does not have"
    for key, entry in english.items():
        assert type(other[key]) is type(entry), key
        assert placeholders(other[key]) == placeholders(entry), key
        assert str(other[key]).strip(), key


@pytest.mark.parametrize("code", available_languages())
def test_counts_have_both_forms_and_the_count(code):
    for key, entry in words_for(code).entries.items():
        if isinstance(entry, dict):
            assert set(entry) == {"one", "other"}, key
            assert "n" in placeholders(entry), key


def test_plural_rules():
    forms = {"one": "{n} x", "other": "{n} xs"}
    for code in available_languages():
        words = Words(code, {"test.things": forms})
        assert words.count("test.things", 1) == "1 x"
        assert words.count("test.things", 2) == "2 xs"
        assert words.count("test.things", 0) == ("0 x" if code == "fr" else "0 xs")


def test_numbers_as_each_language_writes_them():
    expected = {
        "en": ("1,234.57", "54.6%", "+0.50"),
        "de": ("1.234,57", "54,6\u00a0%", "+0,50"),
        "fr": ("1\u00a0234,57", "54,6\u00a0%", "+0,50"),
        "es": ("1.234,57", "54,6\u00a0%", "+0,50"),
    }
    for code, (number, percent, signed) in expected.items():
        words = Words(code, {"test.things": {"one": "{n} x", "other": "{n} xs"}})
        assert words.number(1234.567, 2) == number
        assert words.percent(0.5461, 1) == percent
        assert words.number(0.5, 2, sign=True) == signed
        assert words.count("test.things", 1200) == f"{words.number(1200)} xs"


def test_each_language_names_itself():
    names = {code: words_for(code)("language.name") for code in available_languages()}
    assert names == {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}


def test_an_unknown_language_is_one_line_and_exit_2():
    run = subprocess.run(
        [sys.executable, "main.py", "--headless", "--epochs", "1", "--language", "xx"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert "ui.language 'xx' is not a language; the languages are en, de, fr, es" in line


@pytest.mark.parametrize("code", available_languages())
def test_every_shipped_lesson_and_class_has_its_words(code):
    words = words_for(code)
    for name in lesson_names():
        title, description = words.lesson(name)
        assert title and description
    assert words.class_name("circle") == words("classes.circle")
    assert words.class_name("Apfel") == "Apfel"  # a user's own class keeps its name


def test_speeds_as_each_language_writes_them():
    assert [speed_label(s) for s in (1.0, 5.0, 10.0, 2.5)] == ["1×", "5×", "10×", "2.5×"]
    # A visitor's story plays 2.075× and 41.5× (xor: 0.225×): two figures are read at once.
    assert [speed_label(s) for s in (2.075, 41.5, 0.225, 9.96, 100.0)] == [
        "2.1×",
        "42×",
        "0.23×",
        "10×",
        "100×",
    ]
    assert [words_for(code).speed(2.5) for code in ("en", "de", "fr", "es")] == [
        "2.5×",
        "2,5×",
        "2,5×",
        "2,5×",
    ]
    assert words_for("de").speed(10.0) == "10×"
