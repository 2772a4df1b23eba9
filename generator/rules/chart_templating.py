"""Chart values a chart runs through Helm's template engine (PC708).

Text in platform.yaml reaches the cluster as written: platformc never lets
Helm evaluate it. A chart that passes a value to `tpl` (Fluent Bit's
`config.outputs`, Loki's `loki.config`, Bitnami's `common.tplvalues.render`)
evaluates whatever `{{ … }}` that value holds when it renders: a Go template
meant for Fluent Bit, Prometheus or Grafana comes out changed or empty, or the
render fails. `{{ "{{" }}` (or the backquoted form) is Helm's own escape and
reaches the cluster as `{{`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.findings import Severity
from generator.load.document import YamlPath, format_path
from generator.model.types import Platform
from generator.rules.chart_declaration import Chain
from generator.rules.chart_values import chart_uses, declaration_for
from generator.rules.registry import Hit, check, define
from generator.rules.support import text_mark, walk_strings

# Helm's escapes for a literal `{{`: `{{ "{{" }}` and `{{ `{{` }}`.
_ESCAPED = re.compile(r"\{\{-?\s*(?:\"\{\{\"|`\{\{`)\s*-?\}\}")

define(
    "PC708",
    "rendering",
    Severity.ERROR,
    "Chart value Helm would evaluate as a template",
    why="""A chart that passes a value to Helm's `tpl` function (Fluent Bit's `config.*`, Loki's
    `loki.config`, values Bitnami charts render with `common.tplvalues.render`) evaluates the
    `{{ … }}` in it at render time, with the chart's context. A template meant for the
    program that reads the value (a Fluent Bit record accessor, a Prometheus or Grafana
    alert template, a Go template of the application) comes out changed, empty (`{{ .x }}`
    becomes nothing) or fails the render (`{{ $labels.pod }}`: undefined variable), so what
    the cluster receives is not what platform.yaml says. Suppressible, for a value meant as a
    Helm template of that chart (`{{ .Release.Namespace }}`).""",
    fix='Write a literal `{{` as `{{ "{{" }}` in that value, or move the text to a value the chart '
    "does not pass to `tpl`.",
    bad="""
    values:
      config:
        outputs: |
          [OUTPUT]
              Name  loki
              Labels job={{ .Values.job }}
    """,
    good="""
    values:
      config:
        outputs: |
          [OUTPUT]
              Name  loki
              Labels job=fluent-bit
    """,
    suppressible=True,
)


def _templated_at(path: YamlPath, start: int, chains: frozenset[Chain]) -> Chain | None:
    """The `tpl`'d value (a chain of keys below `values`) that holds the string at `path`, if any."""
    keys = tuple(str(part) for part in path[start:] if not isinstance(part, int))
    for end in range(len(keys), 0, -1):
        if keys[:end] in chains:
            return keys[:end]
    return None


def _first_template(text: str) -> int | None:
    """Where the first `{{` Helm would evaluate starts; None when every one is escaped."""
    escaped = [(m.start(), m.end()) for m in _ESCAPED.finditer(text)]
    for match in re.finditer(r"\{\{", text):
        if not any(begin <= match.start() < end for begin, end in escaped):
            return match.start()
    return None


@check("PC708")
def templated_chart_values(platform: Platform) -> Iterator[Hit]:
    for use in chart_uses(platform):
        if "{{" not in repr(use.written):
            continue
        declaration = declaration_for(platform, use)
        if declaration is None:
            continue
        chains = declaration.templated_values()
        start = len(use.values_path)
        for path, _, text in walk_strings(use.written, use.values_path):
            offset = _first_template(text)
            chain = _templated_at(path, start, chains) if offset is not None else None
            if chain is None or offset is None:
                continue
            yield Hit(
                "PC708",
                f"{use.component.name}: {format_path(path[start - 1 :])} holds `{{{{ … }}}}`, and chart "
                f"{use.name} passes {'.'.join(chain)} to Helm's tpl: Helm would evaluate it instead of "
                f'passing it on; write a literal `{{{{` as `{{{{ "{{{{" }}}}`',
                path,
                mark=text_mark(platform, path, text, offset),
                component=use.component,
            )
