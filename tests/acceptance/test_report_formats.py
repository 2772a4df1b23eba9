"""Findings where each tool wants them: SARIF for code scanning, annotations for GitHub Actions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from generator.cli import cli

# The part of SARIF 2.1.0 that code-scanning services (GitHub's upload-sarif
# among them) refuse a file without: the version, a named tool, and for every
# result a rule, a message and a physical location with a 1-based start line.
SARIF_REQUIRED: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string", "minLength": 1},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {"id": {"type": "string"}},
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {"type": "array", "items": {"$ref": "#/$defs/result"}},
                },
            },
        },
    },
    "$defs": {
        "result": {
            "type": "object",
            "required": ["ruleId", "message", "locations"],
            "properties": {
                "ruleId": {"type": "string", "minLength": 1},
                "level": {"enum": ["none", "note", "warning", "error"]},
                "message": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {"text": {"type": "string", "minLength": 1}},
                },
                "locations": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["physicalLocation"],
                        "properties": {
                            "physicalLocation": {
                                "type": "object",
                                "required": ["artifactLocation", "region"],
                                "properties": {
                                    "artifactLocation": {
                                        "type": "object",
                                        "required": ["uri"],
                                        "properties": {"uri": {"type": "string", "minLength": 1}},
                                    },
                                    "region": {
                                        "type": "object",
                                        "required": ["startLine"],
                                        "properties": {
                                            "startLine": {"type": "integer", "minimum": 1},
                                            "startColumn": {"type": "integer", "minimum": 1},
                                        },
                                    },
                                },
                            }
                        },
                    },
                },
            },
        }
    },
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A new platform with one error in platform.yaml and one in an overlay."""
    root = tmp_path / "demo"
    assert run("init", str(root))[0] == 0
    platform = root / "platform.yaml"
    platform.write_text(platform.read_text().replace("${ref:api.http}", "${ref:api.web}"))
    overlay = root / "overlays" / "dev.yaml"
    overlay.write_text(overlay.read_text().replace("size: 2Gi", "size: lots"))
    return root


def test_sarif_has_what_code_scanning_requires(broken: Path) -> None:
    code, output = run("validate", "--root", str(broken), "--format", "sarif")
    assert code == 1
    log = json.loads(output)
    Draft202012Validator(SARIF_REQUIRED).validate(log)
    results = log["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "platform.yaml",
        "overlays/dev.yaml",
    }
    assert all(r["level"] == "error" for r in results)
    rule_ids = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} <= rule_ids


def test_sarif_of_a_clean_platform_is_still_a_valid_log(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert run("init", str(root))[0] == 0
    code, output = run("validate", "--root", str(root), "--format", "sarif")
    assert code == 0
    log = json.loads(output)
    Draft202012Validator(SARIF_REQUIRED).validate(log)
    assert log["runs"][0]["results"] == []


def test_github_annotations(broken: Path) -> None:
    code, output = run("validate", "--root", str(broken), "--format", "github")
    assert code == 1
    lines = output.splitlines()
    assert any(line.startswith("::error file=platform.yaml,line=") for line in lines)
    assert any(line.startswith("::error file=overlays/dev.yaml,line=") for line in lines)
    assert lines[-1].startswith("2 errors")
