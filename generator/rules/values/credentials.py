"""Credentials written into text, found by detect-secrets' plugins, with their offsets.

detect-secrets is the maintained catalogue of credential shapes (PEM private
keys, JWTs, GitHub, Slack, Stripe, AWS, GitLab, npm, PyPI, OpenAI … tokens,
Slack webhooks, passwords in URLs). Its plugins judge one line at a time; this
module feeds them every line of a string and reports where each credential
starts, so a finding can point at the line that holds it.

Plugins left out, and why:

- `Base64HighEntropyString`, `HexHighEntropyString`: an image digest, a
  dashboard UID or a checksum is as random as a key; entropy alone cannot tell
  them apart, and platform.yaml is full of them.
- `KeywordDetector` as a whole: it judges names (`secretName: …` is a
  credential to it), which PC404 does with the platform's own vocabulary. Only
  its `name=value` pattern runs here (`--password=…`, `password=…` in a
  sentence), and a hit counts when the name says credential by PC404's
  vocabulary (`credential_key`) and the value is a literal (`literal_value`).
- `IPPublicDetector`: an address is not a credential.

Three shapes detect-secrets has no plugin for are added as plugins of its own
kind (`RegexBasedDetector`): Google API keys, `Basic`/`Bearer` credentials and a
URL password with an empty user name (`redis://:pw@host`).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from detect_secrets.plugins.base import BasePlugin

# Plugins whose shapes are not credentials, or not credentials alone (see the module docstring).
_LEFT_OUT = frozenset(
    {"Base64HighEntropyString", "HexHighEntropyString", "KeywordDetector", "IPPublicDetector"}
)
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\$\([^)]*\)|\{\{.*?\}\}|<[^>]*>|\*{3,}|x{6,}", re.IGNORECASE)
_SCHEME_WORD = re.compile(r"[A-Za-z]+")
_WORD = re.compile(r"\w+")
# `name=value` with nothing between: a flag (`--api-token=…`), a query parameter, a shell variable.
_ASSIGNMENT = re.compile(r"(?<![\w.-])-{0,2}([A-Za-z][\w.-]*)=(['\"`]?)([^\s'\"`&;,]+)\2")


@dataclass(frozen=True)
class Credential:
    """One credential in a text: what kind, where it starts, and a masked preview."""

    kind: str  # detect-secrets' secret type, e.g. "GitHub Token"
    offset: int  # of its first character in the text
    shown: str  # the first two characters, the rest masked


def find_credentials(text: str) -> list[Credential]:
    """Every credential written in `text`, in order of position (one per kind and place)."""
    if len(text) < _SHORTEST or not (_any_shape().search(text) or "=" in text):
        return []
    found: dict[tuple[int, str], Credential] = {}
    offset = 0
    for line in text.split("\n"):
        for kind, secret in _secrets_in(line):
            if _is_placeholder(secret):
                continue
            start = line.find(secret)
            where = offset + max(start, 0)
            found.setdefault((where, kind), Credential(kind, where, _masked(secret)))
        offset += len(line) + 1
    return [found[key] for key in sorted(found)]


def find_flag_credentials(args: Sequence[str]) -> list[int]:
    """Indexes of args that are the value of a credential flag given apart: `--password`, `hunter2`.

    (`--password=hunter2` in one arg is found by `find_credentials`.)
    """
    out: list[int] = []
    for index in range(len(args) - 1):
        flag, value = args[index], args[index + 1]
        apart = flag.startswith("-") and "=" not in flag and not value.startswith("-")
        if apart and any(secret == value for _, secret in _keyword_credentials(f"{flag}={value}")):
            out.append(index + 1)
    return out


# ---------------------------------------------------------------------------- plugins

# The shortest text any plugin below can match: `a://:pw@`.
_SHORTEST = 8


def _secrets_in(line: str) -> Iterator[tuple[str, str]]:
    for plugin in _plugins():
        for secret in plugin.analyze_string(line):
            yield str(plugin.secret_type), secret
    yield from _keyword_credentials(line)


def _keyword_credentials(line: str) -> Iterator[tuple[str, str]]:
    """`password=hunter2` where the name says credential.

    KeywordDetector's `name=value` pattern knows passwords, secrets and some
    keys, not tokens (`--token=…`, `api_token=…`) nor hyphenated names
    (`--api-key=…`): a whole `name=value` whose name PC404's vocabulary calls a
    credential counts too.
    """
    from detect_secrets.plugins.keyword import FOLLOWED_BY_EQUAL_SIGNS_REGEX

    from generator.rules.credentials import credential_key

    if "=" not in line:
        return
    for match in FOLLOWED_BY_EQUAL_SIGNS_REGEX.finditer(line):
        if line[match.start(5) - 1].isspace():
            continue  # `password = …` is prose or a config line (PC404 reads those by name)
        name = _WORD.match(line, match.start(1))
        words = match.group(5).split()
        value = words[0] if words else ""
        if name and credential_key(name.group(0)) and _literal(value):
            yield "Credential Assignment", value
    for match in _ASSIGNMENT.finditer(line):
        if credential_key(match.group(1)) and _literal(match.group(3)):
            yield "Credential Assignment", match.group(3)


def _literal(value: str) -> bool:
    from generator.rules.credentials import literal_value

    return literal_value(value) and not _is_placeholder(value)


def _is_placeholder(secret: str) -> bool:
    """`${ref:…}`, `$(VAR)`, `{{ … }}`, `<password>`, `****`, `XXXXXX`: a stand-in, not a credential."""
    return bool(_PLACEHOLDER.search(secret))


def _masked(secret: str) -> str:
    return f"{secret[:2]}****" if len(secret) > 2 else "****"


@cache
def _any_shape() -> re.Pattern[str]:
    """One pattern matching wherever any plugin's would: most text matches none, and is done in one pass."""
    parts: list[str] = []
    for plugin in _plugins():
        denylist: tuple[re.Pattern[str], ...] = tuple(getattr(plugin, "denylist", ()))
        if not denylist:
            return re.compile("")  # a plugin without patterns: every text goes to the plugins
        parts.extend(f"(?i:{r.pattern})" if r.flags & re.IGNORECASE else f"(?:{r.pattern})" for r in denylist)
    return re.compile("|".join(parts))


