"""`make bench`: how platformc's time and memory grow with the platform (issue 7).

For each size N it writes a synthetic platform to bench/out/<N>/ and measures
`platformc render|validate|check|verify --root DIR` (fresh subprocesses, median
of --repeat runs), next to the floor of starting Python and importing
platformc's dependencies, and the reference platform. Then Helm's own render
time for generated umbrella charts, and the embedded validator against the
`kubernetes-validate` command on the same objects. It prints the tables and
writes bench/results.md.

A command that does not exist yet, fails or times out is recorded as such;
the harness carries on.

    .venv/bin/python bench/run.py [--sizes 50,500,5000] [--repeat 3]
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import shlex
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from cluster_stage import CHECK, VERIFY, stage_measurements
from helm_render import prepare_chart
from machine import load_average, machine_info
from measure import Measurement, child_reports, method
from model import FLOOR_LABEL, FLOOR_SUBJECT, HelmRun, Input, Results, Validation, median, size_subject
from options import Options, cache_dir, log, parse_options, timed, tool
from report import render_markdown, write_results
from ruamel.yaml import YAML
from synth import build, to_text
from synth_policies import declare_policies
from targets import VENDORED_SUBJECT, cluster_stage_scaling, cluster_stage_share, cold_vs_warm_vendored
from values_contract import WITH, WITHOUT, contract_subject, write_vendored_synthetic

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
# (label, platformc command, verify cache): "empty" runs once against a cleared
# cache and fills it, "warm" reads what that run stored, "off" sets PLATFORMC_NO_CACHE.
COMMANDS = (
    ("render", "render", "warm"),
    ("validate", "validate", "warm"),
    ("check (no cache)", "check", "off"),
    ("verify (cold cache)", "verify", "empty"),
    ("verify", "verify", "warm"),
    ("check", "check", "warm"),
)
KUBERNETES_VERSION = "1.31.0"
# `check` of the reference with every upstream chart vendored (vendor/ copied in, rendered once):
# a cold verify cache, then a warm one
VENDORED_COMMANDS = (("check (cold cache)", "empty"), ("check", "warm"))
# --only: the targets each part prints
ONLY = {
    "vendored": (cold_vs_warm_vendored, cluster_stage_share),
    "cluster": (cluster_stage_scaling, cluster_stage_share),
}


def write_synthetic(root: Path, size: int, single_app: bool = False) -> Input:
    """Generate into a clean `root` (N/25 applications, or one); return what was generated."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "overlays").mkdir(parents=True)
    data, overlay_data = build(size, 1 if single_app else None)
    declare_policies(data)
    text, overlays = to_text(data, overlay_data, seed=0)
    (root / "platform.yaml").write_text(text, encoding="utf-8")
    for env, overlay in overlays.items():
        (root / "overlays" / f"{env}.yaml").write_text(overlay, encoding="utf-8")
    apps: dict[str, Any] = data["spec"]["applications"]
    largest = max(apps, key=lambda app: len(apps[app]["components"]))
    return Input(
        subject=size_subject(size, single_app),
        components=size,
        applications=len(apps),
        platform_bytes=len(text.encode()),
        largest=largest,
        largest_namespace=apps[largest]["namespace"],
        largest_components=len(apps[largest]["components"]),
        single_app=single_app,
    )


def measure_commands(options: Options, results: Results, subject: str, root: Path) -> None:
    shutil.rmtree(cache_dir(options), ignore_errors=True)
    for label, command, cache in COMMANDS:
        log(f"{label} {subject}")
        argv = [*options.platformc, command, "--root", str(root)]
        m = timed(options, label, subject, argv, cwd=root, cache=cache)
        log(f"  {m.status} {m.wall or 0:.3f}s {m.rss_mb or 0:.0f}MB {m.detail}")
        results.measurements.append(m)


def measure_floor(options: Options, results: Results) -> None:
    python = sys.executable
    for label, subject, code in (
        ("python start-up", 'python -c "pass"', "pass"),
        (FLOOR_LABEL, FLOOR_SUBJECT, "import click, jinja2, ruamel.yaml, jsonschema"),
    ):
        log(f"{label}")
        results.measurements.append(timed(options, label, subject, [python, "-c", code]))


def measure_reference(options: Options, results: Results) -> None:
    """The project's own platform.yaml and overlays, copied so rendering never touches the repository."""
    root = options.out / "reference"
    shutil.rmtree(root, ignore_errors=True)
    (root / "overlays").mkdir(parents=True)
    shutil.copyfile(ROOT / "platform.yaml", root / "platform.yaml")
    for overlay in sorted((ROOT / "overlays").glob("*.yaml")):
        shutil.copyfile(overlay, root / "overlays" / overlay.name)
    measure_commands(options, results, "reference", root)


