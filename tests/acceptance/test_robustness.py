"""Defects found from outside, each driven through the CLI: platformc answers with findings and exit
codes, never a traceback, and never loses a file it did not write."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.load.yaml import load_text
from tests.acceptance.conftest import Run

RunProcess = Callable[..., Any]

# ------------------------------------------------------------------ overlays that are not files


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda p: p.symlink_to("missing.yaml"), "a symbolic link to nothing"),
        (lambda p: p.mkdir(), "a directory"),
        (lambda p: os.mkfifo(p), "a named pipe (FIFO)"),
    ],
    ids=["dangling symlink", "directory", "fifo"],
)
def test_an_overlay_that_is_not_a_file_is_an_error_not_a_missing_environment(
    initialised: Path, run: Run, make: object, what: str
) -> None:
    make(initialised / "overlays" / "qa.yaml")  # type: ignore[operator]
    code, output = run("validate", "--root", str(initialised))
    assert code == 1, output
    assert (
        f"overlays/qa.yaml:1:1: PC001 error: cannot read overlays/qa.yaml: it is {what}, not a file [qa]"
        in output
    )
    assert "[dev]" not in output.replace("[qa]", "")  # the neighbours still validate cleanly


def test_an_unlistable_overlays_folder_is_a_usage_error(
    initialised: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.iterdir

    def refuse(self: Path) -> object:
        if self.name == "overlays":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refuse)  # root reads any folder: chmod cannot show this
    code, output = run("validate", "--root", str(initialised))
    assert code == 2, output
    assert "cannot list" in output and "Permission denied" in output


# ------------------------------------------------------------------ render replaces only its own trees


def test_render_out_refuses_a_directory_platformc_did_not_write(
    initialised: Path, run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "elsewhere"
    (out / "dev").mkdir(parents=True)
    (out / "dev" / "notes.txt").write_text("mine\n")
    code, output = run("render", "--root", str(initialised), "--out", str(out))
    assert code == 2, output
    assert f"refusing to replace {out / 'dev'}" in output
    assert (out / "dev" / "notes.txt").read_text() == "mine\n"
    assert not (out / "prod").exists()  # all or none


def test_render_out_dot_never_replaces_a_source_folder_named_like_an_environment(
    initialised: Path, run: Run
) -> None:
    shutil.copy(initialised / "overlays" / "dev.yaml", initialised / "overlays" / "overlays.yaml")
    before = sorted(p.name for p in (initialised / "overlays").iterdir())
    code, output = run("render", "--root", str(initialised), "--out", str(initialised))
    assert code == 2, output
    assert "refusing to replace" in output and "overlays" in output
    assert sorted(p.name for p in (initialised / "overlays").iterdir()) == before


def test_render_out_replaces_its_own_tree_and_fills_an_empty_directory(
    initialised: Path, run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "elsewhere"
    (out / "dev").mkdir(parents=True)
    assert run("render", "--root", str(initialised), "--out", str(out))[0] == 0
    (out / "dev" / "stale.yaml").write_text("old\n")
    code, output = run("render", "--root", str(initialised), "--out", str(out))
    assert code == 0, output
    assert not (out / "dev" / "stale.yaml").exists() and (out / "dev" / "root.yaml").is_file()


# ------------------------------------------------------------------ a report that cannot be printed


def _no_traceback(process: Any) -> None:
    assert "Traceback" not in process.stderr, process.stderr


def test_a_full_disk_on_stdout_is_exit_2_with_a_message(initialised: Path, run_process: RunProcess) -> None:
    process = run_process(["validate", "--root", str(initialised)], shell_suffix=">/dev/full")
    assert process.code == 2, process.stderr
    assert "platformc: error: cannot print the report: No space left on device" in process.stderr
    _no_traceback(process)


def test_a_closed_stdout_is_exit_2_with_a_message(initialised: Path, run_process: RunProcess) -> None:
    process = run_process(["validate", "--root", str(initialised)], shell_suffix=">&-")
    assert process.code == 2, process.stderr
    assert "cannot print the report: stdout is closed" in process.stderr
    _no_traceback(process)


def test_a_render_that_wrote_its_tree_and_cannot_print_says_so_and_is_not_exit_3(
    tmp_path: Path, run_process: RunProcess
) -> None:
    root = tmp_path / "plat\u00e9"  # the report names this path: ASCII output cannot hold it
    assert run_process(["init", str(root)]).code == 0
    process = run_process(["render", "--root", str(root)], env={"PYTHONIOENCODING": "ascii"})
    assert process.code == 2, process.stderr
    assert "stdout's encoding ascii cannot hold" in process.stderr and "was written" in process.stderr
    assert "PYTHONIOENCODING=utf-8" in process.stderr
    _no_traceback(process)
    assert (root / "rendered" / "dev" / "root.yaml").is_file()
    assert run_process(["check", "--root", str(root), "--no-verify"]).code == 0  # the whole tree


def test_a_working_stdout_prints_the_report(initialised: Path, run_process: RunProcess) -> None:
    process = run_process(["validate", "--root", str(initialised)])
    assert process.code == 0, process.stderr
    assert process.stdout.decode().endswith("0 errors, 0 warnings\n")


# ------------------------------------------------------------------ findings where the cause is


def test_a_required_key_removed_by_an_overlay_is_reported_at_its_null(initialised: Path, run: Run) -> None:
    (initialised / "overlays" / "dev.yaml").write_text("spec:\n  kubernetesVersion: null\n")
    code, output = run("validate", "--root", str(initialised), "--env", "dev")
    assert code == 1, output
    assert (
        "overlays/dev.yaml:2:3: PC006 error: `spec.kubernetesVersion` is required, "
        "and this `null` removes it; delete this line to keep the value the base file sets, "
        "or set another [dev]"
    ) in output


def test_a_required_key_missing_from_the_base_is_reported_at_the_base(initialised: Path, run: Run) -> None:
    platform = initialised / "platform.yaml"
    lines = platform.read_text().splitlines(keepends=True)
    platform.write_text("".join(line for line in lines if not line.lstrip().startswith("kubernetesVersion:")))
    code, output = run("validate", "--root", str(initialised), "--env", "dev")
    assert code == 1, output
    assert "platform.yaml:" in output and "missing the required key `kubernetesVersion`; add it" in output
    assert "overlays/dev.yaml" not in output and "null" not in output


def test_a_recursive_merge_key_is_a_finding(initialised: Path, run: Run) -> None:
    platform = initialised / "platform.yaml"
    platform.write_text(platform.read_text() + "x-loop: &loop {<<: *loop}\n")
    code, output = run("validate", "--root", str(initialised))
    assert code == 1, output
    assert "PC003 error: the alias *loop is used inside the node its anchor &loop names" in output


# ------------------------------------------------------------------ text that survives rendering


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
def test_a_line_separator_in_a_value_survives_rendering(initialised: Path, run: Run, separator: str) -> None:
    platform = initialised / "platform.yaml"
    escape = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}[separator]
    text = platform.read_text(encoding="utf-8")
    assert "            POSTGRES_DB: app\n" in text
    text = text.replace("            POSTGRES_DB: app\n", f'            POSTGRES_DB: "a{escape}b"\n')
    platform.write_text(text, encoding="utf-8")
    code, output = run("render", "--root", str(initialised), "--env", "dev")
    assert code == 0, output
    values = [
        load_text(path.read_bytes(), path.name).data
        for path in (initialised / "rendered" / "dev" / "apps").rglob("values.yaml")
    ]
    found = [
        env["value"] for data in values for env in _env_entries(data) if env.get("name") == "POSTGRES_DB"
    ]
    assert found == [f"a{separator}b"]


def _env_entries(data: Any) -> list[dict[str, Any]]:
    """Every `{name, value}` pair anywhere in a values file."""
    if isinstance(data, dict):
        own = [data] if set(data) >= {"name", "value"} else []
        return own + [entry for value in data.values() for entry in _env_entries(value)]
    if isinstance(data, list):
        return [entry for item in data for entry in _env_entries(item)]
    return []
