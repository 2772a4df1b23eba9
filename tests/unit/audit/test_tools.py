"""Where the audit finds checkov and argocd-source-lint: make audit's own venv first."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from generator.audit.tools import TOOLS_VARIABLE, tool_command
from generator.errors import AuditUnavailableError


def _tool(directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_the_audit_venv_named_by_make_comes_before_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit_venv = _tool(tmp_path / "venv-audit" / "bin", "checkov")
    elsewhere = _tool(tmp_path / "elsewhere", "checkov")
    monkeypatch.setenv("PATH", str(elsewhere.parent))
    monkeypatch.setattr("sys.executable", str(tmp_path / "python"))
    assert tool_command("checkov", {TOOLS_VARIABLE: str(audit_venv.parent)}) == [str(audit_venv)]
    assert tool_command("checkov", {}) == [str(elsewhere)]


def test_a_missing_linter_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("sys.executable", str(tmp_path / "python"))  # a venv without the linters
    with pytest.raises(AuditUnavailableError, match=r"argocd-source-lint is not installed: `make audit`"):
        tool_command("argocd-source-lint", {TOOLS_VARIABLE: str(tmp_path / "empty")})
