"""Numbers as the equations write them: a true minus sign, as many digits as the value
needs, and powers of ten typeset with superscripts.

Contract: ``number(v)`` writes a value with three significant digits (at least three
decimals, whole numbers with none), ``−`` (U+2212) for a minus and ``3.12×10⁻⁵`` below
10⁻⁴; ``factor(v)`` is the same, in parentheses when negative (a factor of a product);
``signed(v)`` always carries its sign; ``decimals(v, places)`` a fixed number of decimals.
"""

from __future__ import annotations

import math

from visualizer.scene.numbers import up

MINUS = "−"
SMALLEST_PLAIN = 1e-4  # below this, a power of ten


def number(value: float) -> str:
    """Three significant digits, at least three decimals: 0.412, 0.00312, 3.12×10⁻⁵."""
    if value == 0 or not math.isfinite(value):
        return _minus(f"{value:g}")
    size = abs(value)
    if size < SMALLEST_PLAIN:
        mantissa, exponent = f"{value:.2e}".split("e")
        power = int(exponent)
        return _minus(mantissa) + "×10" + (("⁻" + up(-power)) if power < 0 else up(power))
    places = max(3, 2 - math.floor(math.log10(size)))
    return _minus(f"{value:.{places}f}")


def decimals(value: float, places: int) -> str:
    """``value`` with exactly ``places`` decimals."""
    return _minus(f"{value:.{places}f}")


def factor(text: str) -> str:
    """A number as a factor of a product: in parentheses when it is negative."""
    return f"({text})" if text.startswith(MINUS) else text


def signed(text: str) -> str:
    """A number with its sign written either way."""
    return text if text.startswith(MINUS) else "+" + text


def _minus(text: str) -> str:
    return text.replace("-", MINUS)
