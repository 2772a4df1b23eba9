"""Property: whatever platform.yaml and its overlays say, platformc ends with exit 0, 1 or 2 and findings.

Mutations of the reference platform (reliability_kit.mutate) go through
`validate`, `render` and `check --no-verify` in-process. Never exit 3, never a
traceback, a refused render leaves rendered/ byte-identical, nothing is written
outside rendered/, and every tree that is written holds no credential and only
least-privilege PolicyExceptions.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from reliability_kit.fuzz import Campaign
from reliability_kit.mutate import BaseInputs, Case, cases

SHORT_CAMPAIGN = 25
# `make test-all` runs this many; `make fuzz` sets PLATFORMC_FUZZ_EXAMPLES=2000.
LONG_CAMPAIGN = int(os.environ.get("PLATFORMC_FUZZ_EXAMPLES") or 120)
BASE = BaseInputs.read()


def _campaign(root: Path, examples: int, *, derandomize: bool, every_env: bool) -> None:
    campaign = Campaign(root, thorough=every_env)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=derandomize,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(BASE, every_env=every_env))
    def every_run_ends_with_findings(case: Case) -> None:
        verdict = campaign.run(case)
        assert not verdict.problems, verdict.report()

    every_run_ends_with_findings()


@pytest.mark.slow
def test_short_campaign_is_deterministic(prepared_repo: Path) -> None:
    _campaign(prepared_repo, SHORT_CAMPAIGN, derandomize=True, every_env=False)


@pytest.mark.slow
def test_long_campaign(prepared_repo: Path) -> None:
    _campaign(prepared_repo, LONG_CAMPAIGN, derandomize=False, every_env=True)
