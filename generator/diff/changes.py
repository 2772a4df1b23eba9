"""Two sets of deployed objects -> what changed, object by object, as unified diffs of their YAML."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from generator.diff.objects import DeployedObject, EnvObjects, ObjectKey
from generator.emit.yamldump import dump_yaml

Status = Literal["added", "removed", "changed"]
ENV_PLACEHOLDER = "<env>"
REVISION_PLACEHOLDER = "<targetRevision>"


@dataclass(frozen=True)
class ObjectChange:
    application: str
    key: ObjectKey
    status: Status
    diff: tuple[str, ...]  # unified diff lines, without trailing newlines
    source: str  # objects.HELM or objects.PLATFORMC
    note: str = ""


@dataclass
class EnvDiff:
    title: str  # the environment, or `staging → prod`
    before: str  # what the old side is, in words
    after: str
    changes: list[ObjectChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def by_application(self) -> dict[str, list[ObjectChange]]:
        grouped: dict[str, list[ObjectChange]] = {}
        for change in self.changes:
            grouped.setdefault(change.application, []).append(change)
        return grouped

    def counts(self) -> dict[Status, int]:
        out: dict[Status, int] = {"added": 0, "removed": 0, "changed": 0}
        for change in self.changes:
            out[change.status] += 1
        return out


def diff_environment(title: str, before: str, after: str, old: EnvObjects, new: EnvObjects) -> EnvDiff:
    result = EnvDiff(title, before, after, notes=sorted(set(old.notes) | set(new.notes)))
    for ident in sorted(set(old.objects) | set(new.objects)):
        change = _change(old.objects.get(ident), new.objects.get(ident))
        if change is not None:
            result.changes.append(change)
    return result


def _change(old: DeployedObject | None, new: DeployedObject | None) -> ObjectChange | None:
    shown = new or old
    assert shown is not None
    if old is not None and new is not None and old.data == new.data:
        return None  # equal data dumps equal; dumping every object would dominate the run time
    before = dump_yaml(old.data) if old is not None else ""
    after = dump_yaml(new.data) if new is not None else ""
    if before == after:
        return None
    status: Status = "added" if old is None else "removed" if new is None else "changed"
    key = shown.key
    label = "/".join(p for p in (shown.application, key.kind, key.namespace, key.name) if p)
    lines = difflib.unified_diff(
        before.splitlines(),
        after.splitlines(),
        fromfile="/dev/null" if old is None else f"a/{label}",
        tofile="/dev/null" if new is None else f"b/{label}",
        lineterm="",
    )
    return ObjectChange(shown.application, shown.key, status, tuple(lines), shown.source, shown.note)


# ---------------------------------------------------------------------------- promotion


def normalise_for_promotion(
    objects: EnvObjects, env: str, platform_name: str, gitops_path: str
) -> EnvObjects:
    """Replace what names the environment itself, so only real differences between two remain.

    Those are: the `<gitops.path>/<env>` segment of every source path, each
    Application's `targetRevision` (environments track different branches on
    purpose), the root Application's `<platform>-<env>` name, and the env's
    name where it stands alone: a whole string, `"<env>"` inside JSON text
    (dashboard tags), `(<env>)` in descriptions platformc writes. Everything
    else an overlay changes — replicas, resources, hosts under another domain —
    is what promotion changes.
    """
    segment = re.compile(rf"(^|/){re.escape(gitops_path.strip('/'))}/{re.escape(env)}(?=/|$)")
    root_name = f"{platform_name}-{env}"

    def text(value: str) -> str:
        if value == env:
            return ENV_PLACEHOLDER
        if value == root_name:
            return f"{platform_name}-{ENV_PLACEHOLDER}"
        value = segment.sub(rf"\g<1>{gitops_path.strip('/')}/{ENV_PLACEHOLDER}", value)
        # JSON carried in a string (a dashboard's tags) and generated descriptions name the env too.
        return value.replace(f'"{env}"', f'"{ENV_PLACEHOLDER}"').replace(f"({env})", f"({ENV_PLACEHOLDER})")

    out = EnvObjects(notes=list(objects.notes))
    for obj in objects.objects.values():
        data = _map_strings(obj.data, text)
        if isinstance(data, dict) and data.get("kind") == "Application":
            source = (data.get("spec") or {}).get("source")
            if isinstance(source, dict) and "targetRevision" in source:
                source["targetRevision"] = REVISION_PLACEHOLDER
        key = ObjectKey(obj.key.kind, text(obj.key.namespace), text(obj.key.name))
        out.add(replace(obj, application=text(obj.application), key=key, data=data))
    return out


def _map_strings(value: Any, text: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, dict):
        return {k: _map_strings(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_strings(v, text) for v in value]
    return value


def only_applications(diffs: list[EnvDiff], applications: tuple[str, ...]) -> list[EnvDiff]:
    """The diffs with the changes of `applications` only (`--app`); all of them when it is empty."""
    if not applications:
        return diffs
    wanted = set(applications)
    return [replace(d, changes=[c for c in d.changes if c.application in wanted]) for d in diffs]


def changed(diffs: list[EnvDiff]) -> bool:
    return any(d.changes for d in diffs)


def iter_changes(diffs: list[EnvDiff]) -> Iterator[tuple[EnvDiff, ObjectChange]]:
    for env_diff in diffs:
        for change in env_diff.changes:
            yield env_diff, change
