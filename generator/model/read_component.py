"""Reading one component of the schema-valid document into a frozen `Component`.

The document passed the schema, so shapes are known; reading stays defensive
(a missing or odd value gives the field's empty default, never a traceback).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from generator.load.document import YamlPath
from generator.model.diffing import read_diff_ignores
from generator.model.parts import (
    Amounts,
    Autoscaling,
    Avoidance,
    Backup,
    ChartPin,
    Dependency,
    DisruptionBudget,
    EnvScalar,
    EnvVar,
    ExternalTarget,
    IgnoreEntry,
    Ingress,
    JobRun,
    Metrics,
    MountedFile,
    PolicyException,
    Probe,
    Quantity,
    Resources,
    SecretUse,
    Security,
    Toleration,
    Volume,
    Waiver,
)
from generator.model.refs import references_in
from generator.model.secret_strings import file_secrets, interpolate_env
from generator.model.types import Component, ComponentKind, MalformedReference, Reference

# A mapping of the schema-valid document as read, before it is typed.
Raw = Mapping[str, Any]
# Where references may stand in a component, in the order they are collected.
REFERENCE_KEYS = ("env", "files", "values", "args", "command")


def mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def sequence(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def qualify(component_id: str, app: str) -> str:
    return component_id if "/" in component_id else f"{app}/{component_id}"


def component_kind(spec: Raw) -> ComponentKind:
    if "chart" in spec:
        return "chart"
    if "external" in spec:
        return "external"
    return "workload"


def read_amounts(value: object) -> Amounts:
    return Amounts({str(k): cast(Quantity, v) for k, v in mapping(value).items()})


def read_resources(value: object, path: YamlPath) -> Resources | None:
    if not isinstance(value, dict):
        return None
    gpu = value.get("gpu")
    return Resources(
        requests=read_amounts(value.get("requests")),
        limits=read_amounts(value.get("limits")),
        gpu=gpu if isinstance(gpu, int) and not isinstance(gpu, bool) else None,
        path=path,
    )


def _env(spec: Raw, path: YamlPath) -> tuple[EnvVar, ...]:
    out: list[EnvVar] = []
    for name, value in mapping(spec.get("env")).items():
        where = (*path, "env", name)
        if isinstance(value, dict) and "secret" in value:
            use = SecretUse(str(value.get("secret")), str(value.get("key")), str(name), where)
            out.append(EnvVar(str(name), None, use, where))
        else:
            out.append(EnvVar(str(name), cast(EnvScalar | None, value), None, where))
    return interpolate_env(tuple(out))


def _files(spec: Raw, path: YamlPath) -> tuple[MountedFile, ...]:
    return tuple(
        MountedFile(str(mount), str(content), where, file_secrets(str(content), where, str(mount)))
        for mount, content in mapping(spec.get("files")).items()
        for where in [(*path, "files", mount)]
    )


def _volumes(spec: Raw, path: YamlPath) -> tuple[Volume, ...]:
    out: list[Volume] = []
    for name, volume in mapping(spec.get("volumes")).items():
        if not isinstance(volume, dict):
            continue
        out.append(
            Volume(
                name=str(name),
                mount=str(volume.get("mount", "")),
                size=cast(Quantity | None, volume.get("size")),
                storage_class=optional_str(volume.get("storageClass")),
                empty_dir=bool(volume.get("emptyDir")),
                path=(*path, "volumes", name),
            )
        )
    return tuple(out)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _waiver(spec: Raw, key: str, flag: str, path: YamlPath) -> Waiver | None:
    """`{<flag>: true, reason: …}` under `key`: a workload default turned off or on, and why."""
    written = mapping(spec.get(key))
    if written.get(flag) is not True:
        return None
    return Waiver(str(written.get("reason") or ""), (*path, key))


def _job(spec: Raw, path: YamlPath) -> JobRun | None:
    job = spec.get("job")
    if not isinstance(job, dict):
        return None
    return JobRun(
        hook=optional_str(job.get("hook")),
        delete_policy=optional_str(job.get("deletePolicy")),
        backoff_limit=_int(job.get("backoffLimit")),
        active_deadline_seconds=_int(job.get("activeDeadlineSeconds")),
        ttl_seconds_after_finished=_int(job.get("ttlSecondsAfterFinished")),
        path=(*path, "job"),
    )


def _probes(spec: Raw, path: YamlPath) -> tuple[Probe, ...]:
    out: list[Probe] = []
    for which, probe in mapping(spec.get("probes")).items():
        if which not in ("readiness", "liveness") or not isinstance(probe, dict):
            continue
        http = optional_str(probe.get("http")) if "http" in probe else None
        port = probe.get("port") if "http" in probe else probe.get("tcp")
        out.append(Probe(str(which), http, str(port), (*path, "probes", which)))
    return tuple(out)


def _security(spec: Raw, path: YamlPath) -> Security:
    security = mapping(spec.get("security"))
    read_only = security.get("readOnlyRootFilesystem")
    return Security(
        run_as_user=_int(security.get("runAsUser")),
        run_as_group=_int(security.get("runAsGroup")),
        read_only_root_filesystem=read_only if isinstance(read_only, bool) else None,
        capabilities=tuple(str(c) for c in sequence(security.get("capabilities"))),
        path=(*path, "security"),
    )


def _exceptions(spec: Raw, path: YamlPath) -> tuple[PolicyException, ...]:
    return tuple(
        PolicyException(
            index=index,
            policy=str(entry.get("policy", "")),
            rules=tuple(str(r) for r in sequence(entry.get("rules"))),
            reason=str(entry.get("reason") or ""),
            expires=entry.get("expires") if isinstance(entry.get("expires"), str) else None,
            path=(*path, "exceptions", index),
        )
        for index, entry in enumerate(sequence(spec.get("exceptions")))
        if isinstance(entry, dict)
    )


def _ignore(spec: Raw, path: YamlPath) -> tuple[IgnoreEntry, ...]:
    return tuple(
        IgnoreEntry(index, str(entry.get("rule", "")), str(entry.get("reason", "")), (*path, "ignore", index))
        for index, entry in enumerate(sequence(spec.get("ignore")))
        if isinstance(entry, dict)
    )


def dependencies(written: object, app: str, path: YamlPath) -> tuple[Dependency, ...]:
    return tuple(
        Dependency(index, str(dep), qualify(str(dep), app), (*path, "dependsOn", index))
        for index, dep in enumerate(sequence(written))
    )


def _pdb(spec: Raw, path: YamlPath) -> DisruptionBudget | None:
    pdb = mapping(spec.get("pdb"))
    if not pdb:
        return None
    which, amount = next(iter(pdb.items()))
    return DisruptionBudget(str(which), amount, (*path, "pdb"))


def _autoscaling(spec: Raw, path: YamlPath) -> Autoscaling | None:
    scaler = spec.get("autoscaling")
    if not isinstance(scaler, dict):
        return None
    low, high = scaler.get("minReplicas"), scaler.get("maxReplicas", 1)
    return Autoscaling(
        min_replicas=None if low is None else int(low),
        max_replicas=int(high),
        target_cpu=None if scaler.get("targetCPU") is None else int(scaler["targetCPU"]),
        path=(*path, "autoscaling"),
        written_order=tuple(str(k) for k in scaler),
    )


def _ingress(spec: Raw, path: YamlPath) -> Ingress | None:
    ingress = spec.get("ingress")
    if not isinstance(ingress, dict) or not isinstance(ingress.get("host"), str):
        return None
    return Ingress(
        ingress["host"],
        optional_str(ingress.get("port")),
        optional_str(ingress.get("path")),
        (*path, "ingress"),
    )


def _metrics(spec: Raw, path: YamlPath) -> Metrics | None:
    metrics = spec.get("metrics")
    if not isinstance(metrics, dict) or not metrics:
        return None
    return Metrics(str(metrics.get("port")), optional_str(metrics.get("path")), (*path, "metrics"))


def _backup(spec: Raw, path: YamlPath) -> Backup | None:
    backup = spec.get("backup")
    if not isinstance(backup, dict) or not isinstance(backup.get("schedule"), str):
        return None
    return Backup(backup["schedule"], optional_str(backup.get("ttl")), (*path, "backup"))


def _chart(spec: Raw, path: YamlPath) -> ChartPin | None:
    chart = spec.get("chart")
    if not isinstance(chart, dict):
        return None
    return ChartPin(
        str(chart.get("repository", "")),
        str(chart.get("name", "")),
        str(chart.get("version", "")),
        (*path, "chart"),
    )


def _external(spec: Raw, path: YamlPath) -> ExternalTarget | None:
    external = spec.get("external")
    if not isinstance(external, dict):
        return None
    target, host = external.get("target"), external.get("host")
    return ExternalTarget(
        target if isinstance(target, str) else None,
        host if isinstance(host, str) else None,
        (*path, "external"),
    )


def _references(spec: Raw, path: YamlPath, kind: ComponentKind) -> list[Reference | MalformedReference]:
    keys = [*REFERENCE_KEYS, "external"] if kind == "external" else REFERENCE_KEYS
    return [ref for key in keys if key in spec for ref in references_in(spec[key], (*path, key))]


def _tolerations(placement: Raw, path: YamlPath) -> tuple[Toleration, ...]:
    out: list[Toleration] = []
    for index, entry in enumerate(sequence(placement.get("tolerations"))):
        if not isinstance(entry, dict):
            continue
        value = optional_str(entry.get("value"))
        operator = str(entry.get("operator") or ("Equal" if value is not None else "Exists"))
        where = (*path, "placement", "tolerations", index)
        key, effect = str(entry.get("key") or ""), optional_str(entry.get("effect"))
        out.append(Toleration(key, operator, value, effect, where))
    return tuple(out)


def _avoid(placement: Raw, app: str, path: YamlPath) -> tuple[Avoidance, ...]:
    return tuple(
        Avoidance(index, str(written), qualify(str(written), app), (*path, "placement", "avoid", index))
        for index, written in enumerate(sequence(placement.get("avoid")))
    )


def _strings(value: object) -> tuple[str, ...] | None:
    return None if not isinstance(value, list) else tuple(str(v) for v in value)


def read_component(app: str, namespace: str, enabled: bool, name: str, spec: Raw) -> Component:
    """One component as written; waves and an external's target ports come later, from the whole platform."""
    path: YamlPath = ("spec", "applications", app, "components", name)
    kind = component_kind(spec)
    ports = {str(k): v for k, v in mapping(spec.get("ports")).items() if isinstance(v, int)}
    env = _env(spec, path)
    files = _files(spec, path)
    found = _references(spec, path, kind)
    written_dependencies = dependencies(spec.get("dependsOn"), app, path)
    replicas, schedule, suspend = spec.get("replicas"), spec.get("schedule"), spec.get("suspend")
    placement = mapping(spec.get("placement"))
    return Component(
        app=app,
        name=name,
        kind=kind,
        namespace=namespace,
        enabled=enabled and spec.get("enabled", True) is not False,
        path=path,
        workload_type=str(spec.get("type", "deployment")),
        image=optional_str(spec.get("image")),
        command=_strings(spec.get("command")),
        args=_strings(spec.get("args")),
        replicas=None if replicas is None else int(replicas),
        ports=ports,
        declared_ports=ports,
        env=env,
        files=files,
        volumes=_volumes(spec, path),
        resources=read_resources(spec.get("resources"), (*path, "resources")),
        probes=_probes(spec, path),
        no_probes=_waiver(spec, "probes", "none", path),
        security=_security(spec, path),
        api_access=_waiver(spec, "serviceAccount", "api", path),
        exceptions=_exceptions(spec, path),
        dependencies=written_dependencies,
        pdb=_pdb(spec, path),
        autoscaling=_autoscaling(spec, path),
        ingress=_ingress(spec, path),
        metrics=_metrics(spec, path),
        backup=_backup(spec, path),
        spread=bool(spec.get("spread")),
        placement=tuple(str(n) for n in sequence(placement.get("nodes"))),
        node_selector={str(k): str(v) for k, v in mapping(placement.get("nodeSelector")).items()},
        tolerations=_tolerations(placement, path),
        spread_across=optional_str(placement.get("spreadAcross")),
        avoid=_avoid(placement, app, path),
        schedule=schedule if isinstance(schedule, str) else None,
        suspend=suspend if isinstance(suspend, bool) else None,
        job=_job(spec, path),
        ignore=_ignore(spec, path),
        ignore_differences=read_diff_ignores(spec, path),
        chart=_chart(spec, path),
        values=mapping(spec.get("values")),
        external=_external(spec, path),
        service=str(spec.get("service", name)) if kind == "chart" else name,
        service_written="service" in spec,
        depends_on=tuple(d.target for d in written_dependencies),
        references=tuple(r for r in found if isinstance(r, Reference)),
        malformed=tuple(r for r in found if isinstance(r, MalformedReference)),
        secrets=(*(e.secret for e in env if e.secret is not None), *(u for f in files for u in f.secrets)),
        source=spec,
    )
