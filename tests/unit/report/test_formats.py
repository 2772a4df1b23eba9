"""The four report formats over one list of findings, and what each does with hostile text."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from generator.findings import Finding, Severity
from generator.report import FORMATS, Report, render_report
from generator.report.formats import printable

ERROR = Finding(
    "PC101", Severity.ERROR, "kafka: no component zookeper", "platform.yaml", 12, 7, "spec.a", "dev"
)
WARNING = Finding("PC602", Severity.WARNING, "zookeeper: one replica", "overlays/prod.yaml", 3, 1, "spec.b")
SUPPRESSED = Finding(
    "PC303",
    Severity.WARNING,
    "web: tag latest",
    "platform.yaml",
    40,
    9,
    "spec.c",
    suppressed=True,
    reason="demo",
)
FORGED = Finding(
    "PC101",
    Severity.ERROR,
    "name \x1b[2J\x1b]0;owned\x07 and\n::error file=README.md,line=1::forged\r\u2028\u202e",
    "overlays/\x1bbad.yaml",
    1,
    1,
    "spec",
    "dev",
)


def test_text_reads_like_a_compiler_and_counts() -> None:
    text = render_report(Report([ERROR, WARNING, SUPPRESSED], ("a note",)), "text")
    assert text.splitlines() == [
        "platform.yaml:12:7: PC101 error: kafka: no component zookeper [dev]",
        "overlays/prod.yaml:3:1: PC602 warning: zookeeper: one replica",
        "platform.yaml:40:9: PC303 suppressed: web: tag latest",
        "a note",
        "1 error, 1 warning, 1 suppressed",
    ]


def test_text_colours_only_when_asked() -> None:
    assert "\x1b[" not in render_report(Report([ERROR]), "text")
    assert "\x1b[1;31merror\x1b[0m" in render_report(Report([ERROR]), "text", color=True)


def test_text_writes_control_characters_from_the_input_as_escapes() -> None:
    text = render_report(Report([FORGED], ("rendered/\x1b[31mdev: stale",)), "text")
    assert "\x1b" not in text and "\r" not in text and "\u2028" not in text and "\u202e" not in text
    lines = text.splitlines()
    assert len(lines) == 3  # the finding, the note, the summary: no line was forged
    assert not any(line.startswith("::") for line in lines)
    assert "\\x1b[2J" in lines[0] and "\\n::error file=README.md" in lines[0] and "\\u202e" in lines[0]
    assert lines[0].startswith("overlays/\\x1bbad.yaml:1:1: PC101 error:")
    assert lines[1] == "rendered/\\x1b[31mdev: stale"


def test_printable_keeps_ordinary_text_and_unicode() -> None:
    assert (
        printable("zookeeper — 2 replicas, ü, 日本, tab-free") == "zookeeper — 2 replicas, ü, 日本, tab-free"
    )
    assert printable("a\tb\nc\x7f\x85") == "a\\tb\\nc\\x7f\\x85"


def test_github_annotations_cannot_be_forged_by_a_message_or_a_note() -> None:
    text = render_report(Report([FORGED], ("\n::error::from a note",)), "github")
    lines = text.rstrip("\n").split("\n")  # the runner reads commands line by line, at \n
    assert len(lines) == 3
    assert lines[0].startswith("::error file=overlays/\x1bbad.yaml,line=1,col=1,title=PC101::")
    assert "%0A::error file=README.md" in lines[0]
    assert lines[1] == "\\n::error::from a note"


def test_github_leaves_out_suppressed_findings() -> None:
    text = render_report(Report([ERROR, SUPPRESSED]), "github")
    assert "PC303" not in text and "::error file=platform.yaml,line=12,col=7,title=PC101::" in text


def test_json_contract() -> None:
    payload = json.loads(render_report(Report([ERROR, SUPPRESSED], ("n",)), "json"))
    assert payload["summary"] == {"errors": 1, "warnings": 0}
    assert payload["notes"] == ["n"]
    assert payload["findings"][0] == {
        "rule": "PC101",
        "severity": "error",
        "message": "kafka: no component zookeper",
        "file": "platform.yaml",
        "line": 12,
        "column": 7,
        "path": "spec.a",
        "env": ["dev"],
    }
    assert payload["findings"][1]["suppressed"] is True and payload["findings"][1]["reason"] == "demo"
    assert "notes" not in json.loads(render_report(Report([]), "json"))


def test_sarif_results_point_at_the_file_and_index_their_rule() -> None:
    log = json.loads(render_report(Report([WARNING, ERROR, SUPPRESSED]), "sarif"))
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == ["PC101", "PC303", "PC602"]
    described = run["tool"]["driver"]["rules"][0]
    assert described["shortDescription"]["text"] not in ("", "PC101")  # the rule's own title
    assert described["helpUri"].endswith("#pc101")
    results = run["results"]
    assert [rules[r["ruleIndex"]] for r in results] == [r["ruleId"] for r in results]
    location = results[1]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "platform.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 7},
    }
    assert results[2]["suppressions"] == [{"kind": "inSource", "justification": "demo"}]
    assert [r["level"] for r in results] == ["warning", "error", "warning"]
    assert [r["properties"]["environments"] for r in results] == [[], ["dev"], []]


def test_environments_are_a_list_in_json_and_sarif() -> None:
    folded = replace(ERROR, env="dev,prod")
    (finding,) = json.loads(render_report(Report([folded]), "json"))["findings"]
    assert finding["env"] == ["dev", "prod"]
    (unscoped,) = json.loads(render_report(Report([replace(ERROR, env=None)]), "json"))["findings"]
    assert unscoped["env"] == []
    (result,) = json.loads(render_report(Report([folded]), "sarif"))["runs"][0]["results"]
    assert result["properties"]["environments"] == ["dev", "prod"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_of_no_findings_ends_with_a_newline_and_says_nothing_is_wrong(fmt: str) -> None:
    text = render_report(Report([]), fmt)
    assert text.endswith("\n")
    if fmt in ("text", "github"):
        assert text == "0 errors, 0 warnings\n"
