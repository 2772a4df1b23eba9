"""Credentials in any shape (PC407): what detect-secrets recognises, wherever it is written."""

from __future__ import annotations

from generator.findings import Severity
from generator.rules.engine import define

define(
    "PC407",
    "secrets",
    Severity.ERROR,
    "Credential written anywhere in platform.yaml",
    why="""Every string of the merged platform (base and overlay) is read with detect-secrets'
    plugins, whatever its name: PEM private keys, JWTs, tokens with a known prefix (GitHub,
    GitLab, Slack, Stripe, AWS access keys, Google API keys, npm, PyPI, OpenAI, …), Slack
    webhooks, `Basic` and `Bearer` credentials, passwords in URLs (`redis://:pw@`, a chart
    repository or Git `repoURL`), `--password=…` flags (or `--password` followed by the value)
    and `password=…` in free text such as alert summaries and exception reasons. Whatever
    platform.yaml holds is rendered into manifests and committed, so any of these is a leak.
    The message shows the first two characters only. References (`${…}`, `$(VAR)`), Helm
    text (`{{ … }}`) and placeholders (`<password>`, `****`, `AKIAXXXXXXXXXXXXXXXX`) are not
    credentials. High-entropy detection is left out (image digests and dashboard UIDs look
    random too); values PC404 already reports by their name are left to it. An error that
    cannot be suppressed: nothing is rendered while one is written.""",
    fix="Rotate the credential (it is in Git history now), store it in the secret store, declare it "
    "under `spec.secrets.items` and read it with `{secret: <item>, key: <key>}`; for a chart "
    "repository or Git URL, give Argo CD the credentials as a repository Secret.",
    bad="""
    chart: {repository: "https://ci:s3cretPass@charts.example.com", name: app, version: 1.0.0}
    """,
    good="""
    chart: {repository: https://charts.example.com, name: app, version: 1.0.0}
    """,
)
