"""What the authoring features emit: secrets inside strings, template defaults, placement by labels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from syrupy.assertion import SnapshotAssertion

from generator.emit import RenderedTree, emit_platform
from generator.emit.secret_files import template_text
from generator.model import Platform

Built = Callable[..., Platform]


def _load(text: str) -> Any:
    return yaml.safe_load(text)


@pytest.fixture
def tree(language: Built) -> RenderedTree:
    return emit_platform(language())


@pytest.mark.parametrize(
    "path",
    [
        "apps/shop/charts/api/values.yaml",
        "apps/shop/charts/db/values.yaml",
        "secrets/shop/api-secret-files.yaml",
    ],
)
def test_language_snapshots(tree: RenderedTree, path: str, snapshot: SnapshotAssertion) -> None:
    assert tree[path].decode() == snapshot


def test_no_secret_token_and_no_secret_value_is_rendered(tree: RenderedTree) -> None:
    for path in tree:
        text = tree[path].decode(errors="replace")
        assert "${secret:" not in text, path
        assert "$(PLATFORMC_SECRET_" not in text or path.startswith("apps/shop/charts/api/"), path


def test_env_reads_the_secret_through_an_earlier_variable(tree: RenderedTree) -> None:
    values = _load(tree["apps/shop/charts/api/values.yaml"].decode())
    env = values["container"]["env"]
    names = [entry["name"] for entry in env]
    user, password = "PLATFORMC_SECRET_SHOP_DB__USERNAME", "PLATFORMC_SECRET_SHOP_DB__PASSWORD"
    assert names.index(user) < names.index(password) < names.index("PGRST_DB_URI")
    assert env[names.index(password)]["valueFrom"] == {"secretKeyRef": {"name": "shop-db", "key": "password"}}
    dsn = env[names.index("PGRST_DB_URI")]["value"]
    assert dsn == f"postgresql://$({user}):$({password})@db.shop.svc.cluster.local:5432/shop"


def test_a_file_that_reads_a_secret_is_mounted_from_the_rendered_secret(tree: RenderedTree) -> None:
    values = _load(tree["apps/shop/charts/api/values.yaml"].decode())
    assert list(values["configMap"]["data"]) == ["etc-postgrest-plain.conf"]  # the plain file only
    volumes = {v["name"]: v for v in values["volumes"]}
    assert volumes["platformc-secret-files"]["secret"] == {"secretName": "api-secret-files"}
    mounts = {m["mountPath"]: m["name"] for m in values["container"]["volumeMounts"]}
    assert mounts["/etc/postgrest/jwt.conf"] == "platformc-secret-files"
    assert mounts["/etc/postgrest/plain.conf"] == "platformc-files"
    secret = _load(tree["secrets/shop/api-secret-files.yaml"].decode())
    assert secret["spec"]["target"]["template"]["engineVersion"] == "v2"
    assert [d["remoteRef"] for d in secret["spec"]["data"]] == [
        {"key": "shop/db", "property": "password"},
        {"key": "shop/db", "property": "username"},
    ]


def test_a_component_without_secret_files_gets_no_external_secret(
    language: Built, language_text: str
) -> None:
    text = language_text.replace("${secret:shop-db.username}\n", "admin\n").replace(
        "secret = ${secret:shop-db.password}", "secret = none"
    )
    tree = emit_platform(language(text))
    assert "secrets/shop/api-secret-files.yaml" not in tree
    values = _load(tree["apps/shop/charts/api/values.yaml"].decode())
    assert "etc-postgrest-jwt.conf" in values["configMap"]["data"]


def test_braces_a_file_writes_stay_literal_in_the_template() -> None:
    text = template_text("a = ${secret:s.k}\nb = {{ x }}\n")
    assert text == 'a = {{ index . "s__k" }}\nb = {{ "{{" }} x }}\n'


def test_placement_is_emitted_in_kubernetes_terms(tree: RenderedTree) -> None:
    api = _load(tree["apps/shop/charts/api/values.yaml"].decode())
    assert api["nodeSelector"] == {"disktype": "ssd"}
    (term,) = api["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert term["labelSelector"]["matchLabels"]["app.kubernetes.io/name"] == "db"
    assert term["topologyKey"] == "kubernetes.io/hostname"
    assert [c["topologyKey"] for c in api["topologySpreadConstraints"]] == ["topology.kubernetes.io/zone"]
    db = _load(tree["apps/shop/charts/db/values.yaml"].decode())
    assert db["nodeSelector"] == {"pool": "analytics"}
    assert db["tolerations"] == [
        {"key": "dedicated", "operator": "Equal", "value": "analytics", "effect": "NoSchedule"}
    ]
    assert "affinity" not in db and "topologySpreadConstraints" not in db


def test_template_defaults_reach_the_workload(tree: RenderedTree) -> None:
    api = _load(tree["apps/shop/charts/api/values.yaml"].decode())
    assert api["container"]["resources"] == {
        "requests": {"cpu": "100m", "memory": "128Mi"},
        "limits": {"memory": "300Mi"},
    }
    assert api["container"]["readinessProbe"]["httpGet"] == {"path": "/", "port": "http"}
    assert api["ingress"]["host"] == "shop.acme.example"
