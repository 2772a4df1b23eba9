"""Wiring: a platform service's hostname written by hand where a reference belongs.

A token counts as a hostname only where text uses it as one: `name:port`, the
host of a URL, a name qualified by its namespace (`redis.data-platform`), or a
bare name that is the whole value of a host-like key (`REDIS_HOST: redis`).
That keeps words such as `REGISTRY_TYPE: zookeeper` or Fluent Bit's `Name loki`
out of it, and so do path segments and image names (`docker.io/bitnami/kafka:3.7.0`:
a version is not a port). Text inside `${…}` (references, Trino's `${ENV:…}`) and
`{{ … }}` is never looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.findings import Severity
from generator.load.document import YamlPath, format_path
from generator.model.types import CLUSTER_DOMAIN, Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import lines_of, mask, text_mark, walk_strings

ERROR = Severity.ERROR

_OPAQUE = re.compile(r"\$\{[^}]*\}|\{\{.*?\}\}|\$\([^)]*\)", re.DOTALL)
_TOKEN = re.compile(r"(?<![A-Za-z0-9_.\-])[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?![A-Za-z0-9_\-])")
# A StatefulSet pod's own address: `<pod>-<ordinal>.<service>…` (`zookeeper-0.zookeeper:2181`).
_POD_FORM = " (one pod's address)"
_POD_ADDRESS = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]+\.(.+)")
# `:9092`, but not the tag of an image (`kafka:3.7.0`): a version is not a port.
_PORT = re.compile(r":([0-9]{1,5})(?![0-9]|\.[0-9])")
# Object-store URLs name buckets, not hosts.
_BUCKET_SCHEMES = frozenset(
    {"s3", "s3a", "s3n", "gs", "gcs", "abfs", "abfss", "wasb", "wasbs", "file", "local"}
)
_HOST_WORDS = frozenset(
    {
        "host",
        "hostname",
        "hosts",
        "server",
        "servers",
        "address",
        "addr",
        "endpoint",
        "endpoints",
        "url",
        "uri",
        "broker",
        "brokers",
        "bootstrap",
        "connect",
        "dsn",
        "upstream",
    }
)
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_KEY_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_.-]*)\s*[:= ]\s*(\S+)\s*$")


@dataclass(frozen=True)
class Service:
    component: Component
    form: str  # "short name", "partial name" or "full name"


# Words run together in an env var's name (`PGHOST`, `REDISURL`) end in one of these.
_HOST_ENDINGS = ("host", "hosts", "url", "uri")


def host_like(key: str) -> bool:
    words = [word.lower() for word in _WORDS.findall(key)]
    return any(word in _HOST_WORDS or word.endswith(_HOST_ENDINGS) for word in words)


def platform_services(platform: Platform) -> dict[str, list[Service]]:
    """Every way to write a platform Service's name by hand -> the components it names."""
    forms: dict[str, list[Service]] = {}
    for component in platform.components(enabled_only=False):
        if component.kind == "workload" and not component.ports:
            continue  # no Service, so no hostname
        name, namespace = component.service, component.namespace
        for text, form in (
            (name, "short name"),
            (f"{name}.{namespace}", "partial name"),
            (f"{name}.{namespace}.svc", "partial name"),
            (f"{name}.{namespace}.{CLUSTER_DOMAIN}", "full name"),
        ):
            forms.setdefault(text, []).append(Service(component, form))
    return forms


def services_named(services: dict[str, list[Service]], token: str) -> list[Service]:
    """The platform Services a hostname names: DNS ignores case, and a pod's address names its Service."""
    name = token.lower()
    found = services.get(name)
    if found:
        return found
    pod = _POD_ADDRESS.fullmatch(name)
    if pod is None:
        return []
    return [Service(s.component, f"{s.form}{_POD_FORM}") for s in services.get(pod.group(1), [])]


def _own_peer(service: Service, component: Component) -> bool:
    """A pod address of the component itself: its peer list (`ZOO_SERVERS`, quorum voters), which
    no reference can write."""
    return service.component is component and service.form.endswith(_POD_FORM)


def _pick(candidates: list[Service], consumer: Component) -> Service:
    def rank(s: Service) -> tuple[bool, bool, str]:
        return (s.component.namespace != consumer.namespace, s.component.app != consumer.app, s.component.id)

    return sorted(candidates, key=rank)[0]


def suggestion(target: Component, consumer: Component | None, port: str | None) -> str:
    name = target.name if consumer is not None and target.app == consumer.app else target.id
    if port is None:
        return f"${{host:{name}}}"
    for port_name, number in target.ports.items():
        if str(number) == port:
            return f"${{ref:{name}.{port_name}}}"
    return f"${{host:{name}}}:{port}"


def _bare_values(text: str, key: str) -> set[int]:
    """Offsets where a whole value (or a `key = value` line's value) sits under a host-like key."""
    found: set[int] = set()
    stripped = text.strip()
    if stripped and host_like(key) and "\n" not in stripped:
        found.add(text.index(stripped))
    for offset, line in lines_of(text):
        match = _KEY_LINE.match(line)
        if match and host_like(match.group(1)):
            found.add(offset + match.start(2))
    return found


