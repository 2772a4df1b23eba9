"""`platformc explain` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from tests.acceptance.conftest import Run


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_values_with_their_origin_base_or_overlay(run: Run, initialised: Path) -> None:
    code, output = run("explain", "apps/api", "--root", str(initialised), "--env", "prod")
    assert code == 0, output
    assert output.startswith("apps/api [prod]: workload (deployment) in namespace apps\n")
    image_line = line_of(initialised / "platform.yaml", "image: docker.io/postgrest/postgrest")
    replicas_line = line_of(initialised / "overlays" / "prod.yaml", "replicas: 2")
    assert '"docker.io/postgrest/postgrest:v12.2.3"' in output
    assert f"platform.yaml:{image_line}:" in output
    assert f"overlays/prod.yaml:{replicas_line}:" in output


def test_references_secrets_and_dependencies_resolved(run: Run, initialised: Path) -> None:
    code, output = run("explain", "apps/api", "--root", str(initialised), "--env", "dev")
    assert code == 0
    # The reference resolves; the secret inside the DSN stays a token, never a value.
    assert '→ "postgresql://app:${secret:app-db.password}@postgres.apps.svc.cluster.local:5432/app"' in output
    assert "${ref:postgres.postgres}" in output
    assert "env PGRST_DB_URI" in output and "app-db.password (store path demo/app-db)" in output
    assert "depends on:\n  apps/postgres (application wave" in output
    assert "dependsOn and reference" in output
    assert "depended on by:\n  apps/web (application wave" in output
    assert "sync wave 1 inside application apps" in output
    assert "rendered/dev/apps/apps/charts/api/templates/workload.yaml" in output
    assert "rendered/dev/secrets/apps/app-db.yaml" in output


def test_decisions_and_exceptions(run: Run, initialised: Path) -> None:
    code, output = run("explain", "postgres", "--root", str(initialised))  # a unique bare name is enough
    assert code == 0
    assert "apps/postgres [dev]: workload (statefulset)" in output
    assert "headless Service postgres-headless" in output
    assert "resources.limits.cpu" not in output  # the quota sets no limits.cpu
    assert "require-ro-rootfs (all rules): initdb and the server write" in output
    assert "rendered/dev/policies/apps-postgres.yaml" in output
    code, output = run("explain", "web", "--root", str(initialised))
    assert "emptyDir volume at /tmp" in output
    assert "ServiceAccount web, its token not mounted" in output
    assert "resources.requests.cpu: 100m" in output and "from spec.defaults" in output


def test_json(run: Run, initialised: Path) -> None:
    code, output = run("explain", "apps/web", "--root", str(initialised), "--format", "json")
    assert code == 0
    payload = json.loads(output)
    assert payload["component"] == "apps/web"
    assert payload["environment"] == "dev"
    assert payload["service"] == {"host": "web.apps.svc.cluster.local", "ports": {"http": 8080}}
    ingress = next(v for v in payload["values"] if v["path"] == "ingress.host")
    assert ingress["value"] == "web"
    assert ingress["origin"]["file"] == "platform.yaml"
    (reference,) = payload["references"]
    assert reference["resolved"] == "api.apps.svc.cluster.local:3000"
    assert reference["target"] == "apps/api"
    assert [d["component"] for d in payload["dependencies"]] == ["apps/api"]


def test_unknown_component_suggests_the_closest(run: Run, initialised: Path) -> None:
    code, output = run("explain", "apps/pstgres", "--root", str(initialised))
    assert code == 2
    assert "no component 'apps/pstgres' in dev; did you mean apps/postgres?" in output


def test_env_all_shows_the_component_side_by_side(run: Run, initialised: Path) -> None:
    code, output = run("explain", "apps/api", "--root", str(initialised), "--env", "all")
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0] == "apps/api across dev, prod:"
    assert lines[1].split() == ["dev", "prod"]
    (replicas,) = [line for line in lines if "replicas" in line]
    assert replicas.split() == ["≠", "replicas", "—", "2", "*"]  # only prod's overlay sets it
    (image,) = [line for line in lines if " image " in line]
    assert image.split() == ["image", *["docker.io/postgrest/postgrest:v12.2.3"] * 2]  # the same: no ≠


def test_env_all_as_json(run: Run, initialised: Path) -> None:
    code, output = run("explain", "api", "--root", str(initialised), "--env", "all", "--format", "json")
    assert code == 0, output
    payload = json.loads(output)
    assert payload["component"] == "apps/api" and payload["environments"] == ["dev", "prod"]
    replicas = payload["values"]["replicas"]
    assert replicas["dev"] is None
    assert replicas["prod"]["value"] == 2
    prod_line = line_of(initialised / "overlays" / "prod.yaml", "replicas: 2")
    assert replicas["prod"]["origin"]["file"] == "overlays/prod.yaml"
    assert replicas["prod"]["origin"]["line"] == prod_line


def test_env_all_names_an_unknown_component(run: Run, initialised: Path) -> None:
    code, output = run("explain", "apps/nope", "--root", str(initialised), "--env", "all")
    assert code == 2
    assert "nope" in output


def test_a_value_from_a_component_template_shows_the_template_line(run: Run, initialised: Path) -> None:
    platform = initialised / "platform.yaml"
    text = platform.read_text()
    text = text.replace(
        "  namespaces:\n",
        "  templates:\n    probed:\n      probes:\n        readiness: {http: /, port: http}\n  namespaces:\n",
        1,
    )
    api = (
        "          dependsOn: [postgres]\n          security: {runAsUser: 1000, runAsGroup: 1000}\n"
        "          probes:\n            readiness: {http: /, port: http}\n"
    )
    assert api in text  # the api component as init writes it
    text = text.replace(
        api,
        "          dependsOn: [postgres]\n          extends: probed\n"
        "          security: {runAsUser: 1000, runAsGroup: 1000}\n          probes:\n",
    )
    platform.write_text(text)
    code, output = run("explain", "apps/api", "--root", str(initialised), "--env", "dev")
    assert code == 0, output
    template_line = line_of(platform, "readiness: {http: /, port: http}")
    assert line_of(platform, "probed:") < template_line < line_of(platform, "namespaces:")
    shown = next(line for line in output.splitlines() if line.strip().startswith("probes.readiness.http"))
    assert f"platform.yaml:{template_line}:" in shown


def test_a_file_that_reads_a_secret_is_listed_as_a_file(run: Run, initialised: Path) -> None:
    platform = initialised / "platform.yaml"
    text = platform.read_text().replace(
        "                listen 8080;\n",
        "                listen 8080;\n                # token ${secret:app-db.password}\n",
    )
    platform.write_text(text)
    code, output = run("explain", "apps/web", "--root", str(initialised), "--env", "dev")
    assert code == 0, output
    secrets = output.split("\nsecrets:\n", 1)[1].split("\n\n", 1)[0]
    assert "file /etc/nginx/conf.d/default.conf" in secrets and "← app-db.password" in secrets
    assert "env " not in secrets
    assert "rendered/dev/secrets/apps/web-secret-files.yaml" in output  # the ExternalSecret that renders it
