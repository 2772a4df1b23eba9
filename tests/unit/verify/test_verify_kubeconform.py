"""The kubeconform adapter: its command line, its reading of kubeconform's JSON report, and a real run.

The reports in cases/kubeconform/ follow kubeconform's pkg/output/json.go (resources
and summary with -summary; valid and skipped resources are listed only with -verbose,
as in verbose.json) and pkg/validator (validationErrors: the JSON pointer of the failing
value and its message, since 0.6.1; a resource without a schema is statusError).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from generator.findings import Severity
from generator.verify import kubeconform
from generator.verify.objects import SCHEMA_DIR

REPORTS = Path(__file__).parent / "cases" / "kubeconform"
INVALID = (REPORTS / "invalid.json").read_text(encoding="utf-8")
ERRORS = (REPORTS / "errors.json").read_text(encoding="utf-8")
VERBOSE = (REPORTS / "verbose.json").read_text(encoding="utf-8")


def test_the_command_line_puts_platformc_schemas_before_the_default_registry() -> None:
    command = kubeconform.build_command("1.31", Path("/opt/schemas"), ["rendered/dev/a.yaml", Path("b.yaml")])
    assert command == [
        "kubeconform",
        "-strict",
        "-summary",
        "-output",
        "json",
        "-kubernetes-version",
        "1.31.0",
        "-schema-location",
        "/opt/schemas/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json",
        "-schema-location",
        "default",
        "rendered/dev/a.yaml",
        "b.yaml",
    ]


@pytest.mark.parametrize(
    ("given", "passed"), [("1.31", "1.31.0"), ("v1.30.2", "1.30.2"), ("master", "master")]
)
def test_the_kubernetes_version_is_written_in_full(given: str, passed: str) -> None:
    assert kubeconform.build_command(given, SCHEMA_DIR, ["a.yaml"])[6] == passed


@pytest.mark.parametrize(
    ("version", "files", "error"),
    [
        ("1.31", [], "reads stdin"),
        ("1.31", ["a,b.yaml"], "splits file arguments at commas"),
        ("latest", ["a.yaml"], "not a Kubernetes version"),
    ],
)
def test_command_lines_kubeconform_would_misread_are_refused(
    version: str, files: list[str], error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        kubeconform.build_command(version, SCHEMA_DIR, files)


def test_each_validation_error_of_an_invalid_resource_is_a_pc801() -> None:
    findings = kubeconform.parse_output(INVALID)
    assert [(f.rule, f.severity, f.file) for f in findings] == [
        ("PC801", Severity.ERROR, "rendered/dev/apps/portal/templates/web.yaml")
    ] * 3
    assert [f.path for f in findings] == [
        "Deployment/web:spec.replicas",
        "Deployment/web:spec.template.spec.containers[0]",
        "Deployment/web:metadata.annotations.example.com/owner",
    ]
    assert findings[0].message == (
        "Deployment/web does not match the schema for apps/v1 Deployment at spec.replicas: "
        "expected integer or null, but got string"
    )


def test_an_invalid_resource_without_details_keeps_kubeconforms_message() -> None:
    report = json.loads(INVALID)
    del report["resources"][0]["validationErrors"]
    (finding,) = kubeconform.parse_output(json.dumps(report))
    assert finding.rule == "PC801"
    assert "expected integer or null, but got string" in finding.message


def test_a_missing_schema_is_a_warning_and_other_errors_are_pc803() -> None:
    findings = kubeconform.parse_output(ERRORS)
    assert [(f.rule, f.severity, f.path) for f in findings] == [
        ("PC802", Severity.WARNING, "PolicyException/kafka-host-path"),
        ("PC803", Severity.ERROR, "Namespace/kafka"),
        ("PC803", Severity.ERROR, "?/?"),
    ]
    assert "no schema for kyverno.io/v3 PolicyException, not verified" in findings[0].message
    assert "no such host" in findings[1].message
    assert findings[2].file == "rendered/dev/secrets/trino/catalog.yaml"


def test_valid_resources_are_silent_and_skipped_ones_are_not_verified() -> None:
    (finding,) = kubeconform.parse_output(VERBOSE)
    assert (finding.rule, finding.severity, finding.file, finding.path) == (
        "PC802",
        Severity.WARNING,
        "b.yaml",
        "Widget/w",
    )


def test_the_first_report_format_with_validation_errors_is_read_too() -> None:
    report = json.loads(INVALID)
    report["resources"][0]["validationErrors"] = [{"Path": "/spec/replicas", "Message": "expected integer"}]
    (finding,) = kubeconform.parse_output(json.dumps(report))
    assert finding.path == "Deployment/web:spec.replicas"


@pytest.mark.parametrize("stdout", ["", "Usage: kubeconform [OPTION]...", "[]", '{"summary": {}}'])
def test_output_that_is_not_a_report_is_pc803(stdout: str) -> None:
    (finding,) = kubeconform.parse_output(stdout)
    assert (finding.rule, finding.severity) == ("PC803", Severity.ERROR)


def _fake_kubeconform(bin_dir: Path, stdout: str, *, sleep: int = 0) -> Path:
    record = bin_dir / "argv.json"
    script = bin_dir / "kubeconform"
    script.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys, time\n"
        f"json.dump(sys.argv[1:], open({str(record)!r}, 'w'))\n"
        f"time.sleep({sleep})\n"
        f"sys.stdout.write({stdout!r})\n"
        "sys.exit(1)\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return record


def test_run_kubeconform_runs_the_command_and_reads_its_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = _fake_kubeconform(tmp_path, INVALID)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert kubeconform.available()
    findings = kubeconform.run_kubeconform("1.31", SCHEMA_DIR, ["rendered/dev/a.yaml"], cwd=tmp_path)
    assert [f.rule for f in findings] == ["PC801"] * 3
    assert (
        json.loads(record.read_text())
        == kubeconform.build_command("1.31", SCHEMA_DIR, ["rendered/dev/a.yaml"])[1:]
    )


def test_run_kubeconform_gives_up_after_its_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_kubeconform(tmp_path, INVALID, sleep=10)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    (finding,) = kubeconform.run_kubeconform("1.31", SCHEMA_DIR, ["a.yaml"], cwd=tmp_path, timeout=0.5)
    assert finding.rule == "PC803"
    assert "did not finish within 0.5 s" in finding.message


def test_run_kubeconform_with_no_files_validates_nothing() -> None:
    assert kubeconform.run_kubeconform("1.31", SCHEMA_DIR, []) == []


# The real binary: no package registry this project reaches ships it, so this runs only where
# kubeconform is installed, with `pytest -m kubeconform` (and fails there if it is missing).
@pytest.mark.kubeconform
def test_the_real_kubeconform_validates_custom_resources_offline_with_the_shipped_schemas(
    tmp_path: Path,
) -> None:
    cases = Path(__file__).parent / "cases" / "schemas"
    for name in (
        "policyexception-v2.valid.yaml",
        "policyexception-v2.broken.yaml",
        "externalsecret.valid.yaml",
    ):
        shutil.copy(cases / name, tmp_path / name)
    findings = kubeconform.run_kubeconform(
        "1.31",
        SCHEMA_DIR,
        ["policyexception-v2.valid.yaml", "policyexception-v2.broken.yaml", "externalsecret.valid.yaml"],
        cwd=tmp_path,
        timeout=120,
    )
    assert findings, "the broken PolicyException must fail"
    assert {f.file for f in findings} == {"policyexception-v2.broken.yaml"}
    assert {f.rule for f in findings} == {"PC801"}
