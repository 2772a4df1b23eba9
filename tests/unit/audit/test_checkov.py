"""checkov's JSON report read into failures: fixtures are real checkov 3.3 output, trimmed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.audit.checkov import Failure, parse_report
from generator.errors import AuditUnavailableError

REPORTS = Path(__file__).parent / "reports"


def test_failed_checks_name_the_check_object_environment_and_application() -> None:
    report = parse_report((REPORTS / "failed.json").read_text(encoding="utf-8"))
    assert report.failures == (
        Failure("CKV_K8S_25", "Deployment.data-platform.graphql-gateway", "staging", "portal-services",
                "Minimize the admission of containers with added capability"),
        Failure("CKV_K8S_43", "Deployment.data-platform.trino-worker", "dev", "data-platform",
                "Image should use digest"),
        Failure("CKV_K8S_8", "StatefulSet.kafka.kafka", "prod", "kafka",
                "Liveness Probe Should be Configured"),
    )  # fmt: skip
    assert (report.passed, report.resources, report.version) == (120, 14, "3.3.30")
    assert report.failures[0].where == "staging/portal-services"


def test_a_run_over_no_resources_is_the_bare_summary() -> None:
    report = parse_report((REPORTS / "no-resources.json").read_text(encoding="utf-8"))
    assert (report.failures, report.resources) == ((), 0)


def test_several_frameworks_give_a_list_of_reports() -> None:
    one = json.loads((REPORTS / "failed.json").read_text(encoding="utf-8"))
    report = parse_report(json.dumps([one, one]))
    assert len(report.failures) == 6
    assert report.resources == 28


def test_a_report_with_parsing_errors_is_refused() -> None:
    summary = json.loads((REPORTS / "no-resources.json").read_text(encoding="utf-8"))
    summary["parsing_errors"] = 2
    with pytest.raises(AuditUnavailableError, match="could not parse 2 manifest"):
        parse_report(json.dumps(summary))


@pytest.mark.parametrize("text", ["not json", "[1, 2]"])
def test_output_that_is_not_a_report_is_refused(text: str) -> None:
    with pytest.raises(AuditUnavailableError, match="checkov's report"):
        parse_report(text)
