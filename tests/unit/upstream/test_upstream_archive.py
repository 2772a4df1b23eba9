from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import helm_python
import pytest

from generator.upstream import archive
from generator.upstream.archive import chart_identity, inspect, sha256
from generator.upstream.errors import FetchError


def tgz(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_a_packaged_chart_says_its_name_and_version(tmp_path: Path) -> None:
    chart = tmp_path / "alpha"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: alpha\nversion: 1.2.3\n")
    packaged = Path(helm_python.package(chart, destination=tmp_path))
    assert chart_identity(packaged.read_bytes()) == ("alpha", "1.2.3")


def test_only_the_top_level_chart_yaml_counts() -> None:
    data = tgz({"alpha/charts/sub/Chart.yaml": b"name: sub\nversion: 9.9.9\n"})
    assert chart_identity(data) is None
    data = tgz(
        {
            "alpha/charts/sub/Chart.yaml": b"name: sub\nversion: 9.9.9\n",
            "alpha/Chart.yaml": b"name: alpha\nversion: v1.0.0\n",
        }
    )
    assert chart_identity(data) == ("alpha", "v1.0.0")


@pytest.mark.parametrize(
    "data",
    [
        b"not an archive",
        b"",
        tgz({"alpha/Chart.yaml": b"name: [unclosed\n"}),
        tgz({"alpha/Chart.yaml": b"name: alpha\n"}),  # no version
        tgz({"alpha/Chart.yaml": b"- a list\n"}),
        tgz({"alpha/Chart.yaml": b"name: a\nname: b\nversion: 1.0.0\n"}),  # duplicate key
    ],
    # named, not shown: an archive's bytes carry gzip's time stamp, and the IDs must be the same
    # in every xdist worker
    ids=["text", "empty", "unclosed", "no-version", "a-list", "duplicate-key"],
)
def test_what_is_no_chart_archive_has_no_identity(data: bytes) -> None:
    assert chart_identity(data) is None


def test_a_gzip_bomb_stops_at_the_unpacked_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_UNPACKED_BYTES", 1000)
    data = tgz({"alpha/big.bin": b"\0" * 2000, "alpha/Chart.yaml": b"name: alpha\nversion: 1.0.0\n"})
    assert chart_identity(data) is None


def test_sha256_is_hex() -> None:
    assert sha256(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


CHART = {"alpha/Chart.yaml": b"apiVersion: v2\nname: alpha\nversion: 1.0.0\n", "alpha/values.yaml": b"a: 1\n"}


def test_a_whole_archive_is_inspected_to_its_last_byte() -> None:
    data = tgz(CHART)
    assert inspect(data) == ("alpha", "1.0.0")
    assert archive.unpacked_size(data) >= sum(len(v) for v in CHART.values())


def test_a_truncated_archive_whose_chart_yaml_still_reads_is_refused_whole() -> None:
    data = tgz(CHART)[:-12]  # the gzip trailer (length and checksum) is gone; Chart.yaml still reads
    assert chart_identity(data) == ("alpha", "1.0.0")  # the quick look the pipeline takes
    with pytest.raises(FetchError, match="the archive is truncated"):
        inspect(data)


def test_concatenated_gzip_members_are_one_archive_and_trailing_garbage_is_not() -> None:
    whole = tgz(CHART)
    half = len(whole) // 2
    raw = gzip.decompress(whole)
    two_members = gzip.compress(raw[:half], mtime=0) + gzip.compress(raw[half:], mtime=0)
    assert archive.unpacked_size(two_members) == len(raw)
    with pytest.raises(FetchError, match="not gzip data"):
        archive.unpacked_size(whole + b"<html>")


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"alpha/values.yaml": b"a: 1\n"}, "holds no <chart>/Chart.yaml"),
        ({"alpha/Chart.yaml": b"name: [alpha\n"}, "Chart.yaml is not YAML"),
        ({"alpha/Chart.yaml": b"name: alpha\n"}, "gives no name and version"),
    ],
)
def test_what_is_wrong_with_an_archive_is_said(files: dict[str, bytes], reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        inspect(tgz(files))
