"""Environment names: `overlays/<env>.yaml` defines environment `<env>`, and the name must fit where it goes.

The name becomes the directory rendered/<env>/, the root ArgoCD Application
`<platform>-<env>` and a tag on dashboards, so it must be a DNS-1123 label.
Every `*.yaml` in overlays/ is an environment, hidden files and leftovers
included: a file someone meant as an environment that silently renders nothing
is worse than a finding that names it (PC018).
"""

from __future__ import annotations

import re

from generator.findings import Finding, Mark, Severity, make_finding

OVERLAYS_DIR = "overlays"
OVERLAY_SUFFIX = ".yaml"
_YAML_SUFFIXES = (".yaml", ".yml")  # compared case-insensitively: any other spelling is never read
MAX_ENV_LENGTH = 63
_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_BAD_CHARACTER = re.compile(r"[^a-z0-9-]")
_NOT_LABEL = re.compile(r"[^a-z0-9]+")


def overlay_file(env: str) -> str:
    """The overlay that defines `env`, relative to the platform root."""
    return f"{OVERLAYS_DIR}/{env}{OVERLAY_SUFFIX}"


def env_of(file_name: str) -> str:
    """The environment an overlay file name defines: `prod.yaml` -> `prod`, `.yaml` -> ``."""
    return file_name.removesuffix(OVERLAY_SUFFIX)


def env_name_findings(env: str) -> list[Finding]:
    """PC018 at the overlay's first line when `env` cannot be an environment name."""
    problem = _problem(env)
    if problem is None:
        return []
    file = overlay_file(env)
    message = (
        f"environment name {env!r} {problem}; an environment becomes rendered/<env>/ and part of "
        f"Kubernetes object names, so it must be at most {MAX_ENV_LENGTH} lowercase letters, digits "
        f"and '-', starting and ending with a letter or digit: {_fix(env, file)}"
    )
    return [make_finding("PC018", Severity.ERROR, message, Mark(file, 1, 1), "", env)]


def _problem(env: str) -> str | None:
    if len(env) > MAX_ENV_LENGTH:
        return f"is {len(env)} characters long"
    if _LABEL.fullmatch(env):
        return None
    if not env:
        return "is empty"
    if env.startswith("."):
        return "starts with '.' (a hidden file)"
    if env != env.lower():
        return "has uppercase letters"
    if env.startswith("-") or env.endswith("-"):
        return "starts or ends with '-'"
    bad = _BAD_CHARACTER.search(env)
    return f"contains {bad.group(0)!r}" if bad else "is not a DNS-1123 label"


def _fix(env: str, file: str) -> str:
    shown = file if file.isprintable() else repr(file)  # a newline in a file name must not break the report
    suggestion = _NOT_LABEL.sub("-", env.lower()).strip("-")[:MAX_ENV_LENGTH].rstrip("-")
    if suggestion and suggestion != env:
        return f"rename {shown} to {overlay_file(suggestion)}, or delete it if it is a leftover copy"
    return f"rename {shown} (e.g. to {overlay_file('staging')}), or delete it if it is a leftover copy"


def unread_overlay_findings(names: list[str]) -> list[Finding]:
    """PC018 for each file in overlays/ spelled like YAML but not `.yaml` (`prod.yml`): it is not read,
    so the environment it was meant to define would silently render nothing, or the old settings."""
    present = set(names)
    findings = []
    for name in sorted(names):
        suffix = next((s for s in _YAML_SUFFIXES if name.lower().endswith(s)), None)
        if suffix is None or name.endswith(OVERLAY_SUFFIX):
            continue
        file = f"{OVERLAYS_DIR}/{name}"
        shown = file if file.isprintable() else repr(file)
        meant = f"{name[: -len(suffix)]}{OVERLAY_SUFFIX}"
        fix = (
            f"{OVERLAYS_DIR}/{meant} is the one read: merge the two and delete {shown}"
            if meant in present
            else f"rename it to {OVERLAYS_DIR}/{meant}"
        )
        message = f"{shown} is not read: an environment is defined by overlays/<env>{OVERLAY_SUFFIX}; {fix}"
        findings.append(make_finding("PC018", Severity.ERROR, message, Mark(file, 1, 1), "", None))
    return findings
