"""argocd-source-lint's JSON report read into failures (real output, trimmed), and the repository it gets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.audit import argocd
from generator.audit.argocd import parse_lint_report
from generator.audit.checkov import Failure
from generator.errors import AuditUnavailableError

REPORT = Path(__file__).parent / "reports" / "argocd-source-lint.json"
REPO = Path(__file__).resolve().parents[3]
DUPLICATE = "argocd-source-lint/duplicate-application-name"


def test_errors_warnings_and_unverified_sources_fail_and_notes_do_not() -> None:
    failures = parse_lint_report(REPORT.read_text(encoding="utf-8"), "rendered")
    assert failures == [
        Failure(DUPLICATE, "Application.kafka", "dev", "kafka", "Duplicate application name (error)"),
        Failure("argocd-source-lint/missing-ignore-diff", "Application.platform-secrets", "prod",
                "platform-secrets", "Missing ignore diff (warning)"),
        Failure("argocd-source-lint/phantom-target", "Application.api-gateway", "prod", "api-gateway",
                "Phantom target (unverifiable)"),
    ]  # fmt: skip


def test_the_environment_is_read_below_the_gitops_path() -> None:
    data = json.loads(REPORT.read_text(encoding="utf-8"))
    for finding in data["findings"]:
        finding["file"] = "deploy/gitops/" + finding["file"].removeprefix("rendered/")
    envs = {f.env for f in parse_lint_report(json.dumps(data), "/deploy/gitops/")}
    assert envs == {"dev", "prod"}


@pytest.mark.parametrize("text", ["<html>", "[]", '{"findings": null}'])
def test_output_that_is_not_a_report_is_refused(text: str) -> None:
    with pytest.raises(AuditUnavailableError, match="argocd-source-lint's report"):
        parse_lint_report(text, "rendered")


def test_the_scratch_repository_has_the_applications_origin_and_every_revision_they_name() -> None:
    origin, revisions = argocd.application_repository(REPO / "rendered")
    assert origin.startswith("https://")
    named: set[str] = set()
    for file in (REPO / "rendered").glob("*/argocd/*.yaml"):
        named.update(
            line.split(":", 1)[1].strip()
            for line in file.read_text().splitlines()
            if "targetRevision:" in line
        )
    assert set(revisions) == named - {"HEAD"}
    assert len(revisions) == len(set(revisions))


def test_applications_reading_from_two_repositories_are_refused(tmp_path: Path) -> None:
    for env, url in (("dev", "https://example.com/a.git"), ("prod", "https://example.com/b.git")):
        root = tmp_path / env / "root.yaml"
        root.parent.mkdir()
        root.write_text(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: root}\n"
            f"spec: {{source: {{repoURL: '{url}', path: {env}/argocd, targetRevision: main}}}}\n"
        )
    with pytest.raises(AuditUnavailableError, match="read from 2 repositories, not one"):
        argocd.application_repository(tmp_path)
