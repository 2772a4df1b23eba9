"""Availability: a workload scaled to zero while enabled components still need it (PC613)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import replica_range

define(
    "PC613",
    "availability",
    Severity.ERROR,
    "Scaled to zero while others depend on it",
    why="""`replicas: 0` keeps a component's Service and configuration but runs no pod. Enabled
    components that reference it (`${ref:…}`, `${host:…}`, an external `target:`) or list it in
    `dependsOn` then connect to a Service with no endpoints: connections are refused, and a
    dependant waiting for it at start never becomes ready. Disabling the component instead
    (`enabled: false`) makes PC102 name every reference that would break.""",
    fix="Run at least one replica in that environment, or disable the component and its dependants there.",
    bad="""
    postgres: {replicas: 0}
    superset: {env: {DATABASE_HOST: "${host:postgres}"}}
    """,
    good="""
    postgres: {replicas: 1}
    superset: {env: {DATABASE_HOST: "${host:postgres}"}}
    """,
)


def _needs(platform: Platform, consumer: Component) -> Iterator[str]:
    """The ids of the components a component references or comes after."""
    for ref in consumer.references:
        target = platform.target_of(ref, consumer.app)
        if target is not None:
            yield target.id
    yield from consumer.depends_on


@check("PC613")
def scaled_to_zero_with_dependants(platform: Platform) -> Iterator[Hit]:
    components = platform.components()
    idle = {
        c.id: c
        for c in components
        if c.kind == "workload" and c.workload_type in ("deployment", "statefulset") and c.replicas == 0
    }
    idle = {i: c for i, c in idle.items() if replica_range(c, len(platform.nodes))[1] == 0}
    if not idle:
        return
    dependants: dict[str, list[str]] = {}
    for consumer in components:
        for needed in dict.fromkeys(_needs(platform, consumer)):
            if needed in idle and needed != consumer.id:
                dependants.setdefault(needed, []).append(consumer.id)
    for component_id, users in dependants.items():
        component = idle[component_id]
        shown = ", ".join(users[:3]) + (f" and {len(users) - 3} others" if len(users) > 3 else "")
        yield Hit(
            "PC613",
            f"{component.name}: scaled to 0 replicas in this environment, but {shown} still "
            f"depend{'s' if len(users) == 1 else ''} on it; its Service has no endpoints and they fail "
            f"to connect: run at least one replica, or disable them together",
            (*component.path, "replicas"),
            component=component,
        )
