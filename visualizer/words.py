"""Every word on screen, from one catalogue per language.

A catalogue is a folder ``visualizer/languages/<code>/`` of YAML files, one per part of the
show (``hud.yaml`` …); a key is the file's name, then the path inside it, dotted:
``hud.legend.title``. A value is a string with ``{named}`` placeholders, or, for a count,
a mapping ``{one: "{n} image", other: "{n} images"}`` chosen by the language's plural rule.
Every catalogue has every key of English's and the same placeholders
(``tests/test_words.py`` proves it), so a lookup that works in English works in all.

Contract: ``words_for(code)`` returns the ``Words`` of a shipped language (cached);
``words(key, **values)`` fills a string, ``words.count(key, n, **values)`` a counted one;
``words.number(x, places)`` and ``words.percent(f, places)`` write figures as the language
does (1.234,5 and 54,6 % in German).
A key that no catalogue has is a programming error (``KeyError``), found by the tests.
Words are for the screen; the terminal's lines (``--help``, errors, headless) stay English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from visualizer.yaml_input import load_yaml

LANGUAGES_FOLDER = Path(__file__).resolve().parent / "languages"
DEFAULT_LANGUAGE = "en"
LANGUAGE_ORDER = ("en", "de", "fr", "es")  # the switch offers them in this order

# How each language writes 1234.5 and 54.6 %: (thousands, decimal, before "%"). A no-break
# space keeps a number whole where a line breaks.
NUMBER_STYLE: Mapping[str, tuple[str, str, str]] = {
    "en": (",", ".", ""),
    "de": (".", ",", "\u00a0"),
    "fr": ("\u00a0", ",", "\u00a0"),
    "es": (".", ",", "\u00a0"),
}

# Which counts take the singular ("one") form; every other count takes "other".
PLURAL_ONE: Mapping[str, Callable[[int], bool]] = {
    "fr": lambda n: n in (0, 1),  # « 0 image », « 1 image », « 2 images »
}


def available_languages() -> tuple[str, ...]:
    """The codes of the shipped catalogues, in ``LANGUAGE_ORDER`` (others after, by name)."""
    codes = {path.name for path in LANGUAGES_FOLDER.iterdir() if any(path.glob("*.yaml"))}
    known = tuple(code for code in LANGUAGE_ORDER if code in codes)
    return known + tuple(sorted(codes - set(known)))


@dataclass(frozen=True)
class Words:
    """One language's catalogue, flattened to dotted keys."""

    code: str
    entries: Mapping[str, Any] = field(compare=False, repr=False)  # the code says which

    def __call__(self, key: str, **values: object) -> str:
        entry = self.entries[key]
        if not isinstance(entry, str):
            raise KeyError(f"{key} is a count: use Words.count")
        return entry.format(**values) if values else entry

    def count(self, key: str, n: int, **values: object) -> str:
        """The entry ``key``'s form for ``n`` things, with ``{n}`` and ``values`` filled."""
        forms = self.entries[key]
        one = PLURAL_ONE.get(self.code, lambda count: count == 1)(n)
        return str(forms["one" if one else "other"]).format(n=self.number(n), **values)

    def number(self, value: float, places: int = 0, sign: bool = False) -> str:
        """``value`` with ``places`` decimals as the language writes it: 1,234.5 in
        English, 1.234,5 in German; ``sign`` writes + before a positive one."""
        thousands, decimal, _ = NUMBER_STYLE.get(self.code, NUMBER_STYLE[DEFAULT_LANGUAGE])
        text = f"{value:{'+' if sign else ''},.{places}f}"
        return text.translate({ord(","): thousands, ord("."): decimal})

    def speed(self, speed: float) -> str:
        """A speed as the slider writes it: 10× in any language, 2.5× in English and
        2,5× in German."""
        decimal = NUMBER_STYLE.get(self.code, NUMBER_STYLE[DEFAULT_LANGUAGE])[1]
        return speed_label(speed).replace(".", decimal)

    def percent(self, fraction: float, places: int = 0) -> str:
        """``fraction`` (0.546) as a percentage (54.6% in English, 54,6 % in French)."""
        space = NUMBER_STYLE.get(self.code, NUMBER_STYLE[DEFAULT_LANGUAGE])[2]
        return f"{self.number(100 * fraction, places)}{space}%"

    def class_name(self, name: str) -> str:
        """A class's name on screen: the shipped data's translated (``classes.yaml``), a
        user's own as it is."""
        return str(self.entries.get(f"classes.{name}", name))

    def lesson(self, name: str) -> tuple[str, str]:
        """A shipped lesson's title and one-line description (``lessons.yaml``)."""
        return self(f"lessons.{name}.title"), self(f"lessons.{name}.description")


def speed_label(speed: float) -> str:
    """How a speed reads in the log and, with the language's decimal sign, on screen:
    1 → "1×", 2.5 → "2.5×"; to two figures, as a visitor reads it (a visitor's story
    plays 2.075× and 41.5×: "2.1×", "42×")."""
    if speed >= 10:
        return f"{round(speed)}×"
    return f"{float(f'{speed:.2g}'):g}×"


@cache
def words_for(code: str) -> Words:
    """The catalogue of the language ``code`` (a shipped one: ``available_languages``)."""
    folder = LANGUAGES_FOLDER / code
    entries: dict[str, Any] = {}
    for path in sorted(folder.glob("*.yaml")):
        _flatten(load_yaml(path.read_text(encoding="utf-8")) or {}, path.stem, entries)
    if not entries:
        raise KeyError(f"no catalogue for language {code!r}")
    return Words(code, entries)


def _flatten(tree: Mapping[str, Any], prefix: str, into: dict[str, Any]) -> None:
    for name, value in tree.items():
        key = f"{prefix}.{name}"
        if isinstance(value, Mapping) and set(value) != {"one", "other"}:
            _flatten(value, key, into)
        else:
            into[key] = value
