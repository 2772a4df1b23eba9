from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.emit import RenderedTree, emit_platform
from generator.model import Platform, build_platform
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


Grow = Callable[[Platform, dict[str, int]], Platform]


@pytest.fixture(scope="module")
def grow() -> Grow:
    """`grow(platform, sizes)`: see `grown`."""
    return grown


def grown(platform: Platform, sizes: dict[str, int]) -> Platform:
    """`platform` with an application of `size` workloads, in its own enforced namespace, per name.

    Each workload serves HTTP with a readiness probe and calls the one before it, so
    that dashboards, network policies and references grow with it as in a real one.
    """
    doc = copy.deepcopy(platform.doc)
    spec = doc.data["spec"]
    for app, size in sizes.items():
        spec["namespaces"][app] = {"networkPolicy": "enforce"}
        components: dict[str, Any] = {}
        for index in range(size):
            name = f"{app[:40]}-service-{index:04d}"
            component: dict[str, Any] = {
                "image": f"harbor.254carbon.com/library/{app}:1.0.{index}",
                "ports": {"http": 8080},
                "security": {"runAsUser": 1000},
                "probes": {"readiness": {"http": "/healthz", "port": "http"}},
            }
            if index:
                component["env"] = {"UPSTREAM": f"http://${{ref:{app[:40]}-service-{index - 1:04d}.http}}"}
            components[name] = component
        spec["applications"][app] = {"namespace": app, "components": components}
    # the same upstream charts, vendored alike
    return build_platform(doc, platform.env, today=platform.today, vendored=platform.vendored)
