"""The values contract on small charts built in the test: what a chart declares, and what it refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.rules.chart_declaration import ChartUnreadable, declaration_of
from generator.rules.values_contract import Problem, check_values, default_at

Build = Callable[..., bytes]

VALUES: dict[str, Any] = {
    "replicas": 1,
    "ratio": 0.5,
    "enabled": False,
    "image": {"repository": "docker.io/library/nginx", "tag": "1.27.0"},
    "podAnnotations": {},
    "affinity": None,
    "extraArgs": [],
    "retention": 1,
    "persistence": {"enabled": True, "size": "10Gi"},
}


def problems(build: Build, values: dict[str, Any], **chart: Any) -> list[Problem]:
    return check_values(declaration_of(build("app", values=chart.pop("defaults", VALUES), **chart)), values)


def shown(found: list[Problem]) -> list[tuple[str, tuple[Any, ...], tuple[str, ...]]]:
    return [(p.kind, p.path, p.suggestions) for p in found]


def test_keys_the_chart_declares_pass(chart_archive: Build) -> None:
    values = {"replicas": 3, "image": {"tag": "1.27.1"}, "persistence": {"size": "20Gi"}}
    assert problems(chart_archive, values) == []


def test_a_misspelt_key_is_unknown_with_the_charts_nearest_keys(chart_archive: Build) -> None:
    found = problems(chart_archive, {"replica": 3, "persistence": {"sise": "20Gi"}})
    assert shown(found) == [
        ("unknown", ("replica",), ("replicas",)),
        ("unknown", ("persistence", "sise"), ("persistence.size",)),
    ]
    assert found[0].chart == "app 1.0.0"


def test_a_key_nothing_resembles_has_no_suggestion(chart_archive: Build) -> None:
    assert shown(problems(chart_archive, {"zzzzzz": 1})) == [("unknown", ("zzzzzz",), ())]


@pytest.mark.parametrize(
    ("values", "expected", "found"),
    [
        ({"enabled": "true"}, "boolean", "string"),
        ({"image": ["nginx"]}, "map", "list"),
        ({"extraArgs": {"a": 1}}, "list", "map"),
        ({"persistence": "yes"}, "map", "string"),
        ({"replicas": True}, "number", "boolean"),
    ],
)
def test_a_type_the_default_contradicts_is_a_problem(
    chart_archive: Build, values: dict[str, Any], expected: str, found: str
) -> None:
    [problem] = problems(chart_archive, values)
    assert (problem.kind, problem.expected, problem.found) == ("type", expected, found)
    assert problem.default == VALUES[next(iter(values))]


@pytest.mark.parametrize(
    "values",
    [
        {"ratio": 1},  # an integer where the default is a float
        {"replicas": 2.5},
        {"retention": "30d"},  # a template writes a number or a string alike
        {"affinity": {"nodeAffinity": {"anything": [1, 2]}}},  # a null default takes anything
        {"affinity": "a string"},
        {"persistence": None},  # null removes the default
        {"replicas": None},
    ],
)
def test_types_the_default_allows_pass(chart_archive: Build, values: dict[str, Any]) -> None:
    assert problems(chart_archive, values) == []


def test_an_open_map_takes_any_key(chart_archive: Build) -> None:
    values = {"podAnnotations": {"any.key/at-all": "x", "nested": {"deep": [1]}}}
    assert problems(chart_archive, values) == []


def test_list_elements_take_any_key(chart_archive: Build) -> None:
    values = {"extraArgs": [{"whatever": {"deep": True}}, "plain"]}
    assert problems(chart_archive, values) == []


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "server": {
            "type": "object",
            "properties": {
                "port": {"type": "integer"},
                "mode": {"type": ["string", "null"]},
                "labels": {"type": "object"},
                "tls": {"$ref": "#/definitions/tls"},
            },
            "additionalProperties": False,
        },
        "extra": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "definitions": {"tls": {"type": "object", "properties": {"enabled": {"type": "boolean"}}}},
}


def test_the_schema_declares_keys_and_types(chart_archive: Build) -> None:
    good = {"server": {"port": 8080, "mode": None, "labels": {"a": "b"}, "tls": {"enabled": True}}}
    assert problems(chart_archive, good, defaults={}, schema=SCHEMA) == []
    bad = {"server": {"port": "8080", "prot": 1, "tls": {"enabeld": True}}}
    found = problems(chart_archive, bad, defaults={}, schema=SCHEMA)
    assert shown(found) == [
        ("type", ("server", "port"), ()),
        ("unknown", ("server", "prot"), ("server.port",)),
        ("unknown", ("server", "tls", "enabeld"), ("server.tls.enabled",)),
    ]
    assert found[0].expected == "number"  # the schema is strict: Helm enforces it


def test_a_schema_object_without_properties_is_open(chart_archive: Build) -> None:
    values = {"server": {"labels": {"anything": "goes"}}, "extra": {"free": "form"}}
    assert problems(chart_archive, values, defaults={}, schema=SCHEMA) == []


def test_a_key_a_template_reads_is_declared(chart_archive: Build) -> None:
    templates = {"_helpers.tpl": "{{ .Values.fullnameOverride | default .Release.Name }}"}
    assert problems(chart_archive, {"fullnameOverride": "x"}, templates=templates) == []
    assert shown(problems(chart_archive, {"fullnameOverride": "x"})) == [
        ("unknown", ("fullnameOverride",), ())
    ]


def test_a_key_a_template_reads_with_index_is_declared(chart_archive: Build) -> None:
    defaults = {"configs": {"cm": {"create": True}}}
    templates = {"cm.yaml": '{{ index .Values.configs.cm "exec.enabled" }}{{ index $.Values "log-level" }}'}
    values = {"configs": {"cm": {"exec.enabled": True}}, "log-level": "debug"}
    assert problems(chart_archive, values, defaults=defaults, templates=templates) == []
    found = problems(chart_archive, values, defaults=defaults)
    assert shown(found) == [
        ("unknown", ("configs", "cm", "exec.enabled"), ()),
        ("unknown", ("log-level",), ()),
    ]


def test_a_map_a_template_ranges_over_is_open(chart_archive: Build) -> None:
    defaults = {"env": {"database": "off"}}
    templates = {"env.yaml": "{{- range $key, $val := .Values.env }}{{ $key }}{{ end }}"}
    assert problems(chart_archive, {"env": {"pg_host": "db"}}, defaults=defaults, templates=templates) == []
    found = problems(chart_archive, {"env": {"pg_host": "db"}}, defaults=defaults)
    assert shown(found) == [("unknown", ("env", "pg_host"), ())]


def subchart_parent(build: Build) -> bytes:
    cache = build("cache", "2.0.0", values={"memory": 64, "global": {"region": "eu"}})
    return build(
        "app",
        values={"replicas": 1, "redis": {"enabled": False}},
        dependencies=[{"name": "cache", "version": "2.0.0", "alias": "redis"}],
        subcharts={"cache-2.0.0.tgz": cache},
    )


def test_a_key_naming_a_dependency_is_checked_against_it(chart_archive: Build) -> None:
    chart = declaration_of(subchart_parent(chart_archive))
    assert check_values(chart, {"redis": {"enabled": True, "memory": 128}}) == []
    [problem] = check_values(chart, {"redis": {"memroy": 128}})
    assert (problem.kind, problem.path, problem.chart) == ("unknown", ("redis", "memroy"), "cache 2.0.0")
    assert problem.suggestions == ("redis.memory",)


def test_global_keys_any_chart_of_the_tree_declares(chart_archive: Build) -> None:
    chart = declaration_of(subchart_parent(chart_archive))
    assert check_values(chart, {"global": {"region": "us"}}) == []
    [problem] = check_values(chart, {"global": {"regoin": "us"}})
    assert shown([problem]) == [("unknown", ("global", "regoin"), ("global.region",))]


def test_global_in_a_tree_that_declares_none_is_unknown(chart_archive: Build) -> None:
    found = problems(chart_archive, {"global": {"region": "us"}})
    assert shown(found) == [("unknown", ("global", "region"), ())]


def test_defaults_are_found_through_dependencies_and_globals(chart_archive: Build) -> None:
    chart = declaration_of(subchart_parent(chart_archive))
    assert default_at(chart, ("redis", "memory")) == (True, 64)
    assert default_at(chart, ("redis", "enabled")) == (True, False)
    assert default_at(chart, ("global", "region")) == (True, "eu")
    assert default_at(chart, ("replicas",)) == (True, 1)
    assert default_at(chart, ("nothing",)) == (False, None)


def test_a_chart_is_read_once_per_digest(chart_archive: Build) -> None:
    archive = chart_archive("app", values=VALUES)
    assert declaration_of(archive) is declaration_of(bytes(archive))


def test_an_archive_that_is_not_a_chart_is_unreadable() -> None:
    with pytest.raises(ChartUnreadable):
        declaration_of(b"not a gzip stream")


def test_schema_pattern_properties_and_combined_branches(chart_archive: Build) -> None:
    schema = {
        "type": "object",
        "properties": {
            "ports": {"type": "object", "patternProperties": {"^[a-z]+$": {"type": "integer"}}},
            "mode": {"anyOf": [{"type": "string"}, {"type": "boolean"}]},
        },
        "additionalProperties": False,
    }
    good = {"ports": {"http": 80}, "mode": True}
    assert problems(chart_archive, good, defaults={}, schema=schema) == []
    found = problems(
        chart_archive, {"ports": {"HTTP": 80, "grpc": "x"}, "mode": 1}, defaults={}, schema=schema
    )
    assert [(p.kind, p.path) for p in found] == [
        ("unknown", ("ports", "HTTP")),
        ("type", ("ports", "grpc")),
        ("type", ("mode",)),
    ]
    assert found[2].expected == "boolean or string"
