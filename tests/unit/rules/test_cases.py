"""Every folder in tests/cases/ is a platform with the findings it must produce, and no others.

A folder is `<rule-id>-<slug>/` with a platform.yaml, overlays/<env>.yaml and an
expect.yaml:

    today: "2026-01-15"         # optional; the date expiry checks judge against
    envs: [dev]                 # optional; default: every overlay
    findings:                   # [] for a passing neighbour
      - rule: PC101
        file: platform.yaml     # or overlays/dev.yaml when the overlay caused it
        line: 31
        message: names "redis"  # a substring of the message
        suppressed: true        # optional

Findings are compared after folding environments (generator.findings.dedupe),
so a mistake every environment inherits is listed once. To add a case, copy a
neighbouring folder, change it, and run this test to see what it reports.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from generator.findings import Finding, dedupe
from generator.load import load_document
from generator.pipeline import analyse, discover_envs

CASES = Path(__file__).resolve().parents[2] / "cases"
DEFAULT_TODAY = "2026-01-15"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "expect.yaml").is_file())


def _matches(expected: dict[str, Any], finding: Finding) -> bool:
    return (
        expected["rule"] == finding.rule
        and expected["file"] == finding.file
        and expected["line"] == finding.line
        and str(expected["message"]) in finding.message
        and bool(expected.get("suppressed", False)) == finding.suppressed
    )


def _show(finding: Finding) -> str:
    flag = " (suppressed)" if finding.suppressed else ""
    return f"{finding.rule} {finding.file}:{finding.line}{flag} [{finding.env}] {finding.message}"


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_case(case: Path) -> None:
    expect = load_document(case / "expect.yaml", "expect.yaml").data or {}
    today = datetime.date.fromisoformat(str(expect.get("today", DEFAULT_TODAY)))
    envs = [str(e) for e in expect.get("envs") or discover_envs(case)]
    assert envs, f"{case.name}: no overlays/<env>.yaml"
    actual = dedupe(f for result in analyse(case, envs, today=today) for f in result.findings)
    wanted: list[dict[str, Any]] = list(expect.get("findings") or [])
    unmatched = [w for w in wanted if not any(_matches(w, f) for f in actual)]
    extra = [f for f in actual if not any(_matches(w, f) for w in wanted)]
    report = "\n".join(["actual findings:", *map(_show, actual)])
    assert not unmatched, f"expected but not reported: {unmatched}\n{report}"
    assert not extra, "reported but not expected:\n" + "\n".join(map(_show, extra))
    assert len(actual) == len(wanted), report


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_case_is_named_after_its_rule(case: Path) -> None:
    """A failing case reports the rule its folder is named after; a passing neighbour reports no error."""
    rule = case.name.split("-", 1)[0]
    expect = load_document(case / "expect.yaml", "expect.yaml").data or {}
    findings = expect.get("findings") or []
    reported = {f["rule"] for f in findings}
    if case.name.endswith("-ok") or "-ok-" in case.name:
        assert not [f for f in findings if f["rule"] == rule and not f.get("suppressed")]
    else:
        assert rule in reported, f"{case.name} should report {rule}"
