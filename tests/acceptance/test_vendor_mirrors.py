"""`platformc vendor` through mirrors: the project's own vendor/ reproduced, and where mirrors come from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import helm_python
import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.upstream.mirrors import ENV_VAR

REPO = Path(__file__).resolve().parents[2]
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
UPSTREAM = "https://charts.example.com"  # never reached: every test fetches through a mirror


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.output


def files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# ------------------------------------------------------------------ the project's vendor/, reproduced


def test_the_committed_vendor_directory_lists_every_pinned_chart() -> None:
    lock = (REPO / "vendor" / "charts.lock.yaml").read_text(encoding="utf-8")
    archives = sorted(p.name for p in (REPO / "vendor" / "charts").iterdir())
    assert len(archives) == lock.count("- name: ") >= 19
    assert "cert-manager-v1.15.3.tgz" in archives and "loki-6.16.0.tgz" in archives


def test_vendor_through_a_loopback_http_mirror_reproduces_vendor_byte_for_byte(
    platform_root: Path, shared_charts_http: str
) -> None:
    code, output = run("vendor", "--root", str(platform_root), "--mirror", f"*={shared_charts_http}")
    assert code == 0, output
    assert f"through mirror {shared_charts_http} into vendor/charts/cert-manager-v1.15.3.tgz" in output
    assert files(platform_root / "vendor") == files(REPO / "vendor")


def test_vendor_through_a_directory_mirror_reproduces_vendor_byte_for_byte(
    platform_root: Path, shared_charts: Path
) -> None:
    code, output = run("vendor", "--root", str(platform_root), "--mirror", f"*={shared_charts}")
    assert code == 0, output
    assert files(platform_root / "vendor") == files(REPO / "vendor")
    # a second run keeps every archive and leaves the lock alone
    code, output = run("vendor", "--root", str(platform_root), "--mirror", f"*={shared_charts}")
    assert (code, "already vendored" in output, "wrote vendor" in output) == (0, True, False)


# ------------------------------------------------------------------ where mirrors come from


@pytest.fixture
def repository_dir(tmp_path: Path) -> Path:
    """A chart repository on disk with alpha 1.2.3 and beta 0.4.0."""
    directory = tmp_path / "mirror"
    directory.mkdir()
    for name, version in (("alpha", "1.2.3"), ("beta", "0.4.0")):
        chart = tmp_path / "sources" / name
        (chart / "templates").mkdir(parents=True)
        (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n")
        (chart / "templates" / "cm.yaml").write_text(CONFIGMAP)
        helm_python.package(chart, destination=directory)
    helm_python.repo_index_generate(directory)
    return directory


def declare(root: Path, mirrors: str) -> None:
    text = (root / "platform.yaml").read_text(encoding="utf-8")
    (root / "platform.yaml").write_text(
        text.replace(
            "  registries: [docker.io]\n", f"  registries: [docker.io]\n  charts:\n    mirrors:\n{mirrors}"
        ),
        encoding="utf-8",
    )


def test_a_mirror_declared_in_platform_yaml_is_used_and_recorded(
    chart_platform: Callable[[str], Path], repository_dir: Path
) -> None:
    root = chart_platform(UPSTREAM)
    declare(root, f'      "{UPSTREAM}": {repository_dir}\n')
    code, output = run("vendor", "--root", str(root))
    assert code == 0, output
    lock = (root / "vendor" / "charts.lock.yaml").read_text()
    assert f"  repository: {UPSTREAM}\n  mirror: {repository_dir}\n" in lock


def test_a_relative_declared_directory_is_relative_to_the_platform(
    chart_platform: Callable[[str], Path], repository_dir: Path
) -> None:
    root = chart_platform(UPSTREAM)
    repository_dir.rename(root / "charts-mirror")
    declare(root, '      "*": charts-mirror\n')
    code, output = run("vendor", "--root", str(root))
    assert code == 0, output
    assert "  mirror: charts-mirror\n" in (root / "vendor" / "charts.lock.yaml").read_text()


def test_without_a_mirror_the_upstream_repository_is_fetched(
    chart_platform: Callable[[str], Path], closed_port: int
) -> None:
    # the neighbour: no mirror anywhere, so the pinned repository itself is asked
    repository = f"http://127.0.0.1:{closed_port}"
    root = chart_platform(repository)
    code, output = run("vendor", "--root", str(root))
    assert code == 1
    assert f"cannot vendor chart alpha 1.2.3 from {repository}: cannot read its index" in output


def test_the_command_line_comes_before_the_environment_and_platform_yaml(
    chart_platform: Callable[[str], Path], repository_dir: Path, closed_port: int
) -> None:
    root = chart_platform(UPSTREAM)
    dead = f"http://127.0.0.1:{closed_port}"
    declare(root, f'      "*": {dead}\n')
    env = {ENV_VAR: f"{UPSTREAM}={dead}/from-env"}
    code, output = run("vendor", "--root", str(root), "--mirror", f"*={repository_dir}", env=env)
    assert code == 0, output
    assert "  mirror: given with --mirror\n" in (root / "vendor" / "charts.lock.yaml").read_text()


def test_the_environment_comes_before_platform_yaml(
    chart_platform: Callable[[str], Path], repository_dir: Path, closed_port: int
) -> None:
    root = chart_platform(UPSTREAM)
    declare(root, f'      "*": http://127.0.0.1:{closed_port}\n')
    code, output = run("vendor", "--root", str(root), env={ENV_VAR: f"  {UPSTREAM}/={repository_dir}\n"})
    assert code == 0, output
    assert f"  mirror: given with {ENV_VAR}\n" in (root / "vendor" / "charts.lock.yaml").read_text()


def test_an_exact_upstream_wins_over_the_catch_all(
    chart_platform: Callable[[str], Path], repository_dir: Path, closed_port: int
) -> None:
    root = chart_platform(UPSTREAM)
    dead = f"http://127.0.0.1:{closed_port}"
    code, output = run(
        "vendor", "--root", str(root), "--mirror", f"*={dead}", "--mirror", f"{UPSTREAM}={repository_dir}"
    )
    assert code == 0, output
    code, output = run("vendor", "--root", str(root / "nowhere"), "--mirror", f"*={dead}")
    assert code == 2  # the neighbour: a root that does not exist is a usage error, not a fetch


@pytest.mark.parametrize(
    "given", ["no-equals-sign", f"{UPSTREAM}=", "charts.example.com=/srv/charts", "=/srv/charts"]
)
def test_a_mirror_that_is_not_upstream_equals_mirror_is_a_usage_error(
    chart_platform: Callable[[str], Path], given: str
) -> None:
    root = chart_platform(UPSTREAM)
    code, output = run("vendor", "--root", str(root), "--mirror", given)
    assert code == 2
    assert "UPSTREAM=MIRROR" in output or "the upstream is a repository URL" in output
    assert not (root / "vendor").exists()


def test_a_declared_mirror_key_that_is_no_url_is_a_schema_error(
    chart_platform: Callable[[str], Path],
) -> None:
    root = chart_platform(UPSTREAM)
    declare(root, "      charts.example.com: /srv/charts\n")
    code, output = run("validate", "--root", str(root))
    assert code == 1
    assert "charts.example.com" in output and "spec.charts.mirrors" in output


def test_an_oci_mirror_pulls_the_chart_by_name(
    chart_platform: Callable[[str], Path], repository_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pulled: list[tuple[str, str]] = []

    def pull(reference: str, *, version: str, destination: str) -> dict[str, Any]:
        pulled.append((reference, version))
        name = reference.rsplit("/", 1)[-1]
        (Path(destination) / f"{name}-{version}.tgz").write_bytes(
            (repository_dir / f"{name}-{version}.tgz").read_bytes()
        )
        return {"output": ""}

    monkeypatch.setattr(helm_python, "pull", pull)
    root = chart_platform(UPSTREAM)
    code, output = run("vendor", "--root", str(root), "--mirror", "*=oci://harbor.example.com/proxy/")
    assert code == 0, output
    assert pulled == [
        ("oci://harbor.example.com/proxy/alpha", "1.2.3"),
        ("oci://harbor.example.com/proxy/beta", "0.4.0"),
    ]
