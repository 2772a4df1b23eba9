"""Stage 5: semantic rules over the resolved model of one environment, and the registry of every rule."""

from __future__ import annotations

from generator.rules import (  # noqa: F401  (importing registers the checks)
    argocd_docs,
    availability,
    capacity,
    chart_values,
    cluster_docs,
    credentials,
    cycles,
    engine_config,
    hostnames,
    images,
    kyverno_install,
    operations,
    platform_wiring,
    policy,
    rendering,
    schedules,
    secrets,
    stage_rules,
    structure,
    topology,
    wiring,
)
from generator.rules.registry import REGISTRY
from generator.rules.runner import run_rules

__all__ = ["REGISTRY", "run_rules"]
