from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from generator.emit import RenderedTree
from generator.errors import LockedError, WriteError
from generator.write import compare_tree, render_lock, swap, write_environment


def tree(files: dict[str, str]) -> RenderedTree:
    out = RenderedTree()
    for path, text in files.items():
        out.add_text(path, text)
    return out


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_writes_and_prunes_files_the_platform_no_longer_produces(tmp_path: Path) -> None:
    rendered = tmp_path / "rendered"
    write_environment(rendered, "dev", tree({"a.yaml": "1\n", "apps/x/Chart.yaml": "x\n"}))
    write_environment(rendered, "dev", tree({"a.yaml": "2\n"}))
    assert snapshot(rendered / "dev") == {"a.yaml": b"2\n"}


def test_other_environments_are_never_touched(tmp_path: Path) -> None:
    rendered = tmp_path / "rendered"
    write_environment(rendered, "prod", tree({"p.yaml": "p\n"}))
    (rendered / "notes.txt").write_text("mine")
    write_environment(rendered, "dev", tree({"d.yaml": "d\n"}))
    assert snapshot(rendered / "prod") == {"p.yaml": b"p\n"}
    assert (rendered / "notes.txt").read_text() == "mine"


def test_failure_mid_write_leaves_the_old_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = tmp_path / "rendered"
    write_environment(rendered, "dev", tree({"a.yaml": "old\n", "b.yaml": "old\n"}))
    real_open = os.open
    calls = {"n": 0}

    def failing_open(path: object, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        if str(path).endswith(".yaml") and ".staging-" in str(path):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(28, "No space left on device")
        return real_open(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", failing_open)
    with pytest.raises(WriteError, match="No space left"):
        write_environment(rendered, "dev", tree({"a.yaml": "new\n", "b.yaml": "new\n"}))
    monkeypatch.undo()
    assert snapshot(rendered / "dev") == {"a.yaml": b"old\n", "b.yaml": b"old\n"}
    assert [p.name for p in rendered.iterdir() if p.name.startswith(".staging")] == []


def test_a_half_done_swap_is_recovered(tmp_path: Path) -> None:
    rendered = tmp_path / "rendered"
    write_environment(rendered, "dev", tree({"a.yaml": "old\n"}))
    (rendered / "dev").rename(rendered / ".old-dev")  # killed between the two renames
    swap.recover(rendered, "dev")
    assert snapshot(rendered / "dev") == {"a.yaml": b"old\n"}


def test_env_directory_that_is_a_symlink_is_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    rendered = tmp_path / "rendered"
    rendered.mkdir()
    (rendered / "dev").symlink_to(outside)
    with pytest.raises(WriteError, match="symlink"):
        write_environment(rendered, "dev", tree({"a.yaml": "x\n"}))
    assert snapshot(outside) == {"keep.txt": b"keep"}


def test_rendered_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "rendered").write_text("oops")
    with pytest.raises(WriteError, match="not a directory"):
        write_environment(tmp_path / "rendered", "dev", tree({"a.yaml": "x\n"}))


def test_second_render_waits_then_fails_clearly(tmp_path: Path) -> None:
    rendered = tmp_path / "rendered"
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with render_lock(rendered):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    try:
        with pytest.raises(LockedError, match="another platformc render"), render_lock(rendered, timeout=0.3):
            pass
    finally:
        release.set()
        thread.join()
    with render_lock(rendered, timeout=1):
        pass


def test_compare_lists_stale_missing_and_extra(tmp_path: Path) -> None:
    rendered = tmp_path / "rendered"
    write_environment(rendered, "dev", tree({"a.yaml": "1\n", "b.yaml": "1\n", "c.yaml": "1\n"}))
    (rendered / "dev" / "a.yaml").write_text("edited by hand\n")
    (rendered / "dev" / "c.yaml").unlink()
    (rendered / "dev" / "d.yaml").write_text("stray\n")
    drift = compare_tree(tree({"a.yaml": "1\n", "b.yaml": "1\n", "c.yaml": "1\n"}), rendered / "dev")
    assert (drift.stale, drift.missing, drift.extra) == (["a.yaml"], ["c.yaml"], ["d.yaml"])
