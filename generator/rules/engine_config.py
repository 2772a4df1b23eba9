"""Engines: configuration that a known engine refuses at startup, caught before it crash-loops.

Every engine rule has the same shape: find the engine's configuration in the
platform (a file by path, env vars by image), read it into keys with their
positions, and judge the keys. A new engine (Superset's `superset_config.py`
keys, say) adds a finder and a check beside these.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass

from generator.findings import Mark, Severity
from generator.load.document import YamlPath
from generator.model.parts import EnvVar
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import lines_of, overlay_first, text_mark

ERROR = Severity.ERROR


@dataclass(frozen=True)
class Setting:
    value: str
    mark: Mark


@dataclass(frozen=True)
class ConfigFile:
    """One file from a component's `files:`, read as Java properties."""

    component: Component
    name: str  # the path in the container
    path: YamlPath
    settings: dict[str, Setting]

    def where(self, key: str | None = None) -> Mark | None:
        return self.settings[key].mark if key in self.settings else None


def parse_properties(platform: Platform, path: YamlPath, text: str) -> dict[str, Setting]:
    """`key=value`, `key: value` or `key value` lines; `#`/`!` comments; `\\` continues a line."""
    settings: dict[str, Setting] = {}
    pending = ""
    pending_at = 0
    for offset, raw in lines_of(text):
        line = raw.strip()
        if not pending and (not line or line[0] in "#!"):
            continue
        if not pending:
            pending_at = offset + raw.index(line[0])
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending += line[:-1]
            continue
        logical, pending = pending + line, ""
        key, value = _split(logical)
        settings.setdefault(key, Setting(value, text_mark(platform, path, text, pending_at)))
    return settings


def _split(line: str) -> tuple[str, str]:
    for index, char in enumerate(line):
        if char in "=: \t" and (index == 0 or line[index - 1] != "\\"):
            return line[:index].strip(), line[index + 1 :].strip().lstrip("=:").strip()
    return line, ""


def config_files(platform: Platform, pattern: str) -> Iterator[ConfigFile]:
    for component in platform.components():
        for file in component.files:
            if fnmatch.fnmatch(file.mount, pattern):
                settings = parse_properties(platform, file.path, file.content)
                yield ConfigFile(component, file.mount, file.path, settings)


# ---------------------------------------------------------------------------- Trino

_FILE_SYSTEM_CONNECTORS = frozenset({"iceberg", "hive", "delta_lake", "hudi"})
_OBJECT_STORE = ("s3://", "s3a://", "s3n://")


def _enabled(catalog: ConfigFile, key: str) -> bool:
    setting = catalog.settings.get(key)
    return setting is not None and setting.value.lower() == "true"


# The Trino chart's values that it writes to /etc/trino/catalog/<name>.properties.
_CHART_CATALOGS = ("catalogs", "additionalCatalogs")


def trino_catalogs(platform: Platform) -> Iterator[ConfigFile]:
    """Catalog files a workload mounts, and the catalogs the Trino chart's values write."""
    yield from config_files(platform, "*/catalog/*.properties")
    for component in platform.components():
        if component.kind != "chart" or component.chart_name != "trino":
            continue
        for key in _CHART_CATALOGS:
            catalogs = component.values.get(key)
            for name, text in sorted(catalogs.items()) if isinstance(catalogs, dict) else ():
                if isinstance(text, str):
                    path = (*component.path, "values", key, name)
                    settings = parse_properties(platform, path, text)
                    yield ConfigFile(component, f"catalog {name} (values.{key})", path, settings)


def _hit(rule: str, catalog: ConfigFile, key: str | None, text: str) -> Hit:
    mark = catalog.where(key) or _first_mark(catalog)
    return Hit(
        rule,
        f"{catalog.component.name}: {catalog.name} {text}",
        catalog.path,
        mark=mark,
        component=catalog.component,
    )


def _first_mark(catalog: ConfigFile) -> Mark | None:
    first = next(iter(catalog.settings.values()), None)
    return first.mark if first else None


