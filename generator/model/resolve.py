"""Turning references into the full `<service>.<namespace>.svc.cluster.local[:port]` names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.model.refs import substitute_all
from generator.model.types import Platform, Reference


def resolver(platform: Platform, from_app: str) -> Callable[[Reference], str | None]:
    """A reference to something missing or disabled stays as written: the wiring rules report it."""

    def resolve(ref: Reference) -> str | None:
        target = platform.target_of(ref, from_app)
        if target is None or not target.enabled:
            return None
        if ref.kind == "host":
            return target.fqdn
        port = target.ports.get(ref.port or "")
        return None if port is None else f"{target.fqdn}:{port}"

    return resolve


def resolve_value(platform: Platform, from_app: str, value: Any) -> Any:
    return substitute_all(value, resolver(platform, from_app))
