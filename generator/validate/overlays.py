"""What an overlay may not do: change the platform's identity (PC021), remove what is not there (PC022).

An overlay is merged key by key and `key: null` removes a key (generator.merge).
Two mistakes pass that merge silently: an overlay that renames the platform or
changes what a component installs, and a removal whose key is misspelt or long
gone, which removes nothing. Both are read from the two documents themselves,
one walk over the overlay, so the cost follows the overlay's size.

Identity, decided: `apiVersion`, `kind` and `metadata.name` (what the platform
is) and a chart component's `chart.name` (what it installs; its repository and
version may differ per environment). Application, component and secret item
names are mapping keys, so an overlay cannot change them, only add or remove
them; a secret item's `path` and `namespace` may differ per environment (the
namespace is checked against its consumers by PC403).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from generator.findings import Finding, Severity, make_finding
from generator.load.document import Document, YamlPath, format_path

_IDENTITY: tuple[YamlPath, ...] = (("apiVersion",), ("kind",), ("metadata", "name"))


def overlay_findings(base: Document, overlay: Document, env: str) -> list[Finding]:
    """PC021 and PC022 for one environment's overlay, at the overlay's lines."""
    if not isinstance(base.data, dict) or not isinstance(overlay.data, dict):
        return []
    findings: list[Finding] = []
    for path, written, was in changed_identity(base.data, overlay.data):
        what = "what the component installs" if path[-2:] == ("chart", "name") else "what the platform is"
        findings.append(
            make_finding(
                "PC021",
                Severity.ERROR,
                f"the overlay changes {format_path(path)} from {was!r} to {written!r}; "
                f"{what} is the same in every environment: remove it from the overlay, or change it in "
                f"platform.yaml",
                overlay.mark(path, prefer_key=True),
                format_path(path),
                env,
            )
        )
    for path, siblings in removals_of_nothing(base.data, overlay.data):
        close = difflib.get_close_matches(str(path[-1]), siblings, n=1, cutoff=0.6)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        findings.append(
            make_finding(
                "PC022",
                Severity.ERROR,
                f"the overlay removes {format_path(path)} (`null`), but platform.yaml has no such key, so "
                f"nothing is removed{hint}",
                overlay.mark(path, prefer_key=True),
                format_path(path),
                env,
            )
        )
    return findings


def changed_identity(base: dict[str, Any], overlay: dict[str, Any]) -> Iterator[tuple[YamlPath, Any, Any]]:
    """(path, overlay's value, base's value) for every identity value the overlay changes."""
    for path in (*_IDENTITY, *_chart_names(overlay)):
        written, was = _get(overlay, path), _get(base, path)
        if written is not None and written != was:
            yield path, written, was


def removals_of_nothing(
    base: Any, overlay: dict[str, Any], path: YamlPath = ()
) -> Iterator[tuple[YamlPath, list[str]]]:
    """(path, the keys that are there) for every `key: null` in `overlay` whose key `base` lacks."""
    present = base if isinstance(base, dict) else {}
    for key, value in overlay.items():
        if value is None and key not in present:
            yield (*path, key), [str(k) for k in present]
        elif isinstance(value, dict) and isinstance(present.get(key), dict):
            yield from removals_of_nothing(present[key], value, (*path, key))


def _chart_names(overlay: dict[str, Any]) -> Iterator[YamlPath]:
    applications = _get(overlay, ("spec", "applications"))
    for app, application in (applications or {}).items() if isinstance(applications, dict) else ():
        components = application.get("components") if isinstance(application, dict) else None
        for name, component in (components or {}).items() if isinstance(components, dict) else ():
            chart = component.get("chart") if isinstance(component, dict) else None
            if isinstance(chart, dict) and "name" in chart:
                yield ("spec", "applications", app, "components", name, "chart", "name")


def _get(data: Any, path: YamlPath) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data
