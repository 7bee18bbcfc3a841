"""The equations card, in the place of the batch and the output panels: one neuron's maths
for the phase (the stage shows the highlighted image and its outputs meanwhile).

The lines come from ``visualizer.hud.equations``. A sum is set as a column: each term's
value right-aligned, what it is beside it, and its total under a rule, as a long addition
is written by hand. Formulas are bright, words dim, and the worked numbers take the
colour of their pass as on the network (white forward, light red backward, gold at the
update). The card fills the panel's height with its lines, at the body text's size when
they fit, closer together when they do not, never smaller than the HUD's smallest text.
In a language that writes a decimal comma (``Words.number``), the card's numbers take it,
and the maths' own separators (``max(0, 0.3)``) become semicolons so that none is read
as part of a number: ``max(0; 0,3)``.
"""

from __future__ import annotations

import dataclasses
import re

from visualizer.choreography import Phase
from visualizer.hud.equations import EquationLine, Explanation, Style
from visualizer.hud.layout import MIN_TEXT_PX
from visualizer.hud.model import HudContent
from visualizer.render.hud.pen import Pen
from visualizer.render.palette import (
    BACKWARD_LABEL,
    DIM,
    FAINT,
    LABEL,
    RGBA,
    TEXT,
    UPDATE_LABEL,
)
from visualizer.scene.layout import Rect
from visualizer.words import Words

LINE_TEXT = 1.0  # a line's text at most, in text units (smaller, to fit, down to the least)
PITCH = 1.35  # a line's height, in its text size, when there is room …
TIGHTEST = 1.08  # … and at the closest
PHASE_COLOURS = {Phase.FORWARD: LABEL, Phase.BACKWARD: BACKWARD_LABEL}


def paint_equations(pen: Pen, content: HudContent, explanation: Explanation) -> None:
    layout, u = content.layout, content.layout.unit
    rect = layout.batch.union(layout.output)
    inner = rect.inset(0.6 * u)
    note = content.words("hud.equations.hide") if content.hints else ""
    note_width, note_bottom = 0, inner.y
    if note:
        where = (inner.x + inner.width, inner.y + 0.15 * u)
        note_width, height = pen.write(note, where, 0.75 * u, DIM, "topright")
        note_bottom = where[1] + height
    title_width = inner.width - note_width - (0.5 * u if note else 0.0)
    _, y = pen.write_fitted(explanation.title, (inner.x, inner.y), u, title_width, TEXT, bold=True)
    y = max(y, note_bottom)
    _, y = pen.write_fitted(explanation.subtitle, (inner.x, y), 0.7 * u, inner.width, FAINT)
    area = Rect(inner.x, y + 0.35 * u, inner.width, inner.bottom - y - 0.35 * u)
    shown = tuple(_in_language(line, content.words) for line in explanation.lines)
    lines = _fitting(shown, area.height)
    px = _text_size(pen, lines, area, u)
    pitch = max(min(PITCH * px, area.height / max(len(lines), 1)), TIGHTEST * px)
    worked = PHASE_COLOURS.get(explanation.phase, UPDATE_LABEL)
    value_right = area.x + 0.3 * u + _column(pen, lines, px)
    y = area.y
    for line in lines:
        y = _line(pen, line, area, y, px, pitch, value_right, worked)


DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def _in_language(line: EquationLine, words: Words) -> EquationLine:
    """The line with the language's decimal sign (the words of a note are the catalogue's,
    already the language's own)."""
    decimal = words.number(0.5, 1)[1]
    if decimal == ".":
        return line
    text = line.text if line.style is Style.NOTE else line.text.replace(", ", "; ")
    return dataclasses.replace(
        line,
        text=DECIMAL_POINT.sub(decimal, text),
        value=DECIMAL_POINT.sub(decimal, line.value),
    )


def _fitting(lines: tuple[EquationLine, ...], height: float) -> tuple[EquationLine, ...]:
    """The lines, without the words (notes) if all of them cannot fit at the tightest."""
    if len(lines) * TIGHTEST * MIN_TEXT_PX <= height:
        return lines
    return tuple(line for line in lines if line.style is not Style.NOTE)


def _text_size(pen: Pen, lines: tuple[EquationLine, ...], area: Rect, u: float) -> float:
    """One size for every line: the body text's, or less so that the lines fit the card's
    height at a comfortable pitch and its width (never below the HUD's smallest; a line
    still too wide then wraps)."""
    px = min(LINE_TEXT * u, area.height / (max(len(lines), 1) * PITCH))
    column = _column(pen, lines, px)
    widest = max(
        (
            pen.text.measure(line.text, px)[0] + (column + 0.3 * u + 0.6 * px if line.value else 0)
            for line in lines
        ),
        default=0.0,
    )
    if widest > area.width:
        px *= area.width / widest
    return max(px, MIN_TEXT_PX)


def _column(pen: Pen, lines: tuple[EquationLine, ...], px: float) -> float:
    """The width of the sums' value column at ``px``."""
    return max(
        (pen.text.measure(line.value, px, True)[0] for line in lines if line.value), default=0
    )


def _line(
    pen: Pen,
    line: EquationLine,
    area: Rect,
    y: float,
    px: float,
    pitch: float,
    value_right: float,
    worked: RGBA,
) -> float:
    """One line at ``y``; returns where the next one starts."""
    style = line.style
    if style in (Style.TERM, Style.TOTAL):
        colour = worked if style is Style.TOTAL else DIM
        if style is Style.TOTAL:  # the rule under the terms, as under a written sum
            pen.ui.line((area.x + 0.3 * px, y), (value_right, y), 1.0, FAINT)
            pen.flush()
        pen.write(line.value, (value_right, y + 0.1 * px), px, colour, "topright", bold=True)
        x = value_right + 0.6 * px
        _, bottom = pen.write_fitted(line.text, (x, y + 0.1 * px), px, area.x + area.width - x, DIM)
        return max(y + pitch, bottom)
    colour = {Style.FORMULA: TEXT, Style.NOTE: FAINT}.get(style, worked)
    indent = 0.6 * px if style is Style.RESULT else 0.0
    _, bottom = pen.write_fitted(
        line.text, (area.x + indent, y + 0.1 * px), px, area.width - indent, colour
    )
    return max(y + pitch, bottom)
