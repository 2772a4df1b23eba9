"""kubeconform as the schema validator, when it is on PATH.

The command line and the report format follow kubeconform's source
(cmd/kubeconform, pkg/config, pkg/registry, pkg/validator, pkg/output/json.go):

- `-schema-location` is tried in the order given and the first schema found
  wins; a local file that is missing moves on to the next location, but an
  HTTP failure of `default` (no network) is a hard error for that resource. So
  platformc's own schemas come first: its custom resources validate offline,
  and Kubernetes kinds, which have no file there, fall through to `default`.
- In a location template `{{.ResourceKind}}` is the kind lower-cased,
  `{{.Group}}` the part of apiVersion before `/` (`v1` for core kinds) and
  `{{.ResourceAPIVersion}}` the part after it.
- `-kubernetes-version` is a full `x.y.z` (`master` otherwise); file arguments
  are split at commas; no file at all means "read stdin".
- `-output json -summary` prints `{"resources": [...], "summary": {...}}`.
  Without `-verbose` only invalid and errored resources are listed. Each
  resource has filename, kind, name, version, status (statusValid,
  statusInvalid, statusError, statusSkipped), msg and, when invalid,
  `validationErrors: [{"path": <JSON pointer into the object>, "msg": ...}]`.
  A resource without a schema is statusError "could not find schema for
  <Kind>" (statusSkipped only with -ignore-missing-schemas).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from generator.errors import VerifyUnavailableError
from generator.findings import Finding, Severity
from generator.load.document import format_path

KUBECONFORM = "kubeconform"
DEFAULT_TIMEOUT = 300.0
_NO_SCHEMA = "could not find schema for"
_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")


def available() -> bool:
    return shutil.which(KUBECONFORM) is not None


def version() -> str:
    """`kubeconform -v` and where it lives. Raises OSError when it does not say."""
    path = shutil.which(KUBECONFORM)
    if path is None:
        raise OSError("kubeconform is not on PATH")
    try:
        done = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=30, check=False)
    except subprocess.TimeoutExpired as e:
        raise OSError("`kubeconform -v` did not answer") from e
    if done.returncode != 0 or not done.stdout.strip():
        raise OSError(f"`kubeconform -v` failed: {done.stderr.strip() or done.returncode}")
    return f"{path} {done.stdout.strip()}"


def build_command(kubernetes_version: str, schema_dir: Path, files: Sequence[str | Path]) -> list[str]:
    if not files:
        raise ValueError("kubeconform reads stdin when it is given no file; pass at least one")
    for file in files:
        if "," in str(file):
            raise ValueError(f"kubeconform splits file arguments at commas and cannot read {file}")
    location = f"{schema_dir}/{{{{.Group}}}}/{{{{.ResourceKind}}}}_{{{{.ResourceAPIVersion}}}}.json"
    return [
        KUBECONFORM,
        "-strict",
        "-summary",
        "-output",
        "json",
        "-kubernetes-version",
        _full_version(kubernetes_version),
        "-schema-location",
        location,
        "-schema-location",
        "default",
        *(str(file) for file in files),
    ]


def run_kubeconform(
    kubernetes_version: str,
    schema_dir: Path,
    files: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[Finding]:
    """Validate `files` (relative to `cwd`, which is how findings name them)."""
    if not files:
        return []
    command = build_command(kubernetes_version, schema_dir, files)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False)
    except subprocess.TimeoutExpired:
        return [_tool_finding(f"kubeconform did not finish within {timeout:g} s; nothing was verified")]
    except OSError as e:
        raise VerifyUnavailableError(f"cannot run kubeconform: {e}") from e
    if not done.stdout.strip():
        detail = done.stderr.strip() or f"exit status {done.returncode}"
        return [_tool_finding(f"kubeconform printed no report ({detail}); nothing was verified")]
    return parse_output(done.stdout)


def parse_output(stdout: str) -> list[Finding]:
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        return [_tool_finding(f"kubeconform's report is not JSON: {stdout.strip()[:200]}")]
    resources = report.get("resources") if isinstance(report, dict) else None
    if not isinstance(resources, list):
        return [_tool_finding("kubeconform's report has no resources list")]
    findings: list[Finding] = []
    for resource in resources:
        if isinstance(resource, dict):
            findings.extend(_resource_findings(resource))
    return findings


def _resource_findings(resource: dict[str, Any]) -> Iterator[Finding]:
    status = str(resource.get("status", ""))
    file = str(resource.get("filename") or "rendered")
    kind, name, version = (str(resource.get(key) or "?") for key in ("kind", "name", "version"))
    label = f"{kind}/{name}"
    msg = str(resource.get("msg") or "")
    if status == "statusValid":
        return
    if status == "statusInvalid":
        errors = [e for e in resource.get("validationErrors") or [] if isinstance(e, dict)]
        if not errors:
            yield Finding(
                "PC801", Severity.ERROR, f"{label} does not match its schema: {msg}", file, 1, 1, label
            )
        for error in errors:
            # "path"/"msg" since kubeconform 0.6.1; the first release with the list spelt them Path/Message
            where = format_path(_pointer(str(error.get("path", error.get("Path", "")))))
            text = str(error.get("msg", error.get("Message", "")))
            at = where or "the top level"
            message = f"{label} does not match the schema for {version} {kind} at {at}: {text}"
            yield Finding(
                "PC801", Severity.ERROR, message, file, 1, 1, f"{label}:{where}" if where else label
            )
    elif status == "statusSkipped" or (status == "statusError" and msg.startswith(_NO_SCHEMA)):
        message = f"{label}: no schema for {version} {kind}, not verified"
        yield Finding("PC802", Severity.WARNING, message, file, 1, 1, label)
    else:
        message = f"{label}: kubeconform could not validate it: {msg or status or 'no status'}"
        yield Finding("PC803", Severity.ERROR, message, file, 1, 1, label)


def _pointer(pointer: str) -> tuple[str | int, ...]:
    """`/spec/containers/0/name` -> ('spec', 'containers', 0, 'name') (RFC 6901 escapes undone)."""
    parts: list[str | int] = []
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isdigit() else part)
    return tuple(parts)


def _full_version(version: str) -> str:
    if version == "master":
        return version
    match = _VERSION.match(version.strip())
    if match is None:
        raise ValueError(f"{version!r} is not a Kubernetes version; write it as 1.31 or 1.31.4")
    major, minor, patch = match.groups()
    return f"{major}.{minor}.{patch or 0}"


def _tool_finding(message: str) -> Finding:
    return Finding("PC803", Severity.ERROR, message, "rendered", 1, 1, "kubeconform")
