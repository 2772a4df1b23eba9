"""NetworkPolicies admit exactly the edges platform.yaml declares, derived independently from the YAML."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from generator.emit import RenderedTree, emit_platform
from generator.model import Platform, build_platform
from generator.pipeline import analyse
from generator.rules.operations import unallowed_edges

REPO = Path(__file__).resolve().parents[3]
ENVS = ("dev", "prod", "staging")
REF = re.compile(r"\$\{(ref|host):(?:([a-z0-9-]+)/)?([a-z0-9-]+)(?:\.([a-z0-9-]+))?\}")
Edge = tuple[str, str, str, int | str]  # (peer, target namespace, target component, port or "*")


# ---------------------------------------------------------------------------- the expected edges, from YAML


def merged_spec(env: str) -> dict[str, Any]:
    """platform.yaml with overlays/<env>.yaml on top, read with PyYAML, not the compiler's loader."""

    def merge(base: Any, over: Any) -> Any:
        if not (isinstance(base, dict) and isinstance(over, dict)):
            return over
        out = dict(base)
        for key, value in over.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(out[key], value) if key in out else value
        return out

    base = yaml.safe_load((REPO / "platform.yaml").read_text())
    overlay = yaml.safe_load((REPO / "overlays" / f"{env}.yaml").read_text()) or {}
    return dict(merge(base, overlay)["spec"])


def expected_edges(spec: dict[str, Any]) -> set[Edge]:
    """What the policies must admit: the documented rules of generator.emit.netpol, written out again."""
    apps = {n: a for n, a in spec["applications"].items() if a.get("enabled", True) is not False}
    comps = {
        f"{app}/{name}": (app, name, a["namespace"], c)
        for app, a in apps.items()
        for name, c in (a.get("components") or {}).items()
        if c.get("enabled", True) is not False
    }
    enforced = {ns for ns, s in spec["namespaces"].items() if (s or {}).get("networkPolicy") == "enforce"}

    def ports(cid: str) -> dict[str, int]:
        c = comps[cid][3]
        if "external" in c:
            target = c["external"].get("target")
            return c["external"].get("ports") or (ports(_qualify(target, comps[cid][0])) if target else {})
        return dict(c.get("ports") or {})

    def ends(cid: str) -> list[str]:
        c = comps[cid][3]
        if "external" not in c:
            return [cid]
        target = c["external"].get("target")
        return (
            ends(_qualify(target, comps[cid][0]))
            if target and _qualify(target, comps[cid][0]) in comps
            else []
        )

    def peer(cid: str) -> str:
        app, name, ns, c = comps[cid]
        return f"release:{ns}/{app}" if "chart" in c else f"pods:{ns}/{app}/{name}"

    out: set[Edge] = set()
    for sid, (app, _name, _ns, c) in comps.items():
        if "external" in c:
            continue
        for tid, wanted in _named(spec, app, c, comps, ports).items():
            for end in ends(tid):
                e_app, e_name, e_ns, e_c = comps[end]
                if end == sid or e_ns not in enforced:
                    continue
                admitted = {"*"} if "chart" in e_c else set(ports(end).values()) if wanted == "*" else wanted
                out |= {(peer(sid), e_ns, e_name, p) for p in admitted}
    return out | _entry_edges(spec, apps, comps, enforced, peer)


def _named(
    spec: dict[str, Any],
    app: str,
    c: dict[str, Any],
    comps: dict[str, tuple[str, str, str, Any]],
    ports: Callable[[str], dict[str, int]],
) -> dict[str, Any]:
    """Target id -> the ports a source names it on ("*": every port), from references and dependsOn."""
    named: dict[str, Any] = {}
    text = json.dumps([c.get(k) for k in ("env", "files", "values", "args", "command")])
    if (c.get("chart") or {}).get("name") == "external-secrets":
        text += json.dumps(spec["secrets"]["store"])
    for kind, tapp, tname, tport in REF.findall(text):
        tid = f"{tapp or app}/{tname}"
        if tid in comps and named.get(tid) != "*":
            named[tid] = "*" if kind == "host" else {*named.get(tid, set()), ports(tid)[tport]}
    for dep in c.get("dependsOn") or []:
        if _qualify(dep, app) in comps:
            named.setdefault(_qualify(dep, app), "*")  # only where no reference names the ports
    return named


