"""Checks of the Argo CD side as a whole: the Application health check, and unique names.

PC840: app-of-apps sync waves only wait for an Application of an earlier wave to be
healthy when Argo CD has the `argoproj.io/Application` health check. Wherever the
Applications of an environment use more than one wave, the bootstrap values (the first
install) and the values of the platform's own argo-cd chart (Argo CD syncing itself)
must carry it.

PC841: environments managed by one central Argo CD share its namespace, so no two of
their Applications or AppProjects may have the same name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from generator.findings import Finding, Severity
from generator.verify.manifests import parse_manifests
from generator.verify.sources import sync_facts

# The argocd-cm key of the Application health check (what generator.emit.argocd_health writes;
# verify reads the rendered tree, never the emitters).
HEALTH_KEY = "resource.customizations.health.argoproj.io_Application"
RULE_HEALTH = "PC840"
RULE_NAMES = "PC841"
Display = Callable[[Path], str]


def _documents(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [d for d in parse_manifests(path.read_text(encoding="utf-8")) if isinstance(d, dict)]


def _has_health_check(values: object) -> bool:
    configs = values.get("configs") if isinstance(values, dict) else None
    cm = configs.get("cm") if isinstance(configs, dict) else None
    script = cm.get(HEALTH_KEY) if isinstance(cm, dict) else None
    return isinstance(script, str) and "obj.status" in script


def _self_managed(env_dir: Path) -> Iterable[tuple[Path, object]]:
    """(values file, the argo-cd dependency's values) of every umbrella chart that installs Argo CD."""
    for chart in sorted((env_dir / "apps").glob("*/Chart.yaml")):
        for document in _documents(chart):
            for dependency in document.get("dependencies") or []:
                if isinstance(dependency, dict) and dependency.get("name") == "argo-cd":
                    values = _documents(chart.parent / "values.yaml")
                    key = str(dependency.get("alias") or "argo-cd")
                    yield chart.parent / "values.yaml", (values[0] if values else {}).get(key)


def health_check_findings(env_dir: Path, display: Display) -> list[Finding]:
    """PC840 for each Argo CD installation without the Application health check, where waves are used."""
    waves = {
        sync_facts(d)["wave"] for p in sorted((env_dir / "argocd").glob("*.yaml")) for d in _documents(p)
    }
    if len(waves) <= 1:
        return []
    bootstrap = env_dir / "bootstrap" / "argocd-values.yaml"
    installs = [(bootstrap, (_documents(bootstrap) or [{}])[0]), *_self_managed(env_dir)]
    shown = ", ".join(str(w) for w in sorted(waves))
    return [
        Finding(
            RULE_HEALTH,
            Severity.ERROR,
            f"the Applications use sync waves {shown}, but these Argo CD values lack "
            f"configs.cm.{HEALTH_KEY}: without it Argo CD does not wait for one wave to be healthy "
            "before the next; run `platformc render` (it adds the check) and do not remove it from the "
            "argo-cd chart's values",
            display(path),
            1,
            1,
            "configs.cm",
        )
        for path, values in installs
        if not _has_health_check(values)
    ]


def argocd_names(env_dir: Path) -> dict[tuple[str, str, str], str]:
    """(kind, namespace, name) -> the file, for every Application and AppProject of an environment."""
    names: dict[tuple[str, str, str], str] = {}
    files = [env_dir / "root.yaml", *sorted((env_dir / "argocd").glob("*.yaml"))]
    for path in files:
        for document in _documents(path):
            meta = document.get("metadata") or {}
            key = (str(document.get("kind")), str(meta.get("namespace", "")), str(meta.get("name", "")))
            names.setdefault(key, path.relative_to(env_dir.parent).as_posix())
    return names


def name_collisions(rendered: Path, envs: Iterable[str], shown: str = "rendered") -> list[Finding]:
    """PC841 for each Application or AppProject name two environments of one central Argo CD share."""
    owner: dict[tuple[str, str, str], tuple[str, str]] = {}
    findings: list[Finding] = []
    for env in sorted(envs):
        for key, file in sorted(argocd_names(rendered / env).items()):
            if key in owner:
                other_env, other_file = owner[key]
                kind, namespace, name = key
                findings.append(
                    Finding(
                        RULE_NAMES,
                        Severity.ERROR,
                        f"{kind} {namespace}/{name} of {env} has the name of {other_env}'s "
                        f"({shown}/{other_file}), and both are managed by one central Argo CD: one "
                        "would overwrite the other; keep "
                        "`gitops.argocd.runs: central` in every environment that shares it (names then carry "
                        "the environment)",
                        f"{shown}/{file}",
                        1,
                        1,
                        "metadata.name",
                        env,
                    )
                )
            else:
                owner[key] = (env, file)
    return findings
