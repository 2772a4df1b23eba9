"""Figures from the runtime campaigns: a failing disk, renders at once, SIGKILL, Ctrl-C, machines."""

from __future__ import annotations

from pathlib import Path

from pytest import MonkeyPatch

from reliability_kit.determinism import COMBINED, MATRIX, installed_locales, run_variants
from reliability_kit.faults import fault_campaign
from reliability_kit.figures import Report, reference_tree
from reliability_kit.layouts import ENV, LAYOUTS, try_layout
from reliability_kit.processes import (
    KillCampaign,
    interrupt_mid_write,
    render_trees,
    two_renders_at_once,
    variant_b,
)
from reliability_kit.repo import ENVS, copy_inputs, env_tree, leftovers, run_cli, snapshot


def filesystem(work: Path, report: Report, concurrent: int) -> None:
    faults = fault_campaign(work / "faults")
    report.problems.extend(faults.problems)
    reference = work / "reference" / "rendered"
    layout_problems = [
        try_layout(layout, work / "layouts" / str(index), reference, reference_tree(work, ENV))
        for index, layout in enumerate(LAYOUTS)
    ]
    broken = [problem for problem in layout_problems if problem]
    report.problems.extend(broken)
    whole = 0
    for trial in range(concurrent):
        root = copy_inputs(work / "concurrent" / str(trial) / "repo")
        results = two_renders_at_once(root)
        ok = all(code == 0 or (code == 2 and "another platformc render" in out) for code, out in results)
        same = all(env_tree(root / "rendered", env) == reference_tree(work, env) for env in ENVS)
        whole += ok and same and not leftovers(root / "rendered")
    report.section(
        "Filesystem: hostile layouts, a failing disk and two renders at once",
        "rendered/ laid out to trap the writer: "
        + "; ".join(layout.name for layout in LAYOUTS)
        + ". Then OSError injected into generator.write (EACCES, ENOSPC, EIO) while staging each "
        "environment, while exchanging each, and in the two-rename fallback (root ignores a read-only "
        "chmod, so EACCES stands for it); then pairs of real `platformc render` processes started "
        "together on one repository.",
        [
            ("hostile layouts rendered over", len(LAYOUTS), ""),
            (
                "refused (exit 2, tree untouched) or replaced by a whole fresh tree, as each should be",
                len(LAYOUTS) - len(broken),
                str(len(LAYOUTS)),
            ),
            (
                "layouts written through (outside the repository changed)",
                sum("outside" in problem for problem in broken),
                "0",
            ),
            ("failure injections", faults.trials, ""),
            (
                "refused with every environment left old, no leftovers",
                faults.refused_cleanly,
                str(faults.trials),
            ),
            ("partial writes", faults.partial_writes, "0"),
            ("pairs of concurrent renders", concurrent, ""),
            ("pairs ending with a whole tree equal to a clean render", whole, str(concurrent)),
        ],
    )


def kills(work: Path, trials: int, rng_seed: int, report: Report) -> dict[str, dict[str, dict[str, bytes]]]:
    trees = {
        "A": {env: reference_tree(work, env) for env in ENVS},
        "B": render_trees(work / "variant-b" / "repo", variant_b(), work / "variant-b" / "rendered"),
    }
    campaign = KillCampaign(work / "kill" / "repo", trees, seed=rng_seed, max_delay=0)  # measured
    campaign.prepare(work / "reference" / "rendered")
    campaign.run(trials)
    report.problems.extend(campaign.problems)
    killed = [t for t in campaign.trials[2:] if not t.finished]
    report.section(
        "SIGKILL at random moments",
        f"`platformc render` as a real process, killed with SIGKILL after a random delay in "
        f"[0, {campaign.max_delay:.1f} s] (an uninterrupted one-environment render, +20%; three times that "
        "for every third trial, which renders all environments), alternating two variants of the "
        "platform so that every environment must be exactly one of two known trees. A render after the "
        "last kill must recover.",
        [
            ("kill trials", trials, ""),
            ("kills that landed before the render finished", len(killed), ""),
            ("kills that landed while writing (staging left behind)", sum(t.mid_write for t in killed), ""),
            ("environments judged after a kill", sum(len(t.states) for t in campaign.trials[2:]), ""),
            ("corrupted trees", campaign.corrupted, "0"),
            ("recovery renders leaving leftovers or a wrong tree", len(campaign.problems), "0"),
        ],
    )
    return trees


