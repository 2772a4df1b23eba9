from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from generator.verify import manifests
from generator.verify.manifests import parse_manifests

STREAMS = [
    pytest.param("", id="empty"),
    pytest.param("---\n---\n", id="separators-only"),
    pytest.param(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  when: 2024-01-31\n"
        "  stamp: 2001-12-14t21:59:43.10-05:00\n",
        id="timestamps-stay-strings",
    ),
    pytest.param("a: yes\nb: on\nc: off\nd: no\ne: true\nf: ~\ng: null\n", id="yaml-1.1-booleans"),
    pytest.param("1: one\n2.5: two\ntrue: three\nnull: four\n", id="keys-become-strings"),
    pytest.param("a: 0x1f\nb: 0o17\nc: 017\nd: 1_000\ne: .inf\nf: -.5\ng: 1e3\nh: '1'\n", id="numbers"),
    pytest.param("base: &b {x: 1, y: [1, 2]}\nuse: *b\nmerged:\n  <<: *b\n  z: 3\n", id="anchors-and-merge"),
    pytest.param("a: |\n  line one\n  line two\nb: >\n  folded\n  text\nc: 'it''s'\n", id="scalars"),
    pytest.param("kind: A\n---\n# a comment only\n---\nkind: B\n...\n---\n- 1\n- 2\n", id="several"),
    pytest.param('a: \u00e9t\u00e9\nb: "\\u00e9\\t"\n', id="unicode"),
    pytest.param("a: !!str 12\nb: !!int '7'\nc: !!binary aGVsbG8=\n", id="explicit-tags"),
]
BROKEN = [
    pytest.param("a: [1, 2\n", id="unclosed-flow"),
    pytest.param("a: b: c\n", id="mapping-in-scalar"),
    pytest.param("a: !!python/object:os.system ls\n", id="unsafe-tag"),
    pytest.param("a: *missing\n", id="unknown-alias"),
    pytest.param("\tkey: value\n", id="tab-indent"),
]


@pytest.fixture
def pure_loader(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """parse_manifests as it runs where PyYAML was built without libyaml."""
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    manifests._kube_loader.cache_clear()
    yield
    manifests._kube_loader.cache_clear()


def _parse_or_error(text: str) -> tuple[str, Any]:
    try:
        return "ok", parse_manifests(text)
    except ValueError:
        return "error", None


def test_the_c_loader_is_used_when_libyaml_is_there() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML without libyaml")
    assert issubclass(manifests._kube_loader(), yaml.CSafeLoader)


def test_without_libyaml_the_pure_loader_is_used(pure_loader: None) -> None:
    loader = manifests._kube_loader()
    assert issubclass(loader, yaml.SafeLoader)
    assert parse_manifests("a: yes\nwhen: 2024-01-31\n") == [{"a": True, "when": "2024-01-31"}]


@pytest.mark.parametrize("text", STREAMS)
def test_both_loaders_read_alike(text: str, request: pytest.FixtureRequest) -> None:
    fast = _parse_or_error(text)
    request.getfixturevalue("pure_loader")
    assert _parse_or_error(text) == fast
    assert fast[0] == "ok"


@pytest.mark.parametrize("text", BROKEN)
def test_both_loaders_refuse_alike(text: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(ValueError):
        parse_manifests(text)
    request.getfixturevalue("pure_loader")
    with pytest.raises(ValueError):
        parse_manifests(text)


def test_kubernetes_reading_of_a_document() -> None:
    documents = parse_manifests("a: on\n1: x\nwhen: 2024-01-31\n---\n---\n- b\n")
    assert documents == [{"a": True, "1": "x", "when": "2024-01-31"}, ["b"]]


def test_an_equals_sign_is_a_string_as_go_reads_it() -> None:
    # PyYAML resolves a plain `=` to a "value" tag it cannot construct; Go reads a string
    assert parse_manifests("operators:\n  - =\n  - '!='\n") == [{"operators": ["=", "!="]}]
