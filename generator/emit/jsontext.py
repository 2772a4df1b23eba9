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
    kind = type(value)
    if kind is dict:
        _write_object(value, newline, parts)
    elif kind is list or kind is tuple:
        _write_array(value, newline, parts)
    else:
        parts.append(_scalar(value))


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float and value == value and value not in (float("inf"), float("-inf")):
        return float.__repr__(value)
    raise _Unusual


def _write_object(value: dict[Any, Any], newline: str, parts: list[str]) -> None:
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


def _write_array(value: list[Any] | tuple[Any, ...], newline: str, parts: list[str]) -> None:
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
