"""Pretty JSON for dashboards, the same bytes as `json.dumps(value, indent=2, sort_keys=True,
ensure_ascii=False)` at a fraction of the time: the standard library's indenting encoder is pure
Python, while this writer leaves strings and numbers to its C helpers and recurses directly."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any


class _Unusual(Exception):
    """A value the standard encoder handles in its own way (non-string keys, special floats…)."""


def pretty_json(value: Any) -> str:
    parts: list[str] = []
    try:
        _write(value, "\n", parts)
    except (_Unusual, RecursionError):
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return "".join(parts)


def _write(value: Any, newline: str, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(encode_basestring(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif type(value) is int:
        parts.append(int.__repr__(value))
    elif type(value) is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise _Unusual
        parts.append(float.__repr__(value))
    elif type(value) is dict:
        if not value:
            parts.append("{}")
            return
        if not all(type(key) is str for key in value):
            raise _Unusual
        inner = newline + "  "
        separator = "," + inner
        parts.append("{" + inner)
        for index, key in enumerate(sorted(value)):
            if index:
                parts.append(separator)
            parts.append(encode_basestring(key) + ": ")
            _write(value[key], inner, parts)
        parts.append(newline + "}")
    elif type(value) is list or type(value) is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        separator = "," + inner
        parts.append("[" + inner)
        for index, item in enumerate(value):
            if index:
                parts.append(separator)
            _write(item, inner, parts)
        parts.append(newline + "]")
    else:
        raise _Unusual
