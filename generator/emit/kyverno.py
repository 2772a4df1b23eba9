"""Kyverno objects: a PolicyException per component that asks, scoped to exactly its resources, and
the ClusterPolicies platform.yaml declares itself (spec.policy.kyverno.clusterPolicies)."""

from __future__ import annotations

from generator.emit.meta import object_meta
from generator.emit.tree import Output
from generator.model.settings import DeclaredPolicy
from generator.model.types import Component, Platform

CONTROLLER_KINDS = {
    "deployment": ["Deployment", "ReplicaSet", "Pod"],
    "statefulset": ["StatefulSet", "Pod"],
    "daemonset": ["DaemonSet", "Pod"],
    "job": ["Job", "Pod"],
    "cronjob": ["CronJob", "Job", "Pod"],
}
CHART_KINDS = ["CronJob", "DaemonSet", "Deployment", "Job", "Pod", "ReplicaSet", "StatefulSet"]
MAX_RULE_NAME = 63


def exception_api_version(kyverno_version: str) -> str:
    """`kyverno.io/v2beta1` for Kyverno 1.11–1.12, `kyverno.io/v2` from 1.13 on."""
    try:
        major, minor = (int(part) for part in kyverno_version.split(".")[:2])
    except ValueError:
        return "kyverno.io/v2"
    return "kyverno.io/v2" if (major, minor) >= (1, 13) else "kyverno.io/v2beta1"


def rule_names(rules: list[str]) -> list[str]:
    """The rules as written plus the ones Kyverno generates for Pod controllers."""
    names: list[str] = []
    for rule in rules:
        for name in (rule, f"autogen-{rule}", f"autogen-cronjob-{rule}"):
            cut = name[:MAX_RULE_NAME]
            if cut not in names:
                names.append(cut)
    return names


def exception_name(component: Component) -> str:
    return f"{component.namespace}-{component.name}"


def policy_exception(platform: Platform, component: Component) -> Output | None:
    requested = component.exceptions
    if not requested:
        return None
    enforced = platform.enforced_policies
    exceptions = []
    for exception in requested:
        policy = exception.policy
        rules = exception.rules or enforced.get(policy) or ()
        exceptions.append({"policyName": policy, "ruleNames": rule_names(list(rules))})
    name = component.service if component.kind == "chart" else component.name
    kinds = (
        CHART_KINDS
        if component.kind == "chart"
        else CONTROLLER_KINDS.get(component.workload_type, CHART_KINDS)
    )
    reasons = "; ".join(e.reason for e in requested)
    return {
        "apiVersion": exception_api_version(
            platform.kyverno.version if platform.kyverno is not None else "1.13"
        ),
        "kind": "PolicyException",
        "metadata": object_meta(
            exception_name(component),
            platform.exception_namespace,
            labels={
                "platform.254carbon.com/application": component.app,
                "platform.254carbon.com/component": component.name,
            },
            annotations={"platform.254carbon.com/reason": reasons},
        ),
        "spec": {
            "exceptions": exceptions,
            "match": {
                "any": [
                    {
                        "resources": {
                            "kinds": sorted(kinds),
                            "namespaces": [component.namespace],
                            "names": [name, f"{name}-*"],
                        }
                    }
                ]
            },
        },
    }


def cluster_policy_file(policy: DeclaredPolicy) -> str:
    """Where a declared ClusterPolicy lives: beside the exceptions, in the policies application."""
    return f"policies/clusterpolicy-{policy.name}.yaml"


def cluster_policy(policy: DeclaredPolicy) -> Output:
    """A ClusterPolicy from its declaration: the spec as written."""
    return {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": object_meta(policy.name, annotations=dict(policy.annotations) or None),
        "spec": dict(policy.spec),
    }
