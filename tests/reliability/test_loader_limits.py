"""The loader's limits, directly: each hostile shape ends in a LoadError with a position, quickly."""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import pytest
from reliability_kit.hostile import billion_laughs

from generator.load.limits import MAX_ALIASES, MAX_DEPTH, LoadError
from generator.load.yaml import load_document, load_text

QUICK = 5.0  # seconds; far above the real cost, far below what a stuck parser takes


def refused(raw: bytes) -> LoadError:
    started = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        load_text(raw, "platform.yaml")
    assert time.perf_counter() - started < QUICK, "the loader took too long to refuse"
    return caught.value


@pytest.mark.parametrize(
    "raw",
    [
        b"a: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
        b"a: " + b"[" * 10_000 + b"\n",
        b"a: " + b"{a: " * 10_000 + b"}" * 10_000 + b"\n",
        b"a:\n  " + b"- " * 10_000 + b"x\n",
        ("a:\n" + "".join(" " * i + "k:\n" for i in range(1, 1_000)) + " " * 1_000 + "v\n").encode(),
    ],
    ids=["flow-seq", "flow-unclosed", "flow-map", "block-seq", "block-map-1000"],
)
def test_deep_nesting_is_refused_with_its_position(raw: bytes) -> None:
    error = refused(raw)
    assert error.rule == "PC003"
    assert f"deeper than {MAX_DEPTH}" in error.message
    assert (error.mark.line, error.mark.column) != (1, 1)


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1
    assert load_text(b"a: " + b"[" * depth + b"]" * depth + b"\n", "p").data is not None


def test_alias_bomb_is_refused_before_it_is_expanded() -> None:
    error = refused(billion_laughs().encode())
    assert error.rule == "PC003"
    assert error.mark.line > 700  # the exploding entry, not the top of the file


def test_megabytes_of_small_aliases_are_refused_within_a_second() -> None:
    """2.3 MB of `b: *x`: once handed to ruamel, which parsed all of it (47 s) before refusing."""
    raw = ("a: &x [1, 2]\n" + "".join(f"b{i}: *x\n" for i in range(200_000))).encode()
    assert len(raw) > 2_200_000
    started = time.process_time()
    error = refused(raw)
    assert time.process_time() - started < 1.0
    assert error.rule == "PC003"
    assert error.mark.line == MAX_ALIASES + 2  # the first alias past the limit


def test_a_file_larger_than_the_limit_is_never_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "platform.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(LoadError, match="52,428,800 bytes"):
        load_document(big, "platform.yaml")
    with pytest.raises(LoadError, match="it is a device, not a file"):
        load_document(Path("/dev/zero"), "platform.yaml")  # endless: refused before a byte is read


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        (b"a: !!python/object/apply:os.system ['true']\n", "python/object/apply"),
        (b"a: !!python/name:os.system\n", "python/name"),
        (b"a: !!binary aGVsbG8=\n", "binary"),
        (b"a: !!set {b: null}\n", "set"),
        (b"a: !!omap [b: 1]\n", "omap"),
        (b"a: !!pairs [b: 1]\n", "pairs"),
        (b"a: !Ref x\n", "!Ref"),
    ],
)
def test_constructing_tags_are_refused(raw: bytes, tag: str) -> None:
    error = refused(raw)
    assert error.rule == "PC001"
    assert tag in error.message
    assert (error.mark.line, error.mark.column) == (1, 4)


def test_lone_surrogate_escapes_are_refused() -> None:
    error = refused(b'a:\n  b: "x\\ud800y"\n')
    assert error.rule == "PC001"
    assert error.mark.line == 2
    error = refused(b'"k\\udfff": 1\n')
    assert error.rule == "PC001"


def test_an_integer_too_long_to_print_is_refused_plainly() -> None:
    error = refused(b"a: " + b"9" * 5000 + b"\n")
    assert "4,300 digits" in error.message
    assert "sys.set_int_max_str_digits" not in error.message


def test_standard_spellings_still_load() -> None:
    doc = load_text(b"a: !!str 1.0\nx: &x {k: 1}\ny:\n  <<: *x\nz: {<<: *x, m: 2}\n", "p")
    assert doc.data == {"a": "1.0", "x": {"k": 1}, "y": {"k": 1}, "z": {"m": 2, "k": 1}}


def test_yaml_warnings_never_escape_the_loader() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_text(b"a: &x 1\nb: &x 2\nc: *x\n", "p").data == {"a": 1, "b": 2, "c": 2}
        assert load_text(b"%YAML 1.1\n---\na: 1e3\n", "p").data == {"a": 1000.0}


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [(b"a: 1\nb:\n  ? [a, [b]]\n  : x\n", 3, 5), (b"a: {? [x, {y: 1}]: 1}\n", 1, 7)],
)
def test_keys_ruamel_cannot_build_are_refused_with_their_position(raw: bytes, line: int, column: int) -> None:
    """ruamel raises TypeError (unhashable) for these; it used to escape as exit 3."""
    error = refused(raw)
    assert error.rule == "PC005"
    assert (error.mark.line, error.mark.column) == (line, column)
