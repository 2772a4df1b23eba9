from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.findings import Severity
from generator.pipeline import analyse
from generator.upstream.pins import ChartPin, collect_pins, vendorable

REPOSITORY = "https://charts.example.com"


def overlay(root: Path, env: str, text: str) -> None:
    (root / "overlays" / f"{env}.yaml").write_text(text, encoding="utf-8")


def test_every_enabled_chart_of_every_environment_once(chart_platform: Callable[[str], Path]) -> None:
    root = chart_platform(REPOSITORY + "/")
    overlay(
        root,
        "prod",
        "spec:\n  applications:\n    web:\n      components:\n        beta:\n"
        "          chart: {repository: https://charts.example.com, name: beta, version: 0.5.0}\n",
    )
    pins = collect_pins(analyse(root, ["dev", "prod"]))
    assert sorted(pins.sites) == [
        ChartPin("alpha", "1.2.3", REPOSITORY),
        ChartPin("beta", "0.4.0", REPOSITORY),
        ChartPin("beta", "0.5.0", REPOSITORY),
    ]
    assert [site.env for site in pins.sites[ChartPin("alpha", "1.2.3", REPOSITORY)]] == ["dev", "prod"]
    assert pins.findings == []
    assert vendorable(pins) == (sorted(pins.sites), [])


def test_a_chart_disabled_in_every_environment_is_not_vendored(chart_platform: Callable[[str], Path]) -> None:
    root = chart_platform(REPOSITORY)
    off = "spec:\n  applications:\n    web:\n      components:\n        beta: {enabled: false}\n"
    overlay(root, "dev", off)
    overlay(root, "prod", off)
    pins = collect_pins(analyse(root, ["dev", "prod"]))
    assert list(pins.sites) == [ChartPin("alpha", "1.2.3", REPOSITORY)]
    overlay(root, "prod", "spec: {}\n")
    pins = collect_pins(analyse(root, ["dev", "prod"]))
    assert [site.env for site in pins.sites[ChartPin("beta", "0.4.0", REPOSITORY)]] == ["prod"]


def test_a_chart_version_from_two_repositories_is_an_error_at_each_pin(
    chart_platform: Callable[[str], Path],
) -> None:
    root = chart_platform(REPOSITORY)
    overlay(
        root,
        "prod",
        "spec:\n  applications:\n    web:\n      components:\n        beta:\n"
        "          chart: {repository: https://mirror.example.com, name: beta, version: 0.4.0}\n",
    )
    usable, findings = vendorable(collect_pins(analyse(root, ["dev", "prod"])))
    assert usable == [ChartPin("alpha", "1.2.3", REPOSITORY)]
    assert [(f.rule, f.severity, f.env) for f in findings] == [
        ("PC809", Severity.ERROR, "dev"),
        ("PC809", Severity.ERROR, "prod"),
    ]
    assert "pinned from several repositories (https://charts.example.com, https://mirror.example.com)" in (
        findings[0].message
    )
    assert (findings[0].file, findings[1].file) == ("platform.yaml", "overlays/prod.yaml")


def test_a_range_cannot_name_an_archive(chart_platform: Callable[[str], Path]) -> None:
    root = chart_platform(REPOSITORY)
    platform = root / "platform.yaml"
    platform.write_text(platform.read_text().replace("version: 0.4.0", 'version: "^0.4"'))
    pins = collect_pins(analyse(root, ["dev"]))
    usable, findings = vendorable(pins)
    assert usable == [ChartPin("alpha", "1.2.3", REPOSITORY)]
    (finding,) = findings
    assert finding.message == (
        'cannot vendor chart beta ^0.4 from https://charts.example.com: version "^0.4" is not an exact '
        'version; pin one such as "1.2.3"'
    )
    assert (finding.file, finding.path) == (
        "platform.yaml",
        "spec.applications.web.components.beta.chart.version",
    )
    lines = platform.read_text().splitlines()
    assert finding.line == next(n for n, line in enumerate(lines, 1) if "name: beta" in line)


def test_an_environment_that_does_not_build_is_reported(chart_platform: Callable[[str], Path]) -> None:
    root = chart_platform(REPOSITORY)
    overlay(root, "prod", "spec:\n  domian: typo.example.com\n")
    pins = collect_pins(analyse(root, ["dev", "prod"]))
    assert len(pins.sites) == 2
    assert [f.env for f in pins.findings] == ["prod"]
    assert all(f.is_error for f in pins.findings)
