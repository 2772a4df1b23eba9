"""Waves and cycles over long dependency chains: iterative, so no chain exhausts the recursion limit."""

from __future__ import annotations

import sys
from typing import Any

from generator.load.document import Document
from generator.model import build_platform
from generator.model.graph import find_cycle, longest_path_waves
from generator.rules import run_rules

CHAIN = 1200  # each link was two frames of recursion: far past Python's limit of 1000


def _chain_document(length: int, *, cyclic: bool = False) -> Document:
    components: dict[str, Any] = {}
    for index in range(length):
        component: dict[str, Any] = {"image": "docker.io/library/busybox:1.36"}
        if index or cyclic:
            component["dependsOn"] = [f"c{(index - 1) % length}"]
        components[f"c{index}"] = component
    data = {
        "apiVersion": "platform.254carbon.com/v1alpha1",
        "kind": "Platform",
        "metadata": {"name": "chain"},
        "spec": {
            "domain": "example.com",
            "namespaces": {"chain": {}},
            "applications": {"chain": {"namespace": "chain", "components": components}},
        },
    }
    return Document(data=data, file="platform.yaml")


def test_a_chain_of_1200_components_gets_one_wave_per_link() -> None:
    assert sys.getrecursionlimit() < 2 * CHAIN
    platform = build_platform(_chain_document(CHAIN), "dev")
    components = platform.applications["chain"].components
    assert [components[f"c{i}"].wave for i in range(CHAIN)] == list(range(CHAIN))


def test_rules_over_a_chain_of_1200_components_find_no_cycle() -> None:
    platform = build_platform(_chain_document(CHAIN), "dev")
    assert not [f for f in run_rules(platform) if f.rule == "PC107"]


def test_a_cycle_of_1200_components_is_reported_once() -> None:
    platform = build_platform(_chain_document(CHAIN, cyclic=True), "dev")
    cycles = [f for f in run_rules(platform) if f.rule == "PC107"]
    assert len(cycles) == 1
    assert "in a cycle" in cycles[0].message


def test_longest_path_waves_take_the_latest_dependency() -> None:
    edges = {"a": set(), "b": {"a"}, "c": {"a", "b"}, "d": {"c", "missing"}}
    assert longest_path_waves(edges) == {"a": 0, "b": 1, "c": 2, "d": 3}
    assert longest_path_waves(edges, 5) == {"a": 5, "b": 6, "c": 7, "d": 8}


def test_a_cycle_counts_the_base_and_does_not_loop() -> None:
    waves = longest_path_waves({"a": {"b"}, "b": {"a"}, "c": {"b"}})
    assert set(waves) == {"a", "b", "c"}
    assert waves["c"] == waves["b"] + 1


def test_find_cycle_returns_the_cycle_in_sorted_order() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None
    assert find_cycle({"a": {"a"}}) == ["a", "a"]
