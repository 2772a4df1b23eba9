"""docs/audit.md is generated from audit/accepted.yaml, and every accepted failure there has its reason."""

from __future__ import annotations

from pathlib import Path

from generator.audit.accepted import ACCEPTED_FILE, TODO_REASON, Accepted, load_accepted
from generator.audit.docs import DOCS_FILE, render_docs, write_docs

REPO = Path(__file__).resolve().parents[3]


def test_docs_audit_md_is_current() -> None:
    current = (REPO / DOCS_FILE).read_text(encoding="utf-8")
    assert current == render_docs(load_accepted(REPO / ACCEPTED_FILE)), (
        "docs/audit.md is stale; regenerate it with: make audit-docs"
    )


def test_every_checked_in_entry_has_a_written_reason_and_a_title() -> None:
    entries = load_accepted(REPO / ACCEPTED_FILE)
    assert entries
    assert [e.check_id for e in entries if not e.explained or not e.name] == []


def test_open_failures_are_listed_apart_from_the_accepted_ones() -> None:
    entries = [
        Accepted("CKV_K8S_43", "Image should use digest", "tags are pinned"),
        Accepted("CKV_K8S_8", "Liveness Probe", "open: the workload defaults add probes", ("A.b.c", "D.e|f")),
    ]
    page = render_docs(entries)
    accepted, open_ = page.split("## Open failures")
    assert "| `CKV_K8S_43` | Image should use digest | every object | tags are pinned |" in accepted
    assert "CKV_K8S_8" not in accepted
    assert (
        "| `CKV_K8S_8` | Liveness Probe | `A.b.c`, `D.e\\|f` | open: the workload defaults add probes |"
        in open_
    )


def test_no_entries_say_so() -> None:
    page = render_docs([])
    assert "The rendered platform fails no check on purpose." in page
    assert page.endswith("None.\n")


def test_write_docs_writes_the_page_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "audit").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / ACCEPTED_FILE).write_text(f"CKV_K8S_9: {{name: Readiness, reason: '{TODO_REASON}'}}\n")
    written = write_docs(tmp_path)
    assert written.read_text(encoding="utf-8") == render_docs(load_accepted(tmp_path / ACCEPTED_FILE))
    assert "| `CKV_K8S_9` | Readiness | every object | TODO: reason |" in written.read_text(encoding="utf-8")
