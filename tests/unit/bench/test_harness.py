"""The parts of bench/run.py that decide what the results say."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cluster_stage import CHECK, STAGE, VERIFY, stage_measurements
from helm_render import prepare_chart
from measure import Measurement, measure
from model import FLOOR_LABEL, FLOOR_SUBJECT, Results
from options import BENCH, cache_dir, parse_options
from options import timed as bench_timed
from report import BEGIN, END, write_results
from ruamel.yaml import YAML
from targets import (
    VENDORED_SUBJECT,
    check_cold_vs_render,
    check_vs_render,
    cluster_stage_scaling,
    cluster_stage_share,
    cold_vs_warm_vendored,
    peak_memory,
    render_scaling,
    render_vs_floor,
    values_contract_cost,
)
from values_contract import SHARED_CHARTS, WITH, WITHOUT, contract_subject, stand_in_charts


def timed(label: str, subject: str, wall: float, status: str = "ok") -> Measurement:
    return Measurement(label, subject, status, wall, 40.0, 3)


def results(*measurements: Measurement, sizes: tuple[int, ...] = (50, 500, 5000)) -> Results:
    return Results("today", {}, "gnu-time", list(sizes), measurements=list(measurements))


def test_a_failing_or_missing_command_is_recorded_not_raised(tmp_path: Path) -> None:
    failing = measure("render", "x", [sys.executable, "-c", "import sys; sys.exit('boom')"], repeat=3)
    assert failing.status == "exit 1" and failing.detail == "boom" and failing.runs == 3
    missing = measure("render", "x", [str(tmp_path / "no-such-platformc")], repeat=3)
    assert missing.status == "missing" and missing.runs == 1
    clean = measure("floor", "x", [sys.executable, "-c", "print('hi')"], repeat=2)
    assert clean.ok and clean.wall and clean.outputs == ("hi\n", "hi\n")


def test_scaling_limits_follow_the_sizes_run() -> None:
    met = render_scaling(results(timed("render", "N=500", 1.0), timed("render", "N=5000", 10.9)))
    assert (met.limit, met.result) == ("≤ 11", "met")
    missed = render_scaling(
        results(timed("render", "N=50", 1.0), timed("render", "N=500", 12), sizes=(50, 500))
    )
    assert missed.result == "**not met**"


def test_a_target_whose_inputs_failed_is_not_measured() -> None:
    target = render_vs_floor(
        results(timed("render", "reference", 1.0, "exit 3"), timed(FLOOR_LABEL, FLOOR_SUBJECT, 0.2))
    )
    assert target.result == "not measured: render exit 3"
    assert check_vs_render(results()).result.startswith("not measured")


def test_results_md_keeps_notes_outside_the_markers(tmp_path: Path) -> None:
    path = tmp_path / "results.md"
    write_results(path, "first")
    assert BEGIN in path.read_text() and "first" in path.read_text()
    path.write_text(path.read_text().replace(BEGIN, f"Notes before.\n\n{BEGIN}") + "\nNotes after.\n")
    write_results(path, "second")
    text = path.read_text()
    assert "first" not in text and "second" in text
    assert text.index("Notes before.") < text.index(BEGIN) < text.index(END) < text.index("Notes after.")


def test_prepare_chart_drops_only_unvendored_dependencies(tmp_path: Path) -> None:
    chart = tmp_path / "app"
    (chart / "charts" / "api-1").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n"
        "  - {name: api-1, version: 0.1.0, repository: file://charts/api-1}\n"
        "  - {name: redis, version: 19.0.0, repository: https://charts.bitnami.com/bitnami}\n"
    )
    (chart / "Chart.lock").write_text("dependencies: []\n")
    assert prepare_chart(chart, tmp_path / "copy") == (1, 1)
    metadata = YAML(typ="safe", pure=True).load((tmp_path / "copy" / "Chart.yaml").read_text())
    assert [d["name"] for d in metadata["dependencies"]] == ["api-1"]
    assert not (tmp_path / "copy" / "Chart.lock").exists()
    assert (chart / "Chart.lock").exists()  # the rendered tree is left alone


def test_peak_memory_counts_every_run_that_ended() -> None:
    target = peak_memory(
        results(
            timed("render", "N=5000", 9.0),
            timed("check", "N=5000", 9.0, "exit 1"),
            Measurement("verify", "N=5000", "exit 3", None, 900.0, 1),
        )
    )
    assert target.measured == "900 MB (verify); did not run: validate"
    assert target.result == "**not met**"


def test_results_survive_a_round_trip_through_json(tmp_path: Path) -> None:
    saved = results(timed("render", "N=50", 1.5), timed("check", "N=50", 1.0, "exit 1"))
    saved.save(tmp_path / "results.json")
    assert Results.load(tmp_path / "results.json") == saved


_SHOW_CACHE = "import os; print(os.environ.get('PLATFORMC_CACHE_DIR'), os.environ.get('PLATFORMC_NO_CACHE'))"


def test_every_command_uses_the_bench_cache_never_the_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLATFORMC_NO_CACHE", "1")  # the caller's setting must not leak into warm runs
    options = parse_options(["--out", str(tmp_path / "out"), "--repeat", "2"])
    stale = cache_dir(options) / "entry.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    command = [sys.executable, "-c", _SHOW_CACHE]
    warm = bench_timed(options, "verify", "x", command)
    assert warm.outputs == (f"{cache_dir(options)} None\n",) * 2 and stale.exists()
    off = bench_timed(options, "check (no cache)", "x", command, cache="off")
    assert off.outputs == (f"{cache_dir(options)} 1\n",) * 2
    empty = bench_timed(options, "verify (cold cache)", "x", command, cache="empty")
    assert empty.runs == 1 and not stale.exists()  # one run against a cleared cache


def test_check_is_compared_with_render_warm_and_without_a_cache() -> None:
    measured = results(
        timed("render", "reference", 1.0),
        timed("check", "reference", 0.8),
        timed("check (no cache)", "reference", 2.5),
    )
    assert check_vs_render(measured).result == "met"
    cold = check_cold_vs_render(measured)
    assert (cold.ratio, cold.result) == ("2.50× (worst: reference)", "**not met**")


def test_a_cold_vendored_check_is_held_to_ten_warm_ones() -> None:
    subject = VENDORED_SUBJECT
    met = cold_vs_warm_vendored(
        results(timed("check (cold cache)", subject, 9.0), timed("check", subject, 1.0))
    )
    assert (met.ratio, met.result) == ("9.00×", "met")
    missed = cold_vs_warm_vendored(
        results(timed("check (cold cache)", subject, 11.0, "exit 1"), timed("check", subject, 1.0, "exit 1"))
    )
    assert missed.result == "**not met**" and "(exit 1: findings)" in missed.measured
    refused = cold_vs_warm_vendored(
        results(timed("check (cold cache)", subject, 0.5, "exit 2"), timed("check", subject, 1.0))
    )
    assert refused.result == "not measured: cold check exit 2"


def test_the_values_contract_may_add_a_tenth_to_validate() -> None:
    met = values_contract_cost(
        results(timed(WITH, contract_subject(5000), 10.9), timed(WITHOUT, contract_subject(5000), 10.0))
    )
    assert (met.ratio, met.result) == ("+9.0%", "met")
    missed = values_contract_cost(
        results(timed(WITH, contract_subject(5000), 11.2), timed(WITHOUT, contract_subject(5000), 10.0))
    )
    assert missed.result == "**not met**"
    crashed = values_contract_cost(
        results(timed(WITH, contract_subject(5000), 1.0, "exit 1"), timed(WITHOUT, contract_subject(5000), 1))
    )
    assert crashed.result.startswith("not measured")


def test_every_synthetic_chart_pins_a_chart_the_shared_repository_has() -> None:
    from synth import build

    data, _ = build(500)
    pins = stand_in_charts(data)
    assert len(pins) >= 5
    assert all((SHARED_CHARTS / f"{name}-{version}.tgz").is_file() for name, version in pins)


def _stage_run(subject: str, *stage_seconds: float, status: str = "ok") -> Measurement:
    outputs = tuple(
        f'{{"status": "ok", "stage_s": {s}, "command_s": 9.0, "environments": 3, "objects": 626}}\n'
        for s in stage_seconds
    )
    return Measurement(VERIFY, subject, status, 9.5, 80.0, len(outputs), "", outputs)


def test_the_stage_time_is_the_median_the_children_reported() -> None:
    run, stage = stage_measurements(_stage_run("N=500", 0.4, 0.2, 0.3))
    assert run.label == VERIFY and run.wall == 9.5  # the child process as measured
    assert (stage.label, stage.subject, stage.status, stage.wall, stage.runs) == (
        STAGE,
        "N=500",
        "ok",
        0.3,
        3,
    )
    assert stage.detail == "626 objects, 3 environments"
    crashed = Measurement(VERIFY, "N=500", "exit 3", 1.0, 40.0, 1, "Traceback", ("",))
    _, failed = stage_measurements(crashed)
    assert (failed.status, failed.wall, failed.detail) == ("exit 3", None, "Traceback")
    refused = '{"status": "error", "detail": "the cluster stage did not run (exit 2)"}'
    _, not_run = stage_measurements(Measurement(VERIFY, "N=500", "ok", 1.0, 40.0, 1, "", (refused,)))
    assert (not_run.status, not_run.wall) == ("error", None)
    assert not_run.detail == "the cluster stage did not run (exit 2)"


def test_the_cluster_stage_grows_linearly_and_stays_a_quarter_of_a_cold_check() -> None:
    linear = cluster_stage_scaling(results(timed(STAGE, "N=500", 0.5), timed(STAGE, "N=5000", 5.4)))
    assert (linear.name, linear.ratio, linear.limit, linear.result) == (
        "cluster stage scaling, N=5000 vs N=500",
        "10.80×",
        "≤ 11",
        "met",
    )
    quadratic = cluster_stage_scaling(results(timed(STAGE, "N=500", 0.5), timed(STAGE, "N=5000", 6.0)))
    assert quadratic.result == "**not met**"
    share = cluster_stage_share(
        results(timed(STAGE, VENDORED_SUBJECT, 2.0), timed(CHECK, VENDORED_SUBJECT, 10.0))
    )
    assert (share.ratio, share.result, share.issue) == ("20.0%", "met", 16)
    heavy = cluster_stage_share(
        results(timed(STAGE, VENDORED_SUBJECT, 3.0), timed(CHECK, VENDORED_SUBJECT, 10.0))
    )
    assert (heavy.ratio, heavy.result) == ("30.0%", "**not met**")
    assert cluster_stage_share(results(timed(STAGE, "N=500", 0.5))).result.startswith("not measured")


@pytest.mark.slow
@pytest.mark.parametrize("command", ["verify", "check"])  # check verifies in a forked worker
def test_the_child_times_the_stage_of_a_real_run(tmp_path: Path, command: str) -> None:
    """A synthetic platform rendered, then verified or checked by platformc, the stage timed inside."""
    from run import write_synthetic

    root = tmp_path / "platform"
    write_synthetic(root, 50)
    platformc = [sys.executable, "-m", "generator"]
    env = {**os.environ, "PLATFORMC_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([*platformc, "render", "--root", str(root)], check=True, capture_output=True, env=env)
    child = [sys.executable, str(BENCH / "cluster_stage.py"), "--child", str(root), command]
    run = measure(VERIFY, "N=50", child, repeat=1, cwd=root, env=env)
    _, stage = stage_measurements(run)
    assert stage.status == "ok" and stage.wall is not None and run.wall is not None
    assert 0 < stage.wall < run.wall
    assert stage.detail.endswith("objects, 3 environments") and not stage.detail.startswith("0 ")


def test_the_synthetic_platform_enforces_the_published_policies_its_exceptions_name(tmp_path: Path) -> None:
    from synth import build
    from synth_policies import declare_policies

    data, _ = build(50)
    named = sorted(data["spec"]["policy"]["kyverno"]["policies"])
    assert declare_policies(data) == named
    declared = data["spec"]["policy"]["kyverno"]["clusterPolicies"]
    assert {policy["spec"]["validationFailureAction"] for policy in declared.values()} == {"Enforce"}
    rules = {name: [rule["name"] for rule in policy["spec"]["rules"]] for name, policy in declared.items()}
    assert rules == {name: list(data["spec"]["policy"]["kyverno"]["policies"][name]) for name in named}
    with pytest.raises(FileNotFoundError, match="no published policy"):
        declare_policies(data, published=tmp_path)
