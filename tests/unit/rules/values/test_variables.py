"""`$(VAR)` as Kubernetes expands it; `${ENV:X}` as configuration files read it."""

from __future__ import annotations

import pytest

from generator.rules.values.variables import env_problems, env_reads, judged, references, undefined_in_args


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("$(A)", [(0, "A")]),
        ("x=$(A)-$(B)", [(2, "A"), (7, "B")]),
        ("$$(A) $(B)", [(6, "B")]),  # `$$` is a literal `$`
        ("$$$(A)", [(2, "A")]),
        ("$(A", []),  # unclosed: literal
        ("${ref:a.b} $A", []),
        ("$", []),
    ],
)
def test_references(text: str, found: list[tuple[int, str]]) -> None:
    assert list(references(text)) == found


@pytest.mark.parametrize("name", ["DB_URL", "_X", "A1"])
def test_judged(name: str) -> None:
    assert judged(name)


@pytest.mark.parametrize(
    "name", ["hostname", "cat /x", "KUBERNETES_SERVICE_HOST", "REDIS_SERVICE_PORT_HTTP", "1A"]
)
def test_not_judged(name: str) -> None:
    assert not judged(name)


def test_env_reads_only_earlier_variables() -> None:
    env = [("A", "a"), ("B", "$(A)/$(C)"), ("C", "c"), ("D", "$(D)"), ("E", "$(MISSING)"), ("S", None)]
    assert env_problems(env) == [(1, "C", True), (3, "D", True), (4, "MISSING", False)]


def test_env_defined_earlier_is_fine() -> None:
    assert env_problems([("A", "a"), ("S", None), ("B", "$(A)$(S)")]) == []


def test_args_read_any_env_var() -> None:
    assert undefined_in_args(["--db", "$(DB)", "$(LATER)", "$(NOPE)"], {"DB", "LATER"}) == [(3, "NOPE")]


def test_env_reads() -> None:
    assert list(env_reads("a=${ENV:A}\nb=${ref:x.y}\nc=${ENV:B}")) == [(2, "A"), (26, "B")]
