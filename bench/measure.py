"""Wall time and peak memory of a command, each run a fresh subprocess.

Peak RSS comes from GNU `/usr/bin/time -v` ("Maximum resident set size") when
it is there, otherwise from `getrusage(RUSAGE_CHILDREN)` in a small Python
child that runs the command: that child's only children are the command's
process tree, so its `ru_maxrss` is the command's peak. Wall time is the
parent's monotonic clock around the subprocess.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

GNU_TIME = Path("/usr/bin/time")
_RUSAGE_CHILD = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[2:])\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(f'{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {rc}')\n"
    "sys.exit(rc)\n"
)


@dataclass(frozen=True)
class Run:
    status: str  # "ok", "timeout", "missing", "exit N"
    wall: float
    rss_mb: float | None
    detail: str
    stdout: str = ""


@dataclass(frozen=True)
class Measurement:
    """The median of repeated runs; `status` is the first failure's, or "ok"."""

    label: str
    subject: str
    status: str
    wall: float | None
    rss_mb: float | None
    runs: int
    detail: str = ""
    outputs: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def ran(self) -> bool:
        """The command started and ended by itself (not missing, not killed)."""
        return not (self.status.startswith("missing") or self.status == "timeout")


@cache
def method() -> str:
    """How peak memory is measured on this machine."""
    if GNU_TIME.exists():
        probe = subprocess.run(
            [str(GNU_TIME), "-v", "-o", os.devnull, "true"], capture_output=True, check=False, timeout=30
        )
        if probe.returncode == 0:
            return "gnu-time"
    return "rusage"


def run_once(
    command: Sequence[str],
    cwd: Path | None = None,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
) -> Run:
    with tempfile.TemporaryDirectory(prefix="platformc-bench-") as scratch:
        stats = Path(scratch) / "stats"
        if method() == "gnu-time":
            wrapped = [str(GNU_TIME), "-v", "-o", str(stats), *command]
        else:
            wrapped = [sys.executable, "-c", _RUSAGE_CHILD, str(stats), *command]
        start = time.perf_counter()
        try:
            process = subprocess.Popen(
                wrapped,
                cwd=cwd,
                env=None if env is None else dict(env),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
        except OSError as e:
            return Run("missing", 0.0, None, str(e))
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            # The command is the wrapper's child: end the whole process group we started.
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return Run("timeout", time.perf_counter() - start, None, f"killed after {timeout:.0f}s")
        except KeyboardInterrupt:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: Ctrl-C did not reach it
            raise
        wall = time.perf_counter() - start
        rss_mb = _peak_rss_mb(stats)
    return Run(_status(process.returncode, err), wall, rss_mb, _detail(out, err), out)


def measure(
    label: str,
    subject: str,
    command: Sequence[str],
    *,
    repeat: int,
    cwd: Path | None = None,
    timeout: float | None = None,
    budget: float | None = None,
    env: Mapping[str, str] | None = None,
) -> Measurement:
    """Run `command` `repeat` times; stop early on a timeout or a missing command, or once the
    runs have taken `budget` seconds (a run of minutes needs no median to be trusted)."""
    runs: list[Run] = []
    for _ in range(repeat):
        run = run_once(command, cwd, timeout, env)
        runs.append(run)
        if run.status == "timeout" or run.status.startswith("missing"):
            break
        if budget is not None and sum(r.wall for r in runs) >= budget:
            break
    failed = next((run for run in runs if run.status != "ok"), None)
    rss = [run.rss_mb for run in runs if run.rss_mb is not None]
    return Measurement(
        label=label,
        subject=subject,
        status=failed.status if failed else "ok",
        wall=statistics.median(run.wall for run in runs),
        rss_mb=statistics.median(rss) if rss else None,
        runs=len(runs),
        detail=failed.detail if failed else "",
        outputs=tuple(run.stdout for run in runs),
    )


def _peak_rss_mb(stats: Path) -> float | None:
    try:
        text = stats.read_text()
    except OSError:
        return None
    if method() == "gnu-time":
        for line in text.splitlines():
            if "Maximum resident set size" in line:
                return int(line.rsplit(":", 1)[1]) / 1024
        return None
    fields = text.split()
    return int(fields[0]) / 1024 if fields else None


def _status(returncode: int, stderr: str) -> str:
    if returncode == 0:
        return "ok"
    if "No such command" in stderr or "No such option" in stderr:
        return "missing"
    if "ModuleNotFoundError" in stderr or "ImportError" in stderr:
        return "missing (not importable)"
    if returncode == 127:
        return "missing"  # GNU time: cannot run the command
    if returncode < 0:
        return f"signal {-returncode}"
    return f"exit {returncode}"


def _detail(out: str, err: str) -> str:
    """The last line of output, and how many files `check` found stale (its other reason to fail)."""
    last = _last_line(err) or _last_line(out)
    stale = sum(1 for line in (out + err).splitlines() if ": stale" in line)
    return f"{stale} stale files; {last}" if stale else last


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def child_reports(m: Measurement) -> tuple[list[dict[str, Any]], str, str]:
    """The JSON the child printed in each clean run, and (status, detail) when there is none."""
    reports = [json.loads(out) for out in m.outputs if out.strip().startswith("{")]
    good = [report for report in reports if report.get("status") == "ok"]
    if good:
        return good, "ok", ""
    if reports:
        return [], str(reports[0].get("status", m.status)), str(reports[0].get("detail", m.detail))
    return [], m.status if not m.ok else "error", m.detail
