"""The real linters of the audit extra: `make audit` runs these (`pytest -m audit`), `make test` does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.audit.argocd import run_argocd_lint
from generator.audit.checkov import run_checkov
from generator.audit.manifests import render_platform
from generator.emit.yamldump import dump_yaml

pytestmark = pytest.mark.audit

REPO = Path(__file__).resolve().parents[3]
DIGEST = "sha256:" + "0" * 64
DUPLICATE = "argocd-source-lint/duplicate-application-name"
CHECKS = {"CKV_K8S_8", "CKV_K8S_9", "CKV_K8S_38", "CKV_K8S_40", "CKV_K8S_43"}


def deployment(name: str, *, hardened: bool) -> dict[str, object]:
    container: dict[str, object] = {"name": name, "image": "docker.io/library/nginx:1.27.2"}
    pod: dict[str, object] = {"containers": [container]}
    if hardened:
        probe = {"httpGet": {"path": "/", "port": 8080}}
        container.update(image=f"docker.io/library/nginx@{DIGEST}", livenessProbe=probe, readinessProbe=probe)
        pod.update(
            automountServiceAccountToken=False, securityContext={"runAsNonRoot": True, "runAsUser": 10001}
        )
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "web"},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": pod},
        },
    }


def test_checkov_reports_the_plain_workload_and_not_its_hardened_neighbour(tmp_path: Path) -> None:
    for name, hardened in (("plain", False), ("hardened", True)):
        file = tmp_path / "dev" / "web" / f"Deployment.web.{name}.yaml"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(dump_yaml(deployment(name, hardened=hardened)), encoding="utf-8")
    report = run_checkov(tmp_path)
    assert report.resources >= 2 and report.passed > 0 and report.version
    failed = {(f.check_id, f.resource) for f in report.failures if f.check_id in CHECKS}
    assert failed == {(check, "Deployment.web.plain") for check in CHECKS}
    assert {f.where for f in report.failures} == {"dev/web"}


def test_checkov_reads_every_object_of_a_rendered_environment(tmp_path: Path) -> None:
    rendered = render_platform(REPO, tmp_path, ["dev"])
    assert rendered.errors == [] and rendered.objects > 0
    report = run_checkov(tmp_path)
    assert report.resources > 0
    assert report.failures and {f.env for f in report.failures} == {"dev"}
    assert all((tmp_path / "dev" / f.application).is_dir() for f in report.failures)


# ------------------------------------------------------------------ argocd-source-lint

ORIGIN = "https://git.example.com/platform.git"


def application(name: str, path: str, revision: str) -> str:
    return (
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\n"
        f"metadata: {{name: {name}, namespace: argocd}}\n"
        "spec:\n  project: default\n"
        f"  source: {{repoURL: '{ORIGIN}', path: {path}, targetRevision: {revision}}}\n"
        "  destination: {server: 'https://kubernetes.default.svc', namespace: web}\n"
    )


def rendered_tree(root: Path, *, qualified: bool) -> Path:
    """Two environments on two branches, each a root Application and one `web` Application."""
    for env, revision in (("dev", "main"), ("prod", "release")):
        env_dir = root / "rendered" / env
        (env_dir / "argocd").mkdir(parents=True)
        (env_dir / "apps" / "web").mkdir(parents=True)
        (env_dir / "root.yaml").write_text(application(f"root-{env}", f"rendered/{env}/argocd", revision))
        name = f"web-{env}" if qualified else "web"
        (env_dir / "argocd" / "web.yaml").write_text(application(name, f"rendered/{env}/apps/web", revision))
        (env_dir / "apps" / "web" / "config.yaml").write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: web}\ndata: {a: b}\n"
        )
    return root / "rendered"


def test_argocd_source_lint_finds_applications_that_share_a_name_across_environments(tmp_path: Path) -> None:
    failures = run_argocd_lint(rendered_tree(tmp_path, qualified=False), "rendered")
    assert {(f.check_id, f.resource) for f in failures} == {(DUPLICATE, "Application.web")}
    assert {f.env for f in failures} <= {"dev", "prod"}


def test_argocd_source_lint_passes_names_qualified_by_environment(tmp_path: Path) -> None:
    # every source resolves on its branch of the scratch repository: nothing is unverifiable
    assert run_argocd_lint(rendered_tree(tmp_path, qualified=True), "rendered") == []
