"""The targets of issues 7, 15, 16 and 18, each a ratio of numbers measured in the same run.

Scaling targets compare the two largest sizes run; their limit is 1.1× the
size ratio (11 for 5,000 against 500), so other `--sizes` stay meaningful.
Times count only from clean runs: platformc's exit 1 may mean "refused after
the first stage" (render on an error) as well as "findings after all the work",
and a refusal's time says nothing. Peak memory counts every run that ended by
itself, which can only make that target harder to meet. A target without clean
inputs is "not measured", with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cluster_stage import CHECK, STAGE
from measure import Measurement
from model import FLOOR_LABEL, FLOOR_SUBJECT, Results, size_subject
from values_contract import WITH, WITHOUT, contract_subject

RSS_LIMIT_MB = 500
COMMANDS = ("render", "validate", "check", "verify")  # peak memory: each must have run


@dataclass(frozen=True)
class Target:
    name: str
    measured: str = "–"
    ratio: str = "–"
    limit: str = "–"
    result: str = "not measured"
    issue: int = 7  # the issue that set the target


def _ok(m: Measurement | None) -> float | None:
    """The median wall time of a clean measurement, else None."""
    return m.wall if m is not None and m.ok and m.wall else None


def _why(**items: Measurement | None) -> str:
    for name, m in items.items():
        if m is None:
            return f"not measured: {name} did not run"
        if not m.ok:
            return f"not measured: {name} {m.status}"
    return "not measured"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _pair(results: Results) -> tuple[int, int, float] | None:
    """(large size, small size, limit on their time ratio), or None with fewer than two sizes."""
    sizes = sorted(results.sizes)
    if len(sizes) < 2:
        return None
    return sizes[-1], sizes[-2], 1.1 * sizes[-1] / sizes[-2]


def render_vs_floor(results: Results) -> Target:
    name, limit = "render of the reference (3 envs) ≤ 2× import floor", "≤ 2"
    render, floor = results.find("render", "reference"), results.find(FLOOR_LABEL, FLOOR_SUBJECT)
    a, b = _ok(render), _ok(floor)
    if a is None or b is None:
        return Target(name, limit=limit, result=_why(render=render, floor=floor))
    return Target(name, f"render {a:.3f} s, floor {b:.3f} s", f"{a / b:.2f}×", limit, _verdict(a / b <= 2))


def render_scaling(results: Results) -> Target:
    return _scaling(results, "render", "render scaling")


def validate_scaling(results: Results) -> Target:
    return _scaling(results, "validate", "validate scaling", issue=18)


def cluster_stage_scaling(results: Results) -> Target:
    """The cluster stage's own time (timed inside verify) at the two largest sizes."""
    return _scaling(results, STAGE, "cluster stage scaling", issue=16)


def _scaling(results: Results, label: str, title: str, issue: int = 7) -> Target:
    pair = _pair(results)
    if pair is None:
        return Target(title, result="not measured: needs two sizes", issue=issue)
    big, small, limit = pair
    name, limit_text = f"{title}, N={big} vs N={small}", f"≤ {limit:.3g}"
    large, little = results.find(label, size_subject(big)), results.find(label, size_subject(small))
    a, b = _ok(large), _ok(little)
    if a is None or b is None:
        why = _why(**{f"{label} N={big}": large, f"{label} N={small}": little})
        return Target(name, limit=limit_text, result=why, issue=issue)
    measured = f"{a:.2f} s vs {b:.2f} s"
    if large is not None and little is not None and large.detail and little.detail:
        measured += f" ({large.detail} vs {little.detail})"
    return Target(name, measured, f"{a / b:.2f}×", limit_text, _verdict(a / b <= limit), issue)


def peak_memory(results: Results) -> Target:
    top = max(results.sizes)
    name, limit = f"peak RSS at N={top} < {RSS_LIMIT_MB} MB", f"< {RSS_LIMIT_MB} MB"
    clean = [m for m in results.measurements if m.subject == size_subject(top) and m.ran and m.rss_mb]
    if not clean:
        return Target(name, limit=limit, result="not measured: no command ran at that size")
    worst = max(clean, key=lambda m: m.rss_mb or 0.0)
    rss = worst.rss_mb or 0.0
    missing = [command for command in COMMANDS if command not in {m.label for m in clean}]
    note = f"; did not run: {', '.join(missing)}" if missing else ""
    measured = f"{rss:.0f} MB ({worst.label}){note}"
    share = f"{rss / RSS_LIMIT_MB:.2f} of the limit"
    return Target(name, measured, share, limit, _verdict(rss < RSS_LIMIT_MB))


def helm_scaling(results: Results) -> Target:
    pair = _pair(results)
    if pair is None:
        return Target("Helm render scaling", result="not measured: needs two sizes")
    big, small, limit = pair
    name, limit_text = f"Helm render, one application of N={big} vs N={small}", f"≤ {limit:.3g}"
    large, little = results.helm_run(big, True), results.helm_run(small, True)
    if large is not None and little is not None and little.seconds and not large.seconds:
        m = large.measurement
        if m.status in ("error", "timeout"):  # Helm itself failed on, or never finished, the larger chart
            return Target(name, f"Helm {m.status}: {m.detail}", "–", limit_text, "**not met**")
    if large is None or little is None or not large.seconds or not little.seconds:
        failed = next((h for h in (large, little) if h is not None and not h.seconds), None)
        why = f"{failed.subject} {failed.measurement.status}: {failed.measurement.detail}" if failed else ""
        return Target(name, limit=limit_text, result=f"not measured: {why or 'no rendered chart'}")
    ratio = large.seconds / little.seconds
    measured = f"{large.seconds:.2f} s vs {little.seconds:.2f} s"
    return Target(name, measured, f"{ratio:.2f}×", limit_text, _verdict(ratio <= limit))


