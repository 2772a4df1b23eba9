"""The synthetic platforms of bench/synth.py are valid platforms, checked on the YAML it writes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from synth import BASE_COMPONENTS, generate, main

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
REFERENCE = re.compile(r"\$\{(ref|host):([^}]*)\}")
WORKLOAD_TYPES = {"deployment", "statefulset", "cronjob"}


@dataclass(frozen=True)
class Case:
    components: int
    applications: int | None
    seed: int
    platform: dict[str, Any]
    overlays: dict[str, dict[str, Any]]

    @property
    def spec(self) -> dict[str, Any]:
        spec: dict[str, Any] = self.platform["spec"]
        return spec

    @property
    def apps(self) -> dict[str, Any]:
        apps: dict[str, Any] = self.spec["applications"]
        return apps

    def components_of(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for app_name, app in self.apps.items():
            for name, component in app["components"].items():
                yield app_name, name, component

    def env(self, name: str) -> dict[str, Any]:
        merged: dict[str, Any] = merge(self.platform, self.overlays[name])
        return merged


def parse(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def merge(base: Any, over: Any) -> Any:
    """The language's overlay rule: maps merge, lists and scalars replace, null removes."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    merged = dict(base)
    for key, value in over.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge(merged[key], value) if key in merged else value
    return merged


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def qualify(app: str, reference: str) -> tuple[str, str]:
    owner, _, name = reference.rpartition("/")
    return (owner or app), name


@pytest.fixture(
    scope="module",
    params=[
        pytest.param((50, None, 0), id="N50-MNone"),
        pytest.param((500, None, 1), id="N500-MNone", marks=pytest.mark.slow),
        pytest.param((300, 1, 2), id="N300-M1"),
    ],
)
def case(request: pytest.FixtureRequest) -> Case:
    components, applications, seed = request.param
    platform, overlays = generate(components, applications, seed)
    return Case(
        components, applications, seed, parse(platform), {env: parse(t) for env, t in overlays.items()}
    )


def test_the_same_seed_gives_the_same_bytes() -> None:
    assert generate(120, seed=7) == generate(120, seed=7)
    assert generate(120, seed=7)[0] != generate(120, seed=8)[0]


def test_sizes(case: Case) -> None:
    assert sum(1 for _ in case.components_of()) == case.components
    base = {"kyverno", "vault", "external-secrets", "monitoring"}
    assert base <= case.apps.keys()
    generated = {name: app for name, app in case.apps.items() if name not in base}
    assert len(generated) == (case.applications or max(1, round(case.components / 25)))
    if case.applications is None:
        assert all(10 <= len(app["components"]) <= 50 for app in generated.values())
    for app in generated.values():
        assert app["namespace"] in case.spec["namespaces"]
    assert len({app["namespace"] for app in generated.values()}) == len(generated)


def test_mix_of_component_kinds(case: Case) -> None:
    kinds = [c.get("type", "deployment") if "image" in c else "chart" for _, _, c in case.components_of()]
    charts = kinds.count("chart")
    assert charts >= BASE_COMPONENTS
    assert 0.15 <= charts / len(kinds) <= 0.25
    assert set(kinds) == WORKLOAD_TYPES | {"chart"}
    assert case.spec["secrets"]["store"]["vault"]["server"] == "http://${ref:vault/vault.http}"
    assert case.apps["vault"]["components"]["vault"]["ports"] == {"http": 8200}
    assert list(case.spec["policy"]["kyverno"]["policies"]) == [
        "disallow-privilege-escalation",
        "require-run-as-nonroot",
        "require-ro-rootfs",
        "disallow-capabilities-strict",
        "restrict-seccomp-strict",
    ]


