"""The values contract (PC306, PC307): what platformc passes an upstream chart is what it reads."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

define(
    "PC306",
    "images",
    Severity.ERROR,
    "Chart value the chart does not declare",
    why="""Helm ignores a values key that no template reads, without a word: a misspelt key
    (`singleBinary.replica` for `singleBinary.replicas`) silently does nothing and the chart
    runs with its default. A key is declared when the vendored chart's values.yaml has it at
    that path, its values.schema.json accepts it, it sits inside a map the chart leaves open
    (a default of `{}` or `null`, a schema object without properties) or inside a list
    element. A key naming one of the chart's dependencies is checked against that
    dependency; `global` against what any chart of the tree declares under it.""",
    fix="Use the key the chart declares (the finding suggests the nearest ones; `helm show "
    "values <chart>` lists them all), or remove the key.",
    bad="""
    chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.16.0}
    values:
      deploymentMod: SingleBinary
    """,
    good="""
    chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.16.0}
    values:
      deploymentMode: SingleBinary
    """,
)
define(
    "PC307",
    "images",
    Severity.ERROR,
    "Chart value of a type the chart does not take",
    why="""A value whose type contradicts the chart's schema or default (a map where the chart
    has a list, a string where it has a boolean) renders into something the chart's templates
    do not expect: `"false"` is a true condition in a template, a map ranged over as a list
    fails or renders garbage. A `null` default accepts anything; integers and floats are one
    type.""",
    fix="Write the value in the type the chart's values.yaml or values.schema.json gives it.",
    bad="""
    chart: {repository: https://helm.releases.hashicorp.com, name: vault, version: 0.28.1}
    values:
      server: {ha: {enabled: "true"}}
    """,
    good="""
    chart: {repository: https://helm.releases.hashicorp.com, name: vault, version: 0.28.1}
    values:
      server: {ha: {enabled: true}}
    """,
)
