"""A ClusterSecretStore's conditions, read as external-secrets reads them."""

from __future__ import annotations

from generator.rules.values.scope import Condition, serves


def test_a_store_without_conditions_serves_every_namespace() -> None:
    assert serves([], "data", {})


def test_a_namespace_named_in_a_condition_is_served_and_another_is_not() -> None:
    conditions = [Condition(namespaces=("data", "ml"))]
    assert serves(conditions, "ml", {})
    assert not serves(conditions, "web", {})


def test_match_labels_select_by_every_label() -> None:
    conditions = [Condition(match_labels={"team": "data", "tier": "prod"})]
    assert serves(conditions, "x", {"team": "data", "tier": "prod", "other": "y"})
    assert not serves(conditions, "x", {"team": "data"})


def test_any_condition_will_do_and_an_empty_selector_selects_all() -> None:
    assert serves([Condition(namespaces=("a",)), Condition(match_labels={"team": "ml"})], "b", {"team": "ml"})
    assert serves([Condition(match_labels={})], "anything", {})


def test_match_expressions_are_not_judged() -> None:
    assert serves([Condition(match_expressions=True)], "anything", {})
