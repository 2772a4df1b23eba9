from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.emit.yamldump import dump_yaml
from generator.findings import Mark
from generator.load.fast import fast_load
from generator.load.limits import MAX_ALIASES, MAX_NODES, LoadError
from generator.load.yaml import careful_load, load_document, load_text


def load(text: str) -> object:
    return load_text(textwrap.dedent(text).encode(), "platform.yaml")


def test_values_keep_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("spec:\n  applications:\n    kafka:\n      namespace: kafka\n")
    doc = load_document(path, "p.yaml")
    assert doc.data == {"spec": {"applications": {"kafka": {"namespace": "kafka"}}}}
    assert doc.keys[("spec", "applications", "kafka", "namespace")] == Mark("p.yaml", 4, 7)
    assert doc.values[("spec", "applications", "kafka", "namespace")] == Mark("p.yaml", 4, 18)


def test_sequence_items_are_located() -> None:
    doc = load_text(b"registries:\n  - docker.io\n  - ghcr.io\n", "p.yaml")
    assert doc.values[("registries", 1)] == Mark("p.yaml", 3, 5)


def test_mark_falls_back_to_nearest_parent() -> None:
    doc = load_text(b"a:\n  b: 1\n", "p.yaml")
    assert doc.mark(("a", "b", "missing")) == Mark("p.yaml", 2, 6)


def test_duplicate_key_is_refused_with_both_lines() -> None:
    with pytest.raises(LoadError) as caught:
        load_text(b"spec:\n  domain: a\n  domain: b\n", "p.yaml")
    assert caught.value.rule == "PC002"
    assert caught.value.mark.line == 3
    assert "first defined on line 2" in caught.value.message


def test_duplicate_key_names_the_line_of_its_first_occurrence_not_of_its_mapping() -> None:
    with pytest.raises(LoadError) as caught:
        load_text(b"spec:\n  a: 1\n  b:\n    x: 0\n    c: 1\n    d: 2\n    c: 3\n", "p.yaml")
    assert caught.value.mark.line == 7
    assert "first defined on line 5)" in caught.value.message  # line 4 is where the mapping starts
    with pytest.raises(LoadError) as caught:
        load_text(b"a: {x: 0, y: 1,\n  y: 2}\n", "p.yaml")  # a flow mapping
    assert "first defined on line 1)" in caught.value.message


def test_syntax_error_points_at_the_line() -> None:
    with pytest.raises(LoadError) as caught:
        load_text(b"spec:\n  domain: a\n    bad: indentation\n", "p.yaml")
    assert caught.value.rule == "PC001"
    assert caught.value.mark.line == 3


def test_billion_laughs_fails_fast() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    with pytest.raises(LoadError) as caught:
        load_text("\n".join(lines).encode(), "p.yaml")
    assert caught.value.rule == "PC003"
    assert f"{MAX_NODES:,}" in caught.value.message


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("a: &a {<<: *a}\n", 12),  # a merge key into its own mapping
        ("a: &a {<<: [*a]}\n", 13),  # the same, in a list of merges
        ("a: &a [1, *a]\n", 11),  # a sequence holding itself
    ],
)
def test_an_alias_inside_its_own_anchor_is_a_finding_at_the_alias(text: str, column: int) -> None:
    with pytest.raises(LoadError) as caught:
        load_text(text.encode(), "p.yaml")
    assert caught.value.rule == "PC003"
    assert "*a is used inside the node its anchor &a names" in caught.value.message
    assert caught.value.mark == Mark("p.yaml", 1, column)


def test_a_merge_key_into_another_mapping_still_merges() -> None:
    document = load_text(b"b: &b {x: 1}\nc:\n  <<: [*b]\n  d: 2\n", "p.yaml")
    assert document.data == {"b": {"x": 1}, "c": {"d": 2, "x": 1}}


@pytest.mark.parametrize("careful", [False, True], ids=["fast path", "careful path"])
def test_more_aliases_than_the_limit_are_refused_by_either_path(careful: bool) -> None:
    aliases = "".join(f"b{i}: *x\n" for i in range(MAX_ALIASES + 1))
    text = ("a: &x [1]\n" if not careful else "a: &x [!!str 1]\n") + aliases
    with pytest.raises(LoadError) as caught:
        (careful_load if careful else fast_load)(text, "p.yaml")
    assert caught.value.rule == "PC003"
    assert f"more than {MAX_ALIASES:,} aliases" in caught.value.message
    assert caught.value.mark == Mark("p.yaml", MAX_ALIASES + 2, len(f"b{MAX_ALIASES}: ") + 1)


def test_as_many_aliases_as_the_limit_are_read() -> None:
    aliases = "".join(f"b{i}: *x\n" for i in range(MAX_ALIASES))
    assert len(load_text(("a: &x [1]\n" + aliases).encode(), "p.yaml").data) == MAX_ALIASES + 1


def test_object_constructing_tags_are_refused() -> None:
    with pytest.raises(LoadError) as caught:
        load_text(b"a: !!python/object/apply:os.system ['true']\n", "p.yaml")
    assert caught.value.rule == "PC001"


def test_non_utf8_is_refused_with_position() -> None:
    with pytest.raises(LoadError) as caught:
        load_text(b"a: ok\nb: \xff\n", "p.yaml")
    assert caught.value.rule == "PC001"
    assert caught.value.mark.line == 2


def test_byte_order_mark_is_accepted() -> None:
    assert load_text(b"\xef\xbb\xbfa: 1\n", "p.yaml").data == {"a": 1}


def test_tabs_get_a_hint() -> None:
    with pytest.raises(LoadError) as caught:
        load_text(b"a:\n\tb: 1\n", "p.yaml")
    assert "tab" in caught.value.message


def test_oversized_file_is_refused() -> None:
    with pytest.raises(LoadError) as caught:
        load_text(b"a: " + b"x" * (9 * 1024 * 1024), "p.yaml")
    assert caught.value.rule == "PC003"


def test_non_string_keys_are_refused() -> None:
    with pytest.raises(LoadError) as caught:
        load_text(b"1: a\n", "p.yaml")
    assert caught.value.rule == "PC005"


def test_dump_quotes_what_yaml_1_1_would_reinterpret() -> None:
    text = dump_yaml({"a": "on", "b": "yes", "c": "0755", "d": "1.0", "e": "plain", "f": "{{ $value }}"})
    assert text == "a: 'on'\nb: 'yes'\nc: '0755'\nd: '1.0'\ne: plain\nf: '{{ $value }}'\n"


def test_dump_writes_multiline_text_as_a_block() -> None:
    assert dump_yaml({"a": "x\ny\n"}) == "a: |\n  x\n  y\n"


def test_dump_is_a_round_trip() -> None:
    data = {"k": ["on", "1:30", "", "null", "a: b", "x\n  y\n", "trailing  \nspace"], "n": 3, "t": True}
    assert load_text(dump_yaml(data).encode(), "x").data == data
