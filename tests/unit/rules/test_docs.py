"""docs/rules.md is generated from the registry; every rule platformc reports is documented."""

from __future__ import annotations

import re
from pathlib import Path

from generator.rules.docs import known_rule_ids, render_reference, rule_summary, rules_command
from generator.rules.registry import FAMILIES, semantic_rules

REPO = Path(__file__).resolve().parents[3]
GENERATOR = REPO / "generator"


def test_docs_rules_md_is_current() -> None:
    current = (REPO / "docs" / "rules.md").read_bytes()
    assert current == render_reference().encode("utf-8"), (
        "docs/rules.md is stale; regenerate it with: python -m generator.rules.docs > docs/rules.md"
    )


def test_every_rule_id_other_stages_report_is_documented() -> None:
    """Any `"PCnnn"` the load, schema and verify stages write has a rule_summary (rules are in REGISTRY)."""
    used: set[str] = set()
    for stage in ("load", "validate", "verify"):
        for path in (GENERATOR / stage).rglob("*.py"):
            used.update(re.findall(r'"(PC[0-9]{3})"', path.read_text(encoding="utf-8")))
    missing = sorted(rule for rule in used if rule_summary(rule)[1] == "")
    assert missing == []


def test_load_schema_and_verify_rules_are_documented() -> None:
    for rule in ("PC001", "PC002", "PC003", "PC801", "PC802", "PC803", "PC804", "PC805"):
        title, doc = rule_summary(rule)
        assert title != rule and doc


def test_every_semantic_rule_has_a_full_section() -> None:
    for rule in semantic_rules().values():
        assert rule.title and rule.why and rule.fix and rule.bad and rule.good, rule.id
        assert rule.family in FAMILIES
        assert f'<a id="{rule.id.lower()}"></a>' in render_reference()


def test_unknown_rule_summary_is_the_id() -> None:
    assert rule_summary("PC999") == ("PC999", "")


def test_rules_command_lists_every_rule() -> None:
    code, text = rules_command(None)
    assert code == 0
    assert {line.split()[0] for line in text.splitlines()} == set(known_rule_ids())


def test_rules_command_prints_one_rule() -> None:
    code, text = rules_command("pc105")
    assert code == 0
    assert text.startswith("### PC105 — Hostname written by hand")
    assert "${ref:zookeeper.client}" in text


def test_rules_command_unknown_rule_suggests() -> None:
    code, text = rules_command("PC150")
    assert code == 2
    assert "unknown rule 'PC150'" in text and "did you mean PC105?" in text
