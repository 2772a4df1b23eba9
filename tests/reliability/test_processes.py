"""Real processes: SIGKILL at random moments, Ctrl-C mid-write, two renders at once.

After any of them every rendered/<env> is exactly the old tree or the new one,
and the next render finishes the job without leftovers.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reliability_kit.fuzz import prepare
from reliability_kit.processes import (
    KillCampaign,
    interrupt_mid_write,
    render_trees,
    two_renders_at_once,
    variant_b,
)
from reliability_kit.repo import ENVS, Snapshot, copy_inputs, env_tree, leftovers, run_cli

SHORT_KILL_TRIALS = 10
FUZZ = os.environ.get("PLATFORMC_FUZZ_EXAMPLES") or "0"

Trees = dict[str, dict[str, Snapshot]]


@pytest.fixture(scope="module")
def variant_trees(reference_render: Path, tmp_path_factory: pytest.TempPathFactory) -> Trees:
    """Each environment's tree for variant A (the reference) and variant B."""
    work = tmp_path_factory.mktemp("variant-b")
    trees_b = render_trees(work / "repo", variant_b(), work / "rendered")
    trees_a = {env: env_tree(reference_render / "rendered", env) for env in ENVS}
    assert all(trees_a[env] != trees_b[env] for env in ENVS)
    return {"A": trees_a, "B": trees_b}


def _kill_campaign(
    root: Path, trees: Trees, rendered: Path, trials: int, *, seed: int, every: int, max_delay: float
) -> KillCampaign:
    campaign = KillCampaign(root, trees, seed=seed, max_delay=max_delay)
    campaign.prepare(rendered)
    campaign.run(trials, every_env_each=every)
    return campaign


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_each_environment_old_or_new(
    tmp_path: Path, variant_trees: Trees, reference_render: Path
) -> None:
    """Kills after a random delay in [0, 1.5 s]; one trial in ten renders every environment."""
    rendered = reference_render / "rendered"
    campaign = _kill_campaign(
        tmp_path / "repo", variant_trees, rendered, SHORT_KILL_TRIALS, seed=6, every=10, max_delay=1.5
    )
    assert campaign.problems == []
    assert campaign.corrupted == 0
    assert len(campaign.trials) == SHORT_KILL_TRIALS + 1  # and the tree prepare() started from


@pytest.mark.slow
def test_sigkill_long_campaign(tmp_path: Path, variant_trees: Trees, reference_render: Path) -> None:
    """Delays measured on this machine (a whole one-environment render), so kills reach the writes."""
    trials = max(50, int(FUZZ) // 20)
    seed = int.from_bytes(os.urandom(4))
    campaign = _kill_campaign(
        tmp_path / "repo",
        variant_trees,
        reference_render / "rendered",
        trials,
        seed=seed,
        every=3,
        max_delay=0,
    )
    assert campaign.problems == [], f"seed {seed}"
    assert any(t.mid_write for t in campaign.trials), "no kill landed while writing; widen the delays"


# ------------------------------------------------------------------ Ctrl-C


@pytest.fixture(scope="module")
def interrupted(
    tmp_path_factory: pytest.TempPathFactory, variant_trees: Trees, reference_render: Path
) -> tuple[Path, int, str]:
    """A repository on variant A, re-rendered as B and interrupted while the second environment is staged."""
    root = tmp_path_factory.mktemp("sigint") / "repo"
    prepare(root, ("dev", "prod"), rendered=reference_render / "rendered")
    (root / "platform.yaml").write_text(variant_b(), encoding="utf-8")
    code, output = interrupt_mid_write(root, ["dev", "prod"], wait_for=".staging-prod-")
    return root, code, output


def test_ctrl_c_mid_write_exits_130_and_leaves_whole_trees(
    interrupted: tuple[Path, int, str], variant_trees: Trees
) -> None:
    root, code, output = interrupted
    assert code == 130, output
    assert "Traceback" not in output
    rendered = root / "rendered"
    assert leftovers(rendered) == []
    for env in ("dev", "prod"):
        assert env_tree(rendered, env) in (variant_trees["A"][env], variant_trees["B"][env])


def test_ctrl_c_mid_write_leaves_the_old_tree(
    interrupted: tuple[Path, int, str], variant_trees: Trees
) -> None:
    root, code, _ = interrupted
    assert code == 130
    for env in ("dev", "prod"):
        assert env_tree(root / "rendered", env) == variant_trees["A"][env]


def test_ctrl_c_before_the_command_starts_exits_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A KeyboardInterrupt while cli.py builds Options (before run_command) is still exit 130."""
    import generator.cli

    def interrupted_options(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(generator.cli, "Options", interrupted_options)
    assert run_cli(["render", "--root", str(tmp_path)]).code == 130


# ------------------------------------------------------------------ two at once


def test_two_renders_at_once_serialize_on_the_lock(tmp_path: Path, variant_trees: Trees) -> None:
    root = copy_inputs(tmp_path / "repo")
    results = two_renders_at_once(root, ("prod",))
    for code, output in results:
        assert "Traceback" not in output
        assert code == 0 or (code == 2 and "another platformc render" in output), output
    assert any(code == 0 for code, _ in results)
    rendered = root / "rendered"
    assert leftovers(rendered) == []
    assert env_tree(rendered, "prod") == variant_trees["A"]["prod"]
