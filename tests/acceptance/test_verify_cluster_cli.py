"""`verify` runs the cluster stage on each environment and points its findings at platform.yaml."""

from __future__ import annotations

import json
from pathlib import Path

from tests.acceptance.conftest import run_in_process as run

PLATFORM = """\
apiVersion: platform.254carbon.com/v1alpha1
kind: Platform
metadata:
  name: demo
spec:
  kubernetesVersion: "1.31.0"
  domain: example.com
  gitops:
    repoURL: https://github.com/example/platform.git
    targetRevision: main
    path: rendered
    argocd: {namespace: argocd, project: platform}
  registries: [docker.io]
  cluster:
    nodes:
      - {name: node1, cpu: 16, memory: 64Gi}
    loadBalancer: {provider: none}
  namespaces:
    data: {}
  applications:
    data:
      namespace: data
      components:
        redis:
          image: docker.io/bitnami/redis:7.2.5
          ports: {redis: 6379}
          security: {runAsUser: 1001}
        api:
          image: docker.io/example/api:1.0.0
          ports: {http: 8080}
          env:
            REDIS_ADDR: "${ref:redis.redis}"
            ORDERS_URL: "%s"
          dependsOn: [redis]
"""


def platform(tmp_path: Path, orders_url: str) -> Path:
    root = tmp_path / "demo"
    (root / "overlays").mkdir(parents=True)
    (root / "platform.yaml").write_text(PLATFORM % orders_url, encoding="utf-8")
    (root / "overlays" / "dev.yaml").write_text("spec: {}\n", encoding="utf-8")
    code, output = run("render", "--root", str(root))
    assert code == 0, output
    return root


def cluster_findings(root: Path) -> list[dict[str, object]]:
    code, output = run("verify", "--root", str(root), "--format", "json")
    findings = json.loads(output)["findings"]
    assert code == (1 if any(f["severity"] == "error" for f in findings) else 0), output
    return [f for f in findings if str(f["rule"]).startswith("PC82")]


def test_address_of_a_missing_service_is_reported_at_the_component(
    tmp_path: Path, verify_cache: Path
) -> None:
    root = platform(tmp_path, "http://orders.data.svc.cluster.local:8080")
    [found] = cluster_findings(root)
    assert found["rule"] == "PC822" and found["file"] == "platform.yaml"
    assert found["line"] == PLATFORM.splitlines().index("        api:") + 1
    assert "Service orders in namespace data" in str(found["message"])
    # from the cache the objects are the same, and so is the finding
    assert cluster_findings(root) == [found]


def test_address_of_a_declared_service_passes(tmp_path: Path, verify_cache: Path) -> None:
    root = platform(tmp_path, "http://${ref:redis.redis}")
    assert cluster_findings(root) == []
