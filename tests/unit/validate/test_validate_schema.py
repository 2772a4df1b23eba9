"""The packaged schema itself, and the contract: the reference platform validates unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator.load import load_document
from generator.merge import merge_overlay
from generator.validate import SCHEMA_RULES, load_schema, validate_document

REPO = Path(__file__).resolve().parents[3]
REFERENCE = REPO.parent / "shared" / "reference"
ENVS = ["dev", "staging", "prod"]
ROOTS = [pytest.param(REPO, id="project"), pytest.param(REFERENCE, id="reference")]


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_top_level_schema_link_points_at_the_packaged_file() -> None:
    link = REPO / "schemas" / "platform.schema.json"
    assert link.is_symlink()
    assert os.readlink(link) == "../generator/schema/platform.schema.json"
    assert link.resolve() == (REPO / "generator" / "schema" / "platform.schema.json").resolve()


def test_every_rule_is_documented() -> None:
    assert sorted(SCHEMA_RULES) == [f"PC{n:03d}" for n in range(4, 11)]
    for title, doc in SCHEMA_RULES.values():
        assert title and len(doc) > 80


@pytest.mark.parametrize("root", ROOTS)
def test_base_platform_validates(root: Path) -> None:
    base = load_document(root / "platform.yaml", "platform.yaml")
    assert validate_document(base, None) == []


@pytest.mark.parametrize("root", ROOTS)
@pytest.mark.parametrize("env", ENVS)
def test_every_overlay_merged_onto_the_base_validates(root: Path, env: str) -> None:
    base = load_document(root / "platform.yaml", "platform.yaml")
    overlay = load_document(root / "overlays" / f"{env}.yaml", f"overlays/{env}.yaml")
    assert validate_document(merge_overlay(base, overlay), env) == []


def test_closed_sections_refuse_unknown_keys() -> None:
    """`additionalProperties: false` wherever the language is closed; chart values stay open."""
    defs = load_schema()["$defs"]
    closed = [
        "spec",
        "gitops",
        "node",
        "kyverno",
        "secrets",
        "secretItem",
        "monitoring",
        "alert",
        "namespace",
        "application",
        "workload",
        "chartComponent",
        "externalComponent",
        "volume",
        "resources",
        "httpProbe",
        "tcpProbe",
        "security",
        "exception",
        "pdb",
        "autoscaling",
        "ingress",
        "metrics",
        "backup",
        "placement",
        "ignoreEntry",
    ]
    for name in closed:
        assert defs[name]["additionalProperties"] is False, name
    values = defs["chartComponent"]["properties"]["values"]
    assert values["type"] == "object"
    assert "additionalProperties" not in values and "properties" not in values
