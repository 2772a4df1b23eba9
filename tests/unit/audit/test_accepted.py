"""audit/accepted.yaml against a run: new, stale and unexplained entries, and `--update`."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.audit.accepted import (
    TODO_REASON,
    Accepted,
    Stale,
    check_order,
    compare,
    dump_accepted,
    load_accepted,
    updated,
)
from generator.audit.checkov import Failure
from generator.errors import AuditUnavailableError

DIGEST = "CKV_K8S_43"
PROBE = "CKV_K8S_8"


def failure(check: str, resource: str, env: str = "dev") -> Failure:
    return Failure(check, resource, env, "data-platform", f"title of {check}")


TRINO = failure(DIGEST, "Deployment.data-platform.trino")
KAFKA = failure(DIGEST, "StatefulSet.kafka.kafka")
PROBE_TRINO = failure(PROBE, "Deployment.data-platform.trino")


def test_a_failure_of_an_accepted_check_is_accepted_on_every_object() -> None:
    result = compare([TRINO, KAFKA], [Accepted(DIGEST, "digest", "tags are pinned")])
    assert result.ok
    assert result.accepted == (TRINO, KAFKA)


def test_a_failure_no_entry_covers_is_new() -> None:
    result = compare([TRINO, PROBE_TRINO], [Accepted(DIGEST, "digest", "tags are pinned")])
    assert not result.ok
    assert result.new == (PROBE_TRINO,)


def test_a_scoped_entry_covers_only_the_objects_its_patterns_match() -> None:
    entry = Accepted(DIGEST, "digest", "reason", ("Deployment.data-platform.*",))
    result = compare([TRINO, KAFKA], [entry])
    assert result.new == (KAFKA,)
    assert result.accepted == (TRINO,)


def test_an_entry_that_no_longer_fails_is_stale() -> None:
    entry = Accepted(PROBE, "probe", "open: probes")
    result = compare([TRINO], [Accepted(DIGEST, "digest", "reason"), entry])
    assert result.stale == (Stale(entry),)
    assert not result.ok


def test_a_pattern_that_matches_no_failure_is_stale() -> None:
    entry = Accepted(DIGEST, "digest", "reason", ("Deployment.data-platform.trino", "Deployment.gone.*"))
    result = compare([TRINO], [entry])
    assert result.stale == (Stale(entry, "Deployment.gone.*"),)


@pytest.mark.parametrize("reason", [TODO_REASON, "", "  ", "todo: later"])
def test_an_entry_without_a_written_reason_fails_the_audit(reason: str) -> None:
    entry = Accepted(DIGEST, "digest", reason)
    result = compare([TRINO], [entry])
    assert result.unexplained == (entry,)
    assert not result.ok


def test_update_adds_new_checks_as_todo_and_drops_stale_entries() -> None:
    entries = [Accepted(PROBE, "probe", "open: probes")]
    result = updated([TRINO, KAFKA], entries)
    assert result == [Accepted(DIGEST, f"title of {DIGEST}", TODO_REASON)]
    assert compare([TRINO, KAFKA], result).unexplained == tuple(result)


def test_update_keeps_reasons_and_refreshes_titles() -> None:
    entries = [Accepted(DIGEST, "old title", "tags are pinned", line=7)]
    assert updated([TRINO], entries) == [Accepted(DIGEST, f"title of {DIGEST}", "tags are pinned", line=7)]


def test_update_widens_a_scoped_entry_and_asks_for_its_reason_again() -> None:
    entries = [Accepted(DIGEST, "digest", "pinned", ("Deployment.data-platform.trino", "Deployment.gone.x"))]
    (entry,) = updated([TRINO, KAFKA], entries)
    assert entry.resources == ("Deployment.data-platform.trino", "StatefulSet.kafka.kafka")
    assert entry.reason == f"{TODO_REASON} (was: pinned)"
    assert not entry.explained


def test_the_file_round_trips_sorted_by_check_number(tmp_path: Path) -> None:
    entries = [
        Accepted("CKV_K8S_43", "digest", "pinned"),
        Accepted("CKV_K8S_8", "probe", "open: probes", ("StatefulSet.kafka.*",)),
        Accepted("CKV2_K8S_5", "graph", "reason"),
    ]
    path = tmp_path / "accepted.yaml"
    path.write_text(dump_accepted(entries), encoding="utf-8")
    loaded = load_accepted(path)
    assert [e.check_id for e in loaded] == ["CKV2_K8S_5", "CKV_K8S_8", "CKV_K8S_43"]
    assert loaded[1] == Accepted(
        "CKV_K8S_8", "probe", "open: probes", ("StatefulSet.kafka.*",), loaded[1].line
    )
    assert loaded[1].line > loaded[0].line > 1  # after the header
    assert check_order("CKV_K8S_9") < check_order("CKV_K8S_10")


def test_a_missing_file_accepts_nothing(tmp_path: Path) -> None:
    assert load_accepted(tmp_path / "absent.yaml") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- CKV_K8S_8\n", "expected a mapping"),
        ("CKV_K8S_8: just a reason\n", "accepted.yaml:1: CKV_K8S_8 must be a mapping"),
        ("\nCKV_K8S_8: {reason: r, why: x}\n", r"accepted.yaml:2: CKV_K8S_8 has unknown keys \['why'\]"),
        ("CKV_K8S_8: {reason: r, resources: Deployment.a.b}\n", "resources must be a list"),
        ("CKV_K8S_8: {reason: [unclosed\n", "accepted.yaml:2: YAML syntax error"),
    ],
)
def test_a_malformed_file_is_refused_with_its_position(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "accepted.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AuditUnavailableError, match=message):
        load_accepted(path, "audit/accepted.yaml")
