"""The fast loading path answers only where it agrees with the careful one.

The property that matters: whenever `fast_load` returns a document, the careful
ruamel.yaml path returns the same data, the same types and the same positions;
whenever the careful path refuses a text (a finding), the fast path declines it.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.findings import Mark
from generator.load.document import Document
from generator.load.fast import available, fast_load, plain_scalar
from generator.load.limits import MAX_NODES, LoadError
from generator.load.yaml import careful_load, load_text

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"

pytestmark = pytest.mark.skipif(not available(), reason="PyYAML without libyaml: no fast path")


def _typed(data: Any) -> Any:
    """Data with every scalar's type spelled out, so `1`, `1.0` and `True` never compare equal."""
    if isinstance(data, dict):
        return {k: _typed(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_typed(v) for v in data]
    return (type(data).__name__, data)


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _same(fast: Document, careful: Document) -> None:
    assert _typed(fast.data) == _typed(careful.data)
    assert dict(fast.keys) == dict(careful.keys)
    assert fast.values.keys() == careful.values.keys()
    for path, mark in fast.values.items():
        other = careful.values[path]
        if mark == other:
            continue
        # The one known difference: a value left empty (`key:`) is placed right after its key by
        # libyaml and at the next token by ruamel. Both sit at or after the key; libyaml's is on its line.
        key = fast.keys[path]
        assert _at(fast.data, path) is None, (path, mark, other)
        assert mark.line == key.line and (mark.line, mark.column) <= (other.line, other.column), path


def _agree(text: str) -> Document | None:
    """Assert the property for one text; return the fast document (None when it declined)."""
    fast = fast_load(text, "t.yaml")
    try:
        careful = careful_load(text, "t.yaml")
    except LoadError as refused:
        assert fast is None, f"fast path accepted what the careful path refuses: {refused.message}"
        return None
    if fast is not None:
        _same(fast, careful)
    return fast


def _repository_yaml() -> list[Path]:
    roots = [REPO / "platform.yaml", REPO / "overlays", REPO / "tests" / "cases", SHARED / "reference"]
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files += sorted(root.rglob("*.yaml"))
    return files


def test_every_platform_file_in_the_repository_loads_the_same_both_ways() -> None:
    files = _repository_yaml()
    assert len(files) > 200
    taken = 0
    for path in files:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        if "\x00" in text:
            continue
        taken += _agree(text) is not None
    assert taken > len(files) * 0.9  # the fast path is the common path, not a curiosity


def test_the_reference_platform_takes_the_fast_path() -> None:
    for path in [REPO / "platform.yaml", *sorted((REPO / "overlays").glob("*.yaml"))]:
        assert fast_load(path.read_text(encoding="utf-8"), path.name) is not None, path


@pytest.mark.parametrize(
    "text",
    [
        "a: *x\n",  # an alias without its anchor
        "a: &x [1, *x]\n",  # an anchor used inside itself
        "a: !!str 1\n",  # tags
        "a: !custom x\n",
        "base: &b {x: 1}\nc:\n  <<: *b\n",  # merge keys
        "a: 1\na: 2\n",  # duplicate keys
        "1: x\n",  # a number as a key
        "? [a]\n: x\n",  # a collection as a key
        "%YAML 1.2\n---\na: 1\n",  # directives
        "a: 1\n---\nb: 2\n",  # two documents
        "",  # empty
        "just text\n",  # a scalar document
        "a: 0o17\nb: 1_000\nc: .inf\nd: 1e3\ne: 2024-01-01\nf: +1\ng: 017\n",  # unusual numbers, dates
        "a: [b\n",  # a syntax error
        'a: "\\ud800"\n',  # a lone surrogate
        "".join("  " * depth + f"k{depth}:\n" for depth in range(70)) + "  " * 70 + "leaf\n",  # too deep
    ],
)
def test_fast_path_declines_what_needs_care(text: str) -> None:
    assert fast_load(text, "t.yaml") is None
    _agree(text)


def test_a_document_past_the_node_budget_is_refused_at_once_where_it_crosses() -> None:
    """Under the alias limit, past the node budget: refused by the fast path itself, not handed to ruamel."""
    text = "a: &x [" + ", ".join(["1"] * 99) + "]\n" + "".join(f"b{i}: *x\n" for i in range(9_000))
    started = time.process_time()  # CPU time: a busy machine does not make it fail
    with pytest.raises(LoadError) as caught:
        load_text(text.encode(), "t.yaml")
    assert time.process_time() - started < 1.0
    assert caught.value.rule == "PC003"
    assert f"{MAX_NODES:,} values" in caught.value.message
    assert text.splitlines()[caught.value.mark.line - 1].endswith(": *x")  # the alias that crosses it


def test_a_document_within_the_node_budget_takes_the_fast_path() -> None:
    text = "a: &x [1, 2]\n" + "".join(f"b{i}: *x\n" for i in range(1_000))
    document = fast_load(text, "t.yaml")
    assert document is not None and len(document.data) == 1_001


def test_positions_match_for_block_flow_literal_and_empty_values() -> None:
    text = (
        "# a comment\n"
        "spec:\n"
        "  name: x\n"
        "  empty:\n"
        "  flow: {repository: https://example.com/charts, list: [a, 'b', \"c\"]}\n"
        "  items:\n"
        "  - one\n"
        "  - key: value\n"
        "    other: 2\n"
        "  - - nested\n"
        "  script: |\n"
        "    echo hi\n"
        "  folded: >-\n"
        "    long\n"
        "    text\n"
        "  unicode: Ωmega → ok\n"
        "  crlf: done\r\n"
    )
    fast = _agree(text)
    assert fast is not None
    assert fast.values[("spec", "items", 1, "other")].line == 9
    assert fast.values[("spec", "empty")] == Mark("t.yaml", 4, 9)


def test_values_are_typed_as_yaml_1_2_reads_them() -> None:
    doc = fast_load("a: yes\nb: on\nc: 1.5\nd: -3\ne: true\nf: ~\ng: 7.6.8\nh: '1'\n", "t.yaml")
    assert doc is not None
    expected = {"a": "yes", "b": "on", "c": 1.5, "d": -3, "e": True, "f": None, "g": "7.6.8", "h": "1"}
    assert doc.data == expected


def test_load_text_gives_the_careful_findings_when_the_fast_path_declines() -> None:
    with pytest.raises(LoadError) as caught:
        load_text(b"a: 1\na: 2\n", "t.yaml")
    assert caught.value.rule == "PC002"


_TRICKY = st.sampled_from(
    [
        "yes", "No", "on", "OFF", "null", "Null", "~", "true", "False", "0", "-0", "007", "0o7", "0x1F",
        "1_000", "1e3", "1.5e-3", ".5", "1.", "+1", "-1.5", ".inf", "-.Inf", ".NaN", "2024-01-01",
        "2024-01-01T10:00:00Z", "1:30", "<<", "=", "7.6.8", "v1.2", "a b", "http://x:80/y", "#x",
        "x #y", "a: b", "- a", "'q'", '"d"', "|", ">", "@x", "`x", "%x", "!x", "&x", "*x", "[a]",
        "{a: 1}", "? x", "Ωmega", "tab\there", " lead", "trail ", "",
    ]
)  # fmt: skip
_SCALARS = st.one_of(
    _TRICKY,
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
_KEYS = st.one_of(_TRICKY, st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8))
_DATA = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4),
    max_leaves=20,
)


def _dumped(data: Any, flow: bool | None) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    stream = io.StringIO()
    yaml.dump({"root": data}, stream)
    return stream.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_DATA, flow=st.sampled_from([False, True, None]))
def test_dumped_documents_load_the_same_both_ways(data: Any, flow: bool | None) -> None:
    _agree(_dumped(data, flow))


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.tuples(_KEYS, _TRICKY), min_size=1, max_size=6))
def test_hand_written_plain_scalars_load_the_same_both_ways(lines: list[tuple[str, str]]) -> None:
    """Text typed as people type it: unquoted keys and values, however odd."""
    text = "".join(f"{key}: {value}\n" for key, value in lines)
    _agree(text)
    _agree("items:\n" + "".join(f"- {value}\n" for _, value in lines))


@pytest.mark.parametrize("value", ["7.6.8", "release-1", "0.1", "10", "-2", "true", "null"])
def test_plain_scalar_agrees_with_the_careful_reader(value: str) -> None:
    assert _typed(plain_scalar(value)) == _typed(careful_load(f"v: {value}\n", "t.yaml").data["v"])