def test_every_reference_points_at_a_declared_port(case: Case) -> None:
    checked = 0
    sources = [(app, c) for app, _, c in case.components_of()] + [("", case.spec["secrets"]["store"])]
    for app, component in sources:
        for text in strings({k: component.get(k) for k in ("env", "files", "values", "vault")}):
            for form, target in REFERENCE.findall(text):
                name, _, port = target.partition(".") if form == "ref" else (target, "", "")
                owner, name = qualify(app, name)
                assert owner in case.apps, text
                assert name in case.apps[owner]["components"], text
                if form == "ref":
                    assert port in case.apps[owner]["components"][name]["ports"], text
                checked += 1
    for backend in (case.spec["monitoring"]["metricsBackend"], case.spec["monitoring"]["logsBackend"]):
        owner, name = qualify("", backend.partition(".")[0])
        assert backend.partition(".")[2] in case.apps[owner]["components"][name]["ports"]
    assert checked > case.components / 5


def test_no_dependency_cycles(case: Case) -> None:
    edges: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for app, name, component in case.components_of():
        targets = {qualify(app, dep) for dep in component.get("dependsOn", [])}
        for text in strings(component):
            for form, target in REFERENCE.findall(text):
                targets.add(qualify(app, target.partition(".")[0] if form == "ref" else target))
        for owner, dep in targets:
            assert dep in case.apps[owner]["components"], f"{app}/{name} depends on missing {owner}/{dep}"
        edges[(app, name)] = targets
    assert_acyclic(edges)
    app_edges = {
        (app, ""): {(dep, "") for dep in body.get("dependsOn", [])} for app, body in case.apps.items()
    }
    for deps in app_edges.values():
        assert all(dep in case.apps for dep, _ in deps)
    assert_acyclic(app_edges)


def assert_acyclic(edges: dict[tuple[str, str], set[tuple[str, str]]]) -> None:
    """Kahn's algorithm: every node can be removed once its dependencies are."""
    remaining = {node: set(deps) for node, deps in edges.items()}
    while remaining:
        ready = [node for node, deps in remaining.items() if not deps & remaining.keys()]
        assert ready, f"dependency cycle among {sorted(remaining)[:5]}"
        for node in ready:
            del remaining[node]


def test_secret_references_are_declared_in_the_consumers_namespace(case: Case) -> None:
    items = case.spec["secrets"]["items"]
    used: set[str] = set()
    for app, _, component in case.components_of():
        for value in component.get("env", {}).values():
            if isinstance(value, dict):
                assert set(value) == {"secret", "key"}
                item = items[value["secret"]]
                assert value["key"] in item["keys"]
                assert item["namespace"] == case.apps[app]["namespace"]
                used.add(value["secret"])
        if any(isinstance(v, dict) for v in component.get("env", {}).values()):
            assert "external-secrets" in case.apps[app].get("dependsOn", [])
    assert used == set(items)
    assert all(item["namespace"] in case.spec["namespaces"] for item in items.values())


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_ingress_hosts_are_unique(case: Case, env: str) -> None:
    spec = case.env(env)["spec"]
    hosts = []
    for app in spec["applications"].values():
        for component in app["components"].values():
            if "ingress" in component and component.get("enabled", True):
                host = component["ingress"]["host"]
                hosts.append(host if "." in host else f"{host}.{spec['domain']}")
                assert component["ingress"]["port"] in component["ports"]
    assert hosts
    assert len(hosts) == len(set(hosts))


def test_names_are_dns_labels_and_ports_iana_names(case: Case) -> None:
    names = list(case.apps) + list(case.spec["namespaces"]) + list(case.spec["secrets"]["items"])
    names += [name for _, name, _ in case.components_of()]
    for name in names:
        assert DNS_LABEL.match(name) and len(name) <= 40, name
    for _, _, component in case.components_of():
        for port, number in component.get("ports", {}).items():
            assert DNS_LABEL.match(port) and len(port) <= 15 and "--" not in port, port
            assert re.search("[a-z]", port) and 0 < number < 65536


def test_images_are_pinned_and_from_declared_registries(case: Case) -> None:
    registries = set(case.spec["registries"])
    for _, _, component in case.components_of():
        if "image" in component:
            registry, _, rest = component["image"].partition("/")
            repository, _, tag = rest.rpartition(":")
            assert registry in registries and repository and tag and tag != "latest", component["image"]


