"""Which two trees `platformc diff` compares, rendered and turned into objects.

- default: `rendered/<env>/` as it is on disk (what is committed and what ArgoCD
  syncs) against a fresh render of platform.yaml: "what would `make render` change?"
- `--base REV`: platform.yaml and overlays at REV against the working tree, both
  rendered by this platformc, so a compiler upgrade never shows up as a change.
- `--envs A B`: environment B as it is against B with A's configuration: what
  promoting A to B would change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.diff.changes import EnvDiff, diff_environment, normalise_for_promotion
from generator.diff.objects import EnvObjects, collect_objects
from generator.diff.revisions import inputs_at, resolve_revision
from generator.emit import RenderedTree
from generator.errors import InputError
from generator.findings import Finding
from generator.model import Platform
from generator.pipeline import PLATFORM_FILE, EnvResult, analyse, discover_envs, emit
from generator.report.progress import Progress


@dataclass
class Rendered:
    """Fresh renders of some environments, or the findings that stopped them."""

    trees: dict[str, RenderedTree] = field(default_factory=dict)
    platforms: dict[str, Platform] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(f.is_error for f in self.findings)

    def application_names(self) -> list[str]:
        """The applications of every environment rendered, sorted (what `--app` may name)."""
        return sorted({name for p in self.platforms.values() for name in p.applications})


def render_fresh(root: Path, envs: list[str], progress: Progress) -> Rendered:
    out = Rendered()
    for index, env in enumerate(envs, 1):
        progress.step(f"rendering {env} ({index}/{len(envs)})")
        results: list[EnvResult] = analyse(root, [env])
        out.findings.extend(f for r in results for f in r.findings)
        if all(r.ok for r in results):
            out.trees.update(emit(results))
            out.platforms.update({r.env: r.platform for r in results if r.platform is not None})
    return out


def read_tree(directory: Path) -> dict[str, bytes]:
    if not directory.is_dir():
        return {}
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _pair(
    old: Mapping[str, bytes], new: Mapping[str, bytes], platform: Platform, progress: Progress, what: str
) -> tuple[EnvObjects, EnvObjects]:
    progress.step(f"rendering charts with Helm: {what}")
    version = platform.kubernetes_version
    return (
        collect_objects(old, version, other=new),
        collect_objects(new, version, other=old),
    )


def against_disk(root: Path, rendered: Path, head: Rendered, progress: Progress) -> list[EnvDiff]:
    diffs = []
    for env, tree in head.trees.items():
        platform = head.platforms[env]
        old, new = _pair(read_tree(rendered / env), tree, platform, progress, env)
        diffs.append(
            diff_environment(env, f"{rendered.name}/{env} on disk", f"{PLATFORM_FILE} rendered now", old, new)
        )
    return diffs


def against_revision(
    root: Path, revision: str, envs: list[str], head: Rendered, progress: Progress, *, all_envs: bool
) -> tuple[list[EnvDiff], list[Finding]]:
    """Diffs against REV, or no diffs and the findings that stop REV from rendering."""
    commit = resolve_revision(root, revision)
    with inputs_at(root, commit) as base_root:
        if not (base_root / PLATFORM_FILE).is_file():
            raise InputError(f"--base {revision}: there is no {PLATFORM_FILE} at that revision")
        known = discover_envs(base_root)
        base_envs = [e for e in envs if e in known]
        if all_envs:  # an environment deleted since REV shows as everything removed
            base_envs += [e for e in known if e not in envs]
        base = render_fresh(base_root, base_envs, progress)
    if base.failed:
        return [], base.findings
    label = f"{revision} ({commit[:12]})"
    diffs = []
    for env in sorted(set(head.trees) | set(base.trees)):
        platform = head.platforms.get(env) or base.platforms[env]
        old, new = _pair(base.trees.get(env, {}), head.trees.get(env, {}), platform, progress, env)
        diffs.append(diff_environment(env, label, "working tree", old, new))
    return diffs, []


def promotion(source: str, target: str, head: Rendered, progress: Progress) -> EnvDiff:
    """Objects of `target` as they are (old) against `source`'s (new), minus what names an env."""
    progress.step(f"rendering charts with Helm: {source} and {target}")
    sides = []
    for env in (target, source):
        platform = head.platforms[env]
        objects = collect_objects(head.trees[env], platform.kubernetes_version)
        path = platform.gitops.path
        sides.append(normalise_for_promotion(objects, env, platform.name, path))
    return diff_environment(
        f"{source} → {target}", f"{target} as configured", f"{target} with {source}'s configuration", *sides
    )
