"""A scalar pattern against a resource value, as Kyverno's `pattern.Validate` decides it.

Operators in string patterns: `|` (any of), `&` (all of), `>`, `<`, `>=`, `<=`, `!` (not),
`a-b` (in range) and `a!-b` (not in range); the operand is compared as a Go duration, else as a
Kubernetes quantity, else (for `=` and `!` only) as a wildcard string.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from generator.quantity import parse_quantity
from generator.verify.admission import wildcard
from generator.verify.admission.numbers import number_text, parse_duration

_NUMBER = r"[-+]?\d+(?:\.\d+)?[A-Za-z]*"
IN_RANGE = re.compile(rf"^({_NUMBER})-({_NUMBER})$")
NOT_IN_RANGE = re.compile(rf"^({_NUMBER})!-({_NUMBER})$")
_FLOAT = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_INT = re.compile(r"^[+-]?\d+$")
_COMPARE: dict[str, Callable[[int], bool]] = {
    "": lambda c: c == 0,
    "!": lambda c: c != 0,
    ">": lambda c: c > 0,
    "<": lambda c: c < 0,
    ">=": lambda c: c >= 0,
    "<=": lambda c: c <= 0,
}


def operator(pattern: str) -> str:
    """Kyverno's `GetOperatorFromStringPattern`."""
    if len(pattern) < 2:
        return ""
    for op in (">=", "<=", ">", "<", "!"):
        if pattern.startswith(op):
            return op
    if NOT_IN_RANGE.match(pattern):
        return "!-"
    if IN_RANGE.match(pattern):
        return "-"
    return ""


def validate(value: Any, pattern: Any) -> bool:
    """Does the resource `value` satisfy the scalar `pattern`?"""
    if isinstance(pattern, bool):
        return isinstance(value, bool) and value == pattern
    if isinstance(pattern, int | float):
        return _number(value, float(pattern))
    if pattern is None:
        return _nil(value)
    if isinstance(pattern, dict):
        return isinstance(value, dict)
    if isinstance(pattern, str):
        return _strings(value, pattern)
    return False


def _number(value: Any, pattern: float) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return pattern == math.trunc(pattern) and int(pattern) == value
    if isinstance(value, float):
        return value == pattern
    if isinstance(value, str):
        return bool(_FLOAT.match(value)) and float(value) == pattern
    return False


def _nil(value: Any) -> bool:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value == 0
    if isinstance(value, str):
        return value == ""
    return value is None


def _strings(value: Any, pattern: str) -> bool:
    if isinstance(value, str) and value == pattern:
        return True
    return any(
        all(_single(value, part.strip(" ")) for part in alternative.strip(" ").split("&"))
        for alternative in pattern.split("|")
    )


def _single(value: Any, pattern: str) -> bool:
    op = operator(pattern)
    if op == "-":
        found = IN_RANGE.match(pattern)
        assert found is not None
        return _single(value, f">= {found.group(1)}") and _single(value, f"<= {found.group(2)}")
    if op == "!-":
        found = NOT_IN_RANGE.match(pattern)
        assert found is not None
        return _single(value, f"< {found.group(1)}") or _single(value, f"> {found.group(2)}")
    operand = pattern[len(op) :].strip()
    return (
        _ordered(value, operand, op, parse_duration)
        or _ordered(value, operand, op, parse_quantity)
        or _text(value, operand, op)
    )


def _ordered(value: Any, operand: str, op: str, parse: Callable[[str], Fraction | None]) -> bool:
    expected = parse(operand)
    text = number_text(value)
    actual = parse(text) if text is not None else None
    if expected is None or actual is None:
        return False
    return _COMPARE[op]((actual > expected) - (actual < expected))


def _text(value: Any, operand: str, op: str) -> bool:
    if op not in ("", "!"):
        return False
    text = _go_text(value)
    if text is None:
        return False
    return wildcard.match(operand, text) != (op == "!")


def _go_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float_e(value)
    return None


def _go_float_e(value: float) -> str:
    """Go's `strconv.FormatFloat(v, 'E', -1, 64)`: the shortest mantissa, as in `1.5E+03`."""
    text = f"{value:E}"
    for precision in range(17):
        candidate = f"{value:.{precision}E}"
        if float(candidate) == value:
            text = candidate
            break
    mantissa, exponent = text.split("E")
    return f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"


def is_integer_text(text: str) -> bool:
    return bool(_INT.match(text))
