"""Mirrors and archives that go wrong: a PC809 finding naming the mirror and the chart, exit 1,
nothing written to vendor/, never a traceback. Each case beside a mirror that works."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import helm_python
import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.upstream.archive import MAX_UNPACKED_BYTES, sha256

UPSTREAM = "https://charts.example.com"
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n"


def package(tmp_path: Path, name: str, version: str, destination: Path) -> Path:
    chart = tmp_path / "sources" / f"{name}-{version}"
    (chart / "templates").mkdir(parents=True, exist_ok=True)
    (chart / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n")
    (chart / "templates" / "cm.yaml").write_text(CONFIGMAP)
    return Path(helm_python.package(chart, destination=destination))


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    """A directory mirror holding alpha 1.2.3 and beta 0.4.0, indexed by Helm."""
    directory = tmp_path / "mirror"
    directory.mkdir()
    package(tmp_path, "alpha", "1.2.3", directory)
    package(tmp_path, "beta", "0.4.0", directory)
    helm_python.repo_index_generate(directory)
    return directory


def set_digest(directory: Path, archive: str, data: bytes) -> None:
    """Give the index entry of `archive` the digest of `data` (a mirror serving that archive as it is)."""
    index = directory / "index.yaml"
    lines = index.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- {archive}")
    digest = next(i for i in range(at, -1, -1) if lines[i].lstrip().startswith("digest:"))
    lines[digest] = lines[digest].split("digest:")[0] + f"digest: {sha256(data)}\n"
    index.write_text("".join(lines))


def vendor(root: Path, location: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["vendor", "--root", str(root), "--mirror", f"*={location}"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def assert_refused(root: Path, location: str, chart: str, reason: str) -> None:
    code, output = vendor(root, location)
    assert code == 1, output
    assert "Traceback" not in output
    assert f"PC809 error: cannot vendor chart {chart} from {UPSTREAM} through mirror {location}: " in output
    assert reason in output, output
    assert "nothing was written to vendor/" in output
    assert not (root / "vendor").exists()


def test_the_sound_mirror_vendors(chart_platform: Callable[[str], Path], mirror: Path) -> None:
    root = chart_platform(UPSTREAM)
    code, output = vendor(root, str(mirror))
    assert code == 0, output
    assert sorted(p.name for p in (root / "vendor" / "charts").iterdir()) == [
        "alpha-1.2.3.tgz",
        "beta-0.4.0.tgz",
    ]


def test_an_unreachable_mirror(chart_platform: Callable[[str], Path], closed_port: int) -> None:
    root = chart_platform(UPSTREAM)
    assert_refused(root, f"http://127.0.0.1:{closed_port}", "alpha 1.2.3", "cannot read its index")


def test_a_missing_directory_mirror(chart_platform: Callable[[str], Path], tmp_path: Path) -> None:
    root = chart_platform(UPSTREAM)
    assert_refused(root, str(tmp_path / "nowhere"), "alpha 1.2.3", "the mirror directory cannot be read")


HTML = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><p>Sign in</p></body></html>\n"


def test_html_where_an_index_should_be_over_http(
    chart_platform: Callable[[str], Path], chart_repository: Any
) -> None:
    chart_repository.publish("alpha", "1.2.3", {"cm.yaml": CONFIGMAP})
    (chart_repository.directory / "index.yaml").write_text(HTML)
    root = chart_platform(UPSTREAM)
    assert_refused(
        root, chart_repository.url, "alpha 1.2.3", "/index.yaml is an HTML page, not a chart repository index"
    )


def test_html_where_an_index_should_be_in_a_directory(
    chart_platform: Callable[[str], Path], mirror: Path
) -> None:
    (mirror / "index.yaml").write_text(HTML)
    root = chart_platform(UPSTREAM)
    assert_refused(
        root, str(mirror), "alpha 1.2.3", "its index.yaml is an HTML page, not a chart repository index"
    )


def test_yaml_that_is_no_index_in_a_directory(chart_platform: Callable[[str], Path], mirror: Path) -> None:
    (mirror / "index.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    root = chart_platform(UPSTREAM)
    assert_refused(root, str(mirror), "alpha 1.2.3", "is not a chart repository index: it has no `entries`")


def test_a_truncated_archive_fails_its_digest(chart_platform: Callable[[str], Path], mirror: Path) -> None:
    archive = mirror / "alpha-1.2.3.tgz"
    archive.write_bytes(archive.read_bytes()[:-200])
    root = chart_platform(UPSTREAM)
    assert_refused(root, str(mirror), "alpha 1.2.3", "digest mismatch: the index gives sha256")


def test_a_truncated_archive_the_index_vouches_for(
    chart_platform: Callable[[str], Path], mirror: Path
) -> None:
    archive = mirror / "alpha-1.2.3.tgz"
    data = archive.read_bytes()[:-200]
    archive.write_bytes(data)
    set_digest(mirror, "alpha-1.2.3.tgz", data)
    root = chart_platform(UPSTREAM)
    assert_refused(root, str(mirror), "alpha 1.2.3", "the archive is truncated")


def test_an_archive_holding_another_version(
    chart_platform: Callable[[str], Path], mirror: Path, tmp_path: Path
) -> None:
    other = package(tmp_path, "alpha", "1.2.4", tmp_path)
    data = other.read_bytes()
    (mirror / "alpha-1.2.3.tgz").write_bytes(data)
    set_digest(mirror, "alpha-1.2.3.tgz", data)
    root = chart_platform(UPSTREAM)
    assert_refused(root, str(mirror), "alpha 1.2.3", "the archive holds chart alpha 1.2.4 instead")


def test_an_archive_holding_another_chart(chart_platform: Callable[[str], Path], mirror: Path) -> None:
    data = (mirror / "beta-0.4.0.tgz").read_bytes()
    (mirror / "alpha-1.2.3.tgz").write_bytes(data)
    set_digest(mirror, "alpha-1.2.3.tgz", data)
    root = chart_platform(UPSTREAM)
    assert_refused(root, str(mirror), "alpha 1.2.3", "the archive holds chart beta 0.4.0 instead")


def gzip_bomb() -> bytes:
    """A tar.gz of about 150 KB: alpha's Chart.yaml, then a file of zeros past Helm's unpacked limit."""
    raw = io.BytesIO()
    chart_yaml = b"apiVersion: v2\nname: alpha\nversion: 1.2.3\n"
    with (
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as stream,
        tarfile.open(fileobj=stream, mode="w") as tar,
    ):
        info = tarfile.TarInfo("alpha/Chart.yaml")
        info.size = len(chart_yaml)
        tar.addfile(info, io.BytesIO(chart_yaml))
        zeros = tarfile.TarInfo("alpha/files/zeros.bin")
        zeros.size = MAX_UNPACKED_BYTES + 1
        tar.addfile(zeros, _Zeros(zeros.size))
    return raw.getvalue()


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.left)
        buffer[:count] = bytes(count)
        self.left -= count
        return count


def test_a_gzip_bomb(chart_platform: Callable[[str], Path], mirror: Path) -> None:
    data = gzip_bomb()
    assert len(data) < 1024 * 1024
    (mirror / "alpha-1.2.3.tgz").write_bytes(data)
    set_digest(mirror, "alpha-1.2.3.tgz", data)
    root = chart_platform(UPSTREAM)
    assert_refused(root, str(mirror), "alpha 1.2.3", "a gzip bomb, not a chart")


def test_an_index_entry_climbing_out_of_the_directory(
    chart_platform: Callable[[str], Path], mirror: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (mirror / "alpha-1.2.3.tgz").rename(outside / "alpha-1.2.3.tgz")
    index = mirror / "index.yaml"
    index.write_text(index.read_text().replace("- alpha-1.2.3.tgz", "- ../outside/alpha-1.2.3.tgz"))
    root = chart_platform(UPSTREAM)
    assert_refused(root, str(mirror), "alpha 1.2.3", "outside the mirror directory; refused")


def test_an_archive_linked_out_of_the_directory(
    chart_platform: Callable[[str], Path], mirror: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (mirror / "alpha-1.2.3.tgz").rename(outside / "alpha-1.2.3.tgz")
    (mirror / "alpha-1.2.3.tgz").symlink_to(outside / "alpha-1.2.3.tgz")
    root = chart_platform(UPSTREAM)
    assert_refused(
        root, str(mirror), "alpha 1.2.3", "a symbolic link leading out of the mirror directory; refused"
    )


def test_an_archive_linked_inside_the_directory_is_read(
    chart_platform: Callable[[str], Path], mirror: Path
) -> None:
    # the neighbour: a link that stays in the mirror is an ordinary file of it
    (mirror / "store").mkdir()
    (mirror / "alpha-1.2.3.tgz").rename(mirror / "store" / "alpha-1.2.3.tgz")
    (mirror / "alpha-1.2.3.tgz").symlink_to(Path("store") / "alpha-1.2.3.tgz")
    root = chart_platform(UPSTREAM)
    assert vendor(root, str(mirror))[0] == 0


def test_an_index_linked_out_of_the_directory(
    chart_platform: Callable[[str], Path], mirror: Path, tmp_path: Path
) -> None:
    (mirror / "index.yaml").rename(tmp_path / "index.yaml")
    os.symlink(tmp_path / "index.yaml", mirror / "index.yaml")
    root = chart_platform(UPSTREAM)
    assert_refused(root, str(mirror), "alpha 1.2.3", "its index.yaml is a symbolic link leading out")
