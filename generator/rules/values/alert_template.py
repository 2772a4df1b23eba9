"""Prometheus alert templates (Go text/template) as Prometheus parses them when it loads a rule.

Prometheus expands an alert's annotations with Go's text/template after
defining `$labels`, `$externalLabels`, `$externalURL` and `$value`. A template
that does not parse (an action left open, an empty action, a variable nobody
defined: `$label` for `$labels`) makes Prometheus refuse the whole rule group.
This reads the actions the way Go's lexer delimits them (quoted strings and
comments may hold `}}`) and reports the first problem with its offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What Prometheus defines before it expands an alert's template.
PREDEFINED = frozenset({"labels", "externalLabels", "externalURL", "value"})
# What vmalert defines besides, when VictoriaMetrics evaluates the rules: accepted too.
_VMALERT = frozenset({"expr", "alertID", "groupID", "activeAt", "for"})
_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_DECLARED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)\s*(?:,\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*)?:?=")
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`|\'(?:[^\'\\\n]|\\.)*\'')


@dataclass(frozen=True)
class TemplateError:
    offset: int  # where the action that fails starts
    message: str


def template_error(text: str) -> TemplateError | None:
    """The first reason Go's text/template would refuse `text`, or None."""
    declared: set[str] = set(PREDEFINED | _VMALERT)
    position = 0
    while (start := text.find("{{", position)) >= 0:
        end = _action_end(text, start + 2)
        if end is None:
            return TemplateError(start, "unclosed action: a `{{` without its `}}`")
        inner = text[start + 2 : end].strip()
        inner = inner.removeprefix("-").removesuffix("-").strip()
        if not inner:
            return TemplateError(start, "empty action `{{ }}`")
        if not (inner.startswith("/*") and inner.endswith("*/")):
            code = _QUOTED.sub('""', inner)
            if "{{" in code:
                return TemplateError(start, "unclosed action: a `{{` without its `}}` before the next `{{`")
            for match in _DECLARED.finditer(code):
                declared.update(name for name in match.groups() if name)
            for match in _VARIABLE.finditer(code):
                if match.group(1) not in declared:
                    known = ", ".join(f"${name}" for name in sorted(PREDEFINED))
                    return TemplateError(
                        start, f"undefined variable ${match.group(1)} (Prometheus defines {known})"
                    )
        position = end + 2
    return None


def _action_end(text: str, at: int) -> int | None:
    """Where the `}}` closing an action that starts at `at` stands; quoted text may hold `}}`."""
    while at < len(text):
        if text.startswith("}}", at):
            return at
        quote = _QUOTED.match(text, at)
        at = quote.end() if quote else at + 1
    return None
