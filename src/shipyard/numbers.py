"""The one way shipyard checks a number it was given: finite, in range, with its unit.

Pure: `problem()` returns what is wrong (for the caller's error, which names the file and the
key path or line) or None. `ascii_int()` reads digits the way a user means them: ASCII only, so
"٣" (Arabic-Indic three) is not silently read as 3.
"""

from __future__ import annotations

import math
import re

_ASCII_INT = re.compile(r"[+-]?[0-9]+\Z")
_ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


def problem(
    value: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    unit: str = "",
    integer: bool = False,
) -> str | None:
    """Why `value` is not an acceptable number, or None when it is."""
    kind = "an integer" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected {kind}{_range(minimum, maximum, unit)}, got {value!r}"
    if integer and not isinstance(value, int):
        return f"expected {kind}{_range(minimum, maximum, unit)}, got {value!r}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"expected a finite number{_range(minimum, maximum, unit)}, got {value}"
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        shown = value if abs(value) < 1e15 else f"{value:.3g}"
        return f"expected {kind}{_range(minimum, maximum, unit)}, got {shown}"
    return None


def ascii_int(text: str) -> int | None:
    """`text` as an integer when it is ASCII digits (with an optional sign), else None."""
    text = text.strip()
    if not _ASCII_INT.match(text) or len(text) > 30:
        return None
    return int(text)


def _range(minimum: float | None, maximum: float | None, unit: str) -> str:
    u = f" {unit}" if unit else ""
    if minimum is not None and maximum is not None:
        return f" from {minimum:g} to {maximum:g}{u}"
    if minimum is not None:
        return f" >= {minimum:g}{u}"
    if maximum is not None:
        return f" <= {maximum:g}{u}"
    return f" ({unit})" if unit else ""


def ascii_number(text: str) -> int | float | None:
    """`text` as a number when written in ASCII digits (`1`, `-2.5`, `1e3`), else None.

    The result may be infinite (`1e999`): pass it to `problem()` to reject that.
    """
    text = text.strip()
    if len(text) > 400 or not _ASCII_NUMBER.match(text):
        return None
    whole = ascii_int(text)
    return whole if whole is not None else float(text)
