"""Stage 5: semantic rules over the resolved model of one environment, and the registry of every rule."""

from __future__ import annotations

from generator.rules import (  # noqa: F401  (importing registers the checks)
    alerts,
    argocd_docs,
    availability,
    capacity,
    chart_templating,
    chart_values,
    cluster_docs,
    clusters,
    credentials,
    cycles,
    datahub,
    dependents,
    engine_config,
    fields,
    hostnames,
    images,
    jvm,
    kyverno_install,
    leaks,
    operations,
    placement_labels,
    platform_wiring,
    policy,
    providers,
    rendering,
    schedules,
    secret_strings,
    secrets,
    stage_rules,
    structure,
    topology,
    trino_properties,
    variables,
    wiring,
    workload_defaults,
)
from generator.rules.registry import REGISTRY
from generator.rules.runner import run_rules

__all__ = ["REGISTRY", "run_rules"]