def _entry_edges(
    spec: dict[str, Any],
    apps: dict[str, Any],
    comps: dict[str, tuple[str, str, str, Any]],
    enforced: set[str],
    peer: Callable[[str], str],
) -> set[Edge]:
    """Each component's own pods, the ingress controller and the metrics scraper, in enforced namespaces."""
    out: set[Edge] = set()
    controller = next(
        a["namespace"]
        for a in apps.values()
        for c in a["components"].values()
        if (c.get("chart") or {}).get("name") == "ingress-nginx"
    )
    scraper = apps[spec["monitoring"]["metricsBackend"].split("/")[0]]["namespace"]
    for cid, (_app, name, ns, c) in comps.items():
        if ns not in enforced or "external" in c:
            continue
        chart = "chart" in c
        out |= {(peer(cid), ns, name, p) for p in (["*"] if chart else c.get("ports", {}).values())}
        if c.get("ingress"):
            out.add((f"namespace:{controller}", ns, name, "*" if chart else c["ports"][c["ingress"]["port"]]))
        if c.get("metrics"):
            mesh = [15020] if spec["namespaces"][ns].get("mesh") else []
            for p in ["*"] if chart else [c["ports"][c["metrics"]["port"]], *mesh]:
                out.add((f"namespace:{scraper}", ns, name, p))
    return out


def _qualify(cid: str, app: str) -> str:
    return cid if "/" in cid else f"{app}/{cid}"


# ---------------------------------------------------------------------------- what the policies admit


def policies(tree: RenderedTree) -> list[dict[str, Any]]:
    found = []
    for path in tree:
        # The umbrella carries its upstream charts' policies, a workload's subchart its own.
        if path.startswith("apps/") and path.split("/")[-2] == "objects":
            found += [o for o in [yaml.safe_load(tree[path])] if o["kind"] == "NetworkPolicy"]
        elif path.startswith("namespaces/"):
            found += [o for o in yaml.safe_load_all(tree[path]) if o["kind"] == "NetworkPolicy"]
    return found


