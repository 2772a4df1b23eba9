"""checkov over a directory of plain manifests, and its JSON report read into `Failure`s.

checkov runs as a separate program (`checkov --framework kubernetes`), so that
it is an optional tool of the `audit` extra and never a library platformc
imports. It is told not to reach its vendor's service (`--skip-download`) and
to exit 0 whatever it finds (`--soft-fail`): which failures matter is decided
here, against audit/accepted.yaml, not by checkov's exit code.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.audit.tools import tool_command
from generator.errors import AuditUnavailableError

TIMEOUT = 600.0
FRAMEWORK = "kubernetes"


@dataclass(frozen=True, order=True)
class Failure:
    """One failed check on one object: `resource` is checkov's `Kind.namespace.name`."""

    check_id: str
    resource: str
    env: str
    application: str
    check_name: str = ""

    @property
    def where(self) -> str:
        return f"{self.env}/{self.application}"


@dataclass(frozen=True)
class Report:
    failures: tuple[Failure, ...]
    passed: int
    resources: int
    version: str


def run_checkov(directory: Path) -> Report:
    """checkov's kubernetes checks over every manifest under `directory`."""
    command = [
        *tool_command("checkov"),
        *("--framework", FRAMEWORK, "--directory", str(directory), "--output", "json"),
        *("--quiet", "--compact", "--skip-download", "--soft-fail"),
    ]
    try:
        # run from the scanned directory: a .checkov.yaml in the caller's directory must not apply
        done = subprocess.run(
            command,
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise AuditUnavailableError(f"checkov did not finish within {TIMEOUT:g} s") from e
    except OSError as e:
        raise AuditUnavailableError(f"cannot run checkov: {e}") from e
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise AuditUnavailableError(f"checkov failed: {detail[0]}")
    return parse_report(done.stdout)


def parse_report(text: str) -> Report:
    """checkov's `--output json`: one report, a list of them (several frameworks), or a bare summary."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise AuditUnavailableError(f"checkov's report is not JSON: {e}") from e
    reports = data if isinstance(data, list) else [data]
    failures: list[Failure] = []
    passed = resources = 0
    version = ""
    for report in reports:
        if not isinstance(report, dict):
            raise AuditUnavailableError("checkov's report is not a JSON object")
        summary = report.get("summary", report)  # no resources at all: checkov prints the summary alone
        if int(summary.get("parsing_errors", 0)):
            raise AuditUnavailableError(f"checkov could not parse {summary['parsing_errors']} manifest(s)")
        passed += int(summary.get("passed", 0))
        resources += int(summary.get("resource_count", 0))
        version = str(summary.get("checkov_version", version))
        results = report.get("results") or {}
        failures.extend(_failure(entry) for entry in results.get("failed_checks") or [])
    return Report(tuple(sorted(failures)), passed, resources, version)


def _failure(entry: dict[str, Any]) -> Failure:
    """`file_path` is `/<env>/<application>/<file>`, as manifests.py lays the scanned directory out."""
    parts = PurePosixPath(str(entry.get("file_path", ""))).parts
    names = [part for part in parts if part != "/"]
    env, application = (names[0], names[1]) if len(names) >= 3 else ("", "")
    return Failure(
        check_id=str(entry.get("check_id", "")),
        resource=str(entry.get("resource", "")),
        env=env,
        application=application,
        check_name=str(entry.get("check_name", "")),
    )
