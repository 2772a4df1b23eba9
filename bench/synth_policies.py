"""Kyverno's published pod-security policies, declared by a synthetic platform as its own.

A synthetic platform names five policies under `policy.kyverno.policies` (its
exceptions name them) but installs no kyverno-policies chart the bench could
render, so the cluster stage's admission would have nothing to judge pods by.
The bench declares those five, as Kyverno publishes them (the copies in
../shared/crds/kyverno-policies), as platform ClusterPolicies, enforced: every
pod template of the synthetic platform is evaluated, as in the real one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
SHARED_POLICIES = ROOT.parent / "shared" / "crds" / "kyverno-policies"


def declare_policies(platform: dict[str, Any], published: Path = SHARED_POLICIES) -> list[str]:
    """Declare every policy `policy.kyverno.policies` names as a platform ClusterPolicy; their names."""
    kyverno = platform["spec"]["policy"]["kyverno"]
    yaml = YAML(typ="safe", pure=True)
    declared: dict[str, Any] = {}
    for name in sorted(kyverno.get("policies") or {}):
        found = sorted(published.glob(f"*/{name}.yaml"))
        if not found:
            raise FileNotFoundError(f"{published}: no published policy {name}")
        policy = yaml.load(found[0].read_text(encoding="utf-8"))
        spec = {**policy["spec"], "validationFailureAction": "Enforce"}
        annotations = (policy.get("metadata") or {}).get("annotations") or {}
        declared[name] = {"annotations": {str(k): str(v) for k, v in annotations.items()}, "spec": spec}
    kyverno["clusterPolicies"] = declared
    return list(declared)
