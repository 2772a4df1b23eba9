"""What the shell completes: environment names, APP/COMPONENT and rule IDs.

Completion runs on every Tab, before any command: it reads file names and
platform.yaml's keys, never analyses the platform, and a file it cannot read
completes nothing rather than failing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.errors import PlatformcError
from generator.load.limits import LoadError


def complete_envs(root: Path, incomplete: str) -> list[str]:
    from generator.pipeline import discover_envs

    try:
        return [env for env in discover_envs(root) if env.startswith(incomplete)]
    except OSError:
        return []


def complete_applications(root: Path, incomplete: str) -> list[str]:
    return [app for app in _applications(root) if app.startswith(incomplete)]


def complete_components(root: Path, incomplete: str) -> list[str]:
    """`app/component` for every component, and the bare name where it is unique (explain takes both)."""
    pairs = [(app, name) for app, components in _applications(root).items() for name in components]
    names = [name for _, name in pairs]
    found = [f"{app}/{name}" for app, name in pairs]
    found += [name for name in names if names.count(name) == 1]
    return sorted(c for c in set(found) if c.startswith(incomplete))


def complete_rules(incomplete: str) -> list[str]:
    from generator.rules.docs import all_rules

    return [rule for rule in all_rules() if rule.startswith(incomplete.upper())]


def _applications(root: Path) -> dict[str, list[str]]:
    from generator.load.yaml import load_document

    try:
        data: Any = load_document(root / "platform.yaml", "platform.yaml").data
    except (LoadError, PlatformcError, OSError):
        return {}
    spec = data.get("spec") if isinstance(data, dict) else None
    apps = spec.get("applications") if isinstance(spec, dict) else None
    if not isinstance(apps, dict):
        return {}
    out: dict[str, list[str]] = {}
    for app, body in apps.items():
        components = body.get("components") if isinstance(body, dict) else None
        out[str(app)] = [str(c) for c in components] if isinstance(components, dict) else []
    return out