def host_tokens(text: str, key: str) -> Iterator[tuple[int, str, str | None]]:
    """(offset, host, port) for every token the text uses as a hostname.

    Linear in the length of the text: every look around a token is bounded by
    the token's neighbourhood or by a scan that never goes over the same text twice.
    """
    masked = mask(text, _OPAQUE)
    bare = _bare_values(masked, key)
    userinfo = _UserinfoScan(masked)
    for match in _TOKEN.finditer(masked):
        token, start = match.group(0), match.start()
        if userinfo.follows(match.end()):
            continue  # the user name of `scheme://user:password@host`, not a host
        if masked.startswith("://", match.end()):
            continue  # a URL's scheme (`redis://…`), not a host
        if start > 0 and masked[start - 1] == "/" and not masked.startswith("://", start - 3):
            continue  # a path segment or an image's repository (`docker.io/bitnami/kafka:3.7.0`)
        port_match = _PORT.match(masked, match.end())
        port = port_match.group(1) if port_match else None
        scheme = _scheme_before(masked, start)
        in_url = scheme is not None and scheme.lower() not in _BUCKET_SCHEMES
        in_url = in_url or (start > 0 and masked[start - 1] == "@")
        if port is not None or in_url or "." in token or start in bare:
            yield start, token, port


_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_USERINFO_STOP = re.compile(r"[\s/@]")


def _scheme_before(text: str, start: int) -> str | None:
    """The URL scheme whose `://` ends right at `start` (`redis` in `redis://host`), or None.

    The scheme starts at the first letter of the run of scheme characters before
    `://`. Only the text between this `://` and the one before it is read.
    """
    end = start - 3
    if end < 0 or not text.startswith("://", end):
        return None
    begin = end
    while begin > 0 and text[begin - 1] in _SCHEME_CHARS:
        begin -= 1
    while begin < end and not (text[begin].isascii() and text[begin].isalpha()):
        begin += 1
    return text[begin:end] if begin < end else None


class _UserinfoScan:
    """Does `[:password]@` follow a position? Asked at increasing positions, in linear total time."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._stop = -1  # the first whitespace, `/` or `@` at or after the last position asked about

    def follows(self, position: int) -> bool:
        text = self._text
        if position >= len(text):
            return False
        if text[position] == "@":
            return True
        if text[position] != ":":
            return False
        if self._stop <= position:
            found = _USERINFO_STOP.search(text, position + 1)
            self._stop = found.start() if found else len(text)
        return self._stop < len(text) and text[self._stop] == "@"


def where(key_path: YamlPath, component: Component) -> str:
    rel = key_path[len(component.path) :]
    if rel[:1] == ("env",):
        return str(rel[1])
    if rel[:1] == ("files",):
        return f"file {rel[1]}"
    text = ""
    for part in rel:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


define(
    "PC105",
    "wiring",
    ERROR,
    "Hostname written by hand",
    why="""A platform service named by hand (`zookeeper:2181`, `http://minio:9000`,
    `trino-coordinator.data-platform`, a pod of it such as `zookeeper-0.zookeeper:2181`, any
    of them in capitals, or `redis` as the whole value of a `*_HOST` setting) in env values,
    files, chart values, args or the secret store's settings. A short name only resolves
    inside its own namespace, so the same text breaks when either side moves, and a rename
    leaves it behind. References always resolve to the full
    `<service>.<namespace>.svc.cluster.local` name and make the dependency visible. Words
    that merely equal a service name (`REGISTRY_TYPE: zookeeper`), image names and text
    inside `${…}` are not hostnames and are not flagged. Suppressible: the detection is
    textual.""",
    fix="Use `${ref:<component>.<port>}` for host:port, `${host:<component>}` for the host alone.",
    bad="""
    REGISTRY_ZOOKEEPER_CONNECT_STRING: "zookeeper:2181"
    """,
    good="""
    REGISTRY_ZOOKEEPER_CONNECT_STRING: "${ref:zookeeper.client}"
    """,
    suppressible=True,
)


@check("PC105")
def hand_written_hostnames(platform: Platform) -> Iterator[Hit]:
    services = platform_services(platform)
    for component in platform.components():
        for source, value in component.settings():
            for path, key, text in walk_strings(value, (*component.path, source)):
                if source == "files":
                    key = ""  # a file's path is not a setting's name
                named: set[str] = set()  # one finding per service a setting names, however often
                for start, token, port in host_tokens(text, key):
                    candidates = services_named(services, token)
                    if not candidates:
                        continue
                    service = _pick(candidates, component)
                    if service.component.id in named or _own_peer(service, component):
                        continue
                    named.add(service.component.id)
                    written = f"{token}:{port}" if port else token
                    use = suggestion(service.component, component, port)
                    yield Hit(
                        "PC105",
                        _short_name(
                            f"{component.name}: {where(path, component)}", written, service.form, use
                        ),
                        path,
                        mark=text_mark(platform, path, text, start),
                        component=component,
                    )
    yield from _store_hostnames(platform, services)


def _short_name(setting: str, written: str, form: str, use: str) -> str:
    return (
        f'{setting} names the service "{written}" by its {form}; use "{use}" (references always '
        f"resolve to the full <service>.<namespace>.{CLUSTER_DOMAIN} name)"
    )


def _store_hostnames(platform: Platform, services: dict[str, list[Service]]) -> Iterator[Hit]:
    """The secret store's provider block (`vault.server`): the external-secrets controller reads it
    from its own namespace, so a short name there names nothing."""
    store = platform.secrets.store
    if store is None:
        return
    for path, key, text in walk_strings(store.provider, store.path):
        named: set[str] = set()
        for start, token, port in host_tokens(text, key):
            candidates = sorted(services_named(services, token), key=lambda s: s.component.id)
            if not candidates or candidates[0].component.id in named:
                continue
            service = candidates[0]
            named.add(service.component.id)
            written = f"{token}:{port}" if port else token
            use = suggestion(service.component, None, port)
            yield Hit(
                "PC105",
                _short_name(
                    f"secret store {store.name}: {format_path(path[len(store.path) :])}",
                    written,
                    service.form,
                    use,
                ),
                path,
                mark=text_mark(platform, path, text, start),
            )
