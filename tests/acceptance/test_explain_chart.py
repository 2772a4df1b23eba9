"""`platformc explain` of a chart component: each value passed, where it was set, the chart's default."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.acceptance.conftest import run_in_process as run

CHARTS = Path(__file__).resolve().parents[2].parent / "shared" / "charts"


def vendor(root: Path, *archives: str) -> None:
    (root / "vendor" / "charts").mkdir(parents=True)
    for archive in archives:
        shutil.copy(CHARTS / archive, root / "vendor" / "charts" / archive)


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def row(output: str, path: str) -> str:
    return next(line for line in output.splitlines() if re.match(rf"^  {re.escape(path)}\s", line))


def test_each_value_with_its_origin_and_the_charts_default(platform_root: Path) -> None:
    vendor(platform_root, "vault-0.28.1.tgz")
    code, output = run("explain", "vault/vault", "--root", str(platform_root), "--env", "prod")
    assert code == 0, output
    assert "chart values (passed to vault 0.28.1, the chart's default beside each):" in output
    line = line_of(platform_root / "platform.yaml", "ha: {enabled: true, replicas: 3, raft:")
    assert row(output, "server.ha.raft.enabled").split() == [
        "server.ha.raft.enabled",
        "true",
        "default",
        "false",
    ] + [f"platform.yaml:{line}:64"]
    chart_line = line_of(platform_root / "platform.yaml", "name: vault, version: 0.28.1")
    assert row(output, "fullnameOverride").split()[1:] == [
        '"vault"',
        "no",
        "default",
        f"platform.yaml:{chart_line}:18",
        "(set",
        "by",
        "platformc)",
    ]


def test_a_value_an_overlay_sets_names_the_overlay(platform_root: Path) -> None:
    vendor(platform_root, "istiod-1.23.2.tgz")
    code, output = run("explain", "service-mesh/istiod", "--root", str(platform_root), "--env", "dev")
    assert code == 0, output
    line = line_of(platform_root / "overlays" / "dev.yaml", "autoscaleEnabled: false")
    assert row(output, "pilot.autoscaleEnabled").split()[1:] == [
        "false",
        "default",
        "true",
        f"overlays/dev.yaml:{line}:39",
    ]


def test_a_chart_not_vendored_has_no_defaults_to_show(platform_root: Path) -> None:
    code, output = run("explain", "vault/vault", "--root", str(platform_root), "--format", "json")
    assert code == 0, output
    chart = json.loads(output)["chartValues"]
    assert (chart["chart"], chart["vendored"]) == ("vault 0.28.1", False)
    assert all("default" not in value for value in chart["values"])
    assert {"path": "fullnameOverride", "setByPlatformc": True}.items() <= chart["values"][-1].items()


def test_a_workload_has_no_chart_values(platform_root: Path) -> None:
    code, output = run("explain", "storage/minio", "--root", str(platform_root))
    assert code == 0, output
    assert "chart values" not in output
