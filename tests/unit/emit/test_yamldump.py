"""The fast YAML writer writes exactly what ruamel.yaml writes, or declines.

The property: whenever `BlockWriter` answers, its text is byte for byte the
reference dump's; `dump_yaml` always equals `dump_yaml_reference`; and what it
writes loads back to the data it was given.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from generator.emit.yamldump import dump_yaml, dump_yaml_reference
from generator.emit.yamltext import BlockWriter, Unsure
from generator.load.yaml import load_text

# Pieces that decide how ruamel writes a string: indicators, quotes, words YAML 1.1 reads as
# booleans or null, numbers in every notation, odd whitespace and line breaks, unicode.
_PIECES = [
    *("yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "~", "<<", "="),
    *("0", "7", "0755", "1:30", "1.0", "-1", "+1", "1e3", "1e-05", "0o17", "0x1F", "1_000", ".inf", ".NaN"),
    *("2024-01-01", "2001-12-14t21:59:43.10-05:00", "09"),
    *("-", "- ", "--", "---", "...", ":", ": ", "?", "? ", "#", " #", "a#b"),
    *("&a", "*a", "!tag", "%", "@", "`"),
    *("|", ">", "[", "]", "{", "}", ",", "'", '"', "\\", "{{ .Values.x }}", "http://a:8080/b"),
    *(" ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x00", "\x07", "\ufeff"),
    *("é", "日本", "\U0001f600", "\xa0", "a", "b c", "Z", "_", "/", ".", "word"),
]
_WORDS = st.lists(st.sampled_from(_PIECES), max_size=6).map("".join)
_LINE = st.sampled_from(["", "a", " a", "a ", "  x: y", "#c", "b\tc", "- z", "---", "'q'"])
_LINES = st.lists(_LINE, max_size=5)
_LONG = st.integers(3990, 4200).flatmap(lambda n: st.sampled_from([("ab " * n)[:n], "x" * n, "é" * n]))
_TEXT = st.one_of(
    *[_WORDS] * 4,
    st.text(max_size=10),
    _LINES.map("\n".join),
    _LINES.map(lambda lines: "\n".join(lines) + "\n"),
    st.sampled_from(["k" * 122, "k" * 123, "é" * 122, "a b " * 40]) | _LONG,
)
# Keys mostly fit on a line; the rare odd one (a break, too long, not a string) tests the fallback.
_ONE_LINE = st.lists(st.sampled_from([p for p in _PIECES if p.isprintable()]), max_size=6).map("".join)
_KEY_TEXT = st.one_of(_ONE_LINE, _ONE_LINE, st.text(max_size=6))
_ODD_KEYS = st.sampled_from(["k" * 122, "k" * 123, "a\nb", "\x85", 0, -1, 10**20, True, None])
_KEYS = st.one_of(*[_KEY_TEXT] * 8, _KEY_TEXT.map(LiteralScalarString), _ODD_KEYS)
_STRINGS = st.one_of(_TEXT, _TEXT.map(LiteralScalarString))
_FLOATS = st.one_of(st.floats(), st.sampled_from([1e-05, -0.0, 1e20, float("inf"), float("-inf"), 0.1]))
_SCALARS = st.one_of(
    _STRINGS,
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    _FLOATS,
)


def _tree(scalars: st.SearchStrategy[Any], keys: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
        max_leaves=12,
    )


_DATA = _tree(_SCALARS, _KEYS)
_SHARED = st.dictionaries(_WORDS, _DATA, max_size=2).map(lambda shared: {"a": shared, "b": [shared]})
_CONTAINERS = _DATA.filter(lambda d: isinstance(d, (dict, list)))
_ROOTS = st.one_of(_DATA, _CONTAINERS, _CONTAINERS, _SHARED)
_PROPERTY = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _fast(data: Any, *, documents: bool = False) -> str | None:
    writer = BlockWriter(dump_yaml_reference)
    try:
        return writer.dump_all(list(data)) if documents else writer.dump(data)
    except Unsure:
        return None


@_PROPERTY
@given(_ROOTS)
def test_one_document_is_written_as_ruamel_writes_it(data: Any) -> None:
    reference = dump_yaml_reference(data)
    fast = _fast(data)
    assert fast is None or fast == reference
    assert dump_yaml(data) == reference


@settings(_PROPERTY, max_examples=150)
@given(st.lists(_ROOTS, max_size=4))
def test_a_document_stream_is_written_as_ruamel_writes_it(documents: list[Any]) -> None:
    reference = dump_yaml_reference(documents, documents=True)
    fast = _fast(documents, documents=True)
    assert fast is None or fast == reference
    assert dump_yaml(iter(documents), documents=True) == reference


# ------------------------------------------------------------------ round trip

# Text ruamel reads back as written: no control characters, no breaks besides `\n`.
_READABLE = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"], exclude_characters="\ufeff")
    | st.sampled_from(["\n", " ", ":", "#", "-", "'", '"']),
    max_size=12,
)
_READABLE_TEXT = st.one_of(_READABLE, _WORDS.filter(lambda w: w == _clean(w)))
_READABLE_DATA = _tree(
    st.one_of(_READABLE_TEXT, st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False)),
    _READABLE_TEXT,
)


def _clean(text: str) -> str:
    return "".join(c for c in text if c == "\n" or (c.isprintable() and c != "\ufeff"))


def _typed(data: Any) -> Any:
    """Data with every scalar's type spelled out, so `1`, `1.0` and `True` never compare equal."""
    if isinstance(data, dict):
        return {_typed(k): _typed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_typed(v) for v in data]
    if isinstance(data, str):
        return ("str", str(data))
    return (type(data).__name__, data)


