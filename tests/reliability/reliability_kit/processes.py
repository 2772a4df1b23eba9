"""Real platformc processes: killed with SIGKILL at random moments, interrupted, run two at a time.

A kill campaign alternates two variants of the platform (A, the reference, and
B, which changes files in every environment and drops a component) in one
repository, so that at every moment each rendered/<env> must be exactly A's
tree or B's — anything else is a corrupted tree.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reliability_kit.repo import (
    ENVS,
    REPO,
    Snapshot,
    copy_inputs,
    env_tree,
    leftovers,
    platformc_command,
    run_cli,
)

REFERENCE = (REPO / "platform.yaml").read_text(encoding="utf-8")
_B_EDITS = (
    ("refreshInterval: 1h", "refreshInterval: 2h"),  # every ExternalSecret
    ("requests: {cpu: 100m, memory: 256Mi}", "requests: {cpu: 150m, memory: 256Mi}"),  # most values.yaml
    ("        superset-beat:\n", "        superset-beat:\n          enabled: false\n"),  # files disappear
)


def variant_b() -> str:
    text = REFERENCE
    for old, new in _B_EDITS:
        if old not in text:
            raise ValueError(f"variant B cannot be made: the reference no longer contains {old!r}")
        text = text.replace(old, new, 1)
    return text


def render_trees(root: Path, platform: str, out: Path) -> dict[str, Snapshot]:
    """Render `platform` (all environments) into `out` and return each environment's files."""
    copy_inputs(root)
    (root / "platform.yaml").write_text(platform, encoding="utf-8")
    result = run_cli(["render", "--root", str(root), "--out", str(out)])
    if result.code != 0:
        raise RuntimeError(f"a kill-campaign variant does not render:\n{result.output}")
    return {env: env_tree(out, env) for env in ENVS}


def start_render(root: Path, envs: Sequence[str] = ()) -> subprocess.Popen[bytes]:
    args = [*platformc_command(), "render", "--root", str(root), *(a for e in envs for a in ("--env", e))]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass
class KillTrial:
    delay: float
    envs: tuple[str, ...]
    states: dict[str, str]  # env -> "old", "new", "unchanged", "recoverable" or "corrupt"
    leftovers: list[str]
    finished: bool  # the render completed before the kill landed

    @property
    def mid_write(self) -> bool:
        return bool(self.leftovers) or "new" in self.states.values() and "old" in self.states.values()


