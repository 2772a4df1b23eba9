"""Anchors in pattern keys: `(k)` conditional, `<(k)` global, `X(k)` negation, `=(k)` equality,
`^(k)` existence, `+(k)` add-if-not-present (a mutate anchor)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_ANCHOR = re.compile(r"^([+<=X^])?\((.+)\)$", re.DOTALL)

CONDITION = ""
GLOBAL = "<"
NEGATION = "X"
EQUALITY = "="
EXISTENCE = "^"
ADD_IF_NOT_PRESENT = "+"


@dataclass(frozen=True)
class Anchor:
    modifier: str
    key: str

    def text(self) -> str:
        return f"{self.modifier}({self.key})"


@lru_cache(maxsize=8192)
def parse(text: str) -> Anchor | None:
    """The anchor a pattern key carries, or None for a plain key (Kyverno's `anchor.Parse`)."""
    found = _ANCHOR.match(text.strip())
    if found is None:
        return None
    return Anchor(found.group(1) or "", found.group(2))


def key_of(text: str) -> str:
    anchor = parse(text)
    return anchor.key if anchor else text


def has_nested_anchor(value: object) -> bool:
    if isinstance(value, dict):
        return any(parse(k) is not None or has_nested_anchor(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nested_anchor(v) for v in value)
    return False
