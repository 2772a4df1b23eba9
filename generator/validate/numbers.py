"""Numbers that are not numbers (PC019) and user or group IDs Kubernetes refuses (PC020).

YAML reads `.nan` and `.inf` as floats, and a JSON Schema `minimum` lets both
through (NaN compares false with everything), so a quantity of `.inf` would
reach arithmetic and rendered manifests. Kubernetes takes user and group IDs
(`runAsUser`, `runAsGroup`, `fsGroup`, `supplementalGroups`) from 0 to
2147483647 (apimachinery's IsValidUserID and IsValidGroupID), wherever they
are written: the platform's `security` or a chart's values.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from generator.findings import Finding, Severity, make_finding
from generator.load.document import Document, YamlPath, format_path

MAX_ID = 2**31 - 1
ID_KEYS = frozenset({"runAsUser", "runAsGroup", "fsGroup", "supplementalGroups"})


def not_finite(value: Any) -> bool:
    """NaN or an infinity (`.nan`, `.inf`, `-.inf`)."""
    return isinstance(value, float) and not math.isfinite(value)


def invalid_id(value: Any) -> bool:
    """A whole number Kubernetes refuses as a user or group ID."""
    return isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_ID


def number_findings(doc: Document, env: str) -> list[Finding]:
    findings: list[Finding] = []
    for path, key, value in _numbers(doc.data, (), ""):
        if not_finite(value):
            findings.append(
                make_finding(
                    "PC019",
                    Severity.ERROR,
                    f"{format_path(path)} is {_yaml(value)}, which is not a number Kubernetes (or platformc) "
                    f"can compute with; write a finite quantity",
                    doc.mark(path),
                    format_path(path),
                    env,
                )
            )
        elif key in ID_KEYS and invalid_id(value):
            findings.append(
                make_finding(
                    "PC020",
                    Severity.ERROR,
                    f"{format_path(path)} is {value}, but Kubernetes takes user and group IDs from 0 to "
                    f"{MAX_ID}; the pod would be refused",
                    doc.mark(path),
                    format_path(path),
                    env,
                )
            )
    return findings


def _yaml(value: float) -> str:
    """How YAML spells it: `.nan`, `.inf`, `-.inf`."""
    return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")


def _numbers(value: Any, path: YamlPath, key: str) -> Iterator[tuple[YamlPath, str, int | float]]:
    """(path, nearest mapping key, number) for every number in a value tree."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        yield path, key, value
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _numbers(item, (*path, k), str(k))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(item, (*path, index), key)
