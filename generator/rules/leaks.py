"""Credentials of any shape anywhere in the merged platform document (PC407).

PC404 reads names (`ADMIN_PASSWORD: hunter2`); this check reads the text
itself, with detect-secrets' plugins (generator.rules.values.credentials), so a
token under an innocent name, in an alert summary or in a chart repository URL
is found too. What PC404 already reports is left to it: one mistake, one finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.findings import Mark, Severity
from generator.load.document import YamlPath, format_path
from generator.model.types import Platform
from generator.rules.credentials import literal_credentials
from generator.rules.registry import Hit, check, define
from generator.rules.support import text_mark
from generator.rules.values.credentials import find_credentials, find_flag_credentials

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


def _texts(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, str | list[str]]]:
    """Every string, and every list of strings (command, args: a flag and its value), in a value tree."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        if value and all(isinstance(item, str) for item in value):
            yield path, value
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def _leaks(platform: Platform) -> Iterator[tuple[YamlPath, str, str, Mark | None]]:
    """(path, kind, masked value, mark) of every credential in the merged document."""
    seen: dict[str, list[tuple[str, int, str]]] = {}  # the same text (a URL, an image) is read once
    for path, text in _texts(platform.doc.data, ()):
        if isinstance(text, list):
            for index in find_flag_credentials(text):
                yield (*path, index), "a credential flag's value", f"{text[index][:2]}****", None
            continue
        if text not in seen:
            seen[text] = [(c.kind.lower(), c.offset, c.shown) for c in find_credentials(text)]
        for kind, offset, shown in seen[text]:
            yield path, kind, shown, text_mark(platform, path, text, offset)


@check("PC407")
def credentials_anywhere(platform: Platform) -> Iterator[Hit]:
    named: set[YamlPath] | None = None  # what PC404 reports by name, worked out at the first leak
    for path, kind, shown, mark in _leaks(platform):
        if named is None:
            named = {hit.path for hit in literal_credentials(platform)}
        if path in named:
            continue
        yield Hit(
            "PC407",
            f"{format_path(path)}: {kind} written as plain text ({shown}); it would be rendered for "
            f"everyone who can read the repository: put it in the secret store, declare it under "
            f"spec.secrets.items and read it from a Secret",
            path,
            mark=mark,
        )
