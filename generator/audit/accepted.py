"""audit/accepted.yaml: the failing checks the platform accepts, each with its reason.

The file maps a check ID to its `name` (checkov's title), a `reason` a person
wrote, and optionally `resources`: glob patterns over checkov's resource
(`Kind.namespace.name`, in any environment). Without `resources` the entry
covers the check on every object.

The audit compares the failures of a run with the file, both ways: a failure no
entry covers is new; an entry (or one of its patterns) that covers no failure is
stale; an entry whose reason is empty or still the placeholder that `--update`
writes is unexplained. Each of the three fails the audit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from generator.audit.checkov import Failure
from generator.emit.yamldump import dump_yaml
from generator.errors import AuditUnavailableError
from generator.load import LoadError, load_document

ACCEPTED_FILE = "audit/accepted.yaml"
TODO_REASON = "TODO: reason"
OPEN_PREFIX = "open:"
HEADER = (
    "# The checkov checks that fail on the rendered platform, each accepted with its reason.\n"
    "# docs/audit.md is generated from this file. `make audit` fails on a failure not listed\n"
    "# here, on an entry that no longer fails, and on a reason still 'TODO: reason'.\n"
    "# `make audit-update` adds new failures with that placeholder and drops stale entries;\n"
    "# then write each reason (a reason starting 'open:' names the work that will fix it).\n"
)


@dataclass(frozen=True)
class Accepted:
    """One entry of the file; `line` is where its check ID stands, for messages."""

    check_id: str
    name: str
    reason: str
    resources: tuple[str, ...] = ()
    line: int = 1

    def covers(self, failure: Failure) -> bool:
        if failure.check_id != self.check_id:
            return False
        return not self.resources or any(fnmatchcase(failure.resource, p) for p in self.resources)

    @property
    def explained(self) -> bool:
        reason = self.reason.strip()
        return bool(reason) and not reason.upper().startswith("TODO")

    @property
    def is_open(self) -> bool:
        return self.reason.strip().lower().startswith(OPEN_PREFIX)


@dataclass(frozen=True)
class Stale:
    """An entry that covers no failure (`pattern` empty), or one of its patterns that matches none."""

    entry: Accepted
    pattern: str = ""


@dataclass(frozen=True)
class Comparison:
    new: tuple[Failure, ...] = ()
    unexplained: tuple[Accepted, ...] = ()
    stale: tuple[Stale, ...] = ()
    accepted: tuple[Failure, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not (self.new or self.unexplained or self.stale)


# ------------------------------------------------------------------ reading and writing


def load_accepted(path: Path, display: str = ACCEPTED_FILE) -> list[Accepted]:
    """The entries of the file, in its order; a missing file is an empty list."""
    if not path.is_file():
        return []
    try:
        document = load_document(path, display)
    except LoadError as e:
        raise AuditUnavailableError(f"{e.mark.file}:{e.mark.line}: {e.message}") from e
    data = document.data if document.data is not None else {}
    if not isinstance(data, dict):
        raise AuditUnavailableError(f"{display}: expected a mapping of check IDs to entries")
    entries: list[Accepted] = []
    for check_id, body in data.items():
        line = document.mark((check_id,), prefer_key=True).line
        entries.append(_entry(str(check_id), body, f"{display}:{line}", line))
    return entries


def _entry(check_id: str, body: Any, where: str, line: int) -> Accepted:
    if not isinstance(body, dict):
        raise AuditUnavailableError(f"{where}: {check_id} must be a mapping with `name` and `reason`")
    unknown = sorted(set(body) - {"name", "reason", "resources"})
    if unknown:
        raise AuditUnavailableError(f"{where}: {check_id} has unknown keys {unknown}")
    resources = body.get("resources") or []
    if not isinstance(resources, list) or not all(isinstance(r, str) for r in resources):
        raise AuditUnavailableError(f"{where}: {check_id}.resources must be a list of patterns")
    return Accepted(
        check_id, str(body.get("name") or ""), str(body.get("reason") or ""), tuple(resources), line
    )


def dump_accepted(entries: Iterable[Accepted]) -> str:
    """The file's text: the header, then the entries sorted by check ID."""
    data: dict[str, Any] = {}
    for entry in sorted(entries, key=lambda e: check_order(e.check_id)):
        body: dict[str, Any] = {"name": entry.name, "reason": entry.reason}
        if entry.resources:
            body["resources"] = list(entry.resources)
        data[entry.check_id] = body
    return HEADER + (dump_yaml(data) if data else "{}\n")


def check_order(check_id: str) -> tuple[str, int, str]:
    """CKV_K8S_9 before CKV_K8S_10: the number compared as a number."""
    prefix, _, number = check_id.rpartition("_")
    return (prefix, int(number), "") if number.isdigit() else (check_id, 0, check_id)


# ------------------------------------------------------------------ comparing


def compare(failures: Sequence[Failure], entries: Sequence[Accepted]) -> Comparison:
    new: list[Failure] = []
    accepted: list[Failure] = []
    for failure in failures:
        (accepted if any(e.covers(failure) for e in entries) else new).append(failure)
    return Comparison(
        new=tuple(new),
        unexplained=tuple(e for e in entries if not e.explained),
        stale=tuple(_stale(failures, entries)),
        accepted=tuple(accepted),
    )


def _stale(failures: Sequence[Failure], entries: Sequence[Accepted]) -> list[Stale]:
    found: list[Stale] = []
    for entry in entries:
        mine = [f for f in failures if f.check_id == entry.check_id]
        if not any(entry.covers(f) for f in mine):
            found.append(Stale(entry))
            continue
        found.extend(
            Stale(entry, p) for p in entry.resources if not any(fnmatchcase(f.resource, p) for f in mine)
        )
    return found


def updated(failures: Sequence[Failure], entries: Sequence[Accepted]) -> list[Accepted]:
    """The file after `--update`: stale entries and patterns dropped, new failures added as TODO.

    A new failure of a check that has no entry gets one covering every resource;
    one outside the patterns of a scoped entry is added to its patterns, and the
    entry's reason marked TODO again, since the reason was written for the others.
    """
    comparison = compare(failures, entries)
    stale_entries = {s.entry.check_id for s in comparison.stale if not s.pattern}
    stale_patterns = {(s.entry.check_id, s.pattern) for s in comparison.stale if s.pattern}
    names = {f.check_id: f.check_name for f in failures if f.check_name}
    kept: dict[str, Accepted] = {}
    for entry in entries:
        if entry.check_id not in stale_entries:
            patterns = tuple(p for p in entry.resources if (entry.check_id, p) not in stale_patterns)
            name = names.get(entry.check_id, entry.name)
            kept[entry.check_id] = replace(entry, name=name, resources=patterns)
    for failure in comparison.new:
        known = kept.get(failure.check_id)
        if known is None:
            kept[failure.check_id] = Accepted(failure.check_id, failure.check_name, TODO_REASON)
        elif not known.covers(failure):
            reason = known.reason if not known.explained else f"{TODO_REASON} (was: {known.reason})"
            resources = (*known.resources, failure.resource)
            kept[failure.check_id] = replace(known, resources=resources, reason=reason)
    return list(kept.values())