define(
    "PC201",
    "engines",
    ERROR,
    "Trino catalog sets s3.* without the native S3 file system",
    why="""Trino fails at startup on any catalog property nothing uses. The `s3.*` properties belong
    to the native S3 file system; on an Iceberg, Hive, Delta Lake or Hudi catalog
    (`*/catalog/*.properties`, or the Trino chart's `catalogs`/`additionalCatalogs`) that does
    not set `fs.native-s3.enabled=true` they are unused, and the coordinator and every worker
    crash-loop.""",
    fix="Add `fs.native-s3.enabled=true` to the catalog.",
    bad="""
    /etc/trino/catalog/iceberg.properties: |
      connector.name=iceberg
      s3.endpoint=http://${ref:storage/minio.api}
    """,
    good="""
    /etc/trino/catalog/iceberg.properties: |
      connector.name=iceberg
      fs.native-s3.enabled=true
      s3.endpoint=http://${ref:storage/minio.api}
    """,
)

define(
    "PC202",
    "engines",
    ERROR,
    "Trino catalog mixes legacy hive.s3.* with native S3",
    why="""`hive.s3.*` properties configure the legacy Hadoop file system. With
    `fs.native-s3.enabled=true` (and the legacy one not enabled) they are unused, and Trino
    refuses to start.""",
    fix="Rename them to the native `s3.*` properties (`hive.s3.endpoint` → `s3.endpoint`, "
    "`hive.s3.aws-access-key` → `s3.aws-access-key`, `hive.s3.path-style-access` → `s3.path-style-access`).",
    bad="""
    fs.native-s3.enabled=true
    hive.s3.endpoint=http://${ref:storage/minio.api}
    """,
    good="""
    fs.native-s3.enabled=true
    s3.endpoint=http://${ref:storage/minio.api}
    """,
)

define(
    "PC203",
    "engines",
    ERROR,
    "Trino catalog reads s3:// with no file system enabled",
    why="""A catalog whose warehouse or location is an `s3://` URL needs a file system to read it.
    With neither `fs.native-s3.enabled` nor `fs.hadoop.enabled` set, queries fail (recent Trino
    versions enable no file system by default). Values such as Trino's own `${ENV:NAME}` are
    left alone.""",
    fix="Add `fs.native-s3.enabled=true` and the `s3.*` settings (endpoint, region, credentials).",
    bad="""
    connector.name=iceberg
    iceberg.rest-catalog.warehouse=s3://warehouse/
    """,
    good="""
    connector.name=iceberg
    iceberg.rest-catalog.warehouse=s3://warehouse/
    fs.native-s3.enabled=true
    s3.endpoint=http://${ref:storage/minio.api}
    """,
)

define(
    "PC204",
    "engines",
    ERROR,
    "Trino catalog without connector.name",
    why="""Every file in Trino's `catalog/` directory is loaded as a catalog, and one without
    `connector.name` stops the server at startup.""",
    fix="Add `connector.name=<connector>` or move the file out of `catalog/`.",
    bad="""
    /etc/trino/catalog/lake.properties: |
      iceberg.catalog.type=rest
    """,
    good="""
    /etc/trino/catalog/lake.properties: |
      connector.name=iceberg
      iceberg.catalog.type=rest
    """,
)


