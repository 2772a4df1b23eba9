"""Names that must match what the environment installs: the policies and rules PolicyExceptions
name (PC828) and the `spec.policy.kyverno.policies` list of platform.yaml (PC830)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.findings import Finding
from generator.load.document import YamlPath, format_path
from generator.verify import admission as kyverno
from generator.verify.admission import ClusterPolicy, PolicyException
from generator.verify.cluster.objects import ClusterObject
from generator.verify.cluster.places import APPLICATION_LABEL, COMPONENT_LABEL, ClusterFacts, Place, finding

DANGLING = "PC828"
UNLISTED = "PC830"
POLICIES_PATH: YamlPath = ("spec", "policy", "kyverno", "policies")


def dangling_findings(
    objects: Sequence[ClusterObject],
    exceptions: Sequence[PolicyException],
    policies: Sequence[ClusterPolicy],
    facts: ClusterFacts,
) -> Iterator[Finding]:
    """Every exception entry naming a policy, or a rule (autogen names included), nothing installs."""
    by_key = {f"{o.namespace}/{o.name}": o for o in objects}
    grouped: dict[tuple[str, str], list[kyverno.DanglingName]] = {}
    for name in kyverno.dangling(exceptions, policies):
        grouped.setdefault((name.exception, name.policy), []).append(name)
    for (exception, policy), names in grouped.items():
        obj = by_key.get(exception)
        rules = [n.rule for n in names if n.rule]
        what = f"rules {', '.join(rules)} of policy {policy!r}" if rules else f"policy {policy!r}"
        message = (
            f"PolicyException {exception} names {what}, which the environment does not install: "
            f"{names[0].reason}; it exempts nothing. Name an installed policy and rule, or declare the "
            "policy under spec.policy.kyverno.clusterPolicies"
        )
        yield finding(DANGLING, message, obj, _entry_place(obj, policy, facts) if obj else None)


def declared_findings(policies: Sequence[ClusterPolicy], facts: ClusterFacts) -> Iterator[Finding]:
    """Every policy or rule `spec.policy.kyverno.policies` lists that nothing installs."""
    installed = kyverno.installed_rule_names(policies)
    for policy, rules in sorted(facts.policies.items()):
        path = (*POLICIES_PATH, policy)
        if policy not in installed:
            message = (
                f"spec.policy.kyverno.policies lists {policy!r}, which no application installs (installed: "
                f"{', '.join(sorted(installed)) or 'none'}); remove it, or declare it under "
                "spec.policy.kyverno.clusterPolicies"
            )
            yield finding(UNLISTED, message, None, _place(facts, path), file="platform.yaml")
            continue
        for rule in rules:
            if rule not in installed[policy]:
                message = (
                    f"spec.policy.kyverno.policies lists rule {rule!r} of {policy!r}, which the installed "
                    f"policy does not have (it has: {', '.join(installed[policy])})"
                )
                yield finding(UNLISTED, message, None, _place(facts, path), file="platform.yaml")


def _entry_place(obj: ClusterObject, policy: str, facts: ClusterFacts) -> Place | None:
    """The component's exception entry for `policy`, else wherever the object is decided."""
    component = obj.labels.get(COMPONENT_LABEL)
    application = str(obj.labels.get(APPLICATION_LABEL) or "")
    base = facts.components.get((application, str(component))) if isinstance(component, str) else None
    if base is not None and facts.document is not None:
        entries = facts.document.get((*base, "exceptions"))
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict) and entry.get("policy") == policy:
                return _place(facts, (*base, "exceptions", index, "policy"))
    return facts.object_place(obj)


def _place(facts: ClusterFacts, path: YamlPath) -> Place | None:
    if facts.document is None or facts.document.get(path) is None:
        return None
    return Place(facts.document.mark(path), format_path(path))
