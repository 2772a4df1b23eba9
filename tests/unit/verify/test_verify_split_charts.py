"""The splitters against every real upstream chart in ../shared/charts, rendered by the Helm engine.

SOURCES.md's "render" column says how many objects each chart renders (release
`test`, namespace `default`), and with which values when its defaults fail.
Read as Helm reads it, every rendered template gives exactly that many objects.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.verify.manifests import parse_manifests, parse_rendered

# every chart of ../shared/charts rendered by the Helm engine: a conformance sweep, in make test-slow
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
_WITH_VALUES = re.compile(r"with `(\{.*\})`: (\d+) objects")
_DEFAULTS = re.compile(r"^defaults: (\d+) objects")
_CRD_FILES = re.compile(r"\(\+(\d+) crds/ files\)")


@dataclass(frozen=True)
class Expected:
    name: str
    version: str
    values: dict[str, Any]
    objects: int
    crd_files: int


def _charts_dir() -> Path | None:
    for parent in REPO.parents:
        if (parent / "shared" / "charts" / "index.yaml").is_file():
            return parent / "shared" / "charts"
    return None


def _expected(charts: Path | None) -> list[Expected]:
    """One row per chart of SOURCES.md's table: name, version, and the "render" column read."""
    if charts is None:
        return []
    rows: list[Expected] = []
    for line in (charts / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) < 12 or not re.match(r"^v?\d", cells[2]):
            continue
        render = cells[10]
        given = _WITH_VALUES.search(render)
        defaults = _DEFAULTS.search(render)
        crds = _CRD_FILES.search(render)
        values = json.loads(given.group(1)) if given else {}
        objects = int(given.group(2)) if given else int(defaults.group(1)) if defaults else -1
        rows.append(Expected(cells[1], cells[2], values, objects, int(crds.group(1)) if crds else 0))
    return rows


CHARTS = _charts_dir()
EXPECTED = _expected(CHARTS)


def _render(expected: Expected) -> tuple[dict[str, str], list[str]]:
    import helm_python

    assert CHARTS is not None
    with helm_python.Chart.load(CHARTS / f"{expected.name}-{expected.version}.tgz") as chart:
        # every crds/ file, subcharts' included: a render drops the disabled subcharts (and their CRDs)
        crds = [str(crd.get("data", "")) for crd in chart.crds]
        rendered = chart.render(expected.values, name="test", namespace="default")
    return rendered, crds


def _templates(rendered: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (path, text)
        for path, text in sorted(rendered.items())
        if not path.rsplit("/", 1)[-1].startswith("_") and not path.endswith("NOTES.txt")
    ]


def test_every_chart_of_the_shared_repository_is_in_the_table(shared_charts: Path) -> None:
    index = yaml.safe_load((shared_charts / "index.yaml").read_text(encoding="utf-8"))
    listed = {
        (name, str(entry["version"])) for name, entries in index["entries"].items() for entry in entries
    }
    assert listed == {(e.name, e.version) for e in EXPECTED}
    assert all(e.objects > 0 for e in EXPECTED), "a render column this test cannot read"


@pytest.mark.parametrize("expected", EXPECTED, ids=[f"{e.name}-{e.version}" for e in EXPECTED])
def test_every_rendered_template_reads_as_helm_reads_it(expected: Expected) -> None:
    rendered, crds = _render(expected)
    objects = [
        document
        for _, text in _templates(rendered)
        for document in parse_rendered(text)
        if isinstance(document, dict) and document
    ]
    assert len(objects) == expected.objects
    assert all(isinstance(obj.get("kind"), str) and obj.get("apiVersion") for obj in objects)
    assert len(crds) == expected.crd_files
    for text in crds:
        assert [d for d in parse_manifests(text) if isinstance(d, dict) and d.get("kind")]


def test_cert_manager_is_not_one_yaml_stream() -> None:
    """The neighbour: read as a plain YAML stream, cert-manager's RBAC template is refused."""
    (cert_manager,) = [e for e in EXPECTED if e.name == "cert-manager"]
    rendered, _ = _render(cert_manager)
    text = rendered["cert-manager/templates/rbac.yaml"]
    assert "\n---# " in text
    with pytest.raises(yaml.YAMLError):
        list(yaml.safe_load_all(text))
    assert len([d for d in parse_rendered(text) if d]) > 1