def measure_vendored_reference(options: Options, results: Results) -> None:
    """`check` of the reference with vendor/ copied in and rendered once: cold, then warm verify cache."""
    root = options.out / "reference-vendored"
    shutil.rmtree(root, ignore_errors=True)
    (root / "overlays").mkdir(parents=True)
    shutil.copyfile(ROOT / "platform.yaml", root / "platform.yaml")
    for overlay in sorted((ROOT / "overlays").glob("*.yaml")):
        shutil.copyfile(overlay, root / "overlays" / overlay.name)
    shutil.copytree(ROOT / "vendor", root / "vendor")
    log(f"render {VENDORED_SUBJECT}")
    timed(options, "render", VENDORED_SUBJECT, [*options.platformc, "render", "--root", str(root)], repeat=1)
    shutil.rmtree(cache_dir(options), ignore_errors=True)
    for label, cache in VENDORED_COMMANDS:
        log(f"{label} {VENDORED_SUBJECT}")
        argv = [*options.platformc, "check", "--root", str(root)]
        m = timed(options, label, VENDORED_SUBJECT, argv, cwd=root, cache=cache)
        log(f"  {m.status} {m.wall or 0:.3f}s {m.rss_mb or 0:.0f}MB {m.detail}")
        results.measurements.append(m)
    measure_cluster_stage(options, results, VENDORED_SUBJECT, root, "check")


def measure_cluster_stage(options: Options, results: Results, subject: str, root: Path, command: str) -> None:
    """`command` run with its cluster stage timed: a cold `check`, or `verify` on the warm cache
    the subject's own commands left (the stage itself has no cache)."""
    label = CHECK if command == "check" else VERIFY
    log(f"{label} {subject}")
    argv = [sys.executable, str(BENCH / "cluster_stage.py"), "--child", str(root), command]
    m = timed(options, label, subject, argv, cwd=root, cache="empty" if command == "check" else "warm")
    for measured in stage_measurements(m):
        log(f"  {measured.label}: {measured.status} {measured.wall or 0:.3f}s {measured.detail}")
        results.measurements.append(measured)


def measure_values_contract(options: Options, results: Results) -> None:
    """`validate` of the largest synthetic platform, every chart vendored, with and without the contract."""
    size = max(options.sizes)
    root = options.out / f"contract-{size}"
    write_vendored_synthetic(root, size)
    script = str(BENCH / "values_contract.py")
    for label, mode in ((WITH, "on"), (WITHOUT, "off")):
        log(f"{label} {contract_subject(size)}")
        argv = [sys.executable, script, "--child", str(root), mode]
        m = timed(options, label, contract_subject(size), argv, cwd=BENCH)
        log(f"  {m.status} {m.wall or 0:.3f}s {m.rss_mb or 0:.0f}MB {m.detail}")
        results.measurements.append(m)


def measure_helm(
    options: Options, results: Results, generated: Input, root: Path, manifests: Path | None = None
) -> None:
    """Helm's load + render of the dev umbrella chart of the generated platform's largest application."""
    app, subject = generated.largest, generated.subject
    chart = root / "rendered" / "dev" / "apps" / app
    run = functools.partial(
        HelmRun, subject, generated.components, generated.single_app, app, generated.largest_components
    )
    if not (chart / "Chart.yaml").exists():
        m = Measurement("helm", subject, "not available", None, None, 0, f"no rendered/dev/apps/{app}")
        results.helm.append(run(0, m, None, None))
        return
    log(f"helm {subject} ({app}, {generated.largest_components} components)")
    with tempfile.TemporaryDirectory(prefix="platformc-helm-") as scratch:
        prepared = Path(scratch) / app
        _, dropped = prepare_chart(chart, prepared)
        command = [sys.executable, str(BENCH / "helm_render.py"), str(prepared), "--name", app]
        command += ["--namespace", generated.largest_namespace]
        if manifests is not None:
            command += ["--manifests", str(manifests)]
        m = timed(options, "helm", subject, command)
    reports, status, detail = child_reports(m)
    seconds = median([report["load_s"] + report["render_s"] for report in reports])
    objects = reports[0]["objects"] if reports else None
    if not reports:
        m = dataclasses.replace(m, status=status, wall=None, detail=detail)
    log(f"  {m.status} {seconds or 0:.3f}s {objects} objects {m.detail}")
    results.helm.append(run(dropped, m, seconds, objects))


def measure_single_applications(options: Options, results: Results) -> Path:
    """Platforms whose one application holds all N components, for Helm's scaling; returns
    the objects Helm rendered for the smaller one (input for the validators)."""
    manifests = options.out / "validate" / "helm-objects.yaml"
    manifests.parent.mkdir(parents=True, exist_ok=True)
    manifests.unlink(missing_ok=True)
    for index, size in enumerate(options.sizes[-2:]):
        root = options.out / f"{size}-single"
        generated = write_synthetic(root, size, single_app=True)
        results.inputs.append(generated)
        log(f"render {generated.subject}")
        command = [*options.platformc, "render", "--root", str(root)]
        results.measurements.append(timed(options, "render", generated.subject, command, cwd=root, repeat=1))
        measure_helm(options, results, generated, root, manifests if index == 0 else None)
    return manifests


