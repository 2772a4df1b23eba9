"""At scale, every rendered file stays within what Helm reads and every object within what the API accepts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from generator.emit import RenderedTree, emit_platform
from generator.model import Platform

HELM_FILE_MAX = 5 * 1024 * 1024  # Helm refuses to load a chart with a larger file
CHART_FILE_BOUND = 1024 * 1024  # what no file of a chart comes near unless something grows with the platform
CONFIGMAP_MAX = 1024 * 1024  # the API server refuses a larger ConfigMap
APPLY_MAX = 200 * 1024  # client-side apply copies the object into an annotation of at most 256 KiB


@pytest.fixture(scope="module")
def large(prod: Platform, grow: Callable[[Platform, dict[str, int]], Platform]) -> RenderedTree:
    """The reference platform and 1,500 more components, with a dashboard for each."""
    return emit_platform(grow(prod, {f"team-{i:02d}": 50 for i in range(30)}))


def _carried(tree: RenderedTree) -> dict[str, Any]:
    """The objects carried as data by a chart, and the Grafana ConfigMaps beside the charts."""
    return {
        p: yaml.load(tree[p], Loader=yaml.CSafeLoader)
        for p in tree
        if "/objects/" in p or p.startswith("dashboards/")
    }


def _chart_bytes(tree: RenderedTree, app: str) -> int:
    return sum(len(tree[p]) for p in tree if p.startswith(f"apps/{app}/"))


def test_every_file_is_one_helm_reads(large: RenderedTree) -> None:
    assert max(len(content) for content in large.values()) < HELM_FILE_MAX
    assert max(len(large[p]) for p in large if p.startswith("apps/")) < CHART_FILE_BOUND


def test_the_monitoring_chart_does_not_grow_with_the_dashboards(
    prod_tree: RenderedTree, large: RenderedTree
) -> None:
    # The dashboards of 1,500 more components: more than Helm would take in one file, and in no chart.
    assert sum(len(large[p]) for p in large if p.startswith("dashboards/")) > HELM_FILE_MAX
    assert _chart_bytes(large, "monitoring") == _chart_bytes(prod_tree, "monitoring")


def test_every_carried_config_map_is_one_the_api_server_stores(large: RenderedTree) -> None:
    config_maps = [o for o in _carried(large).values() if o["kind"] == "ConfigMap"]
    assert len(config_maps) > 60  # two pages of dashboard for each new application
    for cm in config_maps:
        size = len(json.dumps(cm))
        assert size < CONFIGMAP_MAX and size < APPLY_MAX, cm["metadata"]["name"]
