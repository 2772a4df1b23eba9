"""docs/language.md: every example compiles or fits its schema, and every key of the language is there."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.emit import emit_platform
from generator.load.yaml import load_text
from generator.pipeline import analyse
from generator.validate import load_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
_BLOCK = re.compile(r"^```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_PLATFORM = re.compile(r"^# platform\.yaml$")
_OVERLAY = re.compile(r"^# overlays/([a-z0-9-]+)\.yaml$")
_FRAGMENT = re.compile(r"^# .*\(\$defs/(\w+)\)$")


@dataclass
class Platform:
    line: int
    text: str
    overlays: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fragment:
    line: int
    definition: str
    text: str


def _examples() -> tuple[list[Platform], list[Fragment], list[int]]:
    text = DOC.read_text(encoding="utf-8")
    platforms: list[Platform] = []
    fragments: list[Fragment] = []
    unmarked: list[int] = []
    for match in _BLOCK.finditer(text):
        body = match.group(1)
        first = body.splitlines()[0] if body else ""
        line = text.count("\n", 0, match.start()) + 1
        if _PLATFORM.match(first):
            platforms.append(Platform(line, body))
        elif (overlay := _OVERLAY.match(first)) and platforms:
            platforms[-1].overlays[overlay.group(1)] = body
        elif fragment := _FRAGMENT.match(first):
            fragments.append(Fragment(line, fragment.group(1), body))
        else:
            unmarked.append(line)
    return platforms, fragments, unmarked


PLATFORMS, FRAGMENTS, UNMARKED = _examples()


def test_every_yaml_example_is_checked() -> None:
    assert not UNMARKED, (
        f"docs/language.md: yaml blocks at lines {UNMARKED} say neither what they are nor where"
    )
    assert PLATFORMS and FRAGMENTS


@pytest.mark.parametrize("example", PLATFORMS, ids=lambda e: f"line-{e.line}")
def test_complete_platforms_compile_without_errors(example: Platform, tmp_path: Path) -> None:
    (tmp_path / "platform.yaml").write_text(example.text)
    (tmp_path / "overlays").mkdir()
    overlays = example.overlays or {"base": "{}\n"}
    for env, text in overlays.items():
        (tmp_path / "overlays" / f"{env}.yaml").write_text(text)
    for result in analyse(tmp_path, sorted(overlays)):
        errors = [f"{f.file}:{f.line}: {f.rule} {f.message}" for f in result.findings if f.is_error]
        assert not errors, f"docs/language.md:{example.line} [{result.env}]: {errors}"
        assert result.platform is not None
        assert len(emit_platform(result.platform)) > 0


def _validator(definition: str) -> Draft202012Validator:
    schema = load_schema()
    assert definition in schema["$defs"], f"no $defs/{definition} in the schema"
    return Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"})


@pytest.mark.parametrize("example", FRAGMENTS, ids=lambda e: f"line-{e.line}-{e.definition}")
def test_fragments_fit_their_part_of_the_schema(example: Fragment) -> None:
    data = load_text(example.text.encode("utf-8"), "docs/language.md").data  # as platformc reads YAML
    problems = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in _validator(example.definition).iter_errors(data)
    ]
    assert not problems, f"docs/language.md:{example.line}: {problems}"


def _keys(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        for key, value in (node.get("properties") or {}).items():
            found.add(key)
            _keys(value, found)
        for value in node.values():
            _keys(value, found)
    elif isinstance(node, list):
        for item in node:
            _keys(item, found)


def test_every_key_of_the_language_is_documented() -> None:
    found: set[str] = set()
    _keys(load_schema(), found)
    text = DOC.read_text(encoding="utf-8")
    missing = sorted(
        k
        for k in found
        if f"`{k}`" not in text and not re.search(rf"`[^`\n]*\b{re.escape(k)}\b[^`\n]*`", text)
    )
    assert not missing, f"docs/language.md does not mention: {missing}"
