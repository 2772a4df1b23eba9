"""verify and check reuse the results of unchanged charts, and say so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.output


@pytest.fixture
def rendered_platform(tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    assert run("init", str(root))[0] == 0
    code, output = run("render", "--root", str(root))
    assert code == 0, output
    return root


def report(output: str) -> tuple[list[dict[str, object]], list[str]]:
    payload = json.loads(output)
    return payload["findings"], payload.get("notes", [])


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/*.json"))


def test_verify_reuses_what_it_found_for_unchanged_charts(
    rendered_platform: Path, verify_cache: Path
) -> None:
    code, output = run("verify", "--root", str(rendered_platform), "--format", "json")
    assert code == 0, output
    findings, notes = report(output)
    assert len(notes) == 1 and notes[0].startswith("verify: ") and notes[0].endswith(", 0 from cache")
    sources = len(entries(verify_cache))
    assert sources > 0

    code, again = run("verify", "--root", str(rendered_platform), "--format", "json")
    assert code == 0, again
    assert report(again) == (findings, [notes[0].replace(", 0 from cache", f", {sources} from cache")])


def test_check_reuses_verify_results_and_still_fails_on_drift(
    rendered_platform: Path, verify_cache: Path
) -> None:
    code, first = run("check", "--root", str(rendered_platform))
    assert code == 0, first
    assert ", 0 from cache" in first
    code, second = run("check", "--root", str(rendered_platform))
    assert code == 0, second
    assert f", {len(entries(verify_cache))} from cache" in second
    (rendered_platform / "rendered" / "dev" / "root.yaml").write_text("# edited by hand\n")
    code, drifted = run("check", "--root", str(rendered_platform))
    assert code == 1
    assert "rendered/dev/root.yaml: stale" in drifted


def test_a_changed_chart_is_verified_again(rendered_platform: Path) -> None:
    run("verify", "--root", str(rendered_platform))
    values = next((rendered_platform / "rendered" / "dev" / "apps").glob("*/values.yaml"))
    values.write_text(values.read_text(encoding="utf-8") + "# one more line\n", encoding="utf-8")
    code, output = run("verify", "--root", str(rendered_platform), "--env", "dev", "--format", "json")
    assert code == 0, output
    _, notes = report(output)
    total = int(notes[0].split()[1]) + int(notes[0].split()[4])  # "verify: N charts and M manifest ..."
    assert notes[0].endswith(f", {total - 1} from cache")


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param(("--no-cache",), None, id="flag"),
        pytest.param((), {"PLATFORMC_NO_CACHE": "1"}, id="environment"),
    ],
)
@pytest.mark.parametrize("command", ["verify", "check"])
def test_the_cache_can_be_turned_off(
    rendered_platform: Path,
    verify_cache: Path,
    command: str,
    args: tuple[str, ...],
    env: dict[str, str] | None,
) -> None:
    for _ in range(2):
        code, output = run(command, "--root", str(rendered_platform), *args, env=env)
        assert code == 0, output
        assert "manifest directories, cache off" in output
    assert entries(verify_cache) == []


def test_a_corrupt_cache_is_verified_again_not_trusted(rendered_platform: Path, verify_cache: Path) -> None:
    _, clean = run("verify", "--root", str(rendered_platform), "--format", "json")
    for entry in entries(verify_cache):
        entry.write_text('{"format": 1, "key": "', encoding="utf-8")
    _, again = run("verify", "--root", str(rendered_platform), "--format", "json")
    assert report(again) == report(clean)
