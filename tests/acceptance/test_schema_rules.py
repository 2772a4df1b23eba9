"""`platformc schema` and `platformc rules` through the CLI."""

from __future__ import annotations

import builtins
import json
from importlib.resources import files
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from generator.cli import cli


def test_schema_prints_the_packaged_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"], catch_exceptions=False)
    assert result.exit_code == 0
    packaged = files("generator").joinpath("schema", "platform.schema.json").read_text("utf-8")
    assert result.stdout == packaged
    Draft202012Validator.check_schema(json.loads(result.stdout))


def test_rules_lists_and_explains() -> None:
    result = CliRunner().invoke(cli, ["rules"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "PC601" in result.stdout
    result = CliRunner().invoke(cli, ["rules", "PC601"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("### PC601")


def test_rules_as_json() -> None:
    from generator.rules.docs import all_rules

    result = CliRunner().invoke(cli, ["rules", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert [r["id"] for r in listed] == sorted(all_rules())
    (pc601,) = [r for r in listed if r["id"] == "PC601"]
    assert pc601["severity"] == "error" and pc601["family"] == "availability"
    assert pc601["title"] == all_rules()["PC601"].title and pc601["example"]["bad"]
    result = CliRunner().invoke(cli, ["rules", "pc601", "--format", "json"], catch_exceptions=False)
    assert json.loads(result.stdout) == [pc601]
    result = CliRunner().invoke(cli, ["rules", "PC60", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 2 and result.stdout == ""
    assert "unknown rule 'PC60'; did you mean PC601?" in result.stderr


def test_rules_unknown_id_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["rules", "PC9999"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "unknown rule 'PC9999'" in result.stderr


def test_rules_without_the_docs_module_is_a_broken_installation(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "generator.rules.docs":
            raise ImportError("No module named 'generator.rules.docs'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    result = CliRunner().invoke(cli, ["rules"], catch_exceptions=False)
    assert result.exit_code == 3
    assert "unexpected error" in result.stderr and "generator.rules.docs" in result.stderr
