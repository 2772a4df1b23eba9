"""The rendered tree is the same bytes on every machine: hash seed, working directory, locale,
time zone and file-system order make no difference."""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_kit.determinism import COMBINED, MATRIX, Variant, run_variants
from reliability_kit.repo import snapshot


def _assert_identical(variants: tuple[Variant, ...], baseline: Path, work: Path) -> None:
    expected = snapshot(baseline / "rendered")
    assert len(expected) > 100
    differences = {}
    for result in run_variants(variants, work):
        assert result.code == 0, f"{result.variant.label}:\n{result.output[-2000:]}"
        if result.difference(expected):
            differences[result.variant.label] = result.difference(expected)
    assert differences == {}


@pytest.mark.slow
def test_renders_are_byte_identical_across_machine_differences(
    reference_render: Path, tmp_path: Path
) -> None:
    _assert_identical(COMBINED, reference_render, tmp_path)


@pytest.mark.slow
def test_each_machine_difference_alone(reference_render: Path, tmp_path: Path) -> None:
    _assert_identical(MATRIX, reference_render, tmp_path)
