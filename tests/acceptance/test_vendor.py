"""Air-gapped mode end to end: vendor from a loopback chart repository, render, verify without network."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.commands.vendor import vendor
from generator.options import Options
from tests.acceptance.conftest import run_in_process as run

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Values.fullnameOverride | default .Release.Name }}-settings
data:
  color: blue
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-beta
spec:
  replicas: REPLICAS
  selector:
    matchLabels: {app: beta}
  template:
    metadata:
      labels: {app: beta}
    spec:
      containers:
        - name: beta
          image: docker.io/library/nginx:1.27.0
"""
APP = "rendered/dev/apps/web"


def run_vendor(root: Path, capsys: pytest.CaptureFixture[str], *envs: str) -> tuple[int, str]:
    code = vendor(Options(root=root, envs=envs))
    return code, capsys.readouterr().out


def publish(repository: Any, replicas: str = "2") -> dict[str, bytes]:
    alpha = repository.publish("alpha", "1.2.3", {"settings.yaml": CONFIGMAP})
    beta = repository.publish("beta", "0.4.0", {"deployment.yaml": DEPLOYMENT.replace("REPLICAS", replicas)})
    return {"alpha-1.2.3.tgz": alpha.read_bytes(), "beta-0.4.0.tgz": beta.read_bytes()}


def verify_findings(root: Path) -> tuple[int, list[dict[str, Any]]]:
    code, output = run("verify", "--root", str(root), "--env", "dev", "--format", "json")
    return code, json.loads(output)["findings"]


