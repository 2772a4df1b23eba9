"""`platformc init`: a new platform repository that validates, renders and checks at once.

The files are templates under generator/templates/init/, rendered through the
one Jinja environment; its `[[ ]]` delimiters leave GitHub Actions' `${{ }}`
alone. The language's JSON Schema is copied beside them so editors complete
platform.yaml offline.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

from generator import __version__
from generator.errors import InputError
from generator.templating import render_template

# template (under templates/init/) -> file in the new repository. Dot-files are
# stored without their dot: package data globs skip hidden files.
FILES = {
    "platform.yaml.j2": "platform.yaml",
    "overlays/dev.yaml.j2": "overlays/dev.yaml",
    "overlays/prod.yaml.j2": "overlays/prod.yaml",
    "Makefile.j2": "Makefile",
    "README.md.j2": "README.md",
    "github-workflow.yml.j2": ".github/workflows/platform.yml",
    "pre-commit-config.yaml.j2": ".pre-commit-config.yaml",
    "gitignore.j2": ".gitignore",
}
SCHEMA_COPY = "schemas/platform.schema.json"
GIT_TIMEOUT = 60.0
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def platform_name(directory: Path, name: str | None) -> str:
    if name is not None:
        if not _NAME.match(name) or len(name) > 63:
            raise InputError(
                f"--name {name!r} is not a Kubernetes name: at most 63 lowercase letters, digits and '-', "
                "starting and ending with a letter or digit"
            )
        return name
    derived = re.sub(r"[^a-z0-9-]+", "-", directory.resolve().name.lower()).strip("-")[:63].strip("-")
    return derived or "platform"


def scaffold(directory: Path, name: str | None) -> list[str]:
    """Write the new repository; refuse any directory that holds anything at all."""
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory} exists and is not a directory")
    if directory.is_dir() and any(directory.iterdir()):
        raise InputError(
            f"{directory} is not empty; init never overwrites files: name a new or empty directory"
        )
    platform = platform_name(directory, name)
    contents = {
        target: render_template(f"init/{template}", platform=platform, version=__version__)
        for template, target in FILES.items()
    }
    contents[SCHEMA_COPY] = files("generator").joinpath("schema", "platform.schema.json").read_text("utf-8")
    for target, text in contents.items():
        path = directory / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(contents)


def init_git(directory: Path) -> str:
    """`git init` in the new repository; what was done, or why not, in one sentence."""
    git = shutil.which("git")
    if git is None:
        return "git is not on PATH, so no Git repository was created: run `git init` there once it is"
    try:
        inside = _git(git, directory, "rev-parse", "--show-toplevel")
        if inside.returncode == 0:
            top = inside.stdout.strip()
            return f"not running `git init`: {directory} is already inside the Git repository {top}"
        done = _git(git, directory, "init", "--quiet")
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"`git init` failed ({e}): run it yourself"
    if done.returncode != 0:
        return (
            f"`git init` failed: {done.stderr.strip() or f'exit status {done.returncode}'}; run it yourself"
        )
    return f"initialised a Git repository in {directory}"


def _git(git: str, directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [git, "-C", str(directory), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False
    )