def validator_throughput(results: Results) -> Target:
    name, limit = "embedded validation ≥ 10× kubernetes-validate throughput", "≥ 10"
    v = results.validation
    if v is None:
        return Target(name, limit=limit, result="not measured: no manifests")
    # kubernetes-validate exits 1 when it finds invalid objects, after validating all of them.
    if not v.embedded_seconds or not v.command.wall or v.command.status not in ("ok", "exit 1"):
        why = f"not measured: embedded {v.embedded_status}, command {v.command.status}"
        return Target(name, limit=limit, result=why)
    embedded, command = v.objects / v.embedded_seconds, v.objects / v.command.wall
    measured = f"{embedded:,.0f} vs {command:,.0f} objects/s ({v.objects} objects)"
    return Target(name, measured, f"{embedded / command:.1f}×", limit, _verdict(embedded / command >= 10))


def check_vs_render(results: Results) -> Target:
    return _check_vs_render(results, "check", "check on an unchanged tree ≤ render (verify cache warm)")


def check_cold_vs_render(results: Results) -> Target:
    label = "check (no cache)"
    return _check_vs_render(results, label, "check on an unchanged tree ≤ render (no verify cache)")


def _check_vs_render(results: Results, label: str, name: str) -> Target:
    limit = "≤ 1"
    ratios: list[tuple[str, float]] = []
    skipped: list[str] = []
    for subject in ["reference", *map(size_subject, sorted(results.sizes))]:
        check_m, render_m = results.find(label, subject), results.find("render", subject)
        check, render = _ok(check_m), _ok(render_m)
        if check is not None and render is not None:
            ratios.append((subject, check / render))
        elif check_m is not None and render_m is not None:
            skipped.append(f"{subject}: check {check_m.status}, render {render_m.status}")
    note = f"; not compared: {'; '.join(skipped)}" if skipped else ""
    if not ratios:
        return Target(name, limit=limit, result=f"not measured: check or render did not run cleanly{note}")
    subject, worst = max(ratios, key=lambda item: item[1])
    measured = ", ".join(f"{s}: {ratio:.2f}" for s, ratio in ratios) + note
    return Target(name, measured, f"{worst:.2f}× (worst: {subject})", limit, _verdict(worst <= 1))


VENDORED_SUBJECT = "reference, every chart vendored"


def cold_vs_warm_vendored(results: Results) -> Target:
    """A cold `check` (verify renders every chart) against a warm one, with every upstream chart vendored.

    `check` exits 1 when verify reports findings, after all its work: such a run's time
    counts (the upstream charts' values are checked with it, and may still fail).
    """
    name, limit = "cold check of the reference, every chart vendored, ≤ 10× a warm one", "≤ 10"
    cold_m = results.find("check (cold cache)", VENDORED_SUBJECT)
    warm_m = results.find("check", VENDORED_SUBJECT)
    cold, warm = _finished(cold_m), _finished(warm_m)
    if cold is None or warm is None:
        return Target(
            name, limit=limit, result=_why(**{"cold check": cold_m, "warm check": warm_m}), issue=15
        )
    exits = {m.status for m in (cold_m, warm_m) if m is not None and not m.ok}
    note = f" ({', '.join(sorted(exits))}: findings)" if exits else ""
    measured = f"cold {cold:.2f} s, warm {warm:.2f} s{note}"
    return Target(name, measured, f"{cold / warm:.2f}×", limit, _verdict(cold / warm <= 10), 15)


def _finished(m: Measurement | None) -> float | None:
    """The median wall time of a run that did all its work: clean, or exit 1 with findings."""
    return m.wall if m is not None and m.status in ("ok", "exit 1") and m.wall else None


def values_contract_cost(results: Results) -> Target:
    size = max(results.sizes)
    name, limit = f"values contract's share of validate, N={size} with every chart vendored", "≤ +10%"
    with_contract, without = (
        results.find(WITH, contract_subject(size)),
        results.find(WITHOUT, contract_subject(size)),
    )
    a, b = _ok(with_contract), _ok(without)
    if a is None or b is None:
        return Target(name, limit=limit, result=_why(**{"with": with_contract, "without": without}), issue=15)
    added = (a - b) / b
    return Target(name, f"{a:.2f} s vs {b:.2f} s", f"{added:+.1%}", limit, _verdict(added <= 0.10), 15)


def cluster_stage_share(results: Results) -> Target:
    """The cluster stage's time against the cold `check` it ran in (one process, every chart vendored)."""
    name, limit = "cluster stage's share of a cold check of the reference, every chart vendored", "≤ 25%"
    stage_m, check_m = results.find(STAGE, VENDORED_SUBJECT), results.find(CHECK, VENDORED_SUBJECT)
    stage, check = _ok(stage_m), _ok(check_m)
    if stage is None or check is None:
        why = _why(**{"cluster stage": stage_m, "cold check": check_m})
        return Target(name, limit=limit, result=why, issue=16)
    detail = f" ({stage_m.detail})" if stage_m is not None and stage_m.detail else ""
    measured = f"stage {stage:.2f} s of {check:.2f} s{detail}"
    share = stage / check
    return Target(name, measured, f"{share:.1%}", limit, _verdict(share <= 0.25), 16)


TARGETS: tuple[Callable[[Results], Target], ...] = (
    render_vs_floor,
    render_scaling,
    validate_scaling,
    peak_memory,
    helm_scaling,
    validator_throughput,
    check_vs_render,
    check_cold_vs_render,
    cold_vs_warm_vendored,
    values_contract_cost,
    cluster_stage_scaling,
    cluster_stage_share,
)


def targets(results: Results) -> list[Target]:
    return [target(results) for target in TARGETS]
