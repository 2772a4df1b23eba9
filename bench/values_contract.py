"""What the values contract adds to `validate` on a synthetic platform with every chart vendored.

The synthetic platforms pin charts this machine has no archive of (Bitnami's,
NATS); here every upstream chart component pins one of the real charts in
`../shared/charts` instead, keeping the values it passes, so the contract has a
vendored chart to check at every one of them. `validate` then runs twice in
fresh processes: as it is, and with the contract's check taken out of the rule
engine. The difference is what the contract costs, cold cache included (each
chart's values.yaml, schema and templates are read once per process).

    .venv/bin/python bench/values_contract.py 5000          # prepare and measure once
    .venv/bin/python bench/values_contract.py --child DIR on|off
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from synth import build, to_text

ROOT = Path(__file__).resolve().parents[1]
SHARED_CHARTS = ROOT.parent / "shared" / "charts"
WITH = "validate (values contract)"
WITHOUT = "validate (no values contract)"
# Real charts that take `fullnameOverride` and `replicaCount`, the values synthetic charts pass.
STAND_INS = (
    ("https://charts.konghq.com", "kong", "2.42.0"),
    ("https://victoriametrics.github.io/helm-charts", "victoria-metrics-agent", "0.14.3"),
    ("https://charts.external-secrets.io", "external-secrets", "0.10.4"),
    ("https://fluent.github.io/helm-charts", "fluent-bit", "0.47.10"),
    ("https://charts.jetstack.io", "cert-manager", "v1.15.3"),
)


def contract_subject(size: int) -> str:
    return f"N={size}, every chart vendored"


def write_vendored_synthetic(root: Path, size: int) -> int:
    """A synthetic platform of `size` components in `root`, every chart vendored; the archives copied."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "overlays").mkdir(parents=True)
    data, overlays = build(size)
    pins = stand_in_charts(data)
    text, overlay_texts = to_text(data, overlays, seed=0)
    (root / "platform.yaml").write_text(text, encoding="utf-8")
    for env, overlay in overlay_texts.items():
        (root / "overlays" / f"{env}.yaml").write_text(overlay, encoding="utf-8")
    charts = root / "vendor" / "charts"
    charts.mkdir(parents=True)
    for name, version in sorted(pins):
        shutil.copyfile(SHARED_CHARTS / f"{name}-{version}.tgz", charts / f"{name}-{version}.tgz")
    return len(pins)


def stand_in_charts(data: dict[str, Any]) -> set[tuple[str, str]]:
    """Re-pin every chart the shared repository lacks; the (name, version) of every chart pinned."""
    pins: set[tuple[str, str]] = set()
    index = 0
    for app in data["spec"]["applications"].values():
        for component in app["components"].values():
            chart = component.get("chart")
            if not isinstance(chart, dict):
                continue
            if not (SHARED_CHARTS / f"{chart['name']}-{chart['version']}.tgz").is_file():
                repository, name, version = STAND_INS[index % len(STAND_INS)]
                index += 1
                component["chart"] = {"repository": repository, "name": name, "version": version}
                values = component.get("values") or {}
                component["values"] = {
                    k: v for k, v in values.items() if k in ("fullnameOverride", "replicaCount")
                }
            pins.add((component["chart"]["name"], str(component["chart"]["version"])))
    return pins


def child(root: Path, contract: bool) -> int:
    """`validate`'s analysis of every environment, with or without the contract.

    Exits 0 whatever it finds (findings are not what is measured): a non-zero exit is a crash.
    """
    import generator.pipeline as pipeline
    from generator.rules import registry as engine
    from generator.rules.chart_values import values_contract

    if not contract:
        engine.CHECKS[:] = [entry for entry in engine.CHECKS if entry.func is not values_contract]
        pipeline.unchecked_notes = lambda platform: []  # type: ignore[attr-defined]
    pipeline.analyse(root, pipeline.discover_envs(root))
    return 0


def measure_once(root: Path, repeat: int) -> tuple[float, float]:
    """Median wall seconds of `validate` with and without the contract, in fresh processes."""

    def run(mode: str) -> float:
        started = time.monotonic()
        subprocess.run([sys.executable, __file__, "--child", str(root), mode], check=True)
        return time.monotonic() - started

    timings = {mode: sorted(run(mode) for _ in range(repeat)) for mode in ("on", "off")}
    return timings["on"][repeat // 2], timings["off"][repeat // 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", nargs="?", type=int, default=5000)
    parser.add_argument("--child", nargs=2, metavar=("DIR", "MODE"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.child:
        return child(Path(args.child[0]), args.child[1] == "on")
    root = ROOT / "bench" / "out" / f"contract-{args.size}"
    charts = write_vendored_synthetic(root, args.size)
    with_contract, without = measure_once(root, args.repeat)
    added = (with_contract - without) / without
    print(
        f"{contract_subject(args.size)} ({charts} charts): validate {with_contract:.2f} s with the "
        f"values contract, {without:.2f} s without: {added:+.1%} (limit +10%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
