"""Which upstream charts the platform pins, across environments, and where each is written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from generator.findings import Finding, Mark, Severity, make_finding
from generator.load.document import Document, YamlPath, format_path
from generator.upstream.store import archive_name

if TYPE_CHECKING:
    from generator.model import Platform


class AnalysedEnv(Protocol):
    """One environment as the pipeline returns it (`pipeline.EnvResult`), read but never imported."""

    @property
    def env(self) -> str: ...

    @property
    def platform(self) -> Platform | None: ...

    @property
    def findings(self) -> list[Finding]: ...


RULE = "PC809"
# What may stand in an archive's file name: an exact version, never a range or a path
_FILE_SAFE_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")


@dataclass(frozen=True, order=True)
class ChartPin:
    """One upstream chart at one version, from one repository."""

    name: str
    version: str
    repository: str

    @property
    def archive(self) -> str:
        return archive_name(self.name, self.version)

    @property
    def is_oci(self) -> bool:
        return self.repository.startswith("oci://")

    def __str__(self) -> str:
        return f"{self.name} {self.version} from {self.repository}"


@dataclass(frozen=True)
class PinSite:
    """Where a pin is written: the environment, and the component's `chart` in the merged document."""

    env: str
    doc: Document
    path: YamlPath

    def mark(self, key: str) -> Mark:
        return self.doc.mark((*self.path, key))

    def spec(self, key: str) -> Any:
        """`spec.<key>` of the environment's merged document (None when it is not there)."""
        spec = self.doc.data.get("spec") if isinstance(self.doc.data, dict) else None
        return spec.get(key) if isinstance(spec, dict) else None


@dataclass
class Pins:
    sites: dict[ChartPin, list[PinSite]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def finding(self, pin: ChartPin, message: str, key: str = "repository", mirror: object = None) -> Finding:
        """A PC809 error at `chart.<key>` where `pin` is first written, naming every environment using it."""
        sites = self.sites[pin]
        envs = ",".join(sorted({site.env for site in sites})) or None
        first = sites[0]
        path = format_path((*first.path, key))
        through = f" through mirror {mirror}" if mirror is not None else ""
        message = f"cannot vendor chart {pin}{through}: {message}"
        return make_finding(RULE, Severity.ERROR, message, first.mark(key), path, envs)


def collect_pins(results: Sequence[AnalysedEnv]) -> Pins:
    """Every chart component of every enabled application, per environment; unbuildable envs are errors."""
    pins = Pins()
    for result in results:
        platform = result.platform
        if platform is None:
            pins.findings.extend(f for f in result.findings if f.is_error)
            continue
        for app in platform.applications.values():
            if not app.enabled:
                continue
            for component in app.enabled_components():
                chart = component.chart
                if component.kind != "chart" or chart is None:
                    continue
                pin = ChartPin(chart.name, chart.version, chart.repository.strip().rstrip("/"))
                site = PinSite(result.env, platform.doc, (*component.path, "chart"))
                pins.sites.setdefault(pin, []).append(site)
    return pins


def vendorable(pins: Pins) -> tuple[list[ChartPin], list[Finding]]:
    """The pins that can be vendored, and a PC809 error for each of the others."""
    by_archive: dict[str, list[ChartPin]] = {}
    for pin in sorted(pins.sites):
        by_archive.setdefault(pin.archive, []).append(pin)
    usable: list[ChartPin] = []
    findings: list[Finding] = []
    for group in by_archive.values():
        first = group[0]
        if not _FILE_SAFE_VERSION.match(first.version):
            message = f'version "{first.version}" is not an exact version; pin one such as "1.2.3"'
            findings.extend(pins.finding(pin, message, "version") for pin in group)
        elif len(group) > 1:
            sources = ", ".join(pin.repository for pin in group)
            message = (
                f"it is pinned from several repositories ({sources}) and vendor/charts/ holds one "
                "archive per chart version; pin one repository"
            )
            findings.extend(pins.finding(pin, message) for pin in group)
        else:
            usable.append(first)
    return usable, findings
