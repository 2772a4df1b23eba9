"""Overlay identity and dangling removals (PC021, PC022); numbers that are not numbers (PC019, PC020)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from generator.validate.numbers import MAX_ID, invalid_id, not_finite
from generator.validate.overlays import changed_identity, removals_of_nothing

BASE: dict[str, Any] = {
    "apiVersion": "platform.254carbon.com/v1alpha1",
    "kind": "Platform",
    "metadata": {"name": "demo"},
    "spec": {"applications": {"data": {"components": {"cache": {"chart": {"name": "redis"}}, "api": {}}}}},
}


def test_identity_changed() -> None:
    overlay = {
        "metadata": {"name": "demo-dev"},
        "kind": "Platform",
        "spec": {"applications": {"data": {"components": {"cache": {"chart": {"name": "valkey"}}}}}},
    }
    assert list(changed_identity(BASE, overlay)) == [
        (("metadata", "name"), "demo-dev", "demo"),
        (("spec", "applications", "data", "components", "cache", "chart", "name"), "valkey", "redis"),
    ]


def test_identity_restated_or_untouched() -> None:
    overlay = {"metadata": {"name": "demo"}, "spec": {"domain": "dev.example.com"}}
    assert list(changed_identity(BASE, overlay)) == []


def test_removal_of_a_missing_key_names_the_keys_there() -> None:
    overlay = {"spec": {"applications": {"data": {"components": {"cahce": None, "api": None}}}}}
    assert list(removals_of_nothing(BASE, overlay)) == [
        (("spec", "applications", "data", "components", "cahce"), ["cache", "api"])
    ]


def test_removal_below_a_value_the_overlay_replaces_is_not_judged() -> None:
    """`api: {x: null}` where api is not a mapping replaces it; the schema judges the result."""
    overlay = {"spec": {"applications": {"data": {"components": {"cache": {"chart": None}}}}}}
    assert list(removals_of_nothing(BASE, overlay)) == []
    assert list(removals_of_nothing({"a": 1}, {"a": {"b": None}})) == []


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_not_finite(value: float) -> None:
    assert not_finite(value)


@pytest.mark.parametrize("value", [0, 1.5, "nan", True])
def test_finite_or_not_a_float(value: Any) -> None:
    assert not not_finite(value)


@pytest.mark.parametrize(("value", "bad"), [(0, False), (MAX_ID, False), (MAX_ID + 1, True), (-1, True)])
def test_ids(value: int, bad: bool) -> None:
    assert invalid_id(value) is bad


def test_flags_are_not_ids() -> None:
    assert not invalid_id(True)
