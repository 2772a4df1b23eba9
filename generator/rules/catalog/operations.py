"""Operations rules (PC901–PC999): what generated network policies and dashboards cannot do for you."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

define(
    "PC901",
    "operations",
    Severity.WARNING,
    "Edge the network policy cannot allow",
    why="""A component that knowingly suppressed PC105 reaches a service in a namespace with
    `networkPolicy: enforce` by a hostname written by hand, and nothing declares that edge (no
    `${ref:…}`, `${host:…}` or `dependsOn`). Network policies admit exactly the declared edges,
    so the connection is refused and the component fails at runtime while every manifest
    looks right.""",
    fix="Write the host as a reference (the message names it), or add the target to `dependsOn`.",
    bad="""
    ignore: [{rule: PC105, reason: the URL is assembled by the client library}]
    env:
      CACHE_URL: "redis://redis:6379"      # data-platform enforces network policies
    """,
    good="""
    env:
      CACHE_URL: "redis://${ref:redis.redis}"
    """,
)
define(
    "PC902",
    "operations",
    Severity.WARNING,
    "Generated dashboards that Grafana never loads",
    why="""`spec.monitoring.dashboards` is true, so platformc renders datasources and dashboards
    as ConfigMaps in the monitoring application, but that application has no grafana chart, or
    its sidecar for dashboards or datasources is not enabled: Grafana never reads them.""",
    fix="Enable `sidecar.dashboards` and `sidecar.datasources` in the grafana chart's values "
    "(in the monitoring application), or set `dashboards: false`.",
    bad="""
    grafana:
      chart: {repository: https://grafana.github.io/helm-charts, name: grafana, version: 8.5.2}
    """,
    good="""
    grafana:
      chart: {repository: https://grafana.github.io/helm-charts, name: grafana, version: 8.5.2}
      values:
        sidecar:
          dashboards: {enabled: true, label: grafana_dashboard}
          datasources: {enabled: true, label: grafana_datasource}
    """,
)