@check("PC201", "PC202", "PC203", "PC204")
def trino_catalog_file_systems(platform: Platform) -> Iterator[Hit]:
    """Trino refuses to start on a property nothing uses; each file system uses only its own."""
    for catalog in trino_catalogs(platform):
        connector = catalog.settings.get("connector.name")
        if connector is None:
            yield _hit(
                "PC204",
                catalog,
                None,
                "sets no connector.name; Trino cannot load the catalog and refuses to "
                "start: add e.g. connector.name=iceberg",
            )
            continue
        if connector.value not in _FILE_SYSTEM_CONNECTORS:
            continue
        native = _enabled(catalog, "fs.native-s3.enabled")
        hadoop = _enabled(catalog, "fs.hadoop.enabled")
        s3_keys = [k for k in catalog.settings if k.startswith("s3.")]
        legacy = [k for k in catalog.settings if k.startswith("hive.s3.")]
        if s3_keys and not native:
            yield _hit(
                "PC201",
                catalog,
                s3_keys[0],
                f"sets {s3_keys[0]}, but the {connector.value} catalog does not "
                f"enable the native S3 file system, so Trino fails at startup on the unused property: add "
                f"fs.native-s3.enabled=true",
            )
        elif legacy and native and not hadoop:
            yield _hit(
                "PC202",
                catalog,
                legacy[0],
                f"sets the legacy {legacy[0]} while fs.native-s3.enabled=true; "
                f"the native file system ignores hive.s3.* and Trino fails at startup on the unused "
                f"property: use the s3.* names (s3.endpoint, s3.region, s3.aws-access-key, …)",
            )
        elif not s3_keys and not native and not hadoop and not _enabled(catalog, "fs.native-gcs.enabled"):
            located = [(k, s.value) for k, s in catalog.settings.items() if s.value.startswith(_OBJECT_STORE)]
            if located and not _enabled(catalog, "fs.native-azure.enabled"):
                key, value = located[0]
                yield _hit(
                    "PC203",
                    catalog,
                    key,
                    f"sets {key}={value}, but no file system is enabled to read it; "
                    f"add fs.native-s3.enabled=true and the s3.* settings (endpoint, region, credentials)",
                )


# ---------------------------------------------------------------------------- DolphinScheduler

_REGISTRY_NEEDS = {
    "zookeeper": "REGISTRY_ZOOKEEPER_CONNECT_STRING",
    "jdbc": "SPRING_DATASOURCE_URL",
    "etcd": "REGISTRY_ETCD_ENDPOINTS",
}


define(
    "PC205",
    "engines",
    ERROR,
    "DolphinScheduler registry incomplete",
    why="""Every DolphinScheduler server (api, master, worker, alert) registers itself in its
    registry on startup. `REGISTRY_TYPE` (zookeeper by default) needs its connection setting
    (`REGISTRY_ZOOKEEPER_CONNECT_STRING`, `SPRING_DATASOURCE_URL` for jdbc,
    `REGISTRY_ETCD_ENDPOINTS` for etcd); without it the server exits and the scheduler never
    forms.""",
    fix="Set the registry's connection variable, with a reference.",
    bad="""
    env:
      REGISTRY_TYPE: zookeeper
    """,
    good="""
    env:
      REGISTRY_TYPE: zookeeper
      REGISTRY_ZOOKEEPER_CONNECT_STRING: "${ref:zookeeper.client}"
    """,
)


@check("PC205")
def dolphinscheduler_registry(platform: Platform) -> Iterator[Hit]:
    """Every DolphinScheduler server registers itself; without its registry settings it exits at startup."""
    for component in platform.components():
        image = component.image or ""
        env = {e.name: e for e in component.env}
        if "dolphinscheduler" not in image:
            continue
        written = env.get("REGISTRY_TYPE")
        registry = str(written.value if written is not None else "zookeeper").lower()
        path = (
            (*component.path, "env", "REGISTRY_TYPE") if "REGISTRY_TYPE" in env else (*component.path, "env")
        )
        needed = _REGISTRY_NEEDS.get(registry)
        if needed is None:
            yield Hit(
                "PC205",
                f"{component.name}: REGISTRY_TYPE {registry!r} is not a DolphinScheduler registry "
                f"(zookeeper, jdbc or etcd)",
                path,
            )
        elif needed not in env or not _set(env[needed]):
            example = {"zookeeper": '"${ref:zookeeper.client}"', "jdbc": "the database's JDBC URL"}.get(
                registry
            )
            hint = f" (e.g. {example})" if example else ""
            yield Hit(
                "PC205",
                f"{component.name}: REGISTRY_TYPE {registry} needs {needed}{hint}; without it "
                f"the server cannot register and exits at startup",
                overlay_first(platform, [(*component.path, "env", needed), path]),
                prefer_key=True,
            )


def _set(entry: EnvVar) -> bool:
    """Does an env entry give a value (a secret, or a value that is not empty, zero or false)?"""
    return entry.secret is not None or bool(entry.value)
