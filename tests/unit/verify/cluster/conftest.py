"""The `env` fixture: an empty environment for the cluster stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.verify.cluster.cluster_env import Env


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return Env(tmp_path)
