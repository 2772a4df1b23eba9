"""Helm's own render time for one umbrella chart, through helm_python.

`prepare_chart` copies a rendered umbrella chart and drops the upstream
dependencies that are not vendored under `charts/` (fetching them needs the
network, and their render cost is not platformc's). Run as a script, it loads
and renders the prepared chart in this fresh process and prints JSON:

    python bench/helm_render.py CHART_DIR --name APP --namespace NS [--manifests OUT]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

_DOCUMENT_SPLIT = re.compile(r"^---\s*$", re.MULTILINE)
_KIND = re.compile(r"^kind:\s*\S", re.MULTILINE)


def prepare_chart(source: Path, destination: Path) -> tuple[int, int]:
    """Copy `source` to `destination` without unvendored dependencies; (kept, dropped)."""
    shutil.copytree(source, destination)
    chart_file = destination / "Chart.yaml"
    yaml = YAML(typ="safe", pure=True)
    metadata: dict[str, Any] = yaml.load(chart_file.read_text(encoding="utf-8")) or {}
    dependencies = metadata.get("dependencies") or []
    kept = [dependency for dependency in dependencies if _vendored(destination, dependency)]
    if len(kept) != len(dependencies):
        if kept:
            metadata["dependencies"] = kept
        else:
            metadata.pop("dependencies", None)
        out = io.StringIO()
        yaml.default_flow_style = False
        yaml.dump(metadata, out)
        chart_file.write_text(out.getvalue(), encoding="utf-8")
        # A lock file for the full list would no longer match Chart.yaml.
        (destination / "Chart.lock").unlink(missing_ok=True)
    return len(kept), len(dependencies) - len(kept)


def _vendored(chart: Path, dependency: dict[str, Any]) -> bool:
    repository = str(dependency.get("repository") or "")
    if repository.startswith("file://"):
        return (chart / repository.removeprefix("file://")).exists()
    name = str(dependency.get("name") or "")
    charts = chart / "charts"
    return (charts / name).is_dir() or any(charts.glob(f"{name}-*.tgz"))


def count_objects(manifests: dict[str, str]) -> int:
    return sum(
        1
        for path, text in manifests.items()
        if not path.endswith(".txt")
        for document in _DOCUMENT_SPLIT.split(text)
        if _KIND.search(document)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load and render one chart with helm_python; print JSON.")
    parser.add_argument("chart", type=Path)
    parser.add_argument("--name", required=True, help="release name")
    parser.add_argument("--namespace", required=True)
    parser.add_argument("--manifests", type=Path, help="write the rendered objects here, one YAML stream")
    args = parser.parse_args(argv)
    try:
        import helm_python as helm
    except ImportError as e:
        print(json.dumps({"status": "not available", "detail": f"helm_python: {e}"}))
        return 0
    try:
        start = time.perf_counter()
        with helm.Chart.load(args.chart) as chart:
            loaded = time.perf_counter()
            manifests = chart.render(name=args.name, namespace=args.namespace)
            rendered = time.perf_counter()
    except helm.HelmError as e:
        print(json.dumps({"status": "error", "detail": f"{type(e).__name__}: {e}"[:400]}))
        return 1
    if args.manifests is not None:
        texts = [text for path, text in sorted(manifests.items()) if not path.endswith(".txt")]
        args.manifests.write_text("\n---\n".join(texts), encoding="utf-8")
    result = {
        "status": "ok",
        "load_s": loaded - start,
        "render_s": rendered - loaded,
        "templates": len(manifests),
        "objects": count_objects(manifests),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
