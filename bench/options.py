"""The bench's options, and how it runs a command: its repeat count, timeout, budget and cache."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from measure import Measurement, measure

BENCH = Path(__file__).resolve().parent
# --only: the parts that can run alone
PARTS = ("vendored", "cluster")


@dataclass(frozen=True)
class Options:
    sizes: list[int]
    repeat: int
    timeout: float
    budget: float
    platformc: list[str]
    out: Path
    results: Path
    validate_limit: int
    report_only: bool = False
    only: str | None = None  # one part of the bench, printed, not written to results.md


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def tool(name: str) -> Path | None:
    beside = Path(sys.executable).parent / name  # the venv's own scripts, without resolving symlinks
    if beside.exists():
        return beside
    found = shutil.which(name)
    return Path(found) if found else None


def _default_platformc() -> list[str]:
    script = tool("platformc")
    return [str(script)] if script else [sys.executable, "-m", "generator"]


def parse_options(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description="Benchmark platformc (issue 7) and write bench/results.md.")
    parser.add_argument("--sizes", default="50,500,5000", help="comma-separated component counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before one run is killed")
    parser.add_argument(
        "--budget", type=float, default=300, help="stop repeating a measurement once its runs took this long"
    )
    parser.add_argument("--platformc", default=None, help="command that runs platformc (default: the venv's)")
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="where platforms are generated")
    parser.add_argument("--results", type=Path, default=BENCH / "results.md")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: write the report again from the last run's <out>/results.json",
    )
    parser.add_argument("--validate-limit", type=int, default=2000, help="objects given to both validators")
    parser.add_argument(
        "--only",
        choices=PARTS,
        help="measure one part and print its targets; results.md is left alone. vendored: cold and "
        "warm check of the reference with every chart vendored; cluster: the cluster stage at the two "
        "largest sizes and inside a cold check of the vendored reference",
    )
    args = parser.parse_args(argv)
    sizes = sorted({int(part) for part in args.sizes.split(",") if part.strip()})
    command = shlex.split(args.platformc) if args.platformc else _default_platformc()
    return Options(
        sizes=sizes,
        repeat=max(1, args.repeat),
        timeout=args.timeout,
        budget=args.budget,
        platformc=command,
        out=args.out,
        results=args.results,
        validate_limit=args.validate_limit,
        report_only=args.report_only,
        only=args.only,
    )


def timed(
    options: Options,
    label: str,
    subject: str,
    command: list[str],
    cwd: Path | None = None,
    repeat: int | None = None,
    cache: str = "warm",
) -> Measurement:
    """`measure` with the run's repeat count, timeout and budget, and the bench's own verify cache."""
    env = {**os.environ, "PLATFORMC_CACHE_DIR": str(cache_dir(options))}
    env.pop("PLATFORMC_NO_CACHE", None)
    if cache == "off":
        env["PLATFORMC_NO_CACHE"] = "1"
    elif cache == "empty":
        shutil.rmtree(cache_dir(options), ignore_errors=True)
        repeat = 1  # a second run would read what the first stored
    return measure(
        label,
        subject,
        command,
        repeat=options.repeat if repeat is None else repeat,
        cwd=cwd,
        timeout=options.timeout,
        budget=options.budget,
        env=env,
    )


def cache_dir(options: Options) -> Path:
    """verify's cache for the bench alone: the user's cache never makes a number look better."""
    return options.out / "cache"