@cache
def _plugins() -> tuple[BasePlugin, ...]:
    """detect-secrets' plugins (imported on first use: they pull in an HTTP client) plus ours."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    known: list[type[BasePlugin]] = list(get_mapping_from_secret_type_to_class().values())
    classes = sorted(known, key=lambda c: c.__name__)
    chosen: list[BasePlugin] = [c() for c in classes if c.__name__ not in _LEFT_OUT]
    return (*chosen, *_own_plugins())


def _own_plugins() -> list[BasePlugin]:
    from detect_secrets.plugins.base import RegexBasedDetector

    class GoogleApiKeyDetector(RegexBasedDetector):
        secret_type = "Google API Key"
        denylist = (re.compile(r"AIza[0-9A-Za-z_-]{35}"),)

    class EmptyUserUrlPasswordDetector(RegexBasedDetector):
        # BasicAuthDetector wants a user name; Redis and others take `scheme://:password@host`.
        secret_type = "Basic Auth Credentials"
        denylist = (re.compile(r"://:([^:/?#\[\]@!$&'()*+,;=\s{}]+)@"),)

    class AuthorizationDetector(RegexBasedDetector):
        secret_type = "Authorization Credentials"
        denylist = (re.compile(r"\b(?:Basic|Bearer)\s+([A-Za-z0-9._~+/-]{8,}=*)"),)

        def analyze_string(self, string: str) -> Generator[str, None, None]:
            for match in self.denylist[0].finditer(string):
                if _credential_token(match.group(0).split()[0], match.group(1)):
                    yield match.group(1)

    return [GoogleApiKeyDetector(), EmptyUserUrlPasswordDetector(), AuthorizationDetector()]


def _credential_token(scheme: str, token: str) -> bool:
    """A `Basic` value decodes to `user:password`; a `Bearer` one is not an English word."""
    if scheme == "Basic":
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return ":" in decoded and decoded.isprintable()
    return not _SCHEME_WORD.fullmatch(token) or len(token) >= 20
