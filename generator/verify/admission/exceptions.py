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


@dataclass(frozen=True)
class ExceptionIndex:
    """Exceptions by the policy they name, and by the namespaces they can match at all.

    For one rule and one resource only the exceptions that name the rule's policy and can
    match the resource's namespace are candidates: without the index every rule of every pod
    read every exception, which grows with the square of the platform.
    """

    exceptions: tuple[PolicyException, ...]  # all of them, by namespace/name
    anywhere: Mapping[str, tuple[PolicyException, ...]]  # policy -> exceptions any namespace may meet
    by_namespace: Mapping[tuple[str, str], tuple[PolicyException, ...]]  # (policy, namespace) -> ...

    @classmethod
    def of(cls, exceptions: Sequence[PolicyException] | ExceptionIndex) -> ExceptionIndex:
        if isinstance(exceptions, ExceptionIndex):
            return exceptions
        ordered = tuple(sorted(exceptions, key=lambda e: e.key))
        anywhere: dict[str, list[PolicyException]] = {}
        by_namespace: dict[tuple[str, str], list[PolicyException]] = {}
        for exception in ordered:
            namespaces = reachable_namespaces(exception.match)
            for policy in dict.fromkeys(name for name, _ in exception.exceptions):
                if namespaces is None:
                    anywhere.setdefault(policy, []).append(exception)
                for namespace in namespaces or ():
                    by_namespace.setdefault((policy, namespace), []).append(exception)
        return cls(
            ordered,
            {policy: tuple(found) for policy, found in anywhere.items()},
            {key: tuple(found) for key, found in by_namespace.items()},
        )

    def candidates(self, policy: str, namespace: str) -> list[PolicyException]:
        """The exceptions naming `policy` that may match a resource in `namespace`, by namespace/name."""
        found = [*self.anywhere.get(policy, ()), *self.by_namespace.get((policy, namespace), ())]
        return sorted(found, key=lambda e: e.key) if len(found) > 1 else found


def reachable_namespaces(match: Mapping[str, Any]) -> frozenset[str] | None:
    """The namespaces an exception's `match` can select, when its filters name them literally;
    None when any namespace may be matched (no namespaces listed, or a wildcard)."""

    def of(block: Any) -> frozenset[str] | None:
        description = (block.get("resources") or {}) if isinstance(block, Mapping) else {}
        names = [str(n) for n in description.get("namespaces") or ()]
        if not names or any(wildcard.contains_wildcard(n) for n in names):
            return None
        return frozenset(names)

    if match.get("any"):
        found = [of(block) for block in match["any"]]  # one filter suffices: any of their namespaces
        bounded = [f for f in found if f is not None]
        return frozenset().union(*bounded) if len(bounded) == len(found) else None
    if match.get("all"):
        bounded = [f for f in (of(block) for block in match["all"]) if f is not None]
        return bounded[0] if bounded else None  # every filter must match: each one bounds them
    return of(match)


def exempting(
    exceptions: Sequence[PolicyException] | ExceptionIndex,
    policy: str,
    rule: str,
    target: Target,
    data: dict[str, Any],
) -> PolicyException | None:
    """The first exception (by namespace/name) that names the rule and matches the resource."""
    namespace = target.name if target.kind == "Namespace" else target.namespace  # as match compares
    for exception in ExceptionIndex.of(exceptions).candidates(policy, namespace):
        if not names_rule(exception, policy, rule):
            continue
        if exception.pod_security:
            continue  # podSecurity controls only act on validate.podSecurity rules
        if matches(exception.match, target) and evaluate_block(exception.conditions, strict(data)):
            return exception
    return None


def naming(exceptions: Sequence[PolicyException] | ExceptionIndex, policy: str, rule: str) -> tuple[str, ...]:
    """Keys of the exceptions that name a policy's rule, whatever they match."""
    every = exceptions.exceptions if isinstance(exceptions, ExceptionIndex) else exceptions
    return tuple(sorted(e.key for e in every if names_rule(e, policy, rule)))


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
