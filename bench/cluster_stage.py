"""The cluster stage's own time, inside a real `platformc` run (issue 16).

Run as a child, it runs `platformc COMMAND --root DIR` in this process (and in
the worker `check` forks) with the cluster stage (`verify_cluster`, once per
environment) wrapped in a clock, and prints JSON: the stage's seconds summed
over the environments, the objects it looked at, and the whole command's seconds.
The harness runs it in a fresh process, so the parent's wall time of the child
is the command's, start-up included, and the stage's share of it compares two
numbers from one run.

    .venv/bin/python bench/cluster_stage.py --child DIR check|verify
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from measure import Measurement, child_reports
from model import median

STAGE = "cluster stage"
# The run the stage is timed in, as the harness records it: the whole child process.
CHECK = "check (cold cache, cluster stage timed)"
VERIFY = "verify (warm cache, cluster stage timed)"


def child(root: str, command: str) -> int:
    """Run the command, time its cluster stage, print one JSON line. Exits 0 unless the run crashed."""
    import generator.verify.tree as tree
    from generator.cli import main as platformc
    from generator.verify.cluster import verify_cluster as stage

    # `check` verifies in a forked worker: each call appends its line to a file, which the
    # worker's writes reach as well as this process's
    handle, name = tempfile.mkstemp(prefix="platformc-cluster-stage-", suffix=".jsonl")
    os.close(handle)
    log = Path(name)

    def timed(sources: Sequence[Any], rendered: Sequence[Sequence[Any]], *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        verdict = stage(sources, rendered, *args, **kwargs)
        took = time.perf_counter() - started
        with log.open("a", encoding="utf-8") as out:
            out.write(json.dumps([took, sum(len(part) for part in rendered)]) + "\n")
        return verdict

    tree.verify_cluster = timed  # type: ignore[attr-defined]
    started = time.perf_counter()
    sys.argv = ["platformc", command, "--root", root]
    code: str | int | None = 0
    try:
        with contextlib.redirect_stdout(io.StringIO()) as findings:
            try:
                platformc()  # the console script's own entry point: it always exits
            except SystemExit as exit_:
                code = exit_.code
        calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    finally:
        log.unlink()
    seconds, objects = [took for took, _ in calls], [count for _, count in calls]
    report: dict[str, Any] = {
        "status": "ok" if seconds and code in (0, 1, None) else "error",
        "detail": "" if seconds else f"the cluster stage did not run (exit {code})",
        "exit": code,
        "stage_s": sum(seconds),
        "command_s": time.perf_counter() - started,
        "environments": len(seconds),
        "objects": sum(objects),
    }
    if report["status"] != "ok" and not report["detail"]:
        report["detail"] = f"platformc {command} exited {code}: {findings.getvalue()[-300:]}"
    print(json.dumps(report))
    return 0


def stage_measurements(run: Measurement) -> list[Measurement]:
    """The child's run as measured (the command, start-up included), and the stage's median time
    from the JSON each clean run printed."""
    reports, status, detail = child_reports(run)
    seconds = median([report["stage_s"] for report in reports])
    if reports:
        first = reports[0]
        detail = f"{first['objects']:,} objects, {first['environments']} environments"
    stage = Measurement(STAGE, run.subject, status, seconds, None, len(reports) or run.runs, detail)
    return [run, stage]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("DIR", "COMMAND"), required=True)
    args = parser.parse_args(argv)
    return child(args.child[0], args.child[1])


if __name__ == "__main__":
    sys.exit(main())
