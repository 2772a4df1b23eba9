"""vendor_charts on a small platform whose charts come from a repository served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.errors import InputError, WriteError
from generator.pipeline import analyse
from generator.upstream.archive import sha256
from generator.upstream.charts import VendorResult, vendor_charts
from generator.upstream.lock import LOCK_FILE
from generator.upstream.pins import ChartPin, collect_pins

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"
ENVS = ["dev", "prod"]


def vendor(root: Path) -> VendorResult:
    return vendor_charts(root, collect_pins(analyse(root, ENVS)))


@pytest.fixture
def published(chart_repository: Any) -> dict[str, bytes]:
    return {
        name: chart_repository.publish(name, version, {"cm.yaml": CONFIGMAP}).read_bytes()
        for name, version in (("alpha", "1.2.3"), ("beta", "0.4.0"))
    }


def test_every_pinned_chart_is_fetched_once_and_locked(
    chart_repository: Any, chart_platform: Callable[[str], Path], published: dict[str, bytes]
) -> None:
    root = chart_platform(chart_repository.url)
    result = vendor(root)
    assert result.ok, result.findings
    assert result.fetched == [
        ChartPin("alpha", "1.2.3", chart_repository.url),
        ChartPin("beta", "0.4.0", chart_repository.url),
    ]
    assert sorted(chart_repository.requests) == ["/alpha-1.2.3.tgz", "/beta-0.4.0.tgz", "/index.yaml"]
    charts = root / "vendor" / "charts"
    assert sorted(p.name for p in charts.iterdir()) == ["alpha-1.2.3.tgz", "beta-0.4.0.tgz"]
    assert (charts / "alpha-1.2.3.tgz").read_bytes() == published["alpha"]
    lock = (root / LOCK_FILE).read_text()
    assert f"- name: alpha\n  version: 1.2.3\n  repository: {chart_repository.url}\n" in lock
    assert f"  sha256: {sha256(published['beta'])}\n" in lock
    assert result.lock_changed


def test_a_second_run_downloads_nothing(
    chart_repository: Any, chart_platform: Callable[[str], Path], published: dict[str, bytes]
) -> None:
    root = chart_platform(chart_repository.url)
    assert vendor(root).ok
    lock = (root / LOCK_FILE).read_bytes()
    chart_repository.requests.clear()
    again = vendor(root)
    assert again.ok
    assert chart_repository.requests == []
    assert (again.fetched, len(again.kept), again.lock_changed) == ([], 2, False)
    assert (root / LOCK_FILE).read_bytes() == lock


def test_a_digest_mismatch_is_pc809_and_nothing_at_all_is_written(
    chart_repository: Any, chart_platform: Callable[[str], Path], published: dict[str, bytes]
) -> None:
    chart_repository.set_digest("beta", "f" * 64)
    root = chart_platform(chart_repository.url)
    result = vendor(root)
    assert not result.ok
    (finding,) = result.findings
    assert (finding.rule, finding.file, finding.env) == ("PC809", "platform.yaml", "dev,prod")
    assert finding.message.startswith(
        f"cannot vendor chart beta 0.4.0 from {chart_repository.url}: digest mismatch"
    )
    assert not (root / "vendor").exists(), "alpha was fetched, but the run failed: nothing is written"
    assert result.fetched == []


def test_an_unreachable_repository_is_pc809_for_each_chart(
    chart_platform: Callable[[str], Path], closed_port: int
) -> None:
    repository = f"http://127.0.0.1:{closed_port}"
    root = chart_platform(repository)
    result = vendor(root)
    assert [(f.rule, f.is_error) for f in result.findings] == [("PC809", True), ("PC809", True)]
    for finding in result.findings:
        assert f"from {repository}: cannot read its index" in finding.message
        assert "or copy the archive to vendor/charts/" in finding.message
    assert not (root / "vendor").exists()


def test_an_archive_copied_in_by_hand_is_kept(
    chart_repository: Any,
    chart_platform: Callable[[str], Path],
    published: dict[str, bytes],
    closed_port: int,
) -> None:
    root = chart_platform(f"http://127.0.0.1:{closed_port}")
    charts = root / "vendor" / "charts"
    charts.mkdir(parents=True)
    for name, version in (("alpha", "1.2.3"), ("beta", "0.4.0")):
        (charts / f"{name}-{version}.tgz").write_bytes(published[name])
    result = vendor(root)
    assert result.ok and len(result.kept) == 2
    assert (root / LOCK_FILE).is_file()


def test_archives_no_pin_needs_are_named(
    chart_repository: Any, chart_platform: Callable[[str], Path], published: dict[str, bytes]
) -> None:
    old = chart_repository.publish("alpha", "1.0.0", {"cm.yaml": CONFIGMAP})
    root = chart_platform(chart_repository.url)
    (root / "vendor" / "charts").mkdir(parents=True)
    (root / "vendor" / "charts" / "alpha-1.0.0.tgz").write_bytes(old.read_bytes())
    assert vendor(root).unused == ["alpha-1.0.0.tgz"]


def test_a_symlinked_archive_stops_the_run(
    chart_repository: Any, chart_platform: Callable[[str], Path], published: dict[str, bytes], tmp_path: Path
) -> None:
    root = chart_platform(chart_repository.url)
    (root / "vendor" / "charts").mkdir(parents=True)
    (root / "vendor" / "charts" / "alpha-1.2.3.tgz").symlink_to(
        chart_repository.directory / "alpha-1.2.3.tgz"
    )
    with pytest.raises(InputError, match="is a symbolic link"):
        vendor(root)
    assert chart_repository.requests == []


def test_nothing_pinned_writes_nothing(chart_platform: Callable[[str], Path]) -> None:
    root = chart_platform("https://charts.example.com")
    off = (
        "spec:\n  applications:\n    web:\n      components:\n"
        "        alpha: {enabled: false}\n        beta: {enabled: false}\n"
    )
    for env in ENVS:
        (root / "overlays" / f"{env}.yaml").write_text(off)
    result = vendor(root)
    assert result.ok and not result.fetched and not result.kept
    assert not (root / "vendor").exists()


def test_a_write_that_fails_is_a_write_error(
    chart_repository: Any,
    chart_platform: Callable[[str], Path],
    published: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", refuse)
    root = chart_platform(chart_repository.url)
    with pytest.raises(
        WriteError, match=r"cannot write vendor/charts/alpha-1\.2\.3\.tgz: No space left on device"
    ):
        vendor(root)
    assert [p.name for p in (root / "vendor" / "charts").iterdir()] == []
