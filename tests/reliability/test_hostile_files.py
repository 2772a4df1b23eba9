"""Hand-written hostile inputs through the CLI: findings, never a traceback, rendered/ untouched.

The cases live in reliability_kit.hostile (alias bomb, a 50 MB file, nesting
10,000 deep, non-UTF-8, tabs, object-constructing tags, names with `..`, `/`,
uppercase, homoglyphs, 64+ characters, overlay files whose names are no
environment name: `..yaml`, `.hidden.yaml`, `Prod.yaml`, `prod copy.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from reliability_kit.fuzz import prepare
from reliability_kit.hostile import ACCEPTED, CANARY, CASES, HostileCase
from reliability_kit.repo import CliResult, env_tree, fingerprint, listing_outside, reset_inputs, run_cli

CANARY_PATH = Path("/tmp") / CANARY


@dataclass(frozen=True)
class Outcome:
    validate: CliResult
    render: CliResult
    rendered_touched: bool
    outside_touched: bool
    canary: bool


class Outcomes:
    """Each case runs once (validate, then render) however many tests look at it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._done: dict[str, Outcome] = {}

    def __getitem__(self, case: HostileCase) -> Outcome:
        if case.name not in self._done:
            self._done[case.name] = self._run(case)
        return self._done[case.name]

    def _run(self, case: HostileCase) -> Outcome:
        root, rendered = self.root, self.root / "rendered"
        reset_inputs(root)
        CANARY_PATH.unlink(missing_ok=True)
        case.build(root)
        before, outside = fingerprint(rendered), listing_outside(root.parent, [rendered])
        envs = [a for env in case.envs for a in ("--env", env)]
        validate = run_cli(["validate", "--root", str(root), *envs])
        render = run_cli(["render", "--root", str(root), *envs])
        outcome = Outcome(
            validate=validate,
            render=render,
            rendered_touched=fingerprint(rendered) != before,
            outside_touched=listing_outside(root.parent, [rendered]) != outside,
            canary=CANARY_PATH.exists(),
        )
        reset_inputs(root)
        return outcome


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, reference_render: Path) -> Outcomes:
    root = tmp_path_factory.mktemp("hostile-files") / "repo"
    return Outcomes(prepare(root, envs=("prod",), rendered=reference_render / "rendered"))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_render_refuses_and_leaves_rendered_untouched(outcomes: Outcomes, case: HostileCase) -> None:
    outcome = outcomes[case]
    for name, result in (("validate", outcome.validate), ("render", outcome.render)):
        assert result.code in (0, 1, 2), f"{name} exited {result.code}:\n{result.output[-3000:]}"
        assert "Traceback" not in result.output, result.output[-3000:]
    assert outcome.render.code in (1, 2), outcome.render.output[-3000:]
    if outcome.render.code == 2:
        assert "platformc: error:" in outcome.render.output
    assert not outcome.rendered_touched, "a refused render changed rendered/"
    assert not outcome.outside_touched, "a run wrote outside rendered/"
    assert not outcome.canary, "a YAML tag ran a command"


def _with_gap(case: HostileCase) -> object:
    if not case.validate_gap:
        return case
    return pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=case.validate_gap))


@pytest.mark.parametrize("case", [_with_gap(c) for c in CASES], ids=str)
def test_validate_reports_a_finding_at_the_cause(outcomes: Outcomes, case: HostileCase) -> None:
    outcome = outcomes[case]
    assert outcome.validate.code == 1, outcome.validate.output[-3000:]
    at_cause = re.compile(rf"^{re.escape(case.file)}:\d+:\d+: PC\d{{3}} error: ", re.MULTILINE)
    assert at_cause.search(outcome.validate.output), outcome.validate.output[-3000:]


@pytest.mark.parametrize("case", ACCEPTED, ids=str)
def test_unusual_spellings_render_exactly_the_reference(
    case: HostileCase, reference_render: Path, tmp_path: Path
) -> None:
    root = tmp_path / "repo"
    reset_inputs(root)
    case.build(root)
    result = run_cli(["render", "--root", str(root), "--env", "prod"])
    assert result.code == 0, result.output[-3000:]
    assert env_tree(root / "rendered", "prod") == env_tree(reference_render / "rendered", "prod")
