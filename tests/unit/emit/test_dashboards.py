"""Grafana datasources and dashboards: valid, deterministic, and querying only what the platform produces."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from generator.emit import RenderedTree, emit_platform
from generator.emit.dashboards import PAGE_COMPONENTS, dashboard_objects, dashboard_uid
from generator.model import Platform, build_platform
from generator.model.conventions import dashboards_application
from generator.model.graph import DASHBOARDS_APP, NAMESPACES_APP
from generator.pipeline import analyse
from generator.rules.operations import dashboards_without_grafana

REPO = Path(__file__).resolve().parents[3]
ENVS = ("dev", "prod", "staging")
UIDS = {"platformc-metrics": "prometheus", "platformc-logs": "loki"}
# What kube-state-metrics and the kubelet's cAdvisor export: the only series a panel may read.
SERIES = {
    "container_cpu_usage_seconds_total",
    "container_memory_working_set_bytes",
    "kube_cronjob_spec_suspend",
    "kube_cronjob_status_active",
    "kube_daemonset_status_desired_number_scheduled",
    "kube_daemonset_status_number_ready",
    "kube_deployment_spec_replicas",
    "kube_deployment_status_replicas_available",
    "kube_job_status_failed",
    "kube_job_status_succeeded",
    "kube_pod_container_resource_limits",
    "kube_pod_container_resource_requests",
    "kube_pod_container_status_restarts_total",
    "kube_pod_info",
    "kube_pod_status_phase",
    "kube_pod_status_ready",
    "kube_resourcequota",
    "kube_statefulset_replicas",
    "kube_statefulset_status_replicas_ready",
}
MATCHER = re.compile(r'([a-z_]+)\s*(=~|!=|=)\s*"([^"]*)"')
SELECTOR = re.compile(r"([a-z_:]+)\{([^}]*)\}")


def config_maps(tree: RenderedTree, label: str) -> list[dict[str, Any]]:
    objects = [yaml.safe_load(tree[p]) for p in tree if p.startswith("dashboards/")]
    return [o for o in objects if o["kind"] == "ConfigMap" and o["metadata"]["labels"].get(label) == "1"]


def boards(tree: RenderedTree) -> dict[str, dict[str, Any]]:
    found = {}
    for cm in config_maps(tree, "grafana_dashboard"):
        ((key, text),) = cm["data"].items()
        found[key] = json.loads(text)
    return found


def panels(board: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in board["panels"]:
        yield panel
        yield from panel.get("panels", [])


def queries(board: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for panel in panels(board):
        for target in panel.get("targets", []):
            yield panel["datasource"]["type"], target["expr"]


@pytest.fixture(scope="module", params=ENVS)
def env_case(request: pytest.FixtureRequest) -> tuple[Platform, RenderedTree]:
    (result,) = analyse(REPO, [request.param])
    assert result.platform is not None, result.findings
    return result.platform, emit_platform(result.platform)


def declared(env: str) -> dict[str, Any]:
    """Names the platform declares, read from platform.yaml and the overlay with PyYAML."""
    base = yaml.safe_load((REPO / "platform.yaml").read_text())["spec"]
    overlay = (yaml.safe_load((REPO / "overlays" / f"{env}.yaml").read_text()) or {}).get("spec", {})
    apps: dict[str, Any] = {}
    for name, app in base["applications"].items():
        over = (overlay.get("applications") or {}).get(name) or {}
        comps = {}
        for cname, comp in app["components"].items():
            enabled = ((over.get("components") or {}).get(cname) or {}).get(
                "enabled", comp.get("enabled", True)
            )
            if enabled is not False:
                comps[cname] = comp
        apps[name] = {"namespace": app["namespace"], "components": comps}
    return {"namespaces": set(base["namespaces"]), "applications": apps}


def _fullname(app: str, name: str, spec: dict[str, Any]) -> str:
    """A chart's fullname: its override, else the name platformc sets, else Helm's `<release>-<chart>`."""
    values = spec.get("values") or {}
    if values.get("fullnameOverride"):
        return str(values["fullnameOverride"])
    if spec.get("ports") or spec.get("ingress") or spec.get("exceptions"):
        return str(spec.get("service", name))
    return app if name in app else f"{app}-{name}"


# ---------------------------------------------------------------------------- tests


def test_datasources_are_the_resolved_backends(prod_tree: RenderedTree) -> None:
    (cm,) = config_maps(prod_tree, "grafana_datasource")
    assert cm["metadata"]["namespace"] == "monitoring"
    (content,) = cm["data"].values()
    sources = {s["uid"]: s for s in yaml.safe_load(content)["datasources"]}
    assert sources["platformc-metrics"]["type"] == "prometheus"
    assert (
        sources["platformc-metrics"]["url"]
        == "http://victoria-metrics.victoria-metrics.svc.cluster.local:8428"
    )
    assert sources["platformc-logs"]["type"] == "loki"
    assert sources["platformc-logs"]["url"] == "http://loki.victoria-metrics.svc.cluster.local:3100"


def test_a_dashboard_for_every_application(env_case: tuple[Platform, RenderedTree]) -> None:
    platform, tree = env_case
    enabled = sorted(n for n, a in platform.applications.items() if a.enabled)
    assert sorted(boards(tree)) == sorted(
        ["platformc-overview.json", *(f"platformc-app-{a}.json" for a in enabled)]
    )
    names = [cm["metadata"]["name"] for cm in config_maps(tree, "grafana_dashboard")]
    assert names == sorted(
        ["platformc-dashboard-overview", *(f"platformc-dashboard-app-{a}" for a in enabled)]
    )


def test_dashboards_are_valid_grafana_json(prod_tree: RenderedTree) -> None:
    for key, board in boards(prod_tree).items():
        assert board["uid"] == key.removesuffix(".json") and len(board["uid"]) <= 40
        assert isinstance(board["schemaVersion"], int) and board["schemaVersion"] >= 36
        assert board["title"] and board["id"] is None
        ids = [p["id"] for p in panels(board)]
        assert ids == list(range(1, len(ids) + 1)), key
        for panel in panels(board):
            grid = panel["gridPos"]
            assert set(grid) == {"x", "y", "w", "h"} and grid["x"] >= 0 and grid["x"] + grid["w"] <= 24
            if panel["type"] in ("row", "text"):
                continue
            assert UIDS[panel["datasource"]["uid"]] == panel["datasource"]["type"]
            ref_ids = [t["refId"] for t in panel["targets"]]
            assert ref_ids and len(set(ref_ids)) == len(ref_ids)


def test_top_level_panels_do_not_overlap(prod_tree: RenderedTree) -> None:
    for board in boards(prod_tree).values():
        cells: set[tuple[int, int]] = set()
        for panel in board["panels"]:
            g = panel["gridPos"]
            mine = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
            assert not cells & mine, panel["title"]
            cells |= mine


def test_dashboards_are_deterministic(prod: Platform, prod_tree: RenderedTree) -> None:
    again = emit_platform(build_platform(copy.deepcopy(prod.doc), "prod"))
    carried = [p for p in prod_tree if p.startswith("dashboards/")]
    assert carried and [p for p in again if p.startswith("dashboards/")] == carried
    assert all(again[p] == prod_tree[p] for p in carried)
    for cm in config_maps(prod_tree, "grafana_dashboard"):
        (text,) = cm["data"].values()
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        assert not re.search(r"20\d\d-\d\d-\d\d", text), "no timestamps"


def test_panels_target_only_metrics_and_labels_the_platform_produces(
    env_case: tuple[Platform, RenderedTree],
) -> None:
    platform, tree = env_case
    names = declared(platform.env)
    apps = names["applications"]
    namespaces = {a["namespace"] for a in apps.values()}
    assert namespaces <= names["namespaces"]
    workloads = {
        (a["namespace"], c) for a in apps.values() for c, s in a["components"].items() if "image" in s
    }
    releases = {
        (a["namespace"], n) for n, a in apps.items() if any("chart" in s for s in a["components"].values())
    }
    prefixes = {
        (a["namespace"], _fullname(n, c, s))
        for n, a in apps.items()
        for c, s in a["components"].items()
        if "chart" in s
    }
    checked = 0
    for board in boards(tree).values():
        for kind, expr in queries(board):
            for series, body in SELECTOR.findall(expr):
                labels = {k: (op, v) for k, op, v in MATCHER.findall(body)}
                assert series in SERIES or (kind == "loki" and not series), expr
                op, ns = labels["namespace"]
                assert set(ns.split("|") if op == "=~" else [ns]) <= names["namespaces"], expr
                for label in ("deployment", "statefulset", "daemonset", "cronjob", "job_name", "container"):
                    if label in labels and labels[label][0] == "=":
                        assert (ns, labels[label][1]) in workloads, expr
                if "pod" in labels:  # a chart's pods, by the name prefix of its fullname
                    assert (
                        labels["pod"][0] == "=~" and (ns, labels["pod"][1].removesuffix("-.*")) in prefixes
                    ), expr
                checked += 1
            if kind == "loki":
                labels = dict((k, v) for k, _, v in MATCHER.findall(expr))
                assert labels["namespace"] in namespaces
                assert (labels["namespace"], labels.get("app_kubernetes_io_name")) in workloads or (
                    labels["namespace"],
                    labels.get("app_kubernetes_io_instance"),
                ) in releases, expr
    assert checked > 100


def test_a_disabled_component_leaves_its_dashboard(prod: Platform) -> None:
    doc = copy.deepcopy(prod.doc)
    doc.data["spec"]["applications"]["data-platform"]["components"]["neo4j"]["enabled"] = False
    tree = emit_platform(build_platform(doc, "prod"))
    text = json.dumps(boards(tree)["platformc-app-data-platform.json"])
    assert "neo4j" not in text
    assert "elasticsearch" in text


def test_the_config_maps_are_a_directory_application_of_their_own(
    env_case: tuple[Platform, RenderedTree],
) -> None:
    platform, tree = env_case
    namespace = platform.applications["monitoring"].namespace
    placed = {p: yaml.safe_load(tree[p]) for p in tree if p.startswith("dashboards/")}
    assert len(placed) == len(dashboard_objects(platform)) > 2
    for path, cm in placed.items():
        assert path == f"dashboards/{cm['metadata']['name']}.yaml"
        assert (cm["kind"], cm["metadata"]["namespace"]) == ("ConfigMap", namespace)
    # No chart carries them: they need no templating, and Helm would render megabytes of them.
    carried = [yaml.safe_load(tree[p]) for p in tree if p.startswith("apps/") and "/objects/" in p]
    assert not [o for o in carried if o["kind"] == "ConfigMap"]
    application = yaml.safe_load(tree[f"argocd/{DASHBOARDS_APP}.yaml"])
    assert application["spec"]["source"]["path"] == f"rendered/{platform.env}/dashboards"
    assert "helm" not in application["spec"]["source"]
    assert application["spec"]["destination"]["namespace"] == namespace
    wave = int(application["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])
    assert wave == platform.system_waves[DASHBOARDS_APP] > platform.system_waves[NAMESPACES_APP]


def _without_dashboards(tree: RenderedTree, platform: Platform) -> None:
    assert not [p for p in tree if p.startswith("dashboards/") or DASHBOARDS_APP in p]
    assert DASHBOARDS_APP not in tree["README.md"].decode()
    assert DASHBOARDS_APP not in platform.system_waves
    assert dashboards_application(platform) is None and dashboard_objects(platform) == []


def test_no_dashboards_unless_asked(prod: Platform) -> None:
    doc = copy.deepcopy(prod.doc)
    doc.data["spec"]["monitoring"]["dashboards"] = False
    platform = build_platform(doc, "prod")
    tree = emit_platform(platform)
    assert config_maps(tree, "grafana_dashboard") == config_maps(tree, "grafana_datasource") == []
    _without_dashboards(tree, platform)


def test_no_dashboards_without_a_backend_to_show(prod: Platform) -> None:
    doc = copy.deepcopy(prod.doc)
    del doc.data["spec"]["monitoring"]["metricsBackend"], doc.data["spec"]["monitoring"]["logsBackend"]
    platform = build_platform(doc, "prod")
    _without_dashboards(emit_platform(platform), platform)


def test_no_dashboards_with_the_monitoring_application_disabled(prod: Platform) -> None:
    doc = copy.deepcopy(prod.doc)
    doc.data["spec"]["applications"]["monitoring"]["enabled"] = False
    platform = build_platform(doc, "prod")
    _without_dashboards(emit_platform(platform), platform)


def test_config_maps_are_valid_and_small_enough_to_apply(prod_tree: RenderedTree) -> None:
    for cm in [*config_maps(prod_tree, "grafana_dashboard"), *config_maps(prod_tree, "grafana_datasource")]:
        kubernetes_validate.validate(cm, "1.31", strict=True)
        # Client-side apply keeps the object in an annotation, limited to 256 KiB.
        assert len(json.dumps(cm)) < 200 * 1024, cm["metadata"]["name"]


# ---------------------------------------------------------------------------- pages

# A DNS label of 53 characters, the longest an application (a Helm release) may have.
WIDE = "wide-application-with-a-name-as-long-as-a-release-has"
GRAFANA_UID = re.compile(r"^[-_a-zA-Z0-9]{1,40}$")
OBJECT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


@pytest.fixture(scope="module")
def wide(prod: Platform, grow: Callable[[Platform, dict[str, int]], Platform]) -> RenderedTree:
    return emit_platform(grow(prod, {WIDE: 600}))


def test_a_large_application_is_paged_into_config_maps_that_fit(wide: RenderedTree) -> None:
    pages = []
    for cm in config_maps(wide, "grafana_dashboard"):
        ((key, text),) = cm["data"].items()
        if WIDE in (board := json.loads(text))["tags"]:
            pages.append((cm, key, board))
    assert len(pages) == 600 // PAGE_COMPONENTS
    uids, titles, rows = [], [], []
    for cm, key, board in pages:
        assert OBJECT_NAME.match(cm["metadata"]["name"]) and len(cm["metadata"]["name"]) <= 253
        # The API server stores at most 1 MiB; a client-side apply copies the object into 256 KiB.
        assert len(json.dumps(cm)) < 200 * 1024 < 1024 * 1024, cm["metadata"]["name"]
        assert key == f"{board['uid']}.json" and GRAFANA_UID.match(board["uid"])
        assert [link["url"] for link in board["links"]] == [
            f"/d/{dashboard_uid(WIDE, n)}"
            for n in range(1, len(pages) + 1)
            if dashboard_uid(WIDE, n) != board["uid"]
        ]
        uids.append(board["uid"])
        titles.append(board["title"])
        rows += [p["title"].split(" ")[0] for p in board["panels"] if p["type"] == "row"]
    assert len(set(uids)) == len(uids) and dashboard_uid(WIDE) in uids  # the first page keeps the plain uid
    assert sorted(titles) == sorted(f"{WIDE} ({n}/{len(pages)}, prod)" for n in range(1, len(pages) + 1))
    assert sorted(rows) == sorted(f"{WIDE[:40]}-service-{i:04d}" for i in range(600))  # each once


def test_page_uids_are_distinct_from_every_other_application() -> None:
    assert dashboard_uid("orders") == "platformc-app-orders"
    assert dashboard_uid("orders", 2) == "platformc-app-orders_2"
    assert dashboard_uid("orders", 2) != dashboard_uid("orders-2")
    long = [dashboard_uid(WIDE, page) for page in range(1, 200)]
    assert len(set(long)) == len(long) and all(GRAFANA_UID.match(uid) for uid in long)
    assert dashboard_uid(WIDE) != dashboard_uid(WIDE[:-1])


# ---------------------------------------------------------------------------- PC902


def _pc902(prod: Platform, edit: Any) -> list[str]:
    doc = copy.deepcopy(prod.doc)
    edit(doc.data["spec"]["applications"]["monitoring"]["components"])
    return [hit.message for hit in dashboards_without_grafana(build_platform(doc, "prod"))]


def test_the_reference_grafana_loads_what_is_generated(prod: Platform) -> None:
    assert list(dashboards_without_grafana(prod)) == []


def test_a_grafana_without_sidecars_is_reported(prod: Platform) -> None:
    def no_sidecar(components: dict[str, Any]) -> None:
        del components["grafana"]["values"]["sidecar"]["datasources"]

    (message,) = _pc902(prod, no_sidecar)
    assert message.startswith("grafana: sidecar.datasources.enabled is not true")


def test_a_monitoring_application_without_grafana_is_reported(prod: Platform) -> None:
    def no_grafana(components: dict[str, Any]) -> None:
        del components["grafana"]

    (message,) = _pc902(prod, no_grafana)
    assert "installs no grafana chart" in message
