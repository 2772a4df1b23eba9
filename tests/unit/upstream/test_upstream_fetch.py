"""Fetching from a chart repository the tests build and serve on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import helm_python
import pytest

from generator.upstream import oci
from generator.upstream.errors import FetchError
from generator.upstream.fetch import Fetcher
from generator.upstream.pins import ChartPin

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"


def test_a_chart_is_fetched_and_the_index_read_once(chart_repository: Any) -> None:
    alpha = chart_repository.publish("alpha", "1.2.3", {"cm.yaml": CONFIGMAP})
    beta = chart_repository.publish("beta", "0.4.0", {"cm.yaml": CONFIGMAP})
    fetcher = Fetcher()
    assert fetcher.fetch(ChartPin("alpha", "1.2.3", chart_repository.url)) == alpha.read_bytes()
    assert fetcher.fetch(ChartPin("beta", "0.4.0", chart_repository.url)) == beta.read_bytes()
    assert chart_repository.requests == ["/index.yaml", "/alpha-1.2.3.tgz", "/beta-0.4.0.tgz"]


def test_a_digest_mismatch_is_refused(chart_repository: Any) -> None:
    chart_repository.publish("alpha", "1.2.3", {"cm.yaml": CONFIGMAP})
    chart_repository.set_digest("alpha", "0" * 64)
    with pytest.raises(FetchError, match=f"digest mismatch: the index gives sha256 {'0' * 64}"):
        Fetcher().fetch(ChartPin("alpha", "1.2.3", chart_repository.url))


def test_an_archive_that_is_another_chart_is_refused(chart_repository: Any) -> None:
    chart_repository.publish("alpha", "1.2.3", {"cm.yaml": CONFIGMAP})
    other = chart_repository.publish("alpha", "1.2.4", {"cm.yaml": CONFIGMAP})
    other.replace(chart_repository.directory / "alpha-1.2.3.tgz")
    index = chart_repository.directory / "index.yaml"
    index.write_text("\n".join(line for line in index.read_text().splitlines() if "digest:" not in line))
    with pytest.raises(FetchError, match=r"the archive holds chart alpha 1\.2\.4 instead"):
        Fetcher().fetch(ChartPin("alpha", "1.2.3", chart_repository.url))


def test_a_missing_archive_is_an_http_error(chart_repository: Any) -> None:
    archive = chart_repository.publish("alpha", "1.2.3", {"cm.yaml": CONFIGMAP})
    archive.unlink()
    with pytest.raises(FetchError, match=r"alpha-1\.2\.3\.tgz failed: HTTP 404"):
        Fetcher().fetch(ChartPin("alpha", "1.2.3", chart_repository.url))


def test_an_unreachable_repository_is_tried_once(closed_port: int) -> None:
    repository = f"http://127.0.0.1:{closed_port}/charts"
    fetcher = Fetcher()
    for name in ("alpha", "beta"):
        with pytest.raises(FetchError, match="(?i)cannot read its index: .*connection refused"):
            fetcher.fetch(ChartPin(name, "1.0.0", repository))


def test_oci_charts_are_pulled_by_reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = tmp_path / "alpha"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: alpha\nversion: 1.2.3\n")
    packaged = Path(helm_python.package(chart, destination=tmp_path))
    calls: list[tuple[str, str]] = []

    def pull(reference: str, *, version: str, destination: str) -> dict[str, Any]:
        calls.append((reference, version))
        (Path(destination) / packaged.name).write_bytes(packaged.read_bytes())
        return {"output": ""}

    monkeypatch.setattr(helm_python, "pull", pull)
    pin = ChartPin("alpha", "1.2.3", "oci://registry.example.com/charts")
    assert Fetcher().fetch(pin) == packaged.read_bytes()
    assert calls == [("oci://registry.example.com/charts/alpha", "1.2.3")]
    assert oci.reference(pin.repository, pin) == "oci://registry.example.com/charts/alpha"


def test_a_failed_oci_pull_is_a_fetch_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def pull(reference: str, **options: Any) -> dict[str, Any]:
        raise helm_python.HelmRegistryError("unauthorized")

    monkeypatch.setattr(helm_python, "pull", pull)
    with pytest.raises(
        FetchError, match="helm pull oci://registry.example.com/charts/alpha --version 1.2.3 failed"
    ):
        Fetcher().fetch(ChartPin("alpha", "1.2.3", "oci://registry.example.com/charts"))
