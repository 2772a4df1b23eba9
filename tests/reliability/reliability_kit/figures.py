"""Each campaign at a given size, summed up as figures for docs/reliability.md (scripts/reliability.py).

A section is (title, what was tried, rows of (figure, value, goal)); a gap is a
known shortfall that a strict xfail test in tests/reliability pins; a problem is
a broken promise nobody has explained yet.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

from reliability_kit.fuzz import Campaign, prepare
from reliability_kit.hostile import ACCEPTED, CASES, HostileCase
from reliability_kit.mutate import BaseInputs, Case, cases
from reliability_kit.policy import check_environment
from reliability_kit.repo import (
    ENVS,
    REPO,
    copy_inputs,
    env_tree,
    fingerprint,
    reset_inputs,
    run_cli,
)
from reliability_kit.secrets import PLACEMENTS, PLANTED, plant_password, scan_file, scan_tree

FORMATS = ("text", "json", "github", "sarif")
Trees = dict[str, dict[str, dict[str, bytes]]]


@dataclass
class Report:
    """Sections of figures (label, value, goal) and the open gaps, in the order they were measured."""

    sections: list[tuple[str, str, list[tuple[str, str, str]]]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def section(self, title: str, what: str, rows: list[tuple[str, object, str]]) -> None:
        self.sections.append((title, what, [(label, _fmt(value), goal) for label, value, goal in rows]))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fuzz(work: Path, examples: int, rng_seed: int, report: Report) -> Campaign:
    campaign = Campaign(
        prepare(work / "fuzz" / "repo", rendered=work / "reference" / "rendered"), thorough=True
    )
    base = BaseInputs.read()

    @seed(rng_seed)
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=cases(base))
    def run(case: Case) -> None:
        campaign.run(case)
        if campaign.examples % 25 == 0:
            log(f"  {campaign.examples}/{examples} inputs")

    run()
    verdicts = list(campaign.verdicts.values())
    codes: Counter[str] = Counter()
    for verdict in verdicts:
        codes.update(f"{command} {code}" for command, code in verdict.codes.items())
    for verdict in campaign.problems:
        report.problems.append(verdict.report())
    report.section(
        "Hostile input: mutated platforms (property-based)",
        "Mutations of the reference platform.yaml and overlays (deleted keys, wrong types, hostile and "
        "unicode names, huge numbers, deep nesting, empty documents, damaged bytes, odd environment names) "
        "through `validate` (a random `--format`), `render` and `check --no-verify`, in-process.",
        [
            ("inputs generated", campaign.examples, ""),
            ("distinct inputs run", len(verdicts), ""),
            ("runs of the CLI", sum(len(v.codes) for v in verdicts), ""),
            ("exit codes", ", ".join(f"{k}: {n}" for k, n in sorted(codes.items())), "only 0, 1, 2"),
            ("renders that wrote a tree", sum(v.rendered for v in verdicts), ""),
            ("tracebacks / exit 3", campaign.total("tracebacks"), "0"),
            (
                "refused renders that changed rendered/ (partial writes)",
                campaign.total("partial_writes"),
                "0",
            ),
            ("runs that wrote outside rendered/", campaign.total("writes_outside"), "0"),
            ("inputs with any broken promise", len(campaign.problems), "0"),
            ("slowest input (s, three commands)", max((v.seconds for v in verdicts), default=0.0), ""),
        ],
    )
    return campaign


def hostile_cases(work: Path, report: Report) -> None:
    root = prepare(work / "hostile" / "repo", envs=("prod",), rendered=work / "reference" / "rendered")
    rendered = root / "rendered"
    refused = at_cause = tracebacks = touched = 0
    for case in CASES:
        reset_inputs(root)
        case.build(root)
        before = fingerprint(rendered)
        envs = [a for env in case.envs for a in ("--env", env)]
        validate = run_cli(["validate", "--root", str(root), *envs])
        render = run_cli(["render", "--root", str(root), *envs])
        tracebacks += sum(r.code == 3 or "Traceback" in r.output for r in (validate, render))
        refused += render.code in (1, 2)
        touched += fingerprint(rendered) != before
        at = re.compile(rf"^{re.escape(case.file)}:\d+:\d+: PC\d{{3}} error: ", re.MULTILINE)
        found = validate.code == 1 and bool(at.search(validate.output))
        at_cause += found
        if not found:
            report.gaps.append(
                f"{case.name}: {case.validate_gap or 'validate did not report it at ' + case.file}"
            )
        elif case.validate_gap:
            report.problems.append(
                f"{case.name}: now reported at the cause; drop its xfail ({case.validate_gap})"
            )
    reset_inputs(root)
    accepted = sum(_renders_like_the_reference(work, case) for case in ACCEPTED)
    report.section(
        "Hostile input: hand-written cases",
        "Alias bomb, a 50 MB file, nesting 10,000 deep (flow and block), non-UTF-8, UTF-16, NUL, tabs, "
        "object-constructing tags, duplicate keys, a 5,000-digit number, lone surrogates, empty and "
        "non-mapping documents and overlays, names with `..`, `/`, uppercase, homoglyphs, 64+ characters, "
        "overlay files that are no environment name (`..`, `.`, `.hidden`, empty, uppercase, a space, "
        "`_`, 64 characters), and overlays spelled `.yml` or `.YAML`.",
        [
            ("cases", len(CASES), ""),
            ("renders refused (exit 1 or 2)", refused, str(len(CASES))),
            (
                "validate findings at the cause (file:line:col)",
                at_cause,
                f"{len(CASES)} (gaps below)" if at_cause < len(CASES) else str(len(CASES)),
            ),
            ("tracebacks / exit 3", tracebacks, "0"),
            ("refused renders that touched rendered/", touched, "0"),
            (
                "unusual spellings (BOM, CRLF) rendering the reference exactly",
                f"{accepted}/{len(ACCEPTED)}",
                "all",
            ),
        ],
    )


def _renders_like_the_reference(work: Path, case: HostileCase) -> bool:
    root = copy_inputs(work / "accepted" / case.name.replace(" ", "-") / "repo")
    case.build(root)
    result = run_cli(["render", "--root", str(root), "--env", "prod"])
    return result.code == 0 and env_tree(root / "rendered", "prod") == reference_tree(work, "prod")


def reference_tree(work: Path, env: str) -> dict[str, bytes]:
    return env_tree(work / "reference" / "rendered", env)


def secrets(work: Path, campaign: Campaign, report: Report) -> None:
    committed_files, committed = scan_tree(REPO / "rendered")
    fresh_files, fresh = scan_tree(work / "reference" / "rendered")
    report.problems.extend(f"credential: {hit}" for hit in committed + fresh)
    controls = work / "controls"
    controls.mkdir()
    detected = 0
    for name, text in PLANTED.items():
        (controls / name).write_text(text)
        detected += bool(scan_file(controls / name, name))
    masked = refused = leaked = 0
    for placement in PLACEMENTS:
        root, secret = plant_password(
            copy_inputs(work / "planted" / placement.replace(" ", "-") / "repo"), placement
        )
        outputs = [
            run_cli(["validate", "--root", str(root), "--env", "prod", "--format", f]) for f in FORMATS
        ]
        render = run_cli(["render", "--root", str(root), "--env", "prod"])
        masked += all(secret not in r.output for r in [*outputs, render])
        refused += outputs[0].code == 1
        tree = root / "rendered" / "prod"
        reached = tree.is_dir() and any(secret in p.read_text() for p in tree.rglob("*") if p.is_file())
        leaked += reached
        if reached or outputs[0].code != 1:
            report.gaps.append(f"literal password ({placement}) is not refused and reaches rendered/")
    report.section(
        "Secrets",
        "Every rendered file scanned for Kubernetes Secrets with data, env values and config lines holding "
        "literal credentials, passwords in URLs, AWS keys, private keys, JWTs, GitHub/Slack tokens and "
        "high-entropy strings (image and chart digests excepted). Then literal passwords planted in "
        "platform.yaml, validated in every output format and rendered.",
        [
            ("files scanned: the committed tree", committed_files, ""),
            ("files scanned: a fresh render", fresh_files, ""),
            (
                "trees scanned: every render of the fuzz campaign",
                sum(v.rendered for v in campaign.verdicts.values()),
                "",
            ),
            ("credentials found", len(committed) + len(fresh) + campaign.total("secrets"), "0"),
            ("planted credentials the scanner finds", f"{detected}/{len(PLANTED)}", "all"),
            ("planted passwords never printed (4 formats + render)", f"{masked}/{len(PLACEMENTS)}", "all"),
            (
                "planted passwords refused by validate",
                f"{refused}/{len(PLACEMENTS)}",
                "all (gap below)" if refused < len(PLACEMENTS) else "all",
            ),
            ("planted passwords that reached rendered/", leaked, "0" if not leaked else "0 (gap below)"),
        ],
    )


def policy(work: Path, campaign: Campaign, report: Report) -> None:
    checked = violations = 0
    for root in (REPO, work / "reference"):
        for env in ENVS:
            result = check_environment(root, env)
            checked += result.checked
            violations += len(result.violations)
            report.problems.extend(result.violations)
    report.section(
        "PolicyExceptions are least-privilege",
        "Every PolicyException in rendered/*/policies/ (committed and fresh, and in every tree the fuzz "
        "campaign wrote) against what platform.yaml and the overlay ask for, read independently with PyYAML: "
        "exactly the requested policies and rules (+ autogen- variants), names [name, name-*], one namespace "
        "(the component's), no wildcard kinds, no extra match blocks, excludes or conditions.",
        [
            ("exceptions checked: committed and fresh trees", checked, ""),
            ("exceptions checked: fuzz campaign trees", campaign.total("exceptions_checked"), ""),
            ("violations", violations + campaign.total("exception_violations"), "0"),
        ],
    )
