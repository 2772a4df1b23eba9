"""Kyverno's wildcards: `*` is any run of characters, `?` exactly one; nothing else is special."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def _compile(pattern: str) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


def match(pattern: str, name: str) -> bool:
    """True when `name` matches `pattern` as a whole (Kyverno's `wildcard.Match(pattern, name)`)."""
    if "*" not in pattern and "?" not in pattern:
        return pattern == name
    return _compile(pattern).fullmatch(name) is not None


def contains_wildcard(text: str) -> bool:
    return "*" in text or "?" in text
