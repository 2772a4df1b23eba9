"""Kyverno's published pod-security policies and the ones the kyverno-policies chart renders."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.verify.admission import ClusterPolicy, parse_policy

REPO = Path(__file__).resolve().parents[4]
CHART = "kyverno-policies-3.2.6.tgz"


def shared() -> Path:
    """../shared next to the repository, or next to the main checkout for a worktree."""
    for base in (REPO.parent, *REPO.parents):
        if (base / "shared" / "crds" / "kyverno-policies").is_dir():
            return base / "shared"
    raise FileNotFoundError("../shared (Kyverno's published policies) is not next to the repository")


def published(level: str) -> dict[str, ClusterPolicy]:
    folder = shared() / "crds" / "kyverno-policies" / level
    policies = [
        parse_policy(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.yaml"))
    ]
    return {p.name: p for p in policies}


def rendered(standard: str, tmp: Path, extra: dict[str, Any] | None = None) -> dict[str, ClusterPolicy]:
    import helm_python

    with tarfile.open(shared() / "charts" / CHART) as archive:
        archive.extractall(tmp, filter="data")
    values = {"podSecurityStandard": standard, "validationFailureAction": "Enforce", **(extra or {})}
    options = {"name": "kyverno-policies", "namespace": "kyverno"}
    with helm_python.Chart.load(tmp / "kyverno-policies") as chart:
        raw = helm_python._native.call_string(
            "helm_render", chart._raw(), json.dumps(values), json.dumps(options)
        )
    documents: list[Any] = []
    for path, text in sorted(json.loads(raw).items()):
        if path.endswith(".yaml"):
            documents += [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    return {d["metadata"]["name"]: parse_policy(d) for d in documents if d.get("kind") == "ClusterPolicy"}


@pytest.fixture(scope="session")
def policy_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, ClusterPolicy]]:
    return {
        "published-baseline": published("baseline"),
        "published-restricted": published("restricted"),
        "chart-restricted": rendered("restricted", tmp_path_factory.mktemp("chart-restricted")),
        "chart-baseline": rendered("baseline", tmp_path_factory.mktemp("chart-baseline")),
    }
