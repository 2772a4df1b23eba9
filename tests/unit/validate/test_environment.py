"""Environment names: every overlays/*.yaml is an environment, and a name that cannot be one is PC018."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.load import Document
from generator.pipeline import discover_envs
from generator.validate import validate_document
from generator.validate.environment import env_name_findings, env_of, overlay_file


@pytest.mark.parametrize("env", ["dev", "prod", "eu-west-1", "1", "a" * 63])
def test_dns_labels_are_environment_names(env: str) -> None:
    assert env_name_findings(env) == []


@pytest.mark.parametrize(
    ("env", "problem", "rename"),
    [
        ("", "is empty", "(e.g. to overlays/staging.yaml)"),
        (".", "starts with '.' (a hidden file)", "(e.g. to overlays/staging.yaml)"),
        ("..", "starts with '.' (a hidden file)", "(e.g. to overlays/staging.yaml)"),
        (".prod", "starts with '.' (a hidden file)", "to overlays/prod.yaml"),
        ("Prod", "has uppercase letters", "to overlays/prod.yaml"),
        ("prod copy", "contains ' '", "to overlays/prod-copy.yaml"),
        ("prod_eu", "contains '_'", "to overlays/prod-eu.yaml"),
        ("-prod", "starts or ends with '-'", "to overlays/prod.yaml"),
        ("prod\n", "contains '\\n'", "rename 'overlays/prod\\n.yaml' to overlays/prod.yaml"),
        ("p" * 64, "is 64 characters long", f"to overlays/{'p' * 63}.yaml"),
    ],
)
def test_other_names_are_one_finding_at_the_overlay(env: str, problem: str, rename: str) -> None:
    [finding] = env_name_findings(env)
    assert (finding.rule, finding.file, finding.line, finding.column) == ("PC018", overlay_file(env), 1, 1)
    assert finding.is_error and finding.env == env
    assert f"environment name {env!r} {problem};" in finding.message
    assert rename in finding.message


def test_validate_reports_the_name_beside_the_document() -> None:
    findings = validate_document(Document(["a"], "overlays/.dev.yaml"), ".dev")
    assert [(f.rule, f.file) for f in findings] == [
        ("PC005", "overlays/.dev.yaml"),
        ("PC018", "overlays/.dev.yaml"),
    ]


def test_every_overlay_file_is_an_environment_hidden_and_odd_ones_too(tmp_path: Path) -> None:
    overlays = tmp_path / "overlays"
    overlays.mkdir()
    for name in ("prod.yaml", ".hidden.yaml", "..yaml", ".yaml", "Prod copy.yaml", "notes.txt", "dev.yml"):
        (overlays / name).write_text("spec: {}\n", encoding="utf-8")
    (overlays / "dir.yaml").mkdir()
    assert discover_envs(tmp_path) == ["", ".", ".hidden", "Prod copy", "prod"]
    assert all(
        (tmp_path / overlay_file(env)).is_file() and env_of(Path(overlay_file(env)).name) == env
        for env in discover_envs(tmp_path)
    )