@dataclass
class KillCampaign:
    """SIGKILL a render after a random delay in [0, max_delay], then judge every environment."""

    root: Path
    trees: dict[str, dict[str, Snapshot]]  # "A"/"B" -> env -> files
    seed: int = 0
    max_delay: float = 1.5  # 0: measure an uninterrupted one-environment render (+20%) and use that
    current: dict[str, str] = field(default_factory=dict)  # env -> "A"/"B" as on disk now
    trials: list[KillTrial] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    recoveries: int = 0

    def prepare(self, rendered: Path) -> None:
        """The repository on variant A, with a copy of A's rendered tree; with max_delay 0, one
        uninterrupted one-environment render by a real process sets the delays."""
        copy_inputs(self.root)
        shutil.copytree(rendered, self.root / "rendered", symlinks=True)
        self.current = dict.fromkeys(ENVS, "A")
        self._judge(planned="A", envs=ENVS, finished=True)
        if self.max_delay:
            return
        (self.root / "platform.yaml").write_text(variant_b(), encoding="utf-8")
        started = time.perf_counter()
        if start_render(self.root, (ENVS[0],)).wait(timeout=600) != 0:
            raise RuntimeError("variant B does not render in a subprocess")
        self.max_delay = (time.perf_counter() - started) * 1.2
        self._judge(planned="B", envs=(ENVS[0],), finished=True)

    def run(self, trials: int, *, every_env_each: int = 3) -> None:
        """`trials` kills; every `every_env_each`-th renders every environment (and may wait longer)."""
        rng = random.Random(self.seed)
        for index in range(trials):
            every = index % every_env_each == every_env_each - 1
            envs = ENVS if every else (rng.choice(ENVS),)
            self.trial(rng.uniform(0, self.max_delay * (len(ENVS) if every else 1)), envs)
        self.recover()

    def trial(self, delay: float, envs: tuple[str, ...]) -> KillTrial:
        planned = "B" if Counter(self.current[e] for e in envs).most_common(1)[0][0] == "A" else "A"
        (self.root / "platform.yaml").write_text(
            REFERENCE if planned == "A" else variant_b(), encoding="utf-8"
        )
        process = start_render(self.root, envs if len(envs) < len(ENVS) else ())
        try:
            process.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
            finished = False
        return self._judge(planned, envs, finished, delay)

    def _judge(self, planned: str, envs: Sequence[str], finished: bool, delay: float = 0.0) -> KillTrial:
        rendered = self.root / "rendered"
        states: dict[str, str] = {}
        for env in ENVS:
            on_disk = env_tree(rendered, env) if (rendered / env).is_dir() else None
            if on_disk is None and (rendered / f".old-{env}").is_dir():
                on_disk, state = env_tree(rendered, f".old-{env}"), "recoverable"
            else:
                state = ""
            variant = next((v for v in ("A", "B") if on_disk == self.trees[v][env]), None)
            if variant is None:
                states[env] = "corrupt"
                self.problems.append(
                    f"trial {len(self.trials)}: rendered/{env} is neither tree after a kill at {delay:.2f}s"
                )
                continue
            if env not in envs and variant != self.current.get(env, variant):
                self.problems.append(f"trial {len(self.trials)}: rendered/{env} changed, not being rendered")
            states[env] = state or (
                "unchanged" if env not in envs else "new" if variant == planned else "old"
            )
            self.current[env] = variant
        trial = KillTrial(delay, tuple(envs), states, leftovers(rendered), finished)
        self.trials.append(trial)
        return trial

    def recover(self) -> None:
        """A following render must finish the job: no leftovers, every environment the current variant."""
        self.recoveries += 1
        planned = "A" if (self.root / "platform.yaml").read_text(encoding="utf-8") == REFERENCE else "B"
        result = run_cli(["render", "--root", str(self.root)])
        if result.code != 0:
            self.problems.append(f"the render after the kills exited {result.code}:\n{result.output[-2000:]}")
            return
        rendered = self.root / "rendered"
        if leftovers(rendered):
            self.problems.append(f"the render after the kills left {leftovers(rendered)}")
        for env in ENVS:
            if env_tree(rendered, env) != self.trees[planned][env]:
                self.problems.append(f"after recovery rendered/{env} is not variant {planned}")
            self.current[env] = planned

    @property
    def corrupted(self) -> int:
        return sum(1 for t in self.trials for s in t.states.values() if s == "corrupt")


def interrupt_mid_write(
    root: Path, envs: Sequence[str], wait_for: str, timeout: float = 120
) -> tuple[int, str]:
    """Start a render; SIGINT it once an entry named `wait_for…` appears in rendered/; (exit, output)."""
    args = [*platformc_command(), "render", "--root", str(root), *(a for e in envs for a in ("--env", e))]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        rendered, deadline = root / "rendered", time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            if rendered.is_dir() and any(n.startswith(wait_for) for n in os.listdir(rendered)):
                process.send_signal(signal.SIGINT)
                break
            time.sleep(0.005)
        output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


def two_renders_at_once(root: Path, envs: Sequence[str] = ()) -> list[tuple[int, str]]:
    """Start two renders of the same repository together; (exit, output) of each."""
    args = [*platformc_command(), "render", "--root", str(root), *(a for e in envs for a in ("--env", e))]
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    second = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    results = []
    for process in (first, second):
        with process:
            output, _ = process.communicate(timeout=600)
        results.append((process.returncode, output))
    return results
