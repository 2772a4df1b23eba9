"""Numbers as Kyverno compares them: Kubernetes quantities and Go durations."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i|)$")
_SUFFIX = {
    "": Decimal(1),
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "k": Decimal("1e3"),
    "M": Decimal("1e6"),
    "G": Decimal("1e9"),
    "T": Decimal("1e12"),
    "P": Decimal("1e15"),
    "E": Decimal("1e18"),
    "Ki": Decimal(2**10),
    "Mi": Decimal(2**20),
    "Gi": Decimal(2**30),
    "Ti": Decimal(2**40),
    "Pi": Decimal(2**50),
    "Ei": Decimal(2**60),
}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_DURATION_UNIT = {
    "ns": Decimal(1),
    "us": Decimal(1000),
    "µs": Decimal(1000),
    "μs": Decimal(1000),
    "ms": Decimal(10**6),
    "s": Decimal(10**9),
    "m": Decimal(60 * 10**9),
    "h": Decimal(3600 * 10**9),
}


def parse_quantity(text: str) -> Decimal | None:
    """A Kubernetes resource quantity (`500m`, `1Gi`, `1e3`), or None when `text` is not one."""
    found = _QUANTITY.match(text)
    if found is None:
        return None
    number, suffix = found.groups()
    try:
        value = Decimal(number)
        if suffix[:1] in ("e", "E") and len(suffix) > 1:
            return value * (Decimal(10) ** int(suffix[1:]))
        return value * _SUFFIX[suffix]
    except (InvalidOperation, KeyError):
        return None


def parse_duration(text: str) -> Decimal | None:
    """A Go duration (`1h30m`, `10s`, `0`) in nanoseconds, or None (Go's `time.ParseDuration`)."""
    body = text[1:] if text[:1] in ("+", "-") else text
    sign = Decimal(-1) if text[:1] == "-" else Decimal(1)
    if body == "0":
        return Decimal(0)
    if not body:
        return None
    total = Decimal(0)
    position = 0
    while position < len(body):
        part = _DURATION_PART.match(body, position)
        if part is None or part.group(1) in ("", "."):
            return None
        total += Decimal(part.group(1)) * _DURATION_UNIT[part.group(2)]
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
