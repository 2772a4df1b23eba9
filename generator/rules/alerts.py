"""Alert rules: every `spec.monitoring.alerts[].expr` is PromQL (PC903), every summary a template
Prometheus can expand (PC904)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.model.types import Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import text_mark
from generator.rules.values.alert_template import template_error
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


define(
    "PC904",
    "operations",
    Severity.ERROR,
    "Alert summary is not a template Prometheus can expand",
    why="""Prometheus expands an alert's `summary` with Go's text/template after defining
    `$labels`, `$externalLabels`, `$externalURL` and `$value`, and parses it when it loads the
    rule: an action left open (`{{ $labels.pod is down`), an empty `{{ }}` or a variable it
    does not define (`$label`, `$values`) makes it refuse the whole rule group, so none of
    the group's alerts fire. platformc passes `{{ … }}` through untouched; this checks it
    would work once there.""",
    fix="Close the action with `}}` and use `$labels.<name>`, `$value`, `$externalLabels` or `$externalURL`.",
    bad="""
    summary: "Pod {{ $label.pod }} restarted {{ $value }} times"
    """,
    good="""
    summary: "Pod {{ $labels.pod }} restarted {{ $value }} times"
    """,
)


@check("PC904")
def alert_templates(platform: Platform) -> Iterator[Hit]:
    for alert in platform.monitoring.alerts:
        if alert.summary is None:
            continue
        error = template_error(alert.summary)
        if error is not None:
            path = (*alert.path, "summary")
            yield Hit(
                "PC904",
                f"alert {alert.name}: summary is not a template Prometheus accepts ({error.message}); "
                "Prometheus would refuse the rule group, and none of its alerts fire",
                path,
                mark=text_mark(platform, path, alert.summary, error.offset),
            )
