"""Alert expressions through promql-parser: the project's own parse, broken ones give the parser's reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import load_document
from generator.rules.values.promql import promql_error

REPO = Path(__file__).resolve().parents[4]


def _own_alerts() -> list[str]:
    data = load_document(REPO / "platform.yaml", "platform.yaml").data
    return [str(alert["expr"]) for alert in data["spec"]["monitoring"]["alerts"]]


def test_the_project_has_alerts() -> None:
    assert len(_own_alerts()) >= 3


@pytest.mark.parametrize("expr", _own_alerts())
def test_every_project_alert_parses(expr: str) -> None:
    assert promql_error(expr) is None


@pytest.mark.parametrize(
    ("expr", "reason"),
    [
        ('sum(rate(x{job="a"}[5m]) > 1', "unclosed left parenthesis"),
        ("rate(x[5z])", "5z"),
        ("up == 0 and {{ $value }} > 1", "brace"),
        ("up ==", "invalid"),
        ("", "no expression"),
    ],
)
def test_broken_expression_gives_the_parsers_reason(expr: str, reason: str) -> None:
    error = promql_error(expr)
    assert error is not None and reason in error
