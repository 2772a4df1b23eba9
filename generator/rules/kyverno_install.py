"""Policy: the Kyverno installation the exceptions need (PC507, PC508).

A PolicyException takes effect only where Kyverno has the API (1.11 on) and
its chart accepts exceptions in the namespace platformc writes them to.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import names

ERROR = Severity.ERROR


def _version(text: str) -> tuple[int, int] | None:
    try:
        major, minor = (int(part) for part in text.split(".")[:2])
    except ValueError:
        return None
    return major, minor


define(
    "PC507",
    "policy",
    ERROR,
    "Kyverno installed with PolicyExceptions turned off",
    why="""PolicyExceptions only take effect when the Kyverno installation enables them for the
    exception namespace (from Kyverno 1.13 they are off by default). platformc sets
    `features.policyExceptions` in the values of the Kyverno chart it installs, unless the values
    set them otherwise: turned off, or another namespace, every exception is ignored and the
    workloads that need one are refused.""",
    fix="Remove the explicit `features.policyExceptions` settings, or make the namespace "
    "match `spec.policy.kyverno.exceptionNamespace`.",
    bad="""
    values:
      features: {policyExceptions: {enabled: false}}
    """,
    good="""
    values: {}   # platformc enables policyExceptions for the exception namespace
    """,
)

define(
    "PC508",
    "policy",
    ERROR,
    "Kyverno version without PolicyExceptions",
    why="""The PolicyException apiVersion follows the Kyverno version (`kyverno.io/v2beta1` for
    1.11–1.12, `kyverno.io/v2` from 1.13). Before 1.11 neither exists, so the exceptions
    cannot be applied and the workloads that need them are refused.""",
    fix="Upgrade Kyverno to 1.11 or later (and set `spec.policy.kyverno.version`).",
    bad="""
    kyverno: {version: "1.10", …}
    """,
    good="""
    kyverno: {version: "1.12", …}
    """,
)


@check("PC507", "PC508")
def kyverno_installation(platform: Platform) -> Iterator[Hit]:
    users = [c for c in platform.components() if c.exceptions]
    kyverno = platform.kyverno
    if not users or kyverno is None:
        return
    version = _version(kyverno.version)
    if version is not None and version < (1, 11):
        yield Hit(
            "PC508",
            f"Kyverno {kyverno.version} has no PolicyException kyverno.io/v2beta1 or v2 "
            f"(they arrive in 1.11), so the exceptions of {names(users)} cannot be applied; "
            f"upgrade Kyverno or drop the exceptions",
            ("spec", "policy", "kyverno", "version"),
        )
        return
    yield from _installed_settings(platform, users)


def policy_exception_values(component: Component) -> dict[str, object]:
    """The kyverno chart's `features.policyExceptions` values, as written (opaque chart values)."""
    features = component.values.get("features")
    settings = features.get("policyExceptions") if isinstance(features, dict) else None
    return dict(settings) if isinstance(settings, dict) else {}


def _installed_settings(platform: Platform, users: list[Component]) -> Iterator[Hit]:
    """platformc turns policyExceptions on for the exception namespace unless the values say otherwise."""
    namespace = platform.exception_namespace
    for component in platform.components():
        if component.kind != "chart" or component.chart_name != "kyverno":
            continue
        settings = policy_exception_values(component)
        path = (*component.path, "values", "features", "policyExceptions")
        if settings.get("enabled") is False:
            yield Hit(
                "PC507",
                f"{component.name}: values turn features.policyExceptions off, so Kyverno ignores every "
                f"PolicyException (those of {names(users)}) and blocks their workloads; remove "
                f"`enabled: false` (platformc enables it for {namespace})",
                (*path, "enabled"),
            )
        elif "namespace" in settings and settings["namespace"] != namespace:
            yield Hit(
                "PC507",
                f"{component.name}: values accept PolicyExceptions only in namespace "
                f'"{settings["namespace"]}", but platformc writes them to {namespace} '
                f"(spec.policy.kyverno.exceptionNamespace); remove the setting or make them agree",
                (*path, "namespace"),
            )
