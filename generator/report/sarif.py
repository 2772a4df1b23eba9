"""SARIF 2.1.0, with what code-scanning services require: rules, levels, physical locations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.findings import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/254carbon/platform/blob/main/docs/rules.md"


def _rule_descriptor(rule_id: str) -> dict[str, Any]:
    from generator.rules.docs import rule_summary  # part of every installation: no fallback to hide it

    title, doc = rule_summary(rule_id)
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": doc or title},
        "helpUri": f"{INFORMATION_URI}#{rule_id.lower()}",
    }


def sarif_log(findings: Sequence[Finding], version: str) -> dict[str, Any]:
    rule_ids = sorted({f.rule for f in findings})
    index = {rule: i for i, rule in enumerate(rule_ids)}
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": "error" if f.severity.value == "error" else "warning",
            "message": {"text": f.message + (f" [{f.env}]" if f.env else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.path or f.file}],
                }
            ],
            "partialFingerprints": {"platformc/v1": f"{f.rule}:{f.file}:{f.path}:{f.env or ''}"},
            "properties": {"environments": f.envs},
        }
        if f.suppressed:
            result["suppressions"] = [{"kind": "inSource", "justification": f.reason or ""}]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "platformc",
                        "version": version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(r) for r in rule_ids],
                    }
                },
                "results": results,
            }
        ],
    }
