"""argocd-source-lint over the rendered Applications, its JSON report read into `Failure`s.

The linter checks the sources of the Applications that live in the Git
repository it runs in (paths, value files, ignoreDifferences, sync options,
hooks, waves, name clashes), and it tells that repository by its `origin`
remote. A clone in CI has no such remote, and the branches the Applications
name (`targetRevision`) may not exist in it, so the rendered tree is copied into
a scratch repository whose `origin` is the Applications' `repoURL` and which
has one branch per revision they name, all at one commit of that copy. Nothing
is ever fetched: git may use no network protocol there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from generator.audit.checkov import Failure
from generator.audit.tools import tool_command
from generator.errors import AuditUnavailableError
from generator.verify.manifests import parse_manifests

TOOL = "argocd-source-lint"
TIMEOUT = 600.0
FAILING = frozenset({"error", "warning", "unverifiable"})  # `info` only says what was out of scope


def run_argocd_lint(rendered: Path, gitops_path: str) -> list[Failure]:
    """Lint the Applications of `rendered` (the tree ArgoCD reads at `gitops_path` of its repository)."""
    origin, revisions = application_repository(rendered)
    with tempfile.TemporaryDirectory(prefix="platformc-argocd-lint-") as scratch:
        repo = Path(scratch)
        shutil.copytree(rendered, repo / gitops_path.strip("/"))
        _git_repository(repo, origin, revisions)
        done = _run([*tool_command(TOOL), str(repo), "--format", "json"], repo)
    if done.returncode not in (0, 1):  # 1: it found something
        detail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise AuditUnavailableError(f"{TOOL} failed: {detail}")
    return parse_lint_report(done.stdout, gitops_path)


def parse_lint_report(text: str, gitops_path: str) -> list[Failure]:
    """`--format json`: `{"findings": [...]}`; each failing finding becomes one `Failure`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise AuditUnavailableError(f"{TOOL}'s report is not JSON: {e}") from e
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, list):
        raise AuditUnavailableError(f"{TOOL}'s report has no list of findings")
    prefix = PurePosixPath(gitops_path.strip("/")).parts
    failures = [_failure(f, len(prefix)) for f in findings if f.get("severity") in FAILING]
    return sorted(failures)


def _failure(finding: dict[str, Any], depth: int) -> Failure:
    rule = str(finding.get("rule_id", ""))
    parts = PurePosixPath(str(finding.get("file") or "")).parts
    env = parts[depth] if len(parts) > depth + 1 else ""
    application = str(finding.get("application") or "")
    title = f"{rule.replace('-', ' ').capitalize()} ({finding.get('severity')})"
    return Failure(f"{TOOL}/{rule}", f"Application.{application}", env, application, title)


def application_repository(rendered: Path) -> tuple[str, list[str]]:
    """The one repoURL the Applications read from, and every revision they name (first: the default)."""
    origins: set[str] = set()
    revisions: list[str] = []
    for application in _applications(rendered):
        sources = [application.get("source") or {}, *(application.get("sources") or [])]
        for source in sources:
            if source.get("repoURL") and source.get("path") is not None:
                origins.add(str(source["repoURL"]))
                revision = str(source.get("targetRevision") or "HEAD")
                if revision != "HEAD" and revision not in revisions:
                    revisions.append(revision)
    if len(origins) != 1:
        raise AuditUnavailableError(
            f"the rendered Applications read from {len(origins)} repositories, not one"
        )
    return origins.pop(), revisions or ["main"]


def _applications(rendered: Path) -> Iterable[dict[str, Any]]:
    for file in sorted(rendered.glob("*/root.yaml")) + sorted(rendered.glob("*/argocd/*.yaml")):
        for document in parse_manifests(file.read_text(encoding="utf-8")):
            if isinstance(document, dict) and document.get("kind") == "Application":
                yield document.get("spec") or {}


def _git_repository(repo: Path, origin: str, revisions: list[str]) -> None:
    identity = ["-c", "user.name=platformc audit", "-c", "user.email=audit@platformc.invalid"]
    identity += ["-c", "commit.gpgsign=false"]
    _git(repo, "init", "--quiet", "--initial-branch", revisions[0])
    _git(repo, "remote", "add", "origin", origin)
    _git(repo, "add", "--all")
    _git(repo, *identity, "commit", "--quiet", "--no-verify", "--message", "rendered tree")
    for revision in revisions[1:]:
        _git(repo, "branch", revision)


def _git(repo: Path, *args: str) -> None:
    done = _run(["git", *args], repo)
    if done.returncode != 0:
        raise AuditUnavailableError(f"git {args[0]} failed in the scratch repository: {done.stderr.strip()}")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # no protocol but local files: nothing is fetched, whatever the linter or git would try
    # and no user or system git configuration (hooks, signing, rewrites) applies to the scratch repository
    environment = {
        **os.environ,
        "GIT_ALLOW_PROTOCOL": "file",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    try:
        return subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False, env=environment
        )
    except subprocess.TimeoutExpired as e:
        raise AuditUnavailableError(f"{command[0]} did not finish within {TIMEOUT:g} s") from e
    except OSError as e:
        raise AuditUnavailableError(f"cannot run {command[0]}: {e}") from e
