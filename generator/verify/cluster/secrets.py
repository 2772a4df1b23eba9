"""Secrets exist by the time something reads them.

A reader is a pod (env `secretKeyRef`, `envFrom`, a `secret` or projected
volume, `imagePullSecrets`) or a chart value that names an existing Secret
(`existingSecret`, `existingSecretName`, `…ExistingSecret`). A producer is a
Secret object, the target of an ExternalSecret, the `secretName` of a
cert-manager Certificate, or a chart's hook that creates it during the sync.
The producer's Application must sync in an earlier wave than the reader's, or
the same one. A reference marked `optional: true`
needs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.findings import Finding
from generator.load.document import YamlPath
from generator.verify.cluster.objects import ClusterObject, ObjectSet
from generator.verify.cluster.places import ClusterFacts, finding
from generator.verify.cluster.pods import containers, pod_spec, pods
from generator.verify.cluster.services import walk_strings

RULE = "PC823"
HOOK_ANNOTATIONS = frozenset({"helm.sh/hook", "argocd.argoproj.io/hook"})
EXISTING_SECRET_KEY = re.compile(r"^(existingSecret(Name)?|[A-Za-z]+ExistingSecret(Name)?)$")


@dataclass(frozen=True)
class Producer:
    application: str
    wave: int


def producers(objects: ObjectSet) -> dict[tuple[str, str], Producer]:
    """(namespace, name) -> the earliest Application producing that Secret."""
    found: dict[tuple[str, str], Producer] = {}

    def add(namespace: str, name: Any, obj: ClusterObject) -> None:
        if isinstance(name, str) and name:
            known = found.get((namespace, name))
            if known is None or obj.wave < known.wave:
                found[(namespace, name)] = Producer(obj.application, obj.wave)

    for obj in objects.of_kind("Secret"):
        add(obj.namespace, obj.name, obj)
    for obj in objects.of_kind("ExternalSecret"):
        target = (obj.data.get("spec") or {}).get("target") or {}
        add(obj.namespace, target.get("name") or obj.name, obj)
    for obj in objects.of_kind("Certificate"):
        add(obj.namespace, (obj.data.get("spec") or {}).get("secretName"), obj)
    for obj in objects.of_kind("Role", "Job"):
        if HOOK_ANNOTATIONS & set(obj.annotations):
            for name in hook_secret_names(obj):
                add(obj.namespace, name, obj)
    return found


def hook_secret_names(obj: ClusterObject) -> Iterator[str]:
    """Secrets a chart's hook creates while the Application syncs: those its Role may create and
    names, or that its Job is told to write (`--secret-name`)."""
    if obj.kind == "Role":
        rules = [
            r
            for r in obj.data.get("rules") or []
            if isinstance(r, dict) and "secrets" in (r.get("resources") or [])
        ]
        if any("create" in (r.get("verbs") or []) for r in rules):
            for rule in rules:
                yield from (str(name) for name in rule.get("resourceNames") or [])
        return
    spec = pod_spec(obj) or {}
    for container in containers(spec):
        arguments = [str(a) for a in [*(container.get("command") or []), *(container.get("args") or [])]]
        for index, argument in enumerate(arguments):
            if argument.startswith("--secret-name="):
                yield argument.partition("=")[2]
            elif argument == "--secret-name" and index + 1 < len(arguments):
                yield arguments[index + 1]


def pod_secret_names(spec: dict[str, Any]) -> Iterator[str]:
    """Every Secret a pod needs in order to start (optional references left out)."""
    for ref in spec.get("imagePullSecrets") or []:
        if isinstance(ref, dict):
            yield str(ref.get("name") or "")
    for volume in spec.get("volumes") or []:
        if not isinstance(volume, dict):
            continue
        secret = volume.get("secret")
        if isinstance(secret, dict) and not secret.get("optional"):
            yield str(secret.get("secretName") or "")
        for source in (volume.get("projected") or {}).get("sources") or []:
            projected = source.get("secret") if isinstance(source, dict) else None
            if isinstance(projected, dict) and not projected.get("optional"):
                yield str(projected.get("name") or "")
    for container in containers(spec):
        yield from _container_secret_names(container)


def _container_secret_names(container: dict[str, Any]) -> Iterator[str]:
    for entry in container.get("env") or []:
        ref = ((entry or {}).get("valueFrom") or {}).get("secretKeyRef") if isinstance(entry, dict) else None
        if isinstance(ref, dict) and not ref.get("optional"):
            yield str(ref.get("name") or "")
    for entry in container.get("envFrom") or []:
        ref = entry.get("secretRef") if isinstance(entry, dict) else None
        if isinstance(ref, dict) and not ref.get("optional"):
            yield str(ref.get("name") or "")


def existing_secret_values(chart_values: Any) -> Iterator[tuple[YamlPath, str]]:
    """(values path, Secret name) for every `existingSecret`-style value."""
    for path, text in walk_strings(chart_values):
        if path and isinstance(path[-1], str) and EXISTING_SECRET_KEY.match(path[-1]) and text.strip():
            yield path, text.strip()


def check_secrets(
    objects: ObjectSet,
    values: Mapping[str, Mapping[str, Any]],
    namespaces: Mapping[str, str],
    waves: Mapping[str, int],
    facts: ClusterFacts,
) -> Iterator[Finding]:
    """`namespaces`/`waves`: each Application's destination namespace and sync wave."""
    produced = Produced(objects, producers(objects))
    reported: set[tuple[str, str, str]] = set()
    for application, charts in sorted(values.items()):
        namespace, wave = namespaces.get(application, ""), waves.get(application, 0)
        for chart, chart_values in sorted(charts.items()):
            for path, name in existing_secret_values(chart_values):
                problem = _problem(name, namespace, wave, application, produced)
                if problem is not None and (application, namespace, name) not in reported:
                    reported.add((application, namespace, name))
                    place = facts.value_place(application, chart, path)
                    message = f"{problem} (chart value {'.'.join(map(str, path))} of {chart})"
                    yield finding(RULE, message, None, place, file=f"values of {application}")
    for obj, spec in pods(objects):
        for name in sorted(set(pod_secret_names(spec)) - {""}):
            problem = _problem(name, obj.namespace, obj.wave, obj.application, produced)
            if problem is not None and (obj.application, obj.namespace, name) not in reported:
                reported.add((obj.application, obj.namespace, name))
                place = facts.object_place(obj)
                yield finding(RULE, f"{problem} (read by {obj.label})", obj, place)


@dataclass(frozen=True)
class Produced:
    objects: ObjectSet
    by_name: Mapping[tuple[str, str], Producer]


def _problem(name: str, namespace: str, wave: int, application: str, produced: Produced) -> str | None:
    producer = produced.by_name.get((namespace, name))
    if producer is None and produced.objects.may_hide(namespace=namespace):
        return None  # a chart that is not vendored may create it
    if producer is None:
        return (
            f"Secret {name} in namespace {namespace} is read by Application {application} but nothing in "
            "this environment produces it; declare it under spec.secrets.items (an ExternalSecret), or let "
            "the chart create it"
        )
    if producer.wave > wave:
        return (
            f"Secret {name} in namespace {namespace} is read by Application {application} in wave {wave} but "
            f"produced by Application {producer.application} in wave {producer.wave}; make {application} "
            f"sync after {producer.application}"
        )
    return None
