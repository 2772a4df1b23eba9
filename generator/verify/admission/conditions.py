"""Kyverno's condition operators (preconditions, deny conditions, exception conditions).

Keys and values are substituted first; a variable that finds nothing makes the rule an error
in Kyverno, reported here as not evaluated.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from generator.quantity import parse_quantity
from generator.verify.admission import wildcard
from generator.verify.admission.model import Unsupported
from generator.verify.admission.numbers import parse_duration
from generator.verify.admission.values import IN_RANGE, NOT_IN_RANGE
from generator.verify.admission.variables import Resolver, substitute


def evaluate_block(block: Any, resolve: Resolver) -> bool:
    """A conditions block: a list (all must hold) or `{any: [...], all: [...]}`."""
    if block is None:
        return True
    if isinstance(block, list):
        return all(evaluate(c, resolve) for c in block)
    if not isinstance(block, Mapping):
        raise Unsupported(f"conditions of type {type(block).__name__}")
    any_of = block.get("any") or []
    all_of = block.get("all") or []
    any_ok = not any_of or any(evaluate(c, resolve) for c in any_of)
    return any_ok and all(evaluate(c, resolve) for c in all_of)


def evaluate(condition: Mapping[str, Any], resolve: Resolver) -> bool:
    key = substitute(condition.get("key"), resolve)
    value = substitute(condition.get("value"), resolve)
    name = str(condition.get("operator", ""))
    handler = _OPERATORS.get(name.lower())
    if handler is None:
        raise Unsupported(f"condition operator {name!r}")
    return handler(key, value)


def _text(value: Any) -> str:
    """Go's `fmt.Sprint` for JSON values."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, str | int | float):
        return str(value)
    if value is None:
        return "<nil>"
    return json.dumps(value)


def _values(value: Any) -> list[str] | None:
    """The value side as a list of strings; a JSON array in a string counts; None if invalid."""
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return [_text(v) for v in parsed] if isinstance(parsed, list) else None
    return None


def _matches(key: str, value: str) -> bool:
    return wildcard.match(value, key) or wildcard.match(key, value)


def _in_range(key: str, value: str) -> bool | None:
    for regex, inside in ((NOT_IN_RANGE, False), (IN_RANGE, True)):
        found = regex.match(value)
        if found:
            low, high, number = (parse_quantity(x) for x in (found.group(1), found.group(2), key))
            if low is None or high is None or number is None:
                return False
            return (low <= number <= high) == inside
    return None


def _member(key: str, value: Any) -> bool | None:
    """Is `key` one of the values (wildcards both ways, ranges, JSON arrays); None if invalid."""
    if isinstance(value, str):
        if wildcard.match(value, key):
            return True
        ranged = _in_range(key, value)
        if ranged is not None:
            return ranged
    items = _values(value)
    if items is None:
        return None
    return any(_matches(key, item) for item in items)


def _keys(key: Any) -> list[str] | None:
    if isinstance(key, list):
        return [_text(k) for k in key]
    if isinstance(key, str | int | float | bool):
        return [_text(key)]
    return None


def _set_op(any_of: bool, negate: bool) -> Callable[[Any, Any], bool]:
    def handler(key: Any, value: Any) -> bool:
        keys = _keys(key)
        if keys is None:
            return False
        found = [_member(k, value) for k in keys]
        if any(f is None for f in found):
            return False
        hits = [bool(f) != negate for f in found]
        return any(hits) if any_of else all(hits)

    return handler


def _equals(key: Any, value: Any) -> bool:
    if isinstance(key, bool) or isinstance(value, bool):
        return key is value
    if isinstance(key, int | float) and not isinstance(key, bool):
        number = _number(value)
        return number is not None and float(key) == number
    if isinstance(key, str):
        return _equal_strings(key, value)
    return bool(key == value)


def _equal_strings(key: str, value: Any) -> bool:
    durations = parse_duration(key), parse_duration(value) if isinstance(value, str) else None
    if durations[0] is not None and durations[1] is not None:
        return durations[0] == durations[1]
    quantity = parse_quantity(key)
    if quantity is not None and isinstance(value, str) and parse_quantity(value) is not None:
        return quantity == parse_quantity(value)
    if isinstance(value, str):
        return wildcard.match(value, key)
    return False


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        quantity = parse_quantity(value)
        return _float(quantity) if quantity is not None else None
    return None


def _float(amount: Fraction) -> float:
    """The nearest float, and ±inf past the largest (an amount such as `1e400` is no error)."""
    try:
        return float(amount)
    except OverflowError:
        return math.inf if amount > 0 else -math.inf


def _compare(test: Callable[[float], bool]) -> Callable[[Any, Any], bool]:
    def handler(key: Any, value: Any) -> bool:
        for parse in (parse_duration, parse_quantity):
            left = parse(key) if isinstance(key, str) else None
            right = parse(value) if isinstance(value, str) else None
            if left is not None and right is not None:
                return test(_float(left - right))
        a, b = _number(key), _number(value)
        if a is None or b is None:
            return False
        return test(a - b)

    return handler


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": _equals,
    "equal": _equals,
    "notequals": lambda k, v: not _equals(k, v),
    "notequal": lambda k, v: not _equals(k, v),
    "in": _set_op(any_of=False, negate=False),
    "notin": lambda k, v: not _set_op(any_of=False, negate=False)(k, v),
    "anyin": _set_op(any_of=True, negate=False),
    "allin": _set_op(any_of=False, negate=False),
    "anynotin": _set_op(any_of=True, negate=True),
    "allnotin": _set_op(any_of=False, negate=True),
    "greaterthan": _compare(lambda d: d > 0),
    "greaterthanorequals": _compare(lambda d: d >= 0),
    "lessthan": _compare(lambda d: d < 0),
    "lessthanorequals": _compare(lambda d: d <= 0),
}
