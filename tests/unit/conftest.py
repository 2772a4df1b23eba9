"""Shared by the unit tests: a small platform that uses every authoring feature (secrets inside strings,
component templates, placement by labels), analysed in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.model import Platform
from generator.pipeline import EnvResult, analyse

LANGUAGE_PLATFORM = """\
apiVersion: platform.254carbon.com/v1alpha1
kind: Platform
metadata:
  name: acme
spec:
  kubernetesVersion: "1.31.0"
  domain: acme.example
  gitops:
    repoURL: https://github.com/acme/platform.git
    targetRevision: main
    path: rendered
    argocd: {namespace: argocd, project: acme}
  registries: [docker.io]
  cluster:
    nodes:
      - {name: node-1, cpu: 8, memory: 32Gi, labels: {disktype: ssd}}
      - {name: node-2, cpu: 8, memory: 32Gi, labels: {disktype: ssd}}
      - name: node-3
        cpu: 8
        memory: 32Gi
        labels: {pool: analytics}
        taints: [{key: dedicated, value: analytics, effect: NoSchedule}]
  secrets:
    store:
      kind: ClusterSecretStore
      name: vault
      vault:
        server: https://vault.acme.example
        path: secret
        version: v2
        auth: {kubernetes: {mountPath: kubernetes, role: external-secrets}}
    items:
      shop-db: {namespace: shop, path: shop/db, keys: [username, password]}
  templates:
    web:
      ports: {http: 3000}
      probes:
        readiness: {http: /, port: http}
      resources:
        requests: {cpu: 100m, memory: 128Mi}
        limits: {memory: 256Mi}
    public:
      extends: web
      ingress: {host: shop, port: http}
  namespaces:
    argocd: {}
    external-secrets: {}
    shop: {}
  applications:
    external-secrets:
      namespace: external-secrets
      components:
        external-secrets:
          chart: {repository: https://charts.external-secrets.io, name: external-secrets, version: 0.10.4}
    shop:
      namespace: shop
      components:
        db:
          type: statefulset
          image: docker.io/library/postgres:16.4
          ports: {postgres: 5432}
          env:
            POSTGRES_PASSWORD: {secret: shop-db, key: password}
          security: {runAsUser: 999}
          placement:
            nodeSelector: {pool: analytics}
            tolerations: [{key: dedicated, value: analytics, effect: NoSchedule}]
        api:
          extends: [public]
          image: docker.io/postgrest/postgrest:v12.2.3
          replicas: 2
          resources:
            limits: {memory: 300Mi}
          env:
            PGRST_DB_URI: "postgresql://${secret:shop-db.username}:${secret:shop-db.password}@${ref:db.postgres}/shop"
            PGRST_DB_ANON_ROLE: "${secret:shop-db.username}"
          files:
            /etc/postgrest/jwt.conf: |
              user = ${secret:shop-db.username}
              secret = ${secret:shop-db.password}
              motd = {{ not a template }}
            /etc/postgrest/plain.conf: "log-level = info\\n"
          placement: {nodeSelector: {disktype: ssd}, spreadAcross: zone, avoid: [db]}
"""


def analysed(root: Path, text: str = LANGUAGE_PLATFORM, overlay: str = "{}\n") -> EnvResult:
    (root / "platform.yaml").write_text(text)
    (root / "overlays").mkdir(exist_ok=True)
    (root / "overlays" / "dev.yaml").write_text(overlay)
    (result,) = analyse(root, ["dev"])
    return result


def language_platform(root: Path, text: str = LANGUAGE_PLATFORM, overlay: str = "{}\n") -> Platform:
    result = analysed(root, text, overlay)
    assert result.platform is not None and not [f for f in result.findings if f.is_error], result.findings
    return result.platform


Analysed = Callable[..., EnvResult]
Built = Callable[..., Platform]


@pytest.fixture
def language_result(tmp_path: Path) -> Analysed:
    """`language_result(text=LANGUAGE_PLATFORM, overlay="{}")`: the analysed dev environment."""
    return lambda text=LANGUAGE_PLATFORM, overlay="{}\n": analysed(tmp_path, text, overlay)


@pytest.fixture
def language(tmp_path: Path) -> Built:
    """`language(text=LANGUAGE_PLATFORM, overlay="{}")`: the dev environment's model, without errors."""
    return lambda text=LANGUAGE_PLATFORM, overlay="{}\n": language_platform(tmp_path, text, overlay)


@pytest.fixture
def language_text() -> str:
    """The text of that platform, for a test that changes one thing in it."""
    return LANGUAGE_PLATFORM
