"""Scalar patterns and their operators. Expected outcomes are those of Kyverno's own tests
(kyverno/kyverno pkg/engine/pattern/pattern_test.go) and of the "Operators" table of the
Validate Rules page (https://kyverno.io/docs/writing-policies/validate/#operators)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.verify.admission.values import operator, validate

CASES: list[tuple[Any, Any, bool]] = [
    # booleans: TestValidateValueWithPattern_Bool
    (True, True, True),
    (True, False, False),
    (False, True, False),
    ("true", True, False),
    # wildcards: TestValidateString_*AsteriskTest / QuestionMark
    ("anything", "*", True),
    ("", "*", True),
    ("leftright", "*right", True),
    ("leftmiddle", "*right", False),
    ("abbeba", "ab*ba", True),
    ("abbca", "ab*ba", False),
    ("abbba", "ab?ba", True),
    ("abbbba", "ab?ba", False),
    # null pattern: TestValidateValueWithNilPattern_*
    ("value", None, False),
    ("", None, True),
    (0.0, None, True),
    (0.1, None, False),
    (0, None, True),
    (1, None, False),
    (False, None, True),
    (True, None, False),
    ({"a": 1}, None, False),
    # | and &: TestValidateValueWithPattern_StringsLogical*
    ("10.100.11.54", "192.168.88.1 | 10.100.11.*", True),
    ("10", ">1 & <20", True),
    ("10", ">1 & <20 | >31 & <33", True),
    ("32", ">1 & <20 | >31 & <33", True),
    ("21", ">1 & <20 | >31 & <33", False),
    # numbers: TestValidateValueWithFloatPattern_* / IntPattern
    (7.0, 7.0, True),
    (7.9914, 7.9914, True),
    (7.9914, 7.99141, False),
    (7, 7.0, True),
    (7.000001, 7, False),
    (8, 7, False),
    ("7", 7, True),
    # operators with a space: TestValidateValueWithStringPattern_WithSpace
    (4, ">= 3", True),
    # ranges: TestValidateValueWithStringPattern_Ranges
    (0, "0-2", True),
    (2, "0-2", True),
    (3, "0-2", False),
    (0, "10!-20", True),
    (15, "10!-20", False),
    (25, "10!-20", True),
    (0, "0.00001-2.00001", False),
    (1, "0.00001-2.00001", True),
    (2.0001, "0.00001-2.00001", False),
    (2.0001, "0.00001!-2.00001", True),
    (2, "2-2", True),
    (2, "2!-2", False),
    ("256Mi", "128Mi-512Mi", True),
    ("1024Mi", "128Mi-512Mi", False),
    ("64Mi", "128Mi!-512Mi", True),
    # quantities: TestValidateQuantity_*
    ("1024Gi", "1024Gi", True),
    ("1024Mi", "1Gi", True),
    ("0.2", "200m", True),
    ("2048", "1024", False),
    (1024, "1024", True),
    ("gii", "1024Gi", False),
    ("1Gi", ">1000Mi", True),
    ("1G", "<1Gi", True),
    ("500m", ">=0.5", True),
    ("0.2", "<=.5", True),
    ("0.2", "!.5", True),
    # mixed numbers: TestValidateNumberWithStr_LessFloatAndInt
    (7.00001, ">7.000001", True),
    (7.00001, "!7", True),
    (7.0, "7", True),
    (6.000000001, "<6", False),
    # durations (Validate Rules, operators on durations)
    ("2h", ">1h30m", True),
    ("30m", ">1h", False),
    # not-equals on text: TestValidateKernelVersion_NotEquals
    ("5.16.5-arch1-1", "!5.10.84-1", True),
    ("5.10.84-1", "!5.10.84-1", False),
    ("5.16.5-arch1-1", "!5.10.84-1 & !5.15.2-1", True),
    ("5.15.2-1", "!5.10.84-1 & !5.15.2-1", False),
    # booleans against string patterns print as Go does
    (False, "false", True),
    (True, "false", False),
    # a string pattern never matches an absent value, not even "!x" (compareString refuses nil)
    (None, "RuntimeDefault | Localhost", False),
    (None, "!privileged", False),
    # a map pattern only asks for a map; a list pattern is not a scalar pattern
    ({"a": 1}, {"b": 2}, True),
    ("x", {"b": 2}, False),
    ("x", ["x"], False),
]


@pytest.mark.parametrize(("value", "pattern", "expected"), CASES)
def test_scalar_patterns(value: Any, pattern: Any, expected: bool) -> None:
    assert validate(value, pattern) is expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("f", ""),
        ("", ""),
        (">=1", ">="),
        ("<=1", "<="),
        (">1", ">"),
        ("<1", "<"),
        ("!a", "!"),
        ("1-2", "-"),
        ("1!-2", "!-"),
        ("1Mi-2Gi", "-"),
        ("a-b", ""),
    ],
)
def test_operator_of_a_pattern(pattern: str, expected: str) -> None:
    # GetOperatorFromStringPattern (pkg/engine/operator/operator.go)
    assert operator(pattern) == expected
