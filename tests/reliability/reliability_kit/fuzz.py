"""One hostile input through `validate`, `render` and `check --no-verify`, and what went wrong.

`run_case` never asserts: it returns a `Verdict` listing every broken promise
(exit 3, a traceback, rendered/ changed by a refused render, a write outside
rendered/, a credential or an over-broad PolicyException in a tree that was
written, check disagreeing with the render it follows). Tests assert the list
is empty; the script counts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from reliability_kit.mutate import Case
from reliability_kit.policy import check_environment
from reliability_kit.repo import (
    CliResult,
    copy_inputs,
    fingerprint,
    leftovers,
    listing_outside,
    reset_inputs,
    run_cli,
    write_files,
)
from reliability_kit.secrets import scan_tree

ALLOWED_EXIT = {0, 1, 2}
POSITION = re.compile(r"^[^\s:][^:\n]*:\d+:\d+: PC\d{3} (error|warning)", re.MULTILINE)


@dataclass
class Verdict:
    steps: list[str]
    codes: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    tracebacks: int = 0
    partial_writes: int = 0
    writes_outside: int = 0
    secrets: int = 0
    exceptions_checked: int = 0
    exception_violations: int = 0
    rendered: bool = False
    seconds: float = 0.0

    def report(self) -> str:
        lines = ["hostile input:", *(f"  - {s}" for s in self.steps), f"exit codes: {self.codes}"]
        lines += ["problems:", *(f"  * {p}" for p in self.problems)]
        return "\n".join(lines)


def prepare(root: Path, envs: tuple[str, ...] = (), *, rendered: Path | None = None) -> Path:
    """A repository with the reference inputs and an already rendered tree (of `envs`, default all):
    copied from `rendered` (a render of the reference) when given, else rendered here."""
    copy_inputs(root)
    if rendered is not None:
        for env in envs or tuple(p.name for p in rendered.iterdir() if p.is_dir()):
            shutil.copytree(rendered / env, root / "rendered" / env, symlinks=True)
        return root
    result = run_cli(["render", "--root", str(root), *(a for env in envs for a in ("--env", env))])
    if result.code != 0:
        raise RuntimeError(f"the reference platform does not render:\n{result.output}")
    return root


def _run(verdict: Verdict, name: str, args: list[str]) -> CliResult | None:
    try:
        result = run_cli(args)
    except BaseException as e:  # an escaped exception is exactly what is counted
        if isinstance(e, KeyboardInterrupt):
            raise
        verdict.tracebacks += 1
        verdict.codes[name] = -1
        verdict.problems.append(f"{name}: exception escaped the CLI:\n{traceback.format_exc()}")
        return None
    verdict.codes[name] = result.code
    if result.code not in ALLOWED_EXIT:
        verdict.problems.append(f"{name}: exit {result.code}:\n{result.output[-3000:]}")
    if "Traceback" in result.output:
        verdict.tracebacks += 1
        verdict.problems.append(f"{name}: traceback in output:\n{result.output[-3000:]}")
    elif result.code == 3:
        verdict.tracebacks += 1
    return result


def _check_findings(verdict: Verdict, name: str, result: CliResult, fmt: str) -> None:
    """Exit 1 means findings; they must be there, with positions, in the format asked for."""
    if result.code != 1:
        return
    if fmt in ("json", "sarif"):
        try:
            payload = json.loads(result.stdout)
        except ValueError:
            verdict.problems.append(f"{name}: --format {fmt} did not print JSON:\n{result.stdout[:2000]}")
            return
        results = payload.get("findings") if fmt == "json" else payload["runs"][0].get("results")
        if not results:
            verdict.problems.append(f"{name}: exit 1 but no findings in the {fmt} output")
    elif fmt == "text" and not POSITION.search(result.stdout) and "stale" not in result.stdout:
        verdict.problems.append(f"{name}: exit 1 without a file:line:col finding:\n{result.output[-2000:]}")


def run_case(root: Path, case: Case, *, thorough: bool = True) -> Verdict:
    """`thorough=False` runs `check` only after a render that wrote (a refused render and check
    share every code path up to the findings); the quick campaign in `make test` uses it."""
    started = time.perf_counter()
    verdict = Verdict(steps=list(case.steps))
    reset_inputs(root)
    write_files(root, case.files)
    rendered = root / "rendered"
    scope = root.parent
    outside = listing_outside(scope, [rendered])
    env_args = [a for env in case.envs for a in ("--env", env)]

    validate = _run(verdict, "validate", ["validate", "--root", str(root), "--format", case.fmt, *env_args])
    if validate is not None:
        _check_findings(verdict, "validate", validate, case.fmt)

    # Inode, size, mtime and ctime of every entry: stricter than bytes (a rewrite of equal bytes shows).
    before = fingerprint(rendered)
    render = _run(verdict, "render", ["render", "--root", str(root), *env_args])
    if render is not None and render.code != 0 and fingerprint(rendered) != before:
        verdict.partial_writes += 1
        changed = sorted(k for k, v in fingerprint(rendered).items() if before.get(k) != v)
        verdict.problems.append(f"render exited {render.code} but touched rendered/: {changed[:5]}")
    if render is not None and render.code == 0:
        verdict.rendered = True
        _check_written(verdict, root, case)

    check = None
    if thorough or verdict.rendered:
        check = _run(verdict, "check", ["check", "--no-verify", "--root", str(root), *env_args])
    if render is not None and render.code == 0 and check is not None and check.code != 0:
        verdict.problems.append(
            f"check exits {check.code} right after a successful render:\n{check.output[-3000:]}"
        )

    if listing_outside(scope, [rendered]) != outside:
        verdict.writes_outside += 1
        verdict.problems.append("a run changed files outside rendered/")
    verdict.seconds = time.perf_counter() - started
    return verdict


def _check_written(verdict: Verdict, root: Path, case: Case) -> None:
    rendered = root / "rendered"
    if leftovers(rendered):
        verdict.problems.append(f"render left {leftovers(rendered)} behind")
    envs = case.envs or tuple(sorted(p.stem for p in (root / "overlays").glob("*.yaml") if p.is_file()))
    for env in envs:
        if not (rendered / env).is_dir():
            verdict.problems.append(f"render exited 0 but rendered/{env} is not there")
            continue
        _, hits = scan_tree(rendered / env)
        verdict.secrets += len(hits)
        verdict.problems.extend(f"credential in rendered/{env}: {hit}" for hit in hits[:10])
        try:
            policy = check_environment(root, env)
        except Exception as e:  # the independent reader may not follow every odd input
            verdict.problems.append(f"could not derive the expected exceptions for {env}: {e!r}")
            continue
        verdict.exceptions_checked += policy.checked
        verdict.exception_violations += len(policy.violations)
        verdict.problems.extend(policy.violations)


@dataclass
class Campaign:
    """Cases run against one prepared repository; repeats (Hypothesis revisits) are not run twice."""

    root: Path
    thorough: bool = True
    examples: int = 0
    verdicts: dict[int, Verdict] = field(default_factory=dict)

    def run(self, case: Case) -> Verdict:
        self.examples += 1
        key = hash((tuple(sorted(case.files.items())), case.envs, case.fmt))
        if key not in self.verdicts:
            self.verdicts[key] = run_case(self.root, case, thorough=self.thorough)
            if os.environ.get("PLATFORMC_FUZZ_TRACE"):  # one line per input, to watch a campaign
                verdict = self.verdicts[key]
                print(f"{verdict.seconds:5.2f}s {verdict.codes} {case.steps[:2]!r:.160}", file=sys.stderr)
        return self.verdicts[key]

    def total(self, attribute: str) -> int:
        return sum(int(getattr(v, attribute)) for v in self.verdicts.values())

    @property
    def problems(self) -> list[Verdict]:
        return [v for v in self.verdicts.values() if v.problems]
