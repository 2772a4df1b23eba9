"""The dashboard JSON writer is the standard library's pretty printer, byte for byte."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit.jsontext import pretty_json

_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),  # inf and nan included: those take the standard library's own path
    st.text(max_size=10),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=25,
)


def _reference(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_same_bytes_as_the_standard_library(value: Any) -> None:
    assert pretty_json(value) == _reference(value)


def test_keys_that_are_not_text_take_the_standard_path() -> None:
    value = {"b": {1: "one", 2: [True, None]}, "a": (1.5, -0.0)}
    assert pretty_json(value) == _reference(value)
