"""PolicyExceptions: which exception, if any, exempts a resource from a rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.verify.admission import wildcard
from generator.verify.admission.autogen import installed_rule_names
from generator.verify.admission.conditions import evaluate_block
from generator.verify.admission.match import Target, matches
from generator.verify.admission.model import ClusterPolicy, PolicyException
from generator.verify.admission.variables import strict


def names_rule(exception: PolicyException, policy: str, rule: str) -> bool:
    """Kyverno's `Exception.Contains`: the policy name exactly, rule names with wildcards."""
    return any(
        name == policy and any(wildcard.match(r, rule) for r in rules) for name, rules in exception.exceptions
    )


def exempting(
    exceptions: Sequence[PolicyException], policy: str, rule: str, target: Target, data: dict[str, Any]
) -> PolicyException | None:
    """The first exception (by namespace/name) that names the rule and matches the resource."""
    for exception in sorted(exceptions, key=lambda e: e.key):
        if not names_rule(exception, policy, rule):
            continue
        if exception.pod_security:
            continue  # podSecurity controls only act on validate.podSecurity rules
        if matches(exception.match, target) and evaluate_block(exception.conditions, strict(data)):
            return exception
    return None


def naming(exceptions: Sequence[PolicyException], policy: str, rule: str) -> tuple[str, ...]:
    """Keys of the exceptions that name a policy's rule, whatever they match."""
    return tuple(sorted(e.key for e in exceptions if names_rule(e, policy, rule)))


def honoured(
    exceptions: Sequence[PolicyException], enabled: bool = True, namespace: str = ""
) -> list[PolicyException]:
    """The exceptions Kyverno reads: none when the feature is off (`--enablePolicyException`),
    only those of one namespace when `--exceptionNamespace` is set (the kyverno chart's
    `features.policyExceptions`)."""
    if not enabled:
        return []
    return [e for e in exceptions if not namespace or e.namespace == namespace]


@dataclass(frozen=True)
class DanglingName:
    """An exception entry naming a policy or rule that nothing installs."""

    exception: str
    policy: str
    rule: str
    reason: str


def dangling(exceptions: Sequence[PolicyException], policies: Sequence[ClusterPolicy]) -> list[DanglingName]:
    """Every (policy, rule) an exception names that the installed policies do not have."""
    installed = installed_rule_names(policies)
    found: list[DanglingName] = []
    for exception in exceptions:
        for policy, rules in exception.exceptions:
            if policy not in installed:
                found.append(
                    DanglingName(exception.key, policy, "", f"no installed policy is named {policy!r}")
                )
                continue
            for rule in rules:
                if not any(wildcard.match(rule, r) for r in installed[policy]):
                    reason = (
                        f"policy {policy!r} has no rule {rule!r} (it has: {', '.join(installed[policy])})"
                    )
                    found.append(DanglingName(exception.key, policy, rule, reason))
    return found


def exception_kinds(exception: PolicyException) -> list[str]:
    block: Mapping[str, Any] = exception.match
    filters = list(block.get("any") or ()) + list(block.get("all") or ())
    if block.get("resources"):
        filters.append({"resources": block["resources"]})
    return sorted({str(k) for f in filters for k in ((f or {}).get("resources") or {}).get("kinds") or ()})
