"""Wiring rules (PC101–PC199): references, dependencies, ports, hosts and namespaces."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

ERROR = Severity.ERROR

define(
    "PC101",
    "wiring",
    ERROR,
    "Reference to something that does not exist",
    why="""A `${ref:…}`/`${host:…}`, a `dependsOn`, a monitoring backend or an ArgoCD role names
    a component or application the platform does not have, usually a typo or a component in
    another application written without its `<application>/` prefix. The reference would
    reach the pod as literal text and the dependency would order nothing.""",
    fix="Fix the name (the message suggests the closest one); write `<application>/<component>` "
    "for a component of another application.",
    bad="""
    env:
      CATALOG_S3_ENDPOINT: "http://${ref:minio.api}"   # minio lives in application storage
    """,
    good="""
    env:
      CATALOG_S3_ENDPOINT: "http://${ref:storage/minio.api}"
    """,
)
define(
    "PC102",
    "wiring",
    ERROR,
    "Reference to a component disabled in this environment",
    why="""A component is needed (referenced or in `dependsOn`) by one that is enabled, but this
    environment disables it, typically in an overlay (DataHub enabled without Elasticsearch).
    The dependent starts, cannot reach what it needs and crash-loops. The finding points at the
    overlay line that disabled it.""",
    fix="Enable the component in this environment, or disable its dependents too.",
    bad="""
    # overlays/dev.yaml
    elasticsearch: {enabled: false}      # datahub-gms still depends on it
    """,
    good="""
    elasticsearch: {enabled: false}
    datahub-gms: {enabled: false}
    """,
)
define(
    "PC103",
    "wiring",
    ERROR,
    "Reference to a port the component does not have",
    why="""`${ref:<component>.<port>}` resolves to `host:port` from the target's named ports. A
    port name it lacks (or a chart component that declares no `ports`) cannot be resolved, so
    the text would reach the pod unresolved.""",
    fix="Use one of the target's port names, or declare the port on the target.",
    bad="""
    REGISTRY_ZOOKEEPER_CONNECT_STRING: "${ref:zookeeper.clinet}"
    """,
    good="""
    REGISTRY_ZOOKEEPER_CONNECT_STRING: "${ref:zookeeper.client}"
    """,
)
define(
    "PC104",
    "wiring",
    ERROR,
    "Malformed reference",
    why="""Text that starts like a platformc reference but is not one: `${ref:x}` without a port,
    `${host:x.port}` with one, uppercase or stray characters. It would be left as written and
    reach the pod as literal `${…}` text. (Other `${…}` text, such as Trino's `${ENV:NAME}`,
    is not a platformc reference and is left alone.)""",
    fix="Write `${ref:<component>.<port>}` or `${host:<component>}`, with `<application>/` for "
    "another application.",
    bad="""
    SPRING_DATASOURCE_URL: "jdbc:postgresql://${ref:postgres-workflow}/ds"
    """,
    good="""
    SPRING_DATASOURCE_URL: "jdbc:postgresql://${ref:postgres-workflow.postgres}/ds"
    """,
)
define(
    "PC105",
    "wiring",
    ERROR,
    "Hostname written by hand",
    why="""A platform service named by hand (`zookeeper:2181`, `http://minio:9000`,
    `trino-coordinator.data-platform`, or `redis` as the whole value of a `*_HOST` setting) in
    env values, files, chart values or args. A short name only resolves inside its own
    namespace, so the same text breaks when either side moves, and a rename leaves it behind.
    References always resolve to the full `<service>.<namespace>.svc.cluster.local` name and
    make the dependency visible. Words that merely equal a service name (`REGISTRY_TYPE:
    zookeeper`) and text inside `${…}` are not hostnames and are not flagged. Suppressible:
    the detection is textual.""",
    fix="Use `${ref:<component>.<port>}` for host:port, `${host:<component>}` for the host alone.",
    bad="""
    REGISTRY_ZOOKEEPER_CONNECT_STRING: "zookeeper:2181"
    """,
    good="""
    REGISTRY_ZOOKEEPER_CONNECT_STRING: "${ref:zookeeper.client}"
    """,
    suppressible=True,
)
define(
    "PC106",
    "wiring",
    ERROR,
    "ExternalName target missing or disabled",
    why="""An external component with `target: <app>/<component>` becomes an ExternalName Service
    pointing at the target's full name. A target that does not exist, or is disabled in this
    environment, leaves a Service that resolves to nothing.""",
    fix="Point `target` at an existing, enabled component, or use `host:` for a service outside "
    "the platform.",
    bad="""
    postgres-shared:
      external: {target: api-gateway/kong-postgre}
    """,
    good="""
    postgres-shared:
      external: {target: api-gateway/kong-postgres}
    """,
)
define(
    "PC107",
    "wiring",
    ERROR,
    "Dependency cycle",
    why="""Dependencies (`dependsOn` and references) decide ArgoCD sync waves. A cycle (a needs b,
    b needs a) has no order: the waves are arbitrary and each side may wait for the other
    forever. The message prints the cycle.""",
    fix="Remove one dependency of the cycle; a reference that is only read lazily can often go "
    "without a `dependsOn`.",
    bad="""
    api: {image: …, dependsOn: [worker]}
    worker: {image: …, dependsOn: [api]}
    """,
    good="""
    api: {image: …}
    worker: {image: …, dependsOn: [api]}
    """,
)
define(
    "PC108",
    "wiring",
    ERROR,
    "Probe, ingress or metrics port missing",
    why="""Probes, ingresses and metrics name a port of their own component. A name the component
    lacks renders a probe that always fails (the pod never becomes ready) or an Ingress and
    scrape annotation that point at nothing; an ingress without a port cannot render at all.""",
    fix="Name one of the component's ports, or add the port.",
    bad="""
    ports: {http: 8080}
    probes:
      readiness: {http: /health, port: web}
    """,
    good="""
    ports: {http: 8080}
    probes:
      readiness: {http: /health, port: http}
    """,
)
define(
    "PC109",
    "wiring",
    ERROR,
    "Ingress host claimed twice",
    why="""Two components claim the same ingress host and path (after `host: trino` expands to
    `trino.<spec.domain>`). The ingress controller routes it to only one of them, which one
    depends on object age: the other site silently disappears.""",
    fix="Give each component its own host, or distinct paths on a shared host.",
    bad="""
    superset-web: {ingress: {host: bi, port: http}}
    grafana: {ingress: {host: bi.254carbon.com, port: http}}
    """,
    good="""
    superset-web: {ingress: {host: superset, port: http}}
    grafana: {ingress: {host: grafana, port: http}}
    """,
)
define(
    "PC110",
    "wiring",
    ERROR,
    "Application in an undeclared namespace",
    why="""Namespaces are created only from `spec.namespaces` (with their quota, mesh and
    network policy); ArgoCD syncs with CreateNamespace=false. An application in a namespace
    the platform does not declare fails its sync.""",
    fix="Declare the namespace under `spec.namespaces` (`{}` for no settings) or fix the name.",
    bad="""
    applications:
      search: {namespace: serach, components: {…}}
    """,
    good="""
    applications:
      search: {namespace: search, components: {…}}
    """,
)
define(
    "PC111",
    "wiring",
    ERROR,
    "Exception namespace undeclared",
    why="""PolicyExceptions are written to `spec.policy.kyverno.exceptionNamespace`. If the
    platform does not declare that namespace it never exists, the exceptions are not created,
    and every workload that needs one is refused by Kyverno.""",
    fix="Declare the namespace under `spec.namespaces`, or point exceptionNamespace at a declared one.",
    bad="""
    policy: {kyverno: {exceptionNamespace: kyverno-exceptions, …}}
    namespaces: {kyverno: {}}
    """,
    good="""
    policy: {kyverno: {exceptionNamespace: kyverno, …}}
    namespaces: {kyverno: {}}
    """,
)
define(
    "PC112",
    "wiring",
    ERROR,
    "Two components with one name in a namespace",
    why="""Objects are named after their component (Service, Deployment, ConfigMap, …), and two
    applications may share a namespace. Two components with the same name there, or a chart
    whose Service name equals another component's, overwrite each other's objects: the two
    ArgoCD Applications fight over them forever.""",
    fix="Rename one of the components (and its references).",
    bad="""
    storage: {namespace: data, components: {redis: …}}
    cache: {namespace: data, components: {redis: …}}
    """,
    good="""
    cache: {namespace: data, components: {cache-redis: …}}
    """,
)
