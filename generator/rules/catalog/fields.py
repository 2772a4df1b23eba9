"""Kubernetes field values: names, paths and dates the API server, runtime or controller refuses."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

ERROR, WARNING = Severity.ERROR, Severity.WARNING

define(
    "PC509",
    "policy",
    ERROR,
    "Capability name Kubernetes does not accept",
    why="""Capabilities are written as Linux names them without the `CAP_` prefix (`NET_RAW`,
    `SYS_ADMIN`), or `ALL`. `CAP_NET_RAW` is refused by the container runtime
    (or passed through unrecognised, so Kyverno's capability policies judge a name they do
    not know), and a name that is not one of Linux's 41 capabilities (`NET_PING`) makes the
    container fail to start. Checked in `security.capabilities` and in chart values'
    `capabilities.add` and `capabilities.drop`.""",
    fix="Write the name from the Linux capability list without `CAP_` (the message suggests the closest).",
    bad="""
    security: {capabilities: [CAP_NET_RAW]}
    """,
    good="""
    security: {capabilities: [NET_RAW]}
    """,
)
define(
    "PC113",
    "wiring",
    ERROR,
    "Ingress path invalid for its pathType",
    why="""The Ingress platformc renders uses pathType Prefix; a chart's own `path` and `pathType`
    are judged the same way. Under Exact and Prefix, Kubernetes refuses a path that does not
    start with `/` or holds `//`, `/./`, `/../`, `%2F` or ends in `/.` or `/..`, and
    regular-expression syntax (`(`, `)`, `[`, `*`, `+`, `?`, `|`, `^`, `$`, `{`, `\\`) is matched
    literally, so `/api(/|$)(.*)` matches no request; ingress-nginx's admission webhook
    refuses it outright.""",
    fix="Write the plain prefix (`/api`); a chart that needs a regular expression takes pathType "
    "ImplementationSpecific.",
    bad="""
    ingress: {host: api, port: http, path: "/api(/|$)(.*)"}
    """,
    good="""
    ingress: {host: api, port: http, path: /api}
    """,
)
define(
    "PC023",
    "structure",
    ERROR,
    "Schedule that never fires",
    why="""A cron schedule can be well formed and still name only dates that do not exist: 30 or
    31 February, 31 April, June, September or November. With the day of week `*` or `?`,
    Kubernetes' and Velero's cron (robfig/cron) fires only on those dates, so the CronJob or
    backup never runs and nothing reports it. (With both the day of month and the day of week
    restricted, either one matches, and the schedule fires.) 29 February fires in leap years.""",
    fix="Pick a day every chosen month has: at most 28 for February, 30 for April, June, September "
    "and November.",
    bad="""
    schedule: "0 2 30 2 *"
    """,
    good="""
    schedule: "0 2 28 2 *"
    """,
)
define(
    "PC706",
    "rendering",
    ERROR,
    "File path Kubernetes refuses",
    why="""Each `files` entry is a ConfigMap key mounted at its path with `subPath`. A bare `/` would
    mount a file over the container's root; a `..` segment steps out of the directory it
    names; a path whose key starts with `..` (`/..data`) is refused as a ConfigMap key, since
    Kubernetes keeps such names for the files it writes itself.""",
    fix="Write the absolute path of the file itself, without `..` segments or a leading `..` name.",
    bad="""
    files:
      /etc/app/../app.conf: "…"
    """,
    good="""
    files:
      /etc/app.conf: "…"
    """,
)
define(
    "PC707",
    "rendering",
    ERROR,
    "Two mounts at one path",
    why="""A container's mount paths must be unique: two volumes, two files or a volume and a
    file at the same path (`/data` and `/data/` are one) make the API server refuse the pod
    with `must be unique`.""",
    fix="Mount one of them elsewhere, or drop the file the volume already provides.",
    bad="""
    volumes:
      data: {mount: /var/lib/app, size: 10Gi}
      cache: {mount: /var/lib/app/, emptyDir: true}
    """,
    good="""
    volumes:
      data: {mount: /var/lib/app, size: 10Gi}
      cache: {mount: /var/cache/app, emptyDir: true}
    """,
)
