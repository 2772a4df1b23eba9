"""An upstream chart that refuses its values fails at the component's chart: line, with Helm's message."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.explain.chart_failures import place_chart_failures, short_message
from generator.findings import Finding
from tests.acceptance.conftest import run_in_process as run

REPO = Path(__file__).resolve().parents[2]
LOKI = REPO.parent / "shared" / "charts" / "loki-6.16.0.tgz"

PLATFORM = """\
apiVersion: platform.254carbon.com/v1alpha1
kind: Platform
metadata:
  name: mini
spec:
  kubernetesVersion: "1.31.0"
  domain: mini.example.com
  gitops:
    repoURL: https://git.example.com/mini.git
    targetRevision: main
    path: rendered
    argocd: {namespace: argocd, project: mini}
  registries: [docker.io]
  namespaces:
    argocd: {}
    logs: {}
  applications:
    logs:
      namespace: logs
      components:
        loki:
          chart: {repository: https://grafana.github.io/helm-charts, name: loki, version: 6.16.0}
          values:
            deploymentMode: SingleBinary
            loki:
              auth_enabled: false
              commonConfig: {replication_factor: 1}
              storage: {type: filesystem}
SCHEMA            singleBinary: {replicas: 1}
            backend: {replicas: 0}
            read: {replicas: 0}
            write: {replicas: 0}
"""
SCHEMA = """\
              schemaConfig:
                configs:
                  - from: "2024-04-01"
                    store: tsdb
                    object_store: filesystem
                    schema: v13
                    index: {prefix: loki_index_, period: 24h}
"""
CHART_LINE = 22


def make(root: Path, *, schema: bool) -> Path:
    (root / "overlays").mkdir(parents=True)
    text = PLATFORM.replace("SCHEMA", SCHEMA if schema else "")
    (root / "platform.yaml").write_text(text, encoding="utf-8")
    assert text.splitlines()[CHART_LINE - 1].lstrip().startswith("chart: {")
    (root / "overlays" / "dev.yaml").write_text("spec: {}\n", encoding="utf-8")
    (root / "vendor" / "charts").mkdir(parents=True)
    shutil.copy(LOKI, root / "vendor" / "charts" / LOKI.name)
    return root


def test_a_loki_without_a_schema_config_fails_at_the_loki_chart_line(tmp_path: Path) -> None:
    root = make(tmp_path / "platform", schema=False)
    code, output = run("render", "--root", str(root))
    assert code == 0, output
    code, output = run("verify", "--root", str(root))
    assert code == 1, output
    failures = [line for line in output.splitlines() if " PC804 " in line]
    assert len(failures) == 1, output  # helm lint's copy of the same failure is folded in
    assert failures[0].startswith(
        f"platform.yaml:{CHART_LINE}:11: PC804 error: loki: chart loki 6.16.0 fails"
    )
    assert "You must provide a schema_config for Loki" in failures[0]


def test_a_loki_with_its_schema_config_renders(tmp_path: Path) -> None:
    root = make(tmp_path / "platform", schema=True)
    assert run("render", "--root", str(root))[0] == 0
    code, output = run("verify", "--root", str(root))
    assert " PC804 " not in output
    assert "error" not in output.splitlines()[-1].replace("0 errors", ""), output


def test_helm_tpl_errors_lose_the_template_source_they_quote() -> None:
    quoted = '"{{ x }}\\n\\"y\\""'
    message = f"error calling tpl: error during tpl function execution for {quoted}: template: gotpl:1: boom"
    expected = "error calling tpl: error during tpl function execution: template: gotpl:1: boom"
    assert short_message(message) == expected


def test_failures_of_other_charts_stay_where_they_are(tmp_path: Path) -> None:
    from generator.pipeline import analyse

    root = make(tmp_path / "platform", schema=True)
    [result] = analyse(root, ["dev"])
    assert result.platform is not None
    other = _error("helm template failed for logs: template: logs/charts/nope/templates/a.yaml")
    placed = place_chart_failures([other], result.platform)
    assert placed == [other]


def _error(message: str) -> Finding:
    from generator.findings import Severity

    return Finding("PC804", Severity.ERROR, message, "rendered/dev/apps/logs", 1, 1, "")
