"""Folding findings: environments that report alike, and components that repeat one anchored mistake."""

from __future__ import annotations

from generator.findings import Finding, Severity, dedupe


def finding(message: str, line: int = 7, env: str | None = "dev", path: str = "spec.a") -> Finding:
    return Finding("PC401", Severity.ERROR, message, "platform.yaml", line, 5, path, env)


def test_a_mistake_repeated_through_an_anchor_is_reported_once_naming_every_component() -> None:
    folded = dedupe(
        [
            finding("worker: X reads a missing item", path="spec.w"),
            finding("scheduler: X reads a missing item", path="spec.s"),
            finding("worker: X reads a missing item", env="prod", path="spec.w"),
            finding("scheduler: X reads a missing item", env="prod", path="spec.s"),
        ]
    )
    assert [(f.message, f.env) for f in folded] == [("scheduler, worker: X reads a missing item", "dev,prod")]


def test_the_same_words_at_different_positions_stay_apart() -> None:
    folded = dedupe(
        [finding("worker: X reads a missing item"), finding("scheduler: X reads a missing item", 9)]
    )
    assert [f.message for f in folded] == [
        "worker: X reads a missing item",
        "scheduler: X reads a missing item",
    ]


def test_different_mistakes_at_one_position_stay_apart() -> None:
    folded = dedupe([finding("worker: X reads a missing item"), finding("scheduler: Y is wrong")])
    assert sorted(f.message for f in folded) == ["scheduler: Y is wrong", "worker: X reads a missing item"]