@settings(max_examples=150, deadline=None)
@given(st.lists(_READABLE_DATA, max_size=3))
def test_what_is_written_loads_back(documents: list[Any]) -> None:
    reader = YAML(typ="safe", pure=True)
    for data in documents:
        assert _typed(reader.load(io.StringIO(dump_yaml(data)))) == _typed(data)
    loaded = list(reader.load_all(io.StringIO(dump_yaml(documents, documents=True))))
    assert _typed(loaded) == _typed(documents)


# ------------------------------------------------------------------ the fast path, by example

MANIFEST = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web"}, "annotations": {}},
    "spec": {
        "replicas": 2,
        "template": {
            "spec": {
                "containers": [
                    {
                        "name": "web",
                        "args": ["--port=8080", "-v", "on", "0755", "a: b", "{{ .Values.x }}", ""],
                        "env": [{"name": "RATIO", "value": 0.5}, {"name": "EMPTY", "value": None}],
                        "ports": [],
                        "command": ["sh", "-c", "set -e\nexec web\n"],
                    }
                ],
                "matrix": [[1, [2, 3]], [], [{}], {"x": [True, False]}],
                "script": LiteralScalarString("  indented\nlast\n\n"),
                "note": "déjà vu: ok",
            }
        },
    },
}


@pytest.mark.parametrize("documents", [False, True])
def test_a_manifest_takes_the_fast_path(documents: bool) -> None:
    data = [MANIFEST, {}, [], MANIFEST["metadata"]] if documents else MANIFEST
    fast = _fast(data, documents=documents)
    assert fast is not None
    assert fast == dump_yaml_reference(data, documents=documents)


def test_literal_blocks_keep_their_chomping() -> None:
    text = dump_yaml({"a": "x\n", "b": "x", "c": ["x\n\n"], "d": "\nx", "e": "x\n"})
    assert text == "a: |\n  x\nb: x\nc:\n- |+\n  x\n\nd: |2-\n\n  x\ne: |\n  x\n"
    assert dump_yaml({"a": "x\n\n"}) == "a: |+\n  x\n\n...\n"  # open-ended at the end of the stream


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("text", id="a scalar root"),
        pytest.param({1: "x"}, id="a number as a key"),
        pytest.param({"a\nb": 1}, id="a multi-line key"),
        pytest.param({"k" * 123: 1}, id="a key too long to be simple"),
        pytest.param({"a": "word " * 1000}, id="a line ruamel wraps"),
        pytest.param({"a": ("x",)}, id="a tuple"),
        pytest.param({"a": "a\u2028b\n"}, id="a unicode line separator in a literal block"),
    ],
)
def test_what_the_fast_path_declines(data: Any) -> None:
    assert _fast(data) is None
    assert dump_yaml(data) == dump_yaml_reference(data)


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
def test_line_separators_are_written_as_escapes_on_one_line_by_both_writers(separator: str) -> None:
    escape = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}[separator]
    one_line = [[f"a{separator}"], {"k": f"x{separator}y"}]
    assert _fast(one_line) == dump_yaml_reference(one_line) == dump_yaml(one_line)  # the fast path takes it
    assert f'- - "a{escape}"\n' in dump_yaml(one_line)
    several = {"k": f"x{separator}y\nz\n"}  # no literal block: it would fold the separator
    assert dump_yaml(several) == dump_yaml_reference(several) == f'k: "x{escape}y\\nz\\n"\n'
    for data in (one_line, several):
        assert separator not in dump_yaml(data)
        assert load_text(dump_yaml(data).encode(), "t.yaml").data == data


def test_a_shared_container_is_declined_because_ruamel_anchors_it() -> None:
    labels = {"app": "web"}
    data = {"metadata": {"labels": labels}, "selector": {"matchLabels": labels}}
    assert _fast(data) is None
    assert "&id001" in dump_yaml(data) == dump_yaml_reference(data)
    # Each document anchors on its own: the same object in two documents is no alias.
    assert _fast([labels, labels], documents=True) == "---\napp: web\n---\napp: web\n"


def test_floats_are_written_as_ruamel_writes_them() -> None:
    values = [1.0, 1e-05, 1e20, -0.0, math.inf, -math.inf, math.nan, 12345678.9]
    written = "f:\n- 1.0\n- 1e-05\n- 1e+20\n- -0.0\n- .inf\n- -.inf\n- .nan\n- 12345678.9\n"
    assert _fast({"f": values}) == written