def test_vendored_charts_are_rendered_into_the_umbrella_and_verified_fully(
    chart_repository: Any, chart_platform: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    archives = publish(chart_repository)
    root = chart_platform(chart_repository.url)

    code, output = run_vendor(root, capsys)
    assert code == 0, output
    assert f"vendored alpha 1.2.3 from {chart_repository.url} into vendor/charts/alpha-1.2.3.tgz" in output
    assert "wrote vendor/charts.lock.yaml" in output
    assert sorted(chart_repository.requests) == ["/alpha-1.2.3.tgz", "/beta-0.4.0.tgz", "/index.yaml"]

    chart_repository.requests.clear()
    code, output = run_vendor(root, capsys)
    assert code == 0, output
    assert "2 charts already vendored" in output
    assert chart_repository.requests == []

    code, output = run("render", "--root", str(root))
    assert code == 0, output
    for env in ("dev", "prod"):
        charts = root / "rendered" / env / "apps" / "web" / "charts"
        assert {name: (charts / name).read_bytes() for name in archives} == archives

    code, findings = verify_findings(root)
    assert code == 0, findings
    assert [f for f in findings if f["rule"] == "PC805"] == []
    assert chart_repository.requests == []  # verify needed no network


def test_an_invalid_object_in_a_vendored_chart_is_reported(
    chart_repository: Any, chart_platform: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    publish(chart_repository, replicas='"two"')
    root = chart_platform(chart_repository.url)
    assert run_vendor(root, capsys)[0] == 0
    assert run("render", "--root", str(root), "--env", "dev")[0] == 0

    code, findings = verify_findings(root)
    assert code == 1
    (finding,) = [f for f in findings if f["rule"] == "PC801"]
    assert finding["file"] == f"{APP}/charts/beta/templates/deployment.yaml"
    assert finding["path"] == "Deployment/web-beta:spec.replicas"


def test_without_vendoring_the_upstream_charts_stay_unverified(
    chart_repository: Any, chart_platform: Callable[[str], Path]
) -> None:
    publish(chart_repository, replicas='"two"')
    root = chart_platform(chart_repository.url)
    assert run("render", "--root", str(root), "--env", "dev")[0] == 0
    assert not (root / APP / "charts" / "beta-0.4.0.tgz").exists()

    code, findings = verify_findings(root)
    assert code == 0  # the broken Deployment was never rendered: that is what PC805 warns about
    # One per chart, at its component's `chart:` line in platform.yaml, not on the rendered files.
    assert sorted((f["rule"], f["severity"], f["file"], f["line"], f["column"]) for f in findings) == [
        ("PC805", "warning", "platform.yaml", 40, 11),
        ("PC805", "warning", "platform.yaml", 45, 11),
    ]
    assert findings[0]["message"] == (
        "alpha: chart alpha 1.2.3 is not vendored, so verify could not render it; "
        "run `platformc vendor` and render again"
    )


def test_a_chart_not_vendored_is_reported_once_for_all_its_environments(
    chart_repository: Any, chart_platform: Callable[[str], Path]
) -> None:
    publish(chart_repository)
    root = chart_platform(chart_repository.url)
    assert run("render", "--root", str(root))[0] == 0
    code, output = run("verify", "--root", str(root))
    assert code == 0
    lines = [line for line in output.splitlines() if "PC805" in line]
    assert lines == [
        "platform.yaml:40:11: PC805 warning: alpha: chart alpha 1.2.3 is not vendored, so verify could not "
        "render it; run `platformc vendor` and render again [dev,prod]",
        "platform.yaml:45:11: PC805 warning: beta: chart beta 0.4.0 is not vendored, so verify could not "
        "render it; run `platformc vendor` and render again [dev,prod]",
    ]


def test_vendoring_without_rendering_is_drift(
    chart_repository: Any, chart_platform: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    publish(chart_repository)
    root = chart_platform(chart_repository.url)
    assert run("render", "--root", str(root))[0] == 0
    assert run_vendor(root, capsys)[0] == 0
    code, output = run("check", "--root", str(root), "--no-verify")
    assert code == 1
    assert f"{APP}/charts/alpha-1.2.3.tgz: missing (render would create it)" in output


def test_a_digest_mismatch_fails_the_run(
    chart_repository: Any, chart_platform: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    publish(chart_repository)
    chart_repository.set_digest("alpha", "0" * 64)
    root = chart_platform(chart_repository.url)
    code, output = run_vendor(root, capsys, "dev")
    assert code == 1
    assert (
        f"PC809 error: cannot vendor chart alpha 1.2.3 from {chart_repository.url}: digest mismatch" in output
    )
    assert "nothing was written to vendor/" in output
    assert not (root / "vendor").exists()


def test_an_unreachable_repository_fails_the_run(
    chart_platform: Callable[[str], Path], closed_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    repository = f"http://127.0.0.1:{closed_port}/charts"
    root = chart_platform(repository)
    code, output = run_vendor(root, capsys, "dev")
    assert code == 1
    lines = [line for line in output.splitlines() if " PC809 " in line]
    assert len(lines) == 2
    assert all(f"from {repository}: cannot read its index" in line for line in lines)
    assert lines[0].startswith("platform.yaml:")
    assert output.rstrip().endswith("2 errors, 0 warnings")


def test_the_report_can_be_json(
    chart_platform: Callable[[str], Path], closed_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    root = chart_platform(f"http://127.0.0.1:{closed_port}")
    assert vendor(Options(root=root, fmt="json")) == 1
    report = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in report["findings"]] == ["PC809", "PC809"]
    assert report["findings"][0]["path"] == "spec.applications.web.components.alpha.chart.repository"


def test_the_report_names_archives_no_pin_needs_and_says_when_there_is_nothing_to_do(
    chart_repository: Any, chart_platform: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    publish(chart_repository)
    root = chart_platform(chart_repository.url)
    assert run_vendor(root, capsys)[0] == 0
    off = "spec:\n  applications:\n    web:\n      components:\n        alpha: {enabled: false}\n"
    (root / "overlays" / "dev.yaml").write_text(off + "        beta: {enabled: false}\n")
    (root / "overlays" / "prod.yaml").write_text(off)
    code, output = run_vendor(root, capsys)
    assert code == 0
    assert "vendor/charts/alpha-1.2.3.tgz: no enabled chart component pins it any more; delete it" in output
    assert "1 chart already vendored" in output
    (root / "overlays" / "prod.yaml").write_text(off + "        beta: {enabled: false}\n")
    code, output = run_vendor(root, capsys)
    assert code == 0
    assert "nothing to vendor: no enabled chart component pins an upstream chart" in output
    assert "charts: []" in (root / "vendor" / "charts.lock.yaml").read_text()