def validator_input(options: Options, helm_objects: Path) -> tuple[Path, str] | None:
    """Helm's objects when it rendered, else the rendered namespaces of the largest platform."""
    if helm_objects.exists() and helm_objects.stat().st_size:
        return helm_objects, "Helm output of the single-application chart"
    namespaces = options.out / str(options.sizes[-1]) / "rendered" / "dev" / "namespaces"
    files = sorted(namespaces.glob("*.yaml"))
    if not files:
        return None
    source = options.out / "validate" / "namespaces.yaml"
    source.write_text("\n---\n".join(f.read_text(encoding="utf-8") for f in files), encoding="utf-8")
    return source, "rendered/dev/namespaces"


def measure_validators(options: Options, results: Results, source: Path, label: str) -> None:
    """The same objects through the `kubernetes-validate` command and the embedded validator."""
    yaml = YAML(typ="safe", pure=True)
    objects = [item for item in yaml.load_all(source.read_text(encoding="utf-8")) if isinstance(item, dict)]
    objects = objects[: options.validate_limit]
    stream = options.out / "validate" / "manifests.yaml"
    with stream.open("w", encoding="utf-8") as out:
        yaml.dump_all(objects, out)
    validator = tool("kubernetes-validate")
    log(f"kubernetes-validate on {len(objects)} objects")
    if validator is None:
        command = Measurement("kubernetes-validate", label, "missing", None, None, 0, "not installed")
    else:
        argv = [str(validator), "-k", KUBERNETES_VERSION, "--strict", "--quiet", "--no-warn", str(stream)]
        command = timed(options, "kubernetes-validate", label, argv)
    log(f"embedded validator on {len(objects)} objects")
    argv = [sys.executable, str(BENCH / "embedded_validate.py"), str(stream)]
    argv += ["--kubernetes-version", KUBERNETES_VERSION]
    embedded = timed(options, "embedded", label, argv)
    reports, status, detail = child_reports(embedded)
    cold = median([report["cold_s"] for report in reports])
    warm = median([report["warm_s"] for report in reports])
    results.validation = Validation(label, len(objects), command, embedded, cold, warm, status, detail)


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    if options.report_only:
        report(options, Results.load(options.out / "results.json"))
        return 0
    if options.only:
        return run_part(options)
    try:
        run(options)
    except KeyboardInterrupt:
        log("interrupted; bench/results.md left as it was")
        return 130
    return 0


def run(options: Options) -> None:
    options.out.mkdir(parents=True, exist_ok=True)
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = {**machine_info(), "repeat": str(options.repeat), "budget": f"{options.budget:.0f}"}
    results = Results(date, machine, method(), options.sizes)
    log(f"platformc command: {shlex.join(options.platformc)}; peak RSS via {results.method}")
    measure_floor(options, results)
    measure_reference(options, results)
    measure_vendored_reference(options, results)
    for size in options.sizes:
        root = options.out / str(size)
        generated = write_synthetic(root, size)
        results.inputs.append(generated)
        measure_commands(options, results, generated.subject, root)
        measure_cluster_stage(options, results, generated.subject, root, "verify")
        measure_helm(options, results, generated, root)
    measure_values_contract(options, results)
    helm_objects = measure_single_applications(options, results)
    chosen = validator_input(options, helm_objects)
    if chosen is None:
        log("no objects to validate: nothing was rendered")
    else:
        measure_validators(options, results, *chosen)
    results.machine["load_end"] = load_average()
    results.save(options.out / "results.json")
    report(options, results)


def run_part(options: Options) -> int:
    """One part of the bench, printed: results.md is written by a whole run only."""
    options.out.mkdir(parents=True, exist_ok=True)
    results = Results("", machine_info(), method(), options.sizes)
    measure_vendored_reference(options, results)
    if options.only == "cluster":
        for size in options.sizes[-2:]:
            root = options.out / str(size)
            subject = write_synthetic(root, size).subject
            for command in ("render", "verify"):  # the tree, then the cache the timed verify reads
                log(f"{command} {subject}")
                argv = [*options.platformc, command, "--root", str(root)]
                timed(options, command, subject, argv, cwd=root, repeat=1)
            measure_cluster_stage(options, results, subject, root, "verify")
    for target in ONLY[options.only or "vendored"]:
        shown = target(results)
        print(f"{shown.name}: {shown.measured}; {shown.ratio} ({shown.limit}): {shown.result}")
    return 0


def report(options: Options, results: Results) -> None:
    body = render_markdown(results)
    print(body)
    write_results(options.results, body)
    log(f"wrote {options.results}")


if __name__ == "__main__":
    sys.exit(main())
