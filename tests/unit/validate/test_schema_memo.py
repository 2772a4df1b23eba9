"""The validator remembers values it found valid: the same findings, less walking."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from jsonschema import validators

from generator.load import Document, load_document
from generator.validate import load_schema, schema, validate_document

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def base() -> Document:
    return load_document(REPO / "platform.yaml", "platform.yaml")


def _with(doc: Document, change: Any) -> Document:
    data = copy.deepcopy(doc.data)
    change(data)
    return Document(data=data, file=doc.file, keys=doc.keys, values=doc.values)


def _components(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for app in data["spec"]["applications"].values():
        yield from app["components"].values()


def _mutations() -> list[Any]:
    def replicas(data: dict[str, Any]) -> None:
        next(c for c in _components(data) if "image" in c)["replicas"] = "three"

    def unknown_key(data: dict[str, Any]) -> None:
        next(iter(_components(data)))["imagePullPolicy"] = "Always"

    def every_component(data: dict[str, Any]) -> None:
        for component in _components(data):
            component["bogus"] = True

    def namespace(data: dict[str, Any]) -> None:
        data["spec"]["namespaces"][next(iter(data["spec"]["namespaces"]))] = {"quota": "lots"}

    def application(data: dict[str, Any]) -> None:
        next(iter(data["spec"]["applications"].values()))["namespace"] = "Not_A_Name"

    return [replicas, unknown_key, every_component, namespace, application]


def test_findings_are_those_of_a_validator_without_memory(
    base: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = [base]
    for mutate in _mutations():
        documents += [_with(base, mutate), base]  # valid values seen before and after each broken one
    remembered = [validate_document(doc, "dev") for doc in documents]
    plain = schema._StrictValidator(load_schema(), format_checker=schema._StrictValidator.FORMAT_CHECKER)
    monkeypatch.setattr(schema, "_validator", lambda: plain)
    fresh = [validate_document(doc, "dev") for doc in documents]
    assert remembered == fresh
    assert all(remembered[i] for i in range(1, len(documents), 2))  # every mutation is found
    assert not any(remembered[i] for i in range(0, len(documents), 2))


def _counting() -> tuple[Any, Counter[str]]:
    walked: Counter[str] = Counter()
    walk = schema._StrictValidator.VALIDATORS["$ref"]

    def ref(validator: Any, target: Any, instance: Any, schema_: Mapping[str, Any]) -> Any:
        walked[target] += 1
        return walk(validator, target, instance, schema_)

    return validators.extend(schema._StrictValidator, {"$ref": ref}), walked  # type: ignore[no-untyped-call]


def test_a_value_found_valid_is_not_walked_again(base: Document) -> None:
    counting, walked = _counting()
    remembering = schema._remembering(counting)
    validator = remembering(load_schema(), format_checker=remembering.FORMAT_CHECKER)
    assert not list(validator.iter_errors(base.data))
    distinct = {schema._canonical(component) for component in _components(base.data)}
    assert walked["#/$defs/component"] == len(distinct) > 20  # a repeated value is walked once
    walked.clear()
    assert not list(validator.iter_errors(base.data))
    assert sum(walked.values()) == 0  # the document as a whole was seen valid

    def scale_one(data: dict[str, Any]) -> None:
        next(c for c in _components(data) if "image" in c)["replicas"] = 7

    assert not list(validator.iter_errors(_with(base, scale_one).data))
    assert walked["#/$defs/application"] == 1 and walked["#/$defs/component"] == 1  # the changed one only


def test_values_json_cannot_spell_are_never_remembered() -> None:
    assert schema._canonical({"b": 1, "a": [True, None]}) == '{"a":[true,null],"b":1}'
    assert schema._canonical({"n": float("nan")}) == ""
    assert schema._canonical({"n": 10**5000}) == ""
    assert schema._canonical({1: "x", "a": "y"}) == ""