def _peer(entry: dict[str, Any]) -> str:
    ns = entry["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
    if "podSelector" not in entry:
        return f"namespace:{ns}"
    pods = entry["podSelector"]
    labels = pods["matchLabels"]
    if "app.kubernetes.io/name" in labels:
        return f"pods:{ns}/{labels['app.kubernetes.io/instance']}/{labels['app.kubernetes.io/name']}"
    assert pods["matchExpressions"] == [
        {"key": "platform.254carbon.com/component", "operator": "DoesNotExist"}
    ]
    return f"release:{ns}/{labels['app.kubernetes.io/instance']}"


def admitted_edges(tree: RenderedTree) -> set[Edge]:
    out: set[Edge] = set()
    for policy in policies(tree):
        if policy["metadata"]["name"] == "default-deny":
            continue
        target = policy["metadata"]["name"].removesuffix("-ingress")
        ns = policy["metadata"]["namespace"]
        for rule in policy["spec"]["ingress"]:
            for entry in rule["from"]:
                for port in [p["port"] for p in rule.get("ports", [])] or ["*"]:
                    out.add((_peer(entry), ns, target, port))
    return out


@pytest.fixture(scope="module", params=ENVS)
def env_tree(request: pytest.FixtureRequest) -> tuple[str, RenderedTree]:
    (result,) = analyse(REPO, [request.param])
    assert result.platform is not None, result.findings
    return request.param, emit_platform(result.platform)


def _edit(platform: Platform, edit: Any) -> RenderedTree:
    doc = copy.deepcopy(platform.doc)
    edit(doc.data["spec"])
    return emit_platform(build_platform(doc, platform.env))


def _components(spec: dict[str, Any], app: str) -> dict[str, Any]:
    return dict(spec["applications"][app]["components"])


# ---------------------------------------------------------------------------- tests


def test_policies_admit_every_declared_edge_and_nothing_else(env_tree: tuple[str, RenderedTree]) -> None:
    env, tree = env_tree
    expected, actual = expected_edges(merged_spec(env)), admitted_edges(tree)
    assert actual - expected == set(), "admitted but not declared"
    assert expected - actual == set(), "declared but not admitted"
    namespaces = {ns for _, ns, _, _ in actual}
    assert namespaces == {"data-platform", "kafka"}


def test_reference_platform_edges_by_example(prod_tree: RenderedTree) -> None:
    edges = admitted_edges(prod_tree)
    assert ("pods:data-platform/data-platform/datahub-gms", "kafka", "kafka", 9092) in edges
    assert (
        "pods:data-platform/data-platform/datahub-gms",
        "kafka",
        "kafka",
        9093,
    ) not in edges  # ref narrows
    assert ("pods:kafka/kafka/kafka", "kafka", "kafka", 9093) in edges  # the KRaft quorum
    assert ("pods:ml-platform/ml-platform/mlflow", "data-platform", "minio", 9000) in edges
    assert ("release:velero/backup", "data-platform", "minio", 9000) in edges
    assert ("namespace:ingress-nginx", "data-platform", "trino-coordinator", 8080) in edges
    assert ("namespace:victoria-metrics", "data-platform", "minio", 15020) in edges
    assert not [e for e in edges if e[2] == "postgres-shared"], "an ExternalName has no pods to protect"


def test_enforced_namespaces_deny_by_default(prod_tree: RenderedTree) -> None:
    for ns in ("data-platform", "kafka"):
        (deny,) = [
            o for o in yaml.safe_load_all(prod_tree[f"namespaces/{ns}.yaml"]) if o["kind"] == "NetworkPolicy"
        ]
        assert deny["metadata"] == {
            "name": "default-deny",
            "namespace": ns,
            "labels": {"app.kubernetes.io/managed-by": "platformc"},
        }
        assert deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    assert not [
        o
        for o in yaml.safe_load_all(prod_tree["namespaces/ml-platform.yaml"])
        if o["kind"] == "NetworkPolicy"
    ]


def test_every_policy_is_ingress_only_and_valid_for_kubernetes_1_31(prod_tree: RenderedTree) -> None:
    found = policies(prod_tree)
    assert len(found) > 10
    for policy in found:
        assert policy["spec"]["policyTypes"] == ["Ingress"]
        kubernetes_validate.validate(policy, "1.31", strict=True)


def test_a_policy_selects_its_component_and_rides_with_its_application(prod_tree: RenderedTree) -> None:
    assert not [p for p in prod_tree if p.startswith("apps/storage/objects/")]
    minio = yaml.safe_load(
        prod_tree["apps/storage/charts/minio/objects/networkpolicy_data-platform_minio-ingress.yaml"]
    )
    assert minio["kind"] == "NetworkPolicy"
    assert minio["metadata"]["name"] == "minio-ingress"
    assert minio["spec"]["podSelector"] == {
        "matchLabels": {"app.kubernetes.io/name": "minio", "app.kubernetes.io/instance": "storage"}
    }


def test_removing_a_reference_removes_its_allow_rule(prod: Platform, prod_tree: RenderedTree) -> None:
    coordinator = ("pods:data-platform/data-platform/trino-coordinator", "data-platform", "minio", 9000)
    worker = ("pods:data-platform/data-platform/trino-worker", "data-platform", "minio", 9000)
    assert {coordinator, worker} <= admitted_edges(prod_tree)

    def drop_reference(spec: dict[str, Any]) -> None:
        files = _components(spec, "data-platform")["trino-coordinator"]["files"]
        path = "/etc/trino/catalog/iceberg.properties"
        files[path] = files[path].replace("s3.endpoint=http://${ref:storage/minio.api}", "s3.endpoint=")

    edges = admitted_edges(_edit(prod, drop_reference))
    assert coordinator not in edges
    assert worker in edges  # its own copy of the catalog still references minio


def test_a_reference_admits_its_port_and_dependson_alone_admits_every_port(prod: Platform) -> None:
    gms = "pods:data-platform/data-platform/datahub-gms"

    def drop_both(spec: dict[str, Any]) -> None:
        gms_spec = _components(spec, "data-platform")["datahub-gms"]
        del gms_spec["env"]["KAFKA_BOOTSTRAP_SERVER"]
        gms_spec["dependsOn"] = [d for d in gms_spec["dependsOn"] if d != "kafka/kafka"]

    def keep_dependson(spec: dict[str, Any]) -> None:
        del _components(spec, "data-platform")["datahub-gms"]["env"]["KAFKA_BOOTSTRAP_SERVER"]

    assert not [e for e in admitted_edges(_edit(prod, drop_both)) if e[0] == gms and e[1] == "kafka"]
    widened = {e[3] for e in admitted_edges(_edit(prod, keep_dependson)) if e[0] == gms and e[1] == "kafka"}
    assert widened == {9092, 9093}


def test_edges_through_an_external_name_reach_its_target(prod: Platform) -> None:
    def enforce_kong(spec: dict[str, Any]) -> None:
        spec["namespaces"]["kong"] = {"networkPolicy": "enforce"}

    edges = admitted_edges(_edit(prod, enforce_kong))
    assert ("pods:data-platform/data-platform/datahub-gms", "kong", "kong-postgres", 5432) in edges
    assert ("release:kong/api-gateway", "kong", "kong-postgres", 5432) in edges  # ${host:} from chart values


def test_chart_pods_are_selected_by_release(prod_tree: RenderedTree) -> None:
    spark = yaml.safe_load(
        prod_tree["apps/data-platform/objects/networkpolicy_data-platform_spark-operator-ingress.yaml"]
    )
    assert spark["spec"]["podSelector"] == {
        "matchLabels": {"app.kubernetes.io/instance": "data-platform"},
        "matchExpressions": [{"key": "platform.254carbon.com/component", "operator": "DoesNotExist"}],
    }
    assert "ports" not in spark["spec"]["ingress"][0]


def test_no_namespace_enforces_no_policy(prod: Platform) -> None:
    def relax(spec: dict[str, Any]) -> None:
        for ns in spec["namespaces"].values():
            ns.pop("networkPolicy", None)

    assert policies(_edit(prod, relax)) == []


# ---------------------------------------------------------------------------- PC901


# PC901 speaks only where a team knowingly accepted a hand-written host (PC105 suppressed).
ACCEPTED_HOST = {"rule": "PC105", "reason": "the client assembles this URL"}


def _pc901(platform: Platform, *hosts: tuple[str, str, str, str], accepted: bool = True) -> list[str]:
    """PC901's messages once each (application, component, env variable, value) is written, with
    the hand-written host accepted (PC105 suppressed) unless `accepted` is false."""
    doc = copy.deepcopy(platform.doc)
    for app, name, variable, value in hosts:
        component = _components(doc.data["spec"], app)[name]
        component["env"][variable] = value
        if accepted:
            component["ignore"] = [ACCEPTED_HOST]
    return [hit.message for hit in unallowed_edges(build_platform(doc, platform.env))]


def test_an_unsuppressed_hand_written_host_is_left_to_pc105(prod: Platform) -> None:
    cache = ("data-platform", "spark-history", "CACHE_URL", "redis://redis:6379")
    assert _pc901(prod, cache, accepted=False) == []


def test_the_reference_platform_has_no_undeclared_edge(prod: Platform) -> None:
    assert list(unallowed_edges(prod)) == []


def test_a_hand_written_host_into_an_enforced_namespace_warns(prod: Platform) -> None:
    (message,) = _pc901(prod, ("data-platform", "spark-history", "CACHE_URL", "redis://redis:6379"))
    assert (
        'spark-history: CACHE_URL reaches data-platform/redis by the hand-written host "redis:6379"'
        in message
    )
    assert '"${ref:redis.redis}"' in message


def test_a_hand_written_port_outside_the_declared_edge_warns(prod: Platform) -> None:
    (message,) = _pc901(prod, ("data-platform", "iceberg-rest", "CONSOLE", "http://minio.data-platform:9001"))
    assert "reaches storage/minio" in message


def test_a_declared_edge_or_an_open_namespace_does_not_warn(prod: Platform) -> None:
    declared = ("data-platform", "superset-web", "CACHE_URL", "redis://redis:6379")  # dependsOn redis
    open_namespace = ("data-platform", "spark-history", "TRACKING", "http://mlflow.ml-platform:5000")
    nothing_there = ("ml-platform", "mlflow", "BROKER", "kafka:9092")  # no kafka in ml-platform
    assert _pc901(prod, declared, open_namespace, nothing_there) == []


def test_a_hand_written_host_in_another_namespace_warns(prod: Platform) -> None:
    (message,) = _pc901(prod, ("ml-platform", "mlflow", "BROKER", "kafka.kafka.svc.cluster.local:9092"))
    assert "mlflow: BROKER reaches kafka/kafka" in message
    assert "namespace kafka refuses it" in message
