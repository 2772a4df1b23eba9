"""Engines: DataHub's services and the prerequisites they cannot start without (PC209).

DataHub's GMS, its SystemUpdate job (the datahub-upgrade image) and its
consumers read where Kafka, Elasticsearch, the SQL database and (with the
neo4j graph) Neo4j live from env vars; left out, each falls back to
`localhost`, so the service crash-loops. Whether the target is enabled is
PC102's (a `${ref:…}` to a disabled component); this checks that the setting
is there at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Mark, Severity
from generator.model.parts import EnvVar
from generator.model.types import Component, Platform
from generator.rules.images import parse_image
from generator.rules.registry import Hit, check, define

# The DataHub images (by repository name) and the prerequisites each reaches.
_KAFKA = ("Kafka", "KAFKA_BOOTSTRAP_SERVER", '"${ref:kafka/kafka.client}"')
_SEARCH = ("Elasticsearch", "ELASTICSEARCH_HOST", '"${host:elasticsearch}"')
_SQL = ("its SQL database", "EBEAN_DATASOURCE_URL", '"jdbc:postgresql://${ref:postgres.postgres}/datahub"')
_NEEDS = {
    "datahub-gms": (_KAFKA, _SEARCH, _SQL),
    "datahub-upgrade": (_KAFKA, _SEARCH, _SQL),
    "datahub-mae-consumer": (_KAFKA, _SEARCH),
    "datahub-mce-consumer": (_KAFKA,),
}
_NEO4J = ("Neo4j", "NEO4J_URI", '"bolt://${ref:neo4j.bolt}"')

define(
    "PC209",
    "engines",
    Severity.ERROR,
    "DataHub service without its prerequisites",
    why="""DataHub's GMS and SystemUpdate need Kafka (`KAFKA_BOOTSTRAP_SERVER`), Elasticsearch
    (`ELASTICSEARCH_HOST`) and their SQL database (`EBEAN_DATASOURCE_URL`), and Neo4j
    (`NEO4J_URI`) when `GRAPH_SERVICE_IMPL` is neo4j; its MAE consumer needs Kafka and
    Elasticsearch, its MCE consumer Kafka. A setting left out falls back to `localhost`, where
    nothing listens, and the service crash-loops: DataHub enabled without its prerequisites.""",
    fix="Set each variable with a reference to the platform's component (`${ref:…}`), or keep "
    "DataHub disabled where its prerequisites are.",
    bad="""
    datahub-gms:
      image: docker.io/acryldata/datahub-gms:v0.14.1
      env: {EBEAN_DATASOURCE_URL: "jdbc:postgresql://${ref:postgres.postgres}/datahub"}
    """,
    good="""
    datahub-gms:
      image: docker.io/acryldata/datahub-gms:v0.14.1
      env:
        EBEAN_DATASOURCE_URL: "jdbc:postgresql://${ref:postgres.postgres}/datahub"
        ELASTICSEARCH_HOST: "${host:elasticsearch}"
        KAFKA_BOOTSTRAP_SERVER: "${ref:kafka/kafka.client}"
    """,
)


def _needs(component: Component, env: dict[str, EnvVar]) -> tuple[tuple[str, str, str], ...]:
    if component.kind != "workload" or component.image is None:
        return ()
    name = parse_image(component.image).repository.rsplit("/", 1)[-1]
    needs = _NEEDS.get(name, ())
    graph = env.get("GRAPH_SERVICE_IMPL")
    if (
        name in ("datahub-gms", "datahub-upgrade")
        and graph is not None
        and str(graph.value).lower() == "neo4j"
    ):
        needs = (*needs, _NEO4J)
    return needs


@check("PC209")
def datahub_prerequisites(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        env = {e.name: e for e in component.env}
        missing = [need for need in _needs(component, env) if not _set(env.get(need[1]))]
        if not missing:
            continue
        what = ", ".join(f"{service} ({variable})" for service, variable, _ in missing)
        example = f"{missing[0][1]}: {missing[0][2]}"
        yield Hit(
            "PC209",
            f"{component.name}: DataHub needs {what}; without the setting it falls back to localhost and "
            f"crash-loops: set it with a reference, e.g. {example}",
            (*component.path, "env") if component.env else (*component.path, "image"),
            prefer_key=True,
            mark=_removal(platform, component, [variable for _, variable, _ in missing]),
            component=component,
        )


def _removal(platform: Platform, component: Component, variables: list[str]) -> Mark | None:
    """The overlay's `null` that removed one of the settings in this environment, if one did."""
    removed = platform.doc.removed
    return next((removed[p] for v in variables if (p := (*component.path, "env", v)) in removed), None)


def _set(entry: EnvVar | None) -> bool:
    return entry is not None and (entry.secret is not None or bool(entry.value))
