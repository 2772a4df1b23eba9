"""Where an umbrella chart's values live, and that Helm renders the same objects wherever they do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from generator.emit import RenderedTree
from generator.load.dump import dump_yaml
from generator.model import Platform
from generator.verify.helm import render_chart

OBJECTS_KEY = "_platformc"
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


def _objects(chart: Path, app: str, namespace: str) -> list[str]:
    result = render_chart(
        chart, release=app, namespace=namespace, value_files=[chart / "values.yaml"], kube_version="1.31"
    )
    assert result.errors == ()
    return sorted(json.dumps(obj, sort_keys=True) for _, obj in result.manifests)


def test_the_umbrella_values_hold_only_what_is_umbrella_level(
    prod: Platform, prod_tree: RenderedTree
) -> None:
    for app in _umbrellas(prod_tree):
        components = prod.applications[app].components
        charts = {name for name, c in components.items() if c.kind == "chart"}
        values = yaml.safe_load(prod_tree[f"apps/{app}/values.yaml"])
        assert set(values) <= charts | {OBJECTS_KEY}, app
        workloads = {name for name, c in components.items() if c.kind == "workload" and c.enabled}
        carried = (values.get(OBJECTS_KEY) or {}).get("objects") or []
        assert not [o for o in carried if o["metadata"].get("labels", {}).get(COMPONENT_LABEL) in workloads]
        for name in workloads:
            own = yaml.safe_load(prod_tree[f"apps/{app}/charts/{name}/values.yaml"])
            assert own["name"] == name
            assert own["labels"][COMPONENT_LABEL] == name


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
