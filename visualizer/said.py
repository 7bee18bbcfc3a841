"""Something to say on screen later, kept as a catalogue key and its values, not as text.

Contract: ``Said(key, values)`` is what a notice holds (``supervisor.Notice``); ``said.text(
words)`` writes it in the language on screen *when it shows*, so a language switch while a
notice shows translates it too. ``Said.of(key, **values)`` builds one. A value is a whole
number (written as the language writes numbers: 1.234 in German) or a string kept as it is
(a file format, a command); anything the visitor should read in their language is a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.words import Words


@dataclass(frozen=True)
class Said:
    key: str  # in the catalogues (visualizer/languages/<code>/show.yaml)
    values: tuple[tuple[str, int | str], ...] = ()

    def text(self, words: Words) -> str:
        filled = {
            name: words.number(value) if isinstance(value, int) else value
            for name, value in self.values
        }
        return words(self.key, **filled)

    @classmethod
    def of(cls, key: str, **values: int | str) -> Said:
        return cls(key, tuple(sorted(values.items())))
