"""Environment names: every overlays/*.yaml is an environment, and a name that cannot be one is PC018."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.load import Document
from generator.pipeline import discover_envs
from generator.validate import validate_document
from generator.validate.environment import env_name_findings, env_of, overlay_file, unread_overlay_findings

REPO = Path(__file__).resolve().parents[3]


def copy_reference(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "overlays").mkdir(parents=True)
    shutil.copyfile(REPO / "platform.yaml", root / "platform.yaml")
    for overlay in (REPO / "overlays").glob("*.yaml"):
        shutil.copyfile(overlay, root / "overlays" / overlay.name)
    return root


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
    (overlays / "dir.yaml").mkdir()  # not a file, still an environment: loading it says what is wrong
    assert discover_envs(tmp_path) == ["", ".", ".hidden", "Prod copy", "dir", "prod"]
    assert all(
        (tmp_path / overlay_file(env)).exists() and env_of(Path(overlay_file(env)).name) == env
        for env in discover_envs(tmp_path)
    )


def test_overlays_spelled_otherwise_are_reported_not_skipped() -> None:
    names = ["dev.yaml", "prod.yml", "dev.YML", "notes.txt", "staging.yaml.bak", "qa.yAmL"]
    findings = unread_overlay_findings(names)
    assert [(f.rule, f.file, f.line, f.column, f.is_error) for f in findings] == [
        ("PC018", "overlays/dev.YML", 1, 1, True),
        ("PC018", "overlays/prod.yml", 1, 1, True),
        ("PC018", "overlays/qa.yAmL", 1, 1, True),
    ]
    assert "rename it to overlays/prod.yaml" in findings[1].message
    assert (
        "overlays/dev.yaml is the one read: merge the two and delete overlays/dev.YML" in findings[0].message
    )


def test_an_unread_overlay_refuses_every_environment_and_names_itself(tmp_path: Path) -> None:
    root = copy_reference(tmp_path)
    (root / "overlays" / "prod.yaml").rename(root / "overlays" / "prod.yml")
    result = CliRunner().invoke(cli, ["validate", "--root", str(root), "--all"])
    assert result.exit_code == 1, result.output
    assert "overlays/prod.yml:1:1: PC018 error: overlays/prod.yml is not read" in result.output
    assert "rename it to overlays/prod.yaml" in result.output
    result = CliRunner().invoke(cli, ["render", "--root", str(root)])
    assert result.exit_code == 1 and not (root / "rendered").exists()


def test_only_unread_overlays_say_so_in_the_refusal(tmp_path: Path) -> None:
    root = copy_reference(tmp_path)
    for overlay in (root / "overlays").glob("*.yaml"):
        overlay.rename(overlay.with_suffix(".yml"))
    result = CliRunner().invoke(cli, ["validate", "--root", str(root), "--all"])
    assert result.exit_code == 2
    assert "holds no <env>.yaml; overlays/dev.yml is not read" in result.output
