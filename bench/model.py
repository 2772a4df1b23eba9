"""What one benchmark run measured: the data the report and the targets read."""

from __future__ import annotations

import dataclasses
import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from measure import Measurement

FLOOR_LABEL = "import floor"
FLOOR_SUBJECT = "click, jinja2, ruamel.yaml, jsonschema"


@dataclass(frozen=True)
class Input:
    subject: str
    components: int
    applications: int
    platform_bytes: int
    largest: str  # the application with the most components
    largest_namespace: str
    largest_components: int
    single_app: bool = False


@dataclass(frozen=True)
class HelmRun:
    """One umbrella chart rendered by helm_python; `seconds` is load + render, median."""

    subject: str
    size: int
    single_app: bool
    application: str
    components: int
    dropped: int
    measurement: Measurement
    seconds: float | None
    objects: int | None


@dataclass(frozen=True)
class Validation:
    source: str
    objects: int
    command: Measurement
    embedded: Measurement
    embedded_seconds: float | None
    embedded_warm_seconds: float | None
    embedded_status: str
    embedded_detail: str


@dataclass
class Results:
    date: str
    machine: dict[str, str]
    method: str
    sizes: list[int]
    inputs: list[Input] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    helm: list[HelmRun] = field(default_factory=list)
    validation: Validation | None = None

    def find(self, label: str, subject: str) -> Measurement | None:
        return next((m for m in self.measurements if m.label == label and m.subject == subject), None)

    def helm_run(self, size: int, single_app: bool) -> HelmRun | None:
        return next((h for h in self.helm if h.size == size and h.single_app == single_app), None)

    def save(self, path: Path) -> None:
        """Everything measured, so the report can be written again without measuring again."""
        data = dataclasses.asdict(self)
        for m in [*data["measurements"], *(h["measurement"] for h in data["helm"])]:
            m["outputs"] = []  # child output is parsed already; it only bloats the file
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Results:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))

        def measurement(m: dict[str, Any]) -> Measurement:
            return Measurement(**{**m, "outputs": tuple(m.get("outputs", ()))})

        validation = data.pop("validation")
        if validation is not None:
            validation = Validation(
                **{
                    **validation,
                    "command": measurement(validation["command"]),
                    "embedded": measurement(validation["embedded"]),
                }
            )
        return cls(
            **{
                **data,
                "inputs": [Input(**i) for i in data["inputs"]],
                "measurements": [measurement(m) for m in data["measurements"]],
                "helm": [
                    HelmRun(**{**h, "measurement": measurement(h["measurement"])}) for h in data["helm"]
                ],
                "validation": validation,
            }
        )


def size_subject(size: int, single_app: bool = False) -> str:
    return f"N={size}" + (" single app" if single_app else "")


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None
