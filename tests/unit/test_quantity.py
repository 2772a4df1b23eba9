"""Kubernetes quantities: as platform.yaml writes them (the rules) and to the letter (Kyverno in verify)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from generator.quantity import parse_quantity, quantity
from generator.verify.admission.numbers import parse_duration


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", Fraction(1, 2)),
        ("2", Fraction(2)),
        (2, Fraction(2)),
        (0.5, Fraction(1, 2)),
        ("1.5", Fraction(3, 2)),
        ("4Gi", Fraction(4 * 2**30)),
        ("512Mi", Fraction(512 * 2**20)),
        ("1Ki", Fraction(1024)),
        ("1Ti", Fraction(2**40)),
        ("1k", Fraction(1000)),
        ("1K", Fraction(1000)),
        ("2M", Fraction(2 * 10**6)),
        ("1G", Fraction(10**9)),
        ("1e3", Fraction(1000)),
        ("1.5E2", Fraction(150)),
        ("100u", Fraction(1, 10**4)),
        (" 4Gi ", Fraction(4 * 2**30)),
    ],
)
def test_quantity(text: object, value: Fraction) -> None:
    assert quantity(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1Gb", "--1", None, True])
def test_quantity_unreadable(text: object) -> None:
    assert quantity(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500m", Fraction(1, 2)),
        ("1Gi", Fraction(2**30)),
        ("1k", Fraction(1000)),
        ("-1.5", Fraction(-3, 2)),
        (".5", Fraction(1, 2)),
        ("3n", Fraction(3, 10**9)),
        ("1E", Fraction(10**18)),
        ("2Ei", Fraction(2 * 2**60)),  # a binary suffix, not an exponent
        ("2e-3", Fraction(2, 1000)),
        ("1e999999", Fraction(10) ** 999_999),
        ("0.1000000000000000000000000000001", Fraction("0.1000000000000000000000000000001")),
    ],
)
def test_parse_quantity_reads_kubernetes_grammar_exactly(text: str, value: Fraction) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["1K", " 1k", "1k ", "1Gb", "1e", "e3", "", "1e1000000", "1e-1000000"])
def test_parse_quantity_refuses_what_kubernetes_does_not_write(text: str) -> None:
    """`K` and blanks are platform.yaml's way, not Kubernetes'; an exponent past any amount is no quantity."""
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("text", "nanoseconds"),
    [
        ("0", 0),
        ("10s", 10 * 10**9),
        ("1h30m", 5400 * 10**9),
        ("1.5s", 1_500_000_000),
        ("-2ms", -2 * 10**6),
        ("3µs", 3000),
    ],
)
def test_parse_duration_in_nanoseconds(text: str, nanoseconds: int) -> None:
    assert parse_duration(text) == nanoseconds


@pytest.mark.parametrize("text", ["", "10", "1d", ".s", "+"])
def test_parse_duration_refuses_what_go_does_not_read(text: str) -> None:
    assert parse_duration(text) is None
