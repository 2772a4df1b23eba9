"""Alert rules (operations family): the expressions Prometheus evaluates."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

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
