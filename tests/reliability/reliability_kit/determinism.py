"""Render the reference under what differs between machines; every tree must be byte-identical.

Dimensions: hash seed, working directory, locale, time zone, the order files
were created in (and so the order a directory lists them), and the path of the
checkout. `COMBINED` varies several at once in three processes (the quick
run); `MATRIX` varies one thing at a time (the full run).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reliability_kit.repo import Snapshot, copy_inputs, diff_summary, platformc_command, snapshot

_MACHINE_VARS = ("PYTHONHASHSEED", "LANG", "LANGUAGE", "TZ")


@dataclass(frozen=True)
class Variant:
    label: str
    env: dict[str, str] = field(default_factory=dict)
    cwd: str = "root"  # "root", "/" or "elsewhere"
    reverse: bool = False  # create the input files in reverse order
    dirname: str = "repo"


def installed_locales() -> set[str]:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return set()
    return {line.strip().lower().replace("utf8", "utf-8") for line in out.splitlines()}


def _locale(name: str) -> dict[str, str]:
    return {"LC_ALL": name, "LANG": name}


def _other_locale() -> str:
    return "tr_TR.UTF-8" if "tr_tr.utf-8" in installed_locales() else "C.UTF-8"


# Against an in-process render (this process's seed, locale, zone and directory), two processes
# that differ in everything at once.
COMBINED: tuple[Variant, ...] = (
    Variant(
        "seed 0, C locale, UTC, run from /", {"PYTHONHASHSEED": "0", **_locale("C"), "TZ": "UTC"}, cwd="/"
    ),
    Variant(
        f"seed 1, {_other_locale()}, Pacific/Kiritimati, run from elsewhere, files created in reverse, "
        "a checkout path with spaces and ü",
        {"PYTHONHASHSEED": "1", **_locale(_other_locale()), "TZ": "Pacific/Kiritimati"},
        cwd="elsewhere",
        reverse=True,
        dirname="my checkout ü",
    ),
)
MATRIX: tuple[Variant, ...] = (
    *(Variant(f"PYTHONHASHSEED={seed}", {"PYTHONHASHSEED": seed}) for seed in ("0", "1", "random")),
    *(Variant(f"cwd {cwd}", cwd=cwd) for cwd in ("root", "/", "elsewhere")),
    *(Variant(f"locale {name}", _locale(name)) for name in ("C", "C.UTF-8", "tr_TR.UTF-8")),
    *(Variant(f"TZ={tz}", {"TZ": tz}) for tz in ("UTC", "Pacific/Kiritimati", "America/St_Johns")),
    Variant("files created in reverse order", reverse=True),
    Variant("checkout path with spaces and ü", dirname="my checkout ü"),
)


@dataclass
class VariantResult:
    variant: Variant
    code: int
    output: str
    tree: Snapshot

    def difference(self, baseline: Snapshot) -> str:
        return "" if self.tree == baseline else diff_summary(baseline, self.tree)


def run_variants(variants: Sequence[Variant], work: Path, *, parallel: int = 2) -> list[VariantResult]:
    """Render each variant in its own copy of the inputs, `parallel` processes at a time."""
    results: list[VariantResult] = []
    pending = list(enumerate(variants))
    while pending:
        batch, pending = pending[:parallel], pending[parallel:]
        started = []
        for index, variant in batch:
            base = work / f"v{index}"
            root = copy_inputs(base / variant.dirname, reverse=variant.reverse)
            (base / "elsewhere").mkdir(exist_ok=True)
            cwd = {"root": root, "/": Path("/"), "elsewhere": base / "elsewhere"}[variant.cwd]
            env = {k: v for k, v in os.environ.items() if k not in _MACHINE_VARS and not k.startswith("LC_")}
            env.update(variant.env)
            args = [*platformc_command(), "render", "--root", str(root.resolve())]
            process = subprocess.Popen(
                args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            started.append((variant, root, process))
        for variant, root, process in started:
            with process:
                output, _ = process.communicate(timeout=600)
            results.append(VariantResult(variant, process.returncode, output, snapshot(root / "rendered")))
    return results
