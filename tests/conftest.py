"""Shared fixtures: the project's own platform, copied so tests never touch the repo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def platform_root(tmp_path: Path) -> Path:
    """A copy of the repository's platform.yaml and overlays (no rendered/)."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "platform.yaml", root / "platform.yaml")
    shutil.copytree(REPO / "overlays", root / "overlays")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
