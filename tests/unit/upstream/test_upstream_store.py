from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.upstream import store
from generator.upstream.store import load_vendored, write_atomically


def tgz(name: str, version: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        data = f"apiVersion: v2\nname: {name}\nversion: {version}\n".encode()
        info = tarfile.TarInfo(f"{name}/Chart.yaml")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def vendored(root: Path, file: str, data: bytes) -> Path:
    path = root / "vendor" / "charts" / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_nothing_vendored_is_an_empty_map(tmp_path: Path) -> None:
    assert load_vendored(tmp_path) == {}
    (tmp_path / "vendor" / "charts").mkdir(parents=True)
    assert load_vendored(tmp_path) == {}


def test_archives_are_keyed_by_their_chart_yaml(tmp_path: Path) -> None:
    alpha, beta = tgz("alpha", "1.2.3"), tgz("beta", "v0.4.0")
    vendored(tmp_path, "alpha-1.2.3.tgz", alpha)
    vendored(tmp_path, "beta-v0.4.0.tgz", beta)
    vendored(tmp_path, ".platformc-half-written.tmp", b"partial")
    vendored(tmp_path, ".hidden.tgz", b"partial")
    vendored(tmp_path, "README.md", b"# notes\n")
    assert load_vendored(tmp_path) == {("alpha", "1.2.3"): alpha, ("beta", "v0.4.0"): beta}


def test_a_symlinked_archive_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.tgz"
    target.write_bytes(tgz("alpha", "1.2.3"))
    (tmp_path / "vendor" / "charts").mkdir(parents=True)
    (tmp_path / "vendor" / "charts" / "alpha-1.2.3.tgz").symlink_to(target)
    with pytest.raises(InputError, match=r"vendor/charts/alpha-1\.2\.3\.tgz is a symbolic link"):
        load_vendored(tmp_path)


def test_a_symlinked_vendor_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "vendor").symlink_to(tmp_path / "real")
    with pytest.raises(InputError, match="vendor is a symbolic link"):
        load_vendored(tmp_path)


def test_an_oversized_archive_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "MAX_ARCHIVE_BYTES", 64)
    vendored(tmp_path, "alpha-1.2.3.tgz", tgz("alpha", "1.2.3") + b"\0" * 64)
    with pytest.raises(InputError, match="platformc reads chart archives up to 64 bytes"):
        load_vendored(tmp_path)


def test_an_archive_named_after_another_chart_is_refused(tmp_path: Path) -> None:
    vendored(tmp_path, "alpha-1.2.3.tgz", tgz("alpha", "1.2.4"))
    with pytest.raises(
        InputError, match=r"holds chart alpha 1\.2\.4, so it must be named alpha-1\.2\.4\.tgz"
    ):
        load_vendored(tmp_path)


def test_a_file_that_is_no_chart_is_refused(tmp_path: Path) -> None:
    vendored(tmp_path, "alpha-1.2.3.tgz", b"<html>not found</html>")
    with pytest.raises(InputError, match="is not a Helm chart archive; delete it and run `platformc vendor`"):
        load_vendored(tmp_path)


def test_writes_replace_the_file_whole_and_leave_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "vendor" / "charts" / "alpha-1.2.3.tgz"
    write_atomically(path, b"first")
    write_atomically(path, b"second")
    assert path.read_bytes() == b"second"
    assert os.listdir(path.parent) == ["alpha-1.2.3.tgz"]
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "alpha-1.2.3.tgz"
    path.write_bytes(b"old")

    def refuse(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["alpha-1.2.3.tgz"]
