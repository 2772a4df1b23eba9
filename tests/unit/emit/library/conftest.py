"""The umbrella chart every library chart test reads, built and rendered once per test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.emit.library.umbrella import (
    OBJECTS,
    VALUES,
    WORKLOADS,
    Manifests,
    build_umbrella,
    helm_documents,
    render,
)


@pytest.fixture(scope="module")
def umbrella(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_umbrella(tmp_path_factory.mktemp("umbrella"), WORKLOADS, objects=OBJECTS)


@pytest.fixture(scope="module")
def rendered(umbrella: Path) -> dict[str, str]:
    return render(umbrella, VALUES)


@pytest.fixture(scope="module")
def manifests(rendered: dict[str, str]) -> Manifests:
    out: Manifests = {}
    for document in helm_documents(rendered):
        key = (document["kind"], document["metadata"]["name"])
        assert key not in out, f"{key} rendered twice"
        out[key] = document
    return out
