from __future__ import annotations

from pathlib import Path

import pytest

from generator.emit import RenderedTree, emit_platform
from generator.model import Platform
from generator.pipeline import analyse

REPO = Path(__file__).resolve().parents[3]


def reference_platform(env: str, root: Path = REPO) -> Platform:
    (result,) = analyse(root, [env])
    assert result.platform is not None, result.findings
    return result.platform


@pytest.fixture(scope="module")
def prod() -> Platform:
    return reference_platform("prod")


@pytest.fixture(scope="module")
def prod_tree(prod: Platform) -> RenderedTree:
    return emit_platform(prod)
