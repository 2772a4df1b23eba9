"""Upstream charts an umbrella declares but does not carry under charts/.

`helm template` refuses a chart with a dependency that is not there, so verify
renders a copy with those dependencies removed and names each one as PC805
(not verified): `platformc vendor` puts them under charts/.
"""

from __future__ import annotations

import json
import shutil
import tarfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.findings import Finding, Severity
from generator.verify.manifests import parse_manifests


@dataclass(frozen=True)
class Dependency:
    name: str
    version: str
    repository: str


def prune_missing_dependencies(chart_dir: Path, scratch: Path) -> tuple[Path, tuple[Dependency, ...]]:
    """The chart to render (a copy under `scratch` if any dependency had to go) and the ones dropped."""
    metadata = _chart_metadata(chart_dir / "Chart.yaml")
    if not isinstance(metadata.get("dependencies"), list):
        return chart_dir, ()
    declared: list[Any] = metadata["dependencies"]
    vendored = _vendored_chart_names(chart_dir / "charts")
    missing = [dep for dep in declared if isinstance(dep, dict) and str(dep.get("name")) not in vendored]
    if not missing:
        return chart_dir, ()
    copy = scratch / chart_dir.name
    shutil.copytree(chart_dir, copy, symlinks=True)
    metadata["dependencies"] = [dep for dep in declared if dep not in missing]
    if not metadata["dependencies"]:
        del metadata["dependencies"]
    # JSON is YAML, and needs no dumper
    (copy / "Chart.yaml").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    (copy / "Chart.lock").unlink(missing_ok=True)
    dropped = tuple(
        Dependency(str(dep.get("name")), str(dep.get("version", "")), str(dep.get("repository", "")))
        for dep in missing
    )
    return copy, dropped


def missing_dependency_findings(chart_file: str, dropped: Sequence[Dependency]) -> list[Finding]:
    """PC805 for each upstream chart left out of rendering; `chart_file` is the umbrella's Chart.yaml."""
    return [
        Finding(
            "PC805",
            Severity.WARNING,
            f"not verified: chart {dep.name} {dep.version} is not vendored"
            f"{f' (from {dep.repository})' if dep.repository else ''}; "
            "vendor it with `platformc vendor` and render again, and verify renders it fully",
            chart_file,
            1,
            1,
            f"dependencies.{dep.name}",
        )
        for dep in dropped
    ]


def _vendored_chart_names(charts: Path) -> set[str]:
    # Helm matches a dependency to the *chart name* of what is under charts/, dirs and archives alike
    names: set[str] = set()
    if not charts.is_dir():
        return names
    for entry in charts.iterdir():
        if entry.is_dir() and (entry / "Chart.yaml").is_file():
            names.add(str(_chart_metadata(entry / "Chart.yaml").get("name", entry.name)))
        elif entry.name.endswith(".tgz"):
            names.update(_archived_chart_names(entry))
    return names


def _archived_chart_names(archive: Path) -> Iterator[str]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:  # the top-level Chart.yaml names the chart: read no further
                parts = member.name.split("/")
                if len(parts) == 2 and parts[1] == "Chart.yaml" and (stream := tar.extractfile(member)):
                    yield str(_chart_metadata(stream.read().decode("utf-8")).get("name"))
                    return
    except (OSError, tarfile.TarError, UnicodeDecodeError, ValueError):
        return


def _chart_metadata(source: Path | str) -> dict[str, Any]:
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    documents = parse_manifests(text)
    return documents[0] if documents and isinstance(documents[0], dict) else {}
