"""The audit's verdict and table, over a run whose failures the test chooses.

checkov itself runs in test_real_linters.py (`make audit`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.audit import run
from generator.audit.accepted import ACCEPTED_FILE, TODO_REASON, Accepted, dump_accepted, load_accepted
from generator.audit.checkov import Failure, Report
from generator.audit.docs import DOCS_FILE, render_docs
from generator.audit.manifests import RenderedPlatform
from generator.findings import Finding, Severity

DIGEST = Failure(
    "CKV_K8S_43", "Deployment.data-platform.trino", "dev", "data-platform", "Image should use digest"
)
PROBE = Failure(
    "CKV_K8S_8", "StatefulSet.kafka.kafka", "prod", "kafka", "Liveness Probe Should be Configured"
)
PROBE_DEV = Failure(
    "CKV_K8S_8", "StatefulSet.kafka.kafka", "dev", "kafka", "Liveness Probe Should be Configured"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "audit").mkdir()
    (tmp_path / "docs").mkdir()
    return tmp_path


def accept(root: Path, *entries: Accepted) -> None:
    (root / ACCEPTED_FILE).write_text(dump_accepted(entries), encoding="utf-8")
    (root / DOCS_FILE).write_text(render_docs(load_accepted(root / ACCEPTED_FILE)), encoding="utf-8")


def audit(
    monkeypatch: pytest.MonkeyPatch, root: Path, failures: list[Failure], **kwargs: bool
) -> tuple[int, str]:
    scanned = run.AuditRun(RenderedPlatform(objects=3), Report(tuple(failures), 40, 3, "3.3.30"))
    monkeypatch.setattr(run, "scan", lambda _root: scanned)
    lines: list[str] = []
    code = run.audit(root, lines.append, **kwargs)
    return code, "\n".join(lines)


def test_every_failure_accepted_and_docs_current_passes(monkeypatch: pytest.MonkeyPatch, repo: Path) -> None:
    accept(repo, Accepted(DIGEST.check_id, DIGEST.check_name, "tags are pinned"))
    code, out = audit(monkeypatch, repo, [DIGEST])
    assert code == run.EXIT_OK
    assert "checkov 3.3.30: 3 objects, 3 resources, 40 checks passed, 1 failed" in out
    assert out.endswith("audit: ok (1 failures accepted by 1 entries)")


def test_a_new_failure_fails_with_one_row_per_object(monkeypatch: pytest.MonkeyPatch, repo: Path) -> None:
    accept(repo, Accepted(DIGEST.check_id, DIGEST.check_name, "tags are pinned"))
    code, out = audit(monkeypatch, repo, [DIGEST, PROBE, PROBE_DEV])
    assert code == run.EXIT_FINDINGS
    rows = [line.split() for line in out.splitlines() if line.startswith("new ")]
    assert rows == [
        [
            "new",
            "CKV_K8S_8",
            "StatefulSet.kafka.kafka",
            *PROBE.check_name.split(),
            "[dev/kafka,",
            "prod/kafka]",
        ]
    ]


def test_a_stale_entry_fails(monkeypatch: pytest.MonkeyPatch, repo: Path) -> None:
    accept(
        repo, Accepted(DIGEST.check_id, DIGEST.check_name, "pinned"), Accepted(PROBE.check_id, "p", "open: x")
    )
    code, out = audit(monkeypatch, repo, [DIGEST])
    assert code == run.EXIT_FINDINGS
    assert out.splitlines()[-1].split() == [
        "stale",
        "CKV_K8S_8",
        "audit/accepted.yaml:6",
        "no",
        "longer",
        "fails",
    ]


def test_stale_docs_fail(monkeypatch: pytest.MonkeyPatch, repo: Path) -> None:
    accept(repo, Accepted(DIGEST.check_id, DIGEST.check_name, "pinned"))
    (repo / DOCS_FILE).write_text("# Audit\n", encoding="utf-8")
    code, out = audit(monkeypatch, repo, [DIGEST])
    assert code == run.EXIT_FINDINGS
    assert "docs/audit.md does not match audit/accepted.yaml: run `make audit-docs`" in out


def test_update_records_new_failures_that_the_audit_then_refuses(
    monkeypatch: pytest.MonkeyPatch, repo: Path
) -> None:
    accept(repo, Accepted(DIGEST.check_id, DIGEST.check_name, "pinned"))
    code, out = audit(monkeypatch, repo, [DIGEST, PROBE], update=True)
    assert code == run.EXIT_OK
    assert "1 entr(y/ies) need a reason" in out
    entries = load_accepted(repo / ACCEPTED_FILE)
    assert [(e.check_id, e.reason) for e in entries] == [("CKV_K8S_8", TODO_REASON), ("CKV_K8S_43", "pinned")]
    code, out = audit(monkeypatch, repo, [DIGEST, PROBE])
    assert code == run.EXIT_FINDINGS
    assert out.splitlines()[-1].split() == [
        "unexplained",
        "CKV_K8S_8",
        "audit/accepted.yaml:6",
        "write",
        "the",
        "reason",
    ]


def test_a_tree_that_does_not_render_is_refused(monkeypatch: pytest.MonkeyPatch, repo: Path) -> None:
    broken = Finding(
        "PC806", Severity.ERROR, "rendered/dev/root.yaml is missing", "rendered/dev/root.yaml", 1, 1, ""
    )
    scanned = run.AuditRun(RenderedPlatform(errors=[broken]), Report((), 0, 0, ""))
    monkeypatch.setattr(run, "scan", lambda _root: scanned)
    lines: list[str] = []
    assert run.audit(repo, lines.append) == run.EXIT_UNAVAILABLE
    assert lines[0] == "rendered/dev/root.yaml:1:1: PC806 error: rendered/dev/root.yaml is missing"
