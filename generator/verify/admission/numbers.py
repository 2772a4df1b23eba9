"""Numbers as Kyverno's Go code reads them: Go durations, and the text of a number.

Kubernetes quantities, which Kyverno compares too, are `generator.quantity.parse_quantity`.
"""

from __future__ import annotations

import re
from fractions import Fraction

_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_DURATION_UNIT = {
    "ns": 1,
    "us": 1000,
    "µs": 1000,
    "μs": 1000,
    "ms": 10**6,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}


def parse_duration(text: str) -> Fraction | None:
    """A Go duration (`1h30m`, `10s`, `0`) in nanoseconds, or None (Go's `time.ParseDuration`)."""
    body = text[1:] if text[:1] in ("+", "-") else text
    sign = -1 if text[:1] == "-" else 1
    if body == "0":
        return Fraction(0)
    if not body:
        return None
    total = Fraction(0)
    position = 0
    while position < len(body):
        part = _DURATION_PART.match(body, position)
        if part is None or part.group(1) in ("", "."):
            return None
        total += Fraction(part.group(1)) * _DURATION_UNIT[part.group(2)]
        position = part.end()
    return sign * total


def number_text(value: object) -> str | None:
    """Go's `convertNumberToString`: nil is "0", floats print with six decimals."""
    if value is None:
        return "0"
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:f}"
    return None
