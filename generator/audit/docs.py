"""docs/audit.md, generated from audit/accepted.yaml: what fails, and why that is accepted."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from generator.audit.accepted import ACCEPTED_FILE, Accepted, load_accepted

DOCS_FILE = "docs/audit.md"

_INTRO = """\
# Audit

<!-- Generated from audit/accepted.yaml by `make audit-docs`. Do not edit: edit that file. -->

`make audit` checks what the cluster receives with two external linters, installed
into a venv of their own (`.venv-audit`, from `audit/requirements.txt`), and
compares every failure with `audit/accepted.yaml`:

- [checkov](https://www.checkov.io/) (`checkov --framework kubernetes`) checks
  every object: each Application of each environment is rendered the way
  `platformc verify` renders it (the Helm engine for charts, plain manifests for
  directories) into plain YAML first. Its check IDs are `CKV_K8S_*` and
  `CKV2_K8S_*`; an object is named `Kind.namespace.name`.
- [argocd-source-lint](https://pypi.org/project/argocd-source-lint/) checks the
  Argo CD Applications themselves: source paths and value files on the branch
  each names, `ignoreDifferences` for controllers known to write into synced
  objects, sync options, hooks, waves, and names that clash. It only checks
  sources in the repository it runs in, which it tells by the `origin` remote,
  so it runs on a scratch Git repository holding a copy of `rendered/`, whose
  `origin` is the Applications' `repoURL` and which has a branch for every
  `targetRevision`; nothing is fetched. Its IDs are
  `argocd-source-lint/<rule>`; an Application is named `Application.<name>`.
  (`argocheck`, the other Application linter on PyPI, needs the `helm` binary
  and clones each source, so it is not used.)

The audit fails on:

- a failure that the file does not accept (**new**);
- an accepted entry, or one of its resource patterns, that no longer fails (**stale**);
- an entry whose reason is empty or still `TODO: reason` (**unexplained**).

`make audit-update` rewrites the file from a run: stale entries go, new failures
come in with the reason `TODO: reason`, which the audit refuses until a person
writes why the failure is accepted. A reason that starts with `open:` marks a
real defect, accepted only until the work it names lands. `make audit-docs`
writes this page from the file; a test holds the two together.

Scope: the objects platformc writes, and upstream charts once vendored
(`platformc vendor`). An upstream chart that is not vendored is left out, as
`platformc verify` leaves it out; the audit says how many were. So are the
objects Argo CD never applies: a Helm hook of no sync phase (Helm test hooks,
`helm.sh/hook: test`; Argo CD's Helm guide: unsupported hooks are ignored) and
an `argocd.argoproj.io/hook: Skip`. An object without `metadata.namespace` is
named in its Application's destination namespace, where Argo CD creates it
(cluster-scoped kinds keep checkov's `default`).
"""


def render_docs(entries: Sequence[Accepted]) -> str:
    """The page: the accepted failures, then the open ones (defects that later work will fix)."""
    settled = [e for e in entries if not e.is_open]
    open_ = [e for e in entries if e.is_open]
    lines = [_INTRO]
    lines += ["## Accepted failures", ""]
    lines += _table(settled, "The rendered platform fails no check on purpose.")
    lines += ["## Open failures", ""]
    lines += [
        "Real defects of the rendered platform, accepted only until the work named in the reason lands.",
        "",
    ]
    lines += _table(open_, "None.")
    return "\n".join(lines).rstrip("\n") + "\n"


def _table(entries: Sequence[Accepted], empty: str) -> list[str]:
    if not entries:
        return [empty, ""]
    rows = ["| check | title | objects | reason |", "| --- | --- | --- | --- |"]
    for entry in entries:
        scope = ", ".join(f"`{p}`" for p in entry.resources) if entry.resources else "every object"
        cells = (f"`{entry.check_id}`", entry.name, scope, " ".join(entry.reason.split()))
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return [*rows, ""]


def write_docs(root: Path) -> Path:
    """Write docs/audit.md under `root` from its audit/accepted.yaml."""
    path = root / DOCS_FILE
    path.write_text(render_docs(load_accepted(root / ACCEPTED_FILE)), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.stdout.write(render_docs(load_accepted(Path(ACCEPTED_FILE))))
