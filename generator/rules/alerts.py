"""Alert rules: every `spec.monitoring.alerts[].expr` is PromQL (PC903)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model.types import Platform
from generator.rules.engine import Hit, check
from generator.rules.values.promql import promql_error

_ALERTS = ("spec", "monitoring", "alerts")


@check("PC903")
def alert_expressions(platform: Platform) -> Iterator[Hit]:
    alerts = platform.doc.get(_ALERTS)
    for index, alert in enumerate(alerts if isinstance(alerts, list) else []):
        expr = alert.get("expr") if isinstance(alert, dict) else None
        if not isinstance(expr, str):
            continue
        error = promql_error(expr)
        if error is not None:
            yield Hit(
                "PC903",
                f"alert {alert.get('name', index)}: expr is not PromQL ({error}); the PrometheusRule "
                f"would be refused, and the alert never fires",
                (*_ALERTS, index, "expr"),
            )
