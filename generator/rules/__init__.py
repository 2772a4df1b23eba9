"""Stage 5: semantic rules over the resolved model of one environment."""

from __future__ import annotations

from generator.rules import (  # noqa: F401  (importing registers the checks)
    alerts,
    availability,
    capacity,
    catalog,
    cycles,
    engines,
    fields,
    hostnames,
    images,
    jvm,
    leaks,
    operations,
    policy,
    rendering,
    schedules,
    secrets,
    structure,
    topology,
    variables,
    wiring,
)
from generator.rules.engine import REGISTRY, run_rules

__all__ = ["REGISTRY", "run_rules"]
