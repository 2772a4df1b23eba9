"""Secrets inside strings: every `${secret:…}` an env value or a file writes reads `<item>.<key>`.

Well-formed tokens are secret uses like `{secret: <item>, key: <key>}` and are checked with them
(generator.rules.secrets: PC401–PC403); this module reports the tokens that read nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.findings import Severity
from generator.model.secret_strings import ANY_SECRET_TOKEN, malformed_tokens
from generator.model.types import Component, Platform
from generator.rules.registry import Hit, check, define
from generator.rules.support import walk_strings

ERROR = Severity.ERROR


define(
    "PC430",
    "secrets",
    ERROR,
    "Secret inside a string is not `${secret:<item>.<key>}`",
    why="""`${secret:<item>.<key>}` inside an env value or a file reads one key of a declared
    secret item. A token without the key (`${secret:shop-db}`), with a space or an upper-case
    item name reads nothing: it would reach the program as the literal text. So does any token
    in `command`, `args` or a chart's `values`, where secrets are not read: there, read the secret
    into an env variable and write `$(VARIABLE)` (commands and args), or use the chart's own
    secret settings.""",
    fix="Write `${secret:<item>.<key>}`: the item as declared in spec.secrets.items, a dot, one of its keys.",
    bad="""
    env:
      DATABASE_URL: "postgresql://app:${secret:shop-db}@db/shop"
    """,
    good="""
    env:
      DATABASE_URL: "postgresql://app:${secret:shop-db.password}@db/shop"
    """,
)


@check("PC430")
def malformed_secret_tokens(platform: Platform) -> Iterator[Hit]:
    for component in platform.components():
        written = [(e.path, e.as_written) for e in component.env if e.generated_for is None]
        written += [(f.path, f.content) for f in component.files]
        for path, text in written:
            for token in malformed_tokens(text) if isinstance(text, str) else []:
                yield Hit(
                    "PC430",
                    f"{component.name}: {token} reads no secret; write ${{secret:<item>.<key>}} with an "
                    f"item of spec.secrets.items{_items_hint(platform)}",
                    path,
                )
        yield from _unread(component)


def _unread(component: Component) -> Iterator[Hit]:
    """Tokens where platformc reads no secret: command, args and a chart's values."""
    for key, value in (
        ("command", component.command),
        ("args", component.args),
        ("values", component.values),
    ):
        if not value:
            continue
        written = list(value) if isinstance(value, tuple) else value
        for path, _, text in walk_strings(written, (*component.path, key)):
            for match in ANY_SECRET_TOKEN.finditer(text):
                yield Hit(
                    "PC430",
                    f"{component.name}: {match.group(0)} in {key} is passed on as text; secrets are read "
                    f"inside env and files only: "
                    + (
                        "read it into an env variable and write $(VARIABLE) here"
                        if key != "values"
                        else "use the chart's own setting for an existing Secret"
                    ),
                    path,
                )


def _items_hint(platform: Platform) -> str:
    items = sorted(platform.secrets.items)
    return f" ({', '.join(items[:5])}{', …' if len(items) > 5 else ''})" if items else ""
