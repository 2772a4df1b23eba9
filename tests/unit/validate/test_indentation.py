"""An unknown key that is an indentation mistake says where it is valid, not a near key name."""

from __future__ import annotations

import textwrap
from pathlib import Path

from generator.load import Document
from generator.validate import validate_document
from tests.unit.validate.test_validate_cases import WEB, only, platform, position


def web_probes(tmp_path: Path, probes: str) -> tuple[Document, str]:
    """The minimal platform whose component `web` has the `probes:` block `probes`."""
    return platform(tmp_path, WEB + "  probes:\n" + textwrap.indent(probes, "    "))


def test_a_key_indented_too_far_says_where_it_is_valid(tmp_path: Path) -> None:
    doc, text = web_probes(tmp_path, "readiness: {http: /, port: http}\ningress: {host: web, port: http}\n")
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC004"
    assert (finding.line, finding.column) == position(text, "ingress")
    assert finding.message == (
        "unknown key `ingress` in `spec.applications.shop.components.web.probes`; it looks mis-indented: "
        "`ingress` is valid 2 columns left, under the component `web` "
        "(`spec.applications.shop.components.web`); "
        "indent it like the keys there"
    )
    assert "did you mean" not in finding.message


def test_a_typo_at_the_right_indentation_still_gets_the_near_name(tmp_path: Path) -> None:
    doc, _ = web_probes(tmp_path, "readines: {http: /, port: http}\n")
    finding = only(validate_document(doc, None))
    assert "did you mean `readiness`?" in finding.message and "mis-indented" not in finding.message


def test_a_key_valid_nowhere_above_is_not_called_mis_indented(tmp_path: Path) -> None:
    doc, _ = web_probes(tmp_path, "readiness: {http: /, port: http}\nbogus: 1\n")
    finding = only(validate_document(doc, None))
    assert finding.rule == "PC004" and "mis-indented" not in finding.message
