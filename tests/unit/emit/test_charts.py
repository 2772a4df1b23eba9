"""Where an umbrella chart's values and objects live; Helm renders the same objects wherever values do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.emit import RenderedTree
from generator.emit.charts import object_file
from generator.emit.tree import HEADER
from generator.emit.yamldump import dump_yaml
from generator.model import Platform
from generator.verify.helm import render_chart

COMPONENT_LABEL = "platform.254carbon.com/component"


def _umbrellas(tree: RenderedTree) -> list[str]:
    return sorted({path.split("/")[1] for path in tree if path.startswith("apps/")})


def _write(tree: RenderedTree, root: Path, prefix: str) -> Path:
    for path in tree:
        if path.startswith(prefix):
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tree[path])
    return root / prefix


def _hoist(chart: Path, into: Path) -> Path:
    """The same chart laid out the old way: every subchart's values under its name in the umbrella's."""
    shutil.copytree(chart, into)
    values: dict[str, Any] = yaml.safe_load((into / "values.yaml").read_text()) or {}
    for own in sorted((into / "charts").glob("*/values.yaml")):
        values[own.parent.name] = yaml.safe_load(own.read_text())
        own.unlink()
    (into / "values.yaml").write_text(dump_yaml(values), encoding="utf-8")
    return into


def _carried(tree: RenderedTree, chart: str) -> list[dict[str, Any]]:
    """The objects the chart at `chart` (e.g. `apps/monitoring`) carries as files, in path order."""
    return [yaml.safe_load(tree[p]) for p in tree if p.startswith(f"{chart}/objects/")]


def _render(chart: Path, app: str, namespace: str) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The objects, and Helm's errors (an upstream chart may refuse the platform's values: alike)."""
    result = render_chart(
        chart, release=app, namespace=namespace, value_files=[chart / "values.yaml"], kube_version="1.31"
    )
    errors = [error.replace(str(chart.parent.parent), "") for error in result.errors]
    return list(result.manifests), errors


# Upstream charts that make their own webhook certificates (Helm's genCA) make new ones at every render
_GENERATED = {"caBundle", "ca.crt", "tls.crt", "tls.key"}


def _same_every_render(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: "<generated>" if k in _GENERATED else _same_every_render(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_same_every_render(item) for item in node]
    return node


def _objects(chart: Path, app: str, namespace: str) -> list[str]:
    manifests, errors = _render(chart, app, namespace)
    objects = (_same_every_render(obj) for _, obj in manifests)
    return sorted(json.dumps(obj, sort_keys=True) for obj in objects) + errors


def test_the_umbrella_values_hold_only_what_is_umbrella_level(
    prod: Platform, prod_tree: RenderedTree
) -> None:
    for app in _umbrellas(prod_tree):
        components = prod.applications[app].components
        charts = {name for name, c in components.items() if c.kind == "chart"}
        values = yaml.safe_load(prod_tree[f"apps/{app}/values.yaml"])
        assert set(values) <= charts, app
        workloads = {name for name, c in components.items() if c.kind == "workload" and c.enabled}
        carried = _carried(prod_tree, f"apps/{app}")
        assert not [o for o in carried if o["metadata"].get("labels", {}).get(COMPONENT_LABEL) in workloads]
        for name in workloads:
            own = yaml.safe_load(prod_tree[f"apps/{app}/charts/{name}/values.yaml"])
            assert own["name"] == name
            assert own["labels"][COMPONENT_LABEL] == name


@pytest.mark.slow  # every umbrella chart rendered twice by Helm: ~9 s
def test_helm_renders_the_same_objects_wherever_the_values_live(
    prod_tree: RenderedTree, tmp_path: Path
) -> None:
    rendered = 0
    for app in _umbrellas(prod_tree):
        chart = _write(prod_tree, tmp_path / "rendered", f"apps/{app}")
        namespace = yaml.safe_load(prod_tree[f"argocd/{app}.yaml"])["spec"]["destination"]["namespace"]
        objects = _objects(chart, app, namespace)
        assert _objects(_hoist(chart, tmp_path / "hoisted" / app), app, namespace) == objects, app
        rendered += len(objects)
    assert rendered > 100


def test_carried_objects_are_files_named_after_the_object(prod_tree: RenderedTree) -> None:
    carried = [p for p in prod_tree if "/objects/" in p]
    assert len(carried) > 20
    for path in carried:
        chart, name = path.split("/objects/")
        assert chart.count("/") in (1, 3) and "/" not in name, path  # apps/<app> or apps/<app>/charts/<c>
        obj = yaml.safe_load(prod_tree[path])
        assert name == object_file(obj)
        assert prod_tree[path] == (HEADER + dump_yaml(obj)).encode()
    assert not [p for p in prod_tree if p.endswith("values.yaml") and b"_platformc" in prod_tree[p]]


def test_helm_writes_every_carried_object_as_emitted(prod_tree: RenderedTree, tmp_path: Path) -> None:
    """Through `.Files.Get`, unevaluated: Prometheus `{{ $labels.pod }}` reaches the cluster as written."""
    checked = 0
    for app in ("monitoring", "data-platform"):
        chart = _write(prod_tree, tmp_path, f"apps/{app}")
        namespace = yaml.safe_load(prod_tree[f"argocd/{app}.yaml"])["spec"]["destination"]["namespace"]
        rendered, errors = _render(chart, app, namespace)
        assert errors == [], app
        subcharts = sorted({p.split("/")[3] for p in prod_tree if p.startswith(f"apps/{app}/charts/")})
        for source, prefix in [
            ("objects.yaml", f"apps/{app}"),
            *((c, f"apps/{app}/charts/{c}") for c in subcharts),
        ]:
            carried = _carried(prod_tree, prefix)
            template = f"templates/{source}" if source == "objects.yaml" else f"charts/{source}/templates/"
            written = [obj for path, obj in rendered if template in path]
            # A workload's carried objects come after those the library makes from its values.
            assert written[len(written) - len(carried) :] == carried, prefix
            checked += len(carried)
    assert checked > 10
    rule = next(o for o in _carried(prod_tree, "apps/monitoring") if o["kind"] == "PrometheusRule")
    summaries = [r["annotations"]["summary"] for r in rule["spec"]["groups"][0]["rules"]]
    assert "Pod {{ $labels.pod }} is crash looping ({{ $value }} restarts in 15m)" in summaries