def test_probes_metrics_and_exceptions_are_consistent(case: Case) -> None:
    policies = case.spec["policy"]["kyverno"]["policies"]
    exceptions = 0
    for _, _, component in case.components_of():
        ports = component.get("ports", {})
        for probe in component.get("probes", {}).values():
            assert probe.get("port", probe.get("tcp")) in ports
        if "metrics" in component:
            assert component["metrics"]["port"] in ports
        for exception in component.get("exceptions", []):
            assert exception["policy"] in policies and exception["reason"]
            exceptions += 1
        ro_exception = any(e["policy"] == "require-ro-rootfs" for e in component.get("exceptions", []))
        assert ro_exception == (component.get("security", {}).get("readOnlyRootFilesystem") is False)
    assert exceptions > 0


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_pdbs_only_where_replicas_allow_them(case: Case, env: str) -> None:
    pdbs = 0
    for app in case.env(env)["spec"]["applications"].values():
        for component in app["components"].values():
            if "pdb" in component:
                floor = component.get("autoscaling", {}).get("minReplicas", component.get("replicas", 1))
                assert floor >= 2 and component["pdb"] == {"maxUnavailable": 1}
                pdbs += 1
            if "autoscaling" in component:
                assert "replicas" not in component
    assert pdbs > 0 or env == "dev"


def test_overlays_change_what_the_environments_need(case: Case) -> None:
    for app, body in case.overlays["dev"]["spec"].get("applications", {}).items():
        for name in body["components"]:
            assert name in case.apps[app]["components"]
    assert case.overlays["staging"]["spec"]["domain"] != case.spec["domain"]
    assert case.overlays["prod"]["spec"]["gitops"]["targetRevision"] == "release"
    dev = case.env("dev")["spec"]["applications"]
    assert all(
        c.get("replicas", 1) == 1 and c.get("autoscaling", {}).get("minReplicas", 1) == 1
        for name, app in dev.items()
        if name in case.overlays["dev"]["spec"]["applications"]
        for c in app["components"].values()
    )


def quantity(text: str | int) -> float:
    """CPU cores or MiB."""
    value = str(text)
    for suffix, factor in (("m", 0.001), ("Mi", 1.0), ("Gi", 1024.0)):
        if value.endswith(suffix):
            return float(value.removesuffix(suffix)) * factor
    return float(value)


def test_quotas_and_nodes_fit_the_largest_scale(case: Case) -> None:
    defaults = case.spec["defaults"]["resources"]["requests"]
    total_cpu = total_memory = 0.0
    for app in case.apps.values():
        quota = case.spec["namespaces"][app["namespace"]].get("quota")
        cpu = memory = 0.0
        for component in app["components"].values():
            if "image" not in component:
                continue
            requests = component.get("resources", {}).get("requests", defaults)
            replicas = component.get("autoscaling", {}).get("maxReplicas", component.get("replicas", 1))
            cpu += replicas * quantity(requests["cpu"])
            memory += replicas * quantity(requests["memory"])
        if cpu:
            assert quota is not None
            assert cpu <= quantity(quota["requests"]["cpu"]) and memory <= quantity(
                quota["requests"]["memory"]
            )
        if quota:
            total_cpu += quantity(quota["requests"]["cpu"])
            total_memory += quantity(quota["requests"]["memory"])
    nodes = case.spec["cluster"]["nodes"]
    assert sum(quantity(n["cpu"]) for n in nodes) >= total_cpu
    assert sum(quantity(n["memory"]) for n in nodes) >= total_memory


def test_cli_writes_the_platform_and_overlays(tmp_path: Path) -> None:
    assert main(["60", str(tmp_path / "out"), "--seed", "3"]) == 0
    platform, overlays = generate(60, seed=3)
    assert (tmp_path / "out" / "platform.yaml").read_text() == platform
    for env, text in overlays.items():
        assert (tmp_path / "out" / "overlays" / f"{env}.yaml").read_text() == text


def test_too_few_components_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(BASE_COMPONENTS)
    assert main([str(BASE_COMPONENTS), str(tmp_path)]) == 2
