"""PC822: every in-cluster DNS name names a Service of the environment, and one of its ports."""

from __future__ import annotations

from generator.verify.cluster.services import dns_names
from tests.unit.verify.cluster.cluster_env import Env, container, deployment, obj

SERVICE = obj("Service", "api", namespace="shop", spec={"ports": [{"port": 8080, "targetPort": 8080}]})


def _reader(url: str) -> dict[str, object]:
    return deployment("web", {"containers": [container(env=[{"name": "API", "value": url}])]})


def test_dns_names_are_found_in_text() -> None:
    found = list(dns_names("a http://api.shop.svc.cluster.local:8080/x and kafka-0.kafka.data.svc b.c"))
    assert [(u.service, u.namespace, u.port) for u in found] == [
        ("api", "shop", 8080),
        ("kafka", "data", None),
    ]
    assert list(dns_names("api.shop.svc.example.com and $(POD_NAMESPACE).svc")) == []


def test_name_of_a_missing_service_is_reported(env: Env) -> None:
    env.app("web", [_reader("http://apí.shop.svc:80"), _reader("http://orders.shop.svc.cluster.local")])
    [found] = env.findings("PC822")
    assert "Service orders in namespace shop" in found.message


def test_port_the_service_lacks_is_reported(env: Env) -> None:
    env.app("web", [SERVICE, _reader("http://api.shop.svc.cluster.local:9090/v1")])
    [found] = env.findings("PC822")
    assert "has no port 9090 (it has 8080)" in found.message


def test_existing_service_and_port_pass(env: Env) -> None:
    env.app("shop", [SERVICE], namespace="shop").app(
        "web", [_reader("http://api.shop.svc.cluster.local:8080/")]
    )
    env.app("cfg", [obj("ConfigMap", "c", data={"url": "api.shop.svc:8080", "k": "kubernetes.default.svc"})])
    assert env.rules() == []


def test_headless_and_external_name_services_take_any_port(env: Env) -> None:
    headless = obj(
        "Service", "kafka", namespace="data", spec={"clusterIP": "None", "ports": [{"port": 9092}]}
    )
    external = obj(
        "Service", "db", namespace="data", spec={"type": "ExternalName", "externalName": "db.example"}
    )
    env.app("data", [headless, external], namespace="data")
    env.app("web", [_reader("kafka-0.kafka.data.svc:9093"), _reader("db.data.svc.cluster.local:5432")])
    assert env.rules() == []


def test_name_in_chart_values_is_reported_once_for_its_application(env: Env) -> None:
    values = "agent:\n  remoteWrite:\n  - url: http://vm.metrics.svc.cluster.local:8428/api/v1/write\n"
    env.app("metrics", [_reader("http://vm.metrics.svc.cluster.local:8428/api/v1/write")], values=values)
    [found] = env.findings("PC822")
    assert "chart values of agent" in found.message and found.file == "values of metrics"


def test_crd_descriptions_are_not_searched(env: Env) -> None:
    crd = obj(
        "CustomResourceDefinition",
        "x.example.com",
        "apiextensions.k8s.io/v1",
        None,
        spec={"d": "my-svc.my-ns.svc"},
    )
    env.app("web", [crd])
    assert env.rules() == []


def test_the_cluster_dns_service_is_built_in(env: Env) -> None:
    env.app("web", [obj("ConfigMap", "nginx", data={"resolver": "kube-dns.kube-system.svc.cluster.local."})])
    assert env.rules() == []


GRAFANA = obj("Service", "grafana", spec={"ports": [{"name": "service", "port": 80, "targetPort": 3000}]})


def _ingress(service: str, port: dict[str, object]) -> dict[str, object]:
    backend = {"service": {"name": service, "port": port}}
    rule = {"host": "grafana.example.com", "http": {"paths": [{"path": "/", "backend": backend}]}}
    return obj("Ingress", "grafana", "networking.k8s.io/v1", spec={"rules": [rule]})


def test_a_service_address_with_the_container_port_is_reported(env: Env) -> None:
    """A client of the Service connects to its port (80), not to the pods' targetPort (3000)."""
    env.app("web", [GRAFANA, _reader("http://grafana.web.svc.cluster.local:3000/api")])
    [found] = env.findings("PC822")
    assert "has no port 3000 (it has 80)" in found.message


def test_a_pod_address_with_the_container_port_passes(env: Env) -> None:
    headless = obj("Service", "db", spec={"ports": [{"port": 5432, "targetPort": 5432}]})
    env.app("web", [GRAFANA, headless, _reader("http://grafana.web.svc:80"), _reader("db-0.db.web.svc:5432")])
    assert env.rules() == []


def test_an_ingress_backend_port_the_service_lacks_is_reported(env: Env) -> None:
    env.app("web", [GRAFANA, _ingress("grafana", {"number": 3000})])
    env.app("other", [_ingress("grafana", {"name": "http"}), _ingress("grafna", {"number": 80})])
    found = sorted(f.message for f in env.findings("PC822"))
    assert len(found) == 3
    assert "backend grafana:3000: Service grafana.web has no port 3000 (it has 80)" in found[0]
    assert "backend grafana:http: Service grafana.web has no port named http (it has service)" in found[1]
    assert "backend grafna:80: Service grafna does not exist in namespace web" in found[2]


def test_an_ingress_backend_by_port_number_or_name_passes(env: Env) -> None:
    env.app("web", [GRAFANA, _ingress("grafana", {"number": 80}), _ingress("grafana", {"name": "service"})])
    assert env.rules() == []
