"""Auto-generated rules for pod controllers (Kyverno's pkg/autogen).

A policy whose rules match Pods (and nothing else, with no names, selector or annotations in any
resource filter) gains, per rule, `autogen-<rule>` for DaemonSet, Deployment, Job, ReplicaSet,
ReplicationController and StatefulSet (patterns under `spec.template`) and
`autogen-cronjob-<rule>` for CronJob (under `spec.jobTemplate.spec.template`). The
`pod-policies.kyverno.io/autogen-controllers` annotation chooses the controllers, `none` turns
it off.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from generator.verify.admission.model import AUTOGEN_ANNOTATION, ClusterPolicy, Rule

POD_CONTROLLERS = (
    "DaemonSet",
    "Deployment",
    "Job",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
    "CronJob",
)
_TEMPLATE_CONTROLLERS = (
    "DaemonSet",
    "Deployment",
    "Job",
    "ReplicaSet",
    "ReplicationController",
    "StatefulSet",
)
_FILTER_KEYS = ("any", "all")


def rule_name(prefix: str, name: str) -> str:
    """`autogen-<name>` / `autogen-cronjob-<name>`, cut to 63 characters as Kyverno does."""
    return f"{prefix}-{name}"[:63]


def controllers(policy: ClusterPolicy) -> list[str]:
    """The controllers Kyverno generates rules for (empty: no autogen)."""
    if not _can_autogen(policy.rules):
        return []
    requested = policy.annotations.get(AUTOGEN_ANNOTATION)
    if requested is None:
        return list(POD_CONTROLLERS)
    if requested.strip().lower() == "none" or not requested.strip():
        return []
    return [c.strip() for c in requested.split(",") if c.strip()]


def computed_rules(policy: ClusterPolicy) -> tuple[Rule, ...]:
    """The policy's rules followed by the rules autogen adds (Kyverno's `ComputeRules`)."""
    chosen = controllers(policy)
    if not chosen:
        return policy.rules
    generated: list[Rule] = []
    for rule in policy.rules:
        plain = _for_controllers(rule, [c for c in chosen if c != "CronJob"])
        if plain is not None:
            generated.append(_shift(plain, "spec.template"))
        if "CronJob" in chosen or "all" in chosen:
            cron = _for_cronjob(rule, chosen)
            if cron is not None:
                generated.append(_shift(cron, "spec.jobTemplate.spec.template"))
    if not generated:
        return policy.rules
    return tuple(r for r in policy.rules if not r.name.startswith("autogen-")) + tuple(generated)


def installed_rule_names(policies: Sequence[ClusterPolicy]) -> dict[str, tuple[str, ...]]:
    """Policy key -> every rule name it installs, autogen names included."""
    return {p.key: tuple(r.name for r in computed_rules(p)) for p in policies}


def _descriptions(block: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = [block.get("resources") or {}]
    for key in _FILTER_KEYS:
        found += [(f or {}).get("resources") or {} for f in block.get(key) or ()]
    return found


def _kinds(block: Mapping[str, Any]) -> list[str]:
    return [str(k) for rd in _descriptions(block) for k in rd.get("kinds") or ()]


def _can_autogen(rules: Sequence[Rule]) -> bool:
    needed = False
    for rule in rules:
        if "generate" in rule.other:
            return False
        for rd in _descriptions(rule.match) + _descriptions(rule.exclude):
            kinds = [str(k) for k in rd.get("kinds") or ()]
            if rd.get("name") or rd.get("names") or rd.get("selector") or rd.get("annotations") is not None:
                return False
            if len(kinds) > 1 and any(_kind_name(k) == "Pod" for k in kinds):
                return False
            needed = needed or any(k in ("Pod", *POD_CONTROLLERS) for k in kinds)  # raw names, as Kyverno
    return needed


def _kind_name(selector: str) -> str:
    parts = selector.split("/")
    return parts[-1] if len(parts) != 2 or parts[0].startswith("v") else parts[0]


def _has_pod(kinds: list[str]) -> bool:
    return any(_kind_name(k) == "Pod" for k in kinds)


def _for_controllers(rule: Rule, chosen: list[str]) -> Rule | None:
    if rule.name.startswith("autogen-") or not chosen:
        return None
    match_kinds, exclude_kinds = _kinds(rule.match), _kinds(rule.exclude)
    if not _has_pod(match_kinds) or (exclude_kinds and not _has_pod(exclude_kinds)):
        return None
    if "all" in chosen:
        kinds = list(_TEMPLATE_CONTROLLERS)
    else:
        kinds = sorted(c for c in chosen if c in _TEMPLATE_CONTROLLERS) or sorted(chosen)
    return _generate(rule_name("autogen", rule.name), rule, "template", kinds, "Pod")


def _for_cronjob(rule: Rule, chosen: list[str]) -> Rule | None:
    base = _for_controllers(rule, chosen)
    if base is None:
        return None
    cron = _generate(rule_name("autogen-cronjob", rule.name), base, "jobTemplate", ["CronJob"], "")
    return replace(cron, source=rule.name)


def _retarget(block: Mapping[str, Any], kinds: list[str], wanted: str) -> Mapping[str, Any]:
    out = dict(block)
    for key in _FILTER_KEYS:
        if block.get(key):
            out[key] = [_with_kinds(f, kinds) if _filter_has(f, wanted) else f for f in block[key]]
            return out
    out["resources"] = {**(block.get("resources") or {}), "kinds": kinds}
    return out


def _filter_has(block: Mapping[str, Any], wanted: str) -> bool:
    """Does a filter name the kind (an empty `wanted`: every filter, as for CronJob rules)?"""
    if not wanted:
        return True
    return any(_kind_name(str(k)) == wanted for k in ((block.get("resources") or {}).get("kinds") or ()))


def _with_kinds(block: Mapping[str, Any], kinds: list[str]) -> Mapping[str, Any]:
    return {**block, "resources": {**(block.get("resources") or {}), "kinds": kinds}}


def _generate(name: str, rule: Rule, template_key: str, kinds: list[str], wanted: str) -> Rule:
    exclude = rule.exclude
    if any(exclude.get(k) for k in _FILTER_KEYS) or (exclude.get("resources") or {}).get("kinds"):
        exclude = _retarget(exclude, kinds, wanted)
    validate = _wrap(rule.validate, template_key)
    return replace(
        rule,
        name=name,
        match=_retarget(rule.match, kinds, wanted),
        exclude=exclude,
        validate=validate,
        source=rule.source or rule.name,
    )


def _wrap(validate: Mapping[str, Any], template_key: str) -> Mapping[str, Any]:
    message = {"message": validate["message"]} if "message" in validate else {}
    if validate.get("pattern") is not None:
        return {**message, "pattern": {"spec": {template_key: validate["pattern"]}}}
    if validate.get("deny") is not None:
        return {**message, "deny": validate["deny"]}
    if validate.get("podSecurity") is not None:
        return {**message, "podSecurity": validate["podSecurity"]}
    if validate.get("anyPattern") is not None:
        return {**message, "anyPattern": [{"spec": {template_key: p}} for p in validate["anyPattern"]]}
    return dict(validate)


def _shift(rule: Rule, template: str) -> Rule:
    """Kyverno rewrites variables in the serialized rule: the Pod's spec and metadata move under
    the template (`request.object.spec.template` or `...spec.jobTemplate.spec.template`)."""
    text = json.dumps([rule.match, rule.exclude, rule.preconditions, rule.validate, list(rule.context)])
    for part in ("object", "oldObject"):
        text = text.replace(f"request.{part}.spec", f"request.{part}.{template}.spec")
        text = text.replace(f"request.{part}.metadata", f"request.{part}.{template}.metadata")
    match, exclude, preconditions, validate, context = json.loads(text)
    return replace(
        rule,
        match=match,
        exclude=exclude,
        preconditions=preconditions,
        validate=validate,
        context=tuple(context),
    )
