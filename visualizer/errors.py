"""Errors a user can fix: the command line prints their one-line message and exits 2.

``excerpt(value)`` and ``one_line(text)`` keep what such a message quotes short: a
mistaken value can be megabytes long, and the message must stay one readable line.
"""

from __future__ import annotations

import reprlib

EXIT_USER_ERROR = 2
EXCERPT_CHARACTERS = 60


class UserError(Exception):
    """Something the user gave us is wrong; the message names it and says how to fix it."""


def _short_repr() -> reprlib.Repr:
    short = reprlib.Repr()  # bounded work too: it never builds the whole repr first
    short.maxlevel, short.maxdict, short.maxlist, short.maxtuple = 2, 4, 6, 6
    short.maxstring = short.maxother = short.maxlong = EXCERPT_CHARACTERS
    return short


_SHORT = _short_repr()


def excerpt(value: object) -> str:
    """``repr(value)``, or its start and an ellipsis when it is long."""
    return _cut(_SHORT.repr(value), EXCERPT_CHARACTERS)


def one_line(text: object, limit: int = 200) -> str:
    """``str(text)`` on one line (runs of whitespace become one space), cut at ``limit``."""
    return _cut(" ".join(str(text).split()), limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
