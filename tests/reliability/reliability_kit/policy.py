"""Least privilege of rendered Kyverno PolicyExceptions, judged against platform.yaml read independently.

The expectation is derived here from the YAML files with PyYAML and a merge
written for this check (maps merge, lists and scalars replace, null removes) —
never from platformc's model or emitters — so a bug there cannot hide itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_RULE_NAME = 63
POD_CONTROLLER_KINDS = frozenset(
    {"CronJob", "DaemonSet", "Deployment", "Job", "Pod", "ReplicaSet", "StatefulSet"}
)
WORKLOAD_KINDS = {
    "deployment": frozenset({"Deployment", "ReplicaSet", "Pod"}),
    "statefulset": frozenset({"StatefulSet", "Pod"}),
    "daemonset": frozenset({"DaemonSet", "Pod"}),
    "job": frozenset({"Job", "Pod"}),
    "cronjob": frozenset({"CronJob", "Job", "Pod"}),
}
_BOOL12 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.2 booleans (what platformc reads): `on`, `yes`, `no` stay text. (libyaml parses;
    the resolvers are Python's, so they can be changed.)"""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL12, list("tTfF"))


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Yaml12Loader)


def merge(base: Any, overlay: Any) -> Any:
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = dict(base)
        for key, value in overlay.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(base.get(key), value)
        return out
    return overlay


def rule_names(rules: list[str]) -> list[str]:
    out: list[str] = []
    for rule in rules:
        for name in (rule, f"autogen-{rule}", f"autogen-cronjob-{rule}"):
            if name[:MAX_RULE_NAME] not in out:
                out.append(name[:MAX_RULE_NAME])
    return out


@dataclass(frozen=True)
class Expected:
    """What one component asked for, and so the most its exception may grant."""

    app: str
    component: str
    namespace: str
    resource: str  # the workload name, or the chart's service
    pairs: frozenset[tuple[str, str]]  # (policy, rule)
    kinds: frozenset[str]  # exact for workloads; an upper bound for charts
    exact_kinds: bool
    exception_namespace: str


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def expected_exceptions(platform: Any, overlay: Any) -> dict[tuple[str, str], Expected]:
    merged = platform if overlay is None else merge(platform, overlay)  # an empty overlay changes nothing
    spec = _dict(_dict(merged).get("spec"))
    kyverno = _dict(_dict(spec.get("policy")).get("kyverno"))
    declared = {
        str(name): [
            str(r.get("name"))
            for r in _dict(_dict(policy).get("spec")).get("rules") or []
            if isinstance(r, dict)
        ]
        for name, policy in _dict(kyverno.get("clusterPolicies")).items()
    }
    enforced = {**declared, **_dict(kyverno.get("policies"))}
    exception_namespace = str(kyverno.get("exceptionNamespace", "kyverno"))
    out: dict[tuple[str, str], Expected] = {}
    for app_name, app in _dict(spec.get("applications")).items():
        app = _dict(app)
        if app.get("enabled", True) is False:
            continue
        namespace = str(app.get("namespace", app_name))
        for name, component in _dict(app.get("components")).items():
            component = _dict(component)
            requested = component.get("exceptions") or []
            if component.get("enabled", True) is False or not requested:
                continue
            pairs: set[tuple[str, str]] = set()
            for exception in requested:
                policy = str(exception.get("policy"))
                rules = exception.get("rules") or enforced.get(policy) or []
                pairs.update((policy, rule) for rule in rule_names([str(r) for r in rules]))
            chart = "chart" in component
            kinds = (
                POD_CONTROLLER_KINDS
                if chart
                else WORKLOAD_KINDS.get(str(component.get("type", "deployment")))
            )
            out[(str(app_name), str(name))] = Expected(
                app=str(app_name),
                component=str(name),
                namespace=namespace,
                resource=str(component.get("service", name)) if chart else str(name),
                pairs=frozenset(pairs),
                kinds=kinds or POD_CONTROLLER_KINDS,
                exact_kinds=not chart and kinds is not None,
                exception_namespace=exception_namespace,
            )
    return out


def _violations(doc: Any, want: Expected, where: str) -> list[str]:
    bad: list[str] = []
    meta = _dict(doc.get("metadata"))
    if meta.get("namespace") != want.exception_namespace:
        bad.append(f"{where}: namespace {meta.get('namespace')!r}, expected {want.exception_namespace!r}")
    spec = _dict(doc.get("spec"))
    extra = set(spec) - {"exceptions", "match"}
    if extra:
        bad.append(f"{where}: spec grants more than exceptions+match: {sorted(extra)}")
    bad += _exception_violations(spec, want, where)
    bad += _match_violations(spec, want, where)
    return bad


