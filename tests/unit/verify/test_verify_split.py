"""The two splitters: Helm's (every rendered template) and the Kubernetes reader's (plain manifest files)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.verify.manifests import (
    parse_manifests,
    parse_rendered,
    read_crds,
    read_rendered,
    split_helm,
    split_kube,
)

# Helm's separator written as Go declares it, for Python's engine: RE2's \s is [\t\n\f\r ]
# and its ^ without the multi-line flag is the start of the text.
HELM_REGEXP = re.compile(r"(?:\A|[\t\n\f\r ]*\n)---[\t\n\f\r ]*")
GO_SPACE = "\t\n\v\f\r \x85\xa0\u2028\u3000"


def helm_by_regexp(text: str) -> list[str]:
    """SplitManifests as Helm writes it: trim, split on the expression, drop empty pieces, trim each."""
    pieces = HELM_REGEXP.split(text.lstrip(GO_SPACE))
    return [piece.lstrip(GO_SPACE) for piece in pieces if piece]


# ------------------------------------------------------------------ Helm


def test_a_separator_glued_to_a_comment_splits_as_helm_splits_it() -> None:
    # cert-manager v1.15.3's rbac.yaml renders this: a blank line, then `---` glued to a comment
    text = 'kind: A\nrules:\n  - verbs: ["update"]\n\n---# Permission to approve\napiVersion: v1\nkind: B\n'
    assert split_helm(text) == [
        'kind: A\nrules:\n  - verbs: ["update"]',
        "# Permission to approve\napiVersion: v1\nkind: B\n",
    ]
    assert [d["kind"] for d in parse_rendered(text)] == ["A", "B"]


def test_the_kubernetes_reader_splits_the_same_text_differently() -> None:
    # the neighbour: a plain file with the glued separator is refused by kubectl and Argo CD
    with pytest.raises(ValueError, match="invalid YAML document separator"):
        split_kube("kind: A\n---kind: B\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("  \n\n  \n", [], id="blank"),
        pytest.param("\n\n---\nkind: A\n", ["kind: A\n"], id="leading-separator"),
        pytest.param("kind: A\n---\nkind: B\n", ["kind: A", "kind: B\n"], id="two"),
        pytest.param("---kind: A\n---kind: B\n", ["kind: A", "kind: B\n"], id="glued-to-keys"),
        pytest.param("a: |+\n  x\n\n\n---\nb: 1\n", ["a: |+\n  x", "b: 1\n"], id="blank-lines-eaten"),
        # the first separator eats the newline the second one would need: "---" is a document
        pytest.param("a: 1\n---\n---\n\n---\nb: 2", ["a: 1", "---", "b: 2"], id="consecutive-separators"),
        pytest.param("a: 1 --- b\n", ["a: 1 --- b\n"], id="not-at-line-start"),
        pytest.param("a: 1\n----\nb: 2\n", ["a: 1", "-\nb: 2\n"], id="four-dashes"),
    ],
)
def test_helm_split(text: str, expected: list[str]) -> None:
    assert split_helm(text) == expected
    assert helm_by_regexp(text) == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=["-", "-", "-", "\n", "\n", " ", "\t", "\r", "\v", "\x85", "\xa0", "a", "#", ":"]))
def test_the_one_pass_split_equals_helms_expression(text: str) -> None:
    assert split_helm(text) == helm_by_regexp(text)


def test_a_long_run_of_blanks_splits_in_linear_time() -> None:
    text = "a: 1\n" + " " * 400_000 + "\n---\nb: 2\n" + " \t" * 200_000
    started = time.perf_counter()
    assert split_helm(text) == ["a: 1", "b: 2\n" + " \t" * 200_000]
    assert time.perf_counter() - started < 1.0


# ------------------------------------------------------------------ Kubernetes reader


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("a: 1", ["a: 1\n"], id="no-final-newline"),
        pytest.param("a: 1\n---\nb: 2\n", ["a: 1\n", "b: 2\n"], id="two"),
        pytest.param("--- # first\na: 1\n---   \n", ["a: 1\n"], id="comment-and-blanks-after"),
        pytest.param("---\n---\n", [], id="separators-only"),
        pytest.param("a: 1\r\n---\r\nb: 2\r\n", ["a: 1\n", "b: 2\n"], id="crlf"),
        pytest.param("a: |\n  x\n\n  y\n", ["a: |\n  x\n\n  y\n"], id="blank-line-kept"),
        pytest.param(
            "a: 1\n# only a comment\n---\n# only a comment\n",
            ["a: 1\n# only a comment\n", "# only a comment\n"],
            id="comments",
        ),
        pytest.param("a: 1\x85b: 2\n", ["a: 1\x85b: 2\n"], id="lines-end-at-newline-only"),
    ],
)
def test_kube_split(text: str, expected: list[str]) -> None:
    assert split_kube(text) == expected


def test_a_comment_only_document_reads_as_nothing() -> None:
    assert parse_manifests("kind: A\n---\n# nothing here\n---\nkind: B\n") == [
        {"kind": "A"},
        None,
        {"kind": "B"},
    ]


def test_a_json_stream_is_read_as_json() -> None:
    text = ' \n{"kind": "A", "on": true}\n{"kind": "B"}\n'
    assert parse_manifests(text) == [{"kind": "A", "on": True}, {"kind": "B"}]
    with pytest.raises(ValueError, match="not JSON"):
        parse_manifests('{"kind": "A"\n')


def test_only_the_first_document_of_a_piece_is_read() -> None:
    # sigs.k8s.io/yaml reads one document; what follows an explicit end is not looked at
    assert parse_rendered("kind: A\n...\nkind: [B\n") == [{"kind": "A"}]


def test_a_large_template_of_crds_is_read_once_per_run() -> None:
    crd = "kind: CustomResourceDefinition\nspec:\n  names: {kind: Thing}\n" + "# padding\n" * 1000
    text = f"{crd}---# next\n{crd}"
    first = read_rendered(text)
    assert list(first) == parse_rendered(text) and len(first) == 2
    assert read_rendered("".join(text)) is first  # an equal text, not the same object: remembered
    small = "kind: A\n---# note\nkind: B\n"
    assert read_rendered(small) == tuple(parse_rendered(small))
    assert read_rendered(small) is not read_rendered(small)  # the neighbour: not kept
    assert len(read_crds(crd + "---\n" + crd)) == 2


def test_what_is_not_yaml_is_reported_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError):
            read_rendered("kind: [A\n")


def test_an_alias_inside_itself_is_not_yaml_not_a_traceback() -> None:
    with pytest.raises(ValueError, match="alias contains itself"):
        parse_manifests("a: &loop [1, *loop]\n")
    assert parse_manifests("a: &shared {x: 1}\nb: *shared\n1: one\n") == [
        {"a": {"x": 1}, "b": {"x": 1}, "1": "one"}
    ]
