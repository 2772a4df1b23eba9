"""Alert rules: every `spec.monitoring.alerts[].expr` is PromQL (PC903)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.model.types import Platform
from generator.rules.registry import Hit, check, define
from generator.rules.values.promql import promql_error

define(
    "PC903",
    "operations",
    Severity.ERROR,
    "Alert expression is not PromQL",
    why="""Each alert becomes a PrometheusRule. An `expr` that does not parse (an unclosed
    parenthesis, a bad duration such as `[5z]`, an operator without its right-hand side, Helm
    or Go template text such as `{{ $value }}`, which belongs in `summary` only) is refused
    by the Prometheus Operator's admission webhook and by Prometheus, so the alert never
    fires and nothing says so. Expressions are parsed with `promql-parser`, a port of
    Prometheus' own grammar; the message is the parser's.""",
    fix="Correct the expression (try it in the Prometheus or Grafana query editor first); move "
    "template text to `summary`.",
    bad="""
    alerts:
      - {name: ServiceDown, expr: 'up{namespace="data-platform"} ==', severity: critical, summary: down}
    """,
    good="""
    alerts:
      - {name: ServiceDown, expr: 'up{namespace="data-platform"} == 0', severity: critical, summary: down}
    """,
)


@check("PC903")
def alert_expressions(platform: Platform) -> Iterator[Hit]:
    for alert in platform.monitoring.alerts:
        error = promql_error(alert.expr)
        if error is not None:
            yield Hit(
                "PC903",
                f"alert {alert.name}: expr is not PromQL ({error}); the PrometheusRule "
                f"would be refused, and the alert never fires",
                (*alert.path, "expr"),
            )