def _exception_violations(spec: dict[str, Any], want: Expected, where: str) -> list[str]:
    """The policies and rules excepted: exactly the requested pairs, no wildcard, no extra field."""
    bad: list[str] = []
    granted: set[tuple[str, str]] = set()
    for entry in spec.get("exceptions") or []:
        entry = _dict(entry)
        policy, rules = entry.get("policyName"), entry.get("ruleNames")
        extra_fields = sorted(set(entry) - {"policyName", "ruleNames"})
        if extra_fields:
            bad.append(f"{where}: exception entry has extra fields {extra_fields}")
        if not isinstance(rules, list) or not rules:
            bad.append(f"{where}: {policy}: no ruleNames (would except every rule)")
            continue
        for rule in rules:
            if "*" in str(rule) or "*" in str(policy):
                bad.append(f"{where}: wildcard in {policy}/{rule}")
            granted.add((str(policy), str(rule)))
    if granted != want.pairs:
        more, fewer = sorted(granted - want.pairs), sorted(want.pairs - granted)
        bad.append(f"{where}: policies/rules differ from the request: extra {more}, missing {fewer}")
    return bad


def _match_violations(spec: dict[str, Any], want: Expected, where: str) -> list[str]:
    """What the exception applies to: one resource block, the requested namespace, names and kinds."""
    bad: list[str] = []
    match = _dict(spec.get("match"))
    blocks = match.get("any")
    if set(match) != {"any"} or not isinstance(blocks, list) or len(blocks) != 1:
        bad.append(f"{where}: match must be exactly one `any` block, got {match!r:.200}")
        return bad
    block = _dict(blocks[0])
    if set(block) != {"resources"}:
        bad.append(f"{where}: match block has {sorted(block)}, expected only resources")
    resources = _dict(block.get("resources"))
    if set(resources) - {"kinds", "namespaces", "names"}:
        bad.append(
            f"{where}: resources select by {sorted(set(resources) - {'kinds', 'namespaces', 'names'})}"
        )
    if resources.get("namespaces") != [want.namespace]:
        bad.append(f"{where}: namespaces {resources.get('namespaces')!r}, expected [{want.namespace!r}]")
    names = resources.get("names")
    if names != [want.resource, f"{want.resource}-*"]:
        bad.append(f"{where}: names {names!r}, expected [{want.resource!r}, {want.resource + '-*'!r}]")
    kinds = resources.get("kinds")
    if not isinstance(kinds, list) or not kinds or any("*" in str(k) for k in kinds):
        bad.append(f"{where}: kinds {kinds!r} (empty or wildcard)")
    elif want.exact_kinds and set(kinds) != want.kinds:
        bad.append(f"{where}: kinds {sorted(kinds)}, expected {sorted(want.kinds)}")
    elif not set(kinds) <= want.kinds:
        bad.append(f"{where}: kinds {sorted(set(kinds) - want.kinds)} are not pod controllers")
    return bad


@dataclass
class PolicyCheck:
    checked: int
    violations: list[str]


def declared_policies(platform: Any, overlay: Any) -> dict[str, Any]:
    """spec.policy.kyverno.clusterPolicies: name -> the ClusterPolicy spec platform.yaml declares."""
    merged = platform if overlay is None else merge(platform, overlay)
    kyverno = _dict(_dict(_dict(_dict(merged).get("spec")).get("policy")).get("kyverno"))
    return {str(n): _dict(p).get("spec") for n, p in _dict(kyverno.get("clusterPolicies")).items()}


def check_environment(root: Path, env: str, rendered: Path | None = None) -> PolicyCheck:
    """Every PolicyException in rendered/<env>/policies/ against what platform.yaml + the overlay ask for."""
    platform, overlay = read_yaml(root / "platform.yaml"), read_yaml(root / "overlays" / f"{env}.yaml")
    expected = expected_exceptions(platform, overlay)
    declared = declared_policies(platform, overlay)
    directory = (rendered or root / "rendered") / env / "policies"
    seen: dict[tuple[str, str], str] = {}
    violations: list[str] = []
    checked = 0
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        where = f"{env}/policies/{path.name}"
        for doc in yaml.load_all(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader):
            if isinstance(doc, dict) and doc.get("kind") == "ClusterPolicy":
                name = str(_dict(doc.get("metadata")).get("name"))
                if declared.get(name) != doc.get("spec"):
                    violations.append(f"{where}: ClusterPolicy {name} is not the one platform.yaml declares")
                continue
            if not isinstance(doc, dict) or doc.get("kind") != "PolicyException":
                violations.append(f"{where}: not a PolicyException")
                continue
            checked += 1
            labels = _dict(_dict(doc.get("metadata")).get("labels"))
            key = (
                str(labels.get("platform.254carbon.com/application")),
                str(labels.get("platform.254carbon.com/component")),
            )
            if key not in expected:
                violations.append(f"{where}: exception for {key[0]}/{key[1]}, which asked for none")
                continue
            if key in seen:
                violations.append(f"{where}: second exception for {key[0]}/{key[1]} (first: {seen[key]})")
            seen[key] = where
            violations.extend(_violations(doc, expected[key], where))
    for key in sorted(expected.keys() - seen.keys()):
        violations.append(f"{env}: {key[0]}/{key[1]} asked for an exception and has none")
    return PolicyCheck(checked, violations)