def interrupts(
    work: Path, trials: int, trees: dict[str, dict[str, dict[str, bytes]]], report: Report
) -> None:
    exit_130 = whole = all_old = 0
    for trial in range(trials):
        root = copy_inputs(work / "sigint" / str(trial) / "repo")
        assert run_cli(["render", "--root", str(root), "--env", "dev", "--env", "prod"]).code == 0
        (root / "platform.yaml").write_text(variant_b(), encoding="utf-8")
        code, output = interrupt_mid_write(root, ["dev", "prod"], wait_for=".staging-prod-")
        exit_130 += code == 130 and "Traceback" not in output
        states = {env: env_tree(root / "rendered", env) for env in ("dev", "prod")}
        whole += all(states[e] in (trees["A"][e], trees["B"][e]) for e in states) and not leftovers(
            root / "rendered"
        )
        all_old += all(states[e] == trees["A"][e] for e in states)
    if all_old < trials:
        report.gaps.append(
            "Ctrl-C while the second environment is staged leaves the first one already new: commands.render "
            "writes environment by environment (generator.write.write_environments swaps all or none)"
        )
    with MonkeyPatch.context() as monkeypatch:
        import generator.cli

        def interrupted(*args: object, **kwargs: object) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(generator.cli, "Options", interrupted)
        early = run_cli(["render", "--root", str(work)]).code
    if early != 130:
        report.gaps.append(
            f"Ctrl-C before run_command (while cli.py imports generator.commands or builds Options) exits "
            f"{early} ('Aborted!'), not 130"
        )
    report.section(
        "Ctrl-C",
        "SIGINT sent to a real `platformc render --env dev --env prod` the moment prod's staging directory "
        "appears (dev already staged), re-rendering variant B over variant A.",
        [
            ("interrupted renders", trials, ""),
            ("exit 130 without a traceback", exit_130, str(trials)),
            ("every environment whole (old or new), no leftovers", whole, str(trials)),
            (
                "every environment still old",
                all_old,
                f"{trials} (gap below)" if all_old < trials else str(trials),
            ),
            ("exit code when interrupted before the command starts", early, "130"),
        ],
    )


def determinism(work: Path, matrix: bool, report: Report) -> None:
    expected = snapshot(work / "reference" / "rendered")
    variants = COMBINED + (MATRIX if matrix else ())
    results = run_variants(variants, work / "determinism")
    failed = [r for r in results if r.code != 0]
    different = [r for r in results if r.code == 0 and r.difference(expected)]
    report.problems.extend(f"{r.variant.label}: {r.difference(expected)}" for r in different)
    report.problems.extend(f"{r.variant.label}: exit {r.code}" for r in failed)
    locales = "C, C.UTF-8 and tr_TR.UTF-8"
    if "tr_tr.utf-8" not in installed_locales():
        locales += ", which is not installed here, so Python falls back to C"
    report.section(
        "Determinism across machines",
        "The reference rendered in separate processes under different PYTHONHASHSEED (0, 1, random), "
        f"working directories (the root, /, elsewhere), locales ({locales}), time zones (UTC, "
        "Pacific/Kiritimati, America/St_Johns), file creation order and checkout path (spaces, ü): "
        f"{len(COMBINED)} variants that change everything at once"
        + (f" and {len(MATRIX)} that change one thing each" if matrix else "")
        + ", each compared byte for byte with an in-process render.",
        [
            ("variants rendered", len(results), ""),
            ("files and directories compared per variant", len(expected), ""),
            ("variants that failed to render", len(failed), "0"),
            ("variants with a byte difference", len(different), "0"),
        ],
    )
