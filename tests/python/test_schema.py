"""The published schema, checked with an independent validator (the `jsonschema` package)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

import threat_interview as ti
from conftest import EXAMPLES, SCHEMA


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_there_are_examples() -> None:
    assert EXAMPLES, "examples/engagements/*.json is empty"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_valid_for_jsonschema_and_the_library(
    validator: Draft202012Validator, path: Path
) -> None:
    data = json.loads(path.read_text())
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    assert ti.validate(data).valid
    assert ti.validate(path).valid


def _break(data: dict, how: str) -> dict:
    data = copy.deepcopy(data)
    if how == "unknown field":
        data["colour"] = "blue"
    elif how == "missing name":
        del data["name"]
    elif how == "wrong assurance level":
        data["assurance_level"] = "extreme"
    elif how == "element kind":
        data["model"]["elements"][0]["kind"] = "robot"
    elif how == "priority out of range":
        data["questions"] = [
            {"id": "q1", "text": "Why?", "role": "architect", "priority": 9, "minutes": 5}
        ]
    elif how == "schema version":
        data["schema_version"] = 2
    elif how == "empty id":
        data["id"] = ""
    else:  # pragma: no cover
        raise AssertionError(how)
    return data


@pytest.mark.parametrize(
    "how",
    [
        "unknown field",
        "missing name",
        "wrong assurance level",
        "element kind",
        "priority out of range",
        "schema version",
        "empty id",
    ],
)
def test_invalid_dicts_are_rejected_by_both(
    validator: Draft202012Validator, minimal: dict, how: str
) -> None:
    data = _break(minimal, how)
    assert not validator.is_valid(data), f"jsonschema accepted: {how}"
    assert not ti.validate(data).valid, f"the library accepted: {how}"
    with pytest.raises(ti.ValidationError) as caught:
        ti.Engagement.from_dict(data)
    # Both validators point at the same place (the library at the value, jsonschema at the
    # object that lacks a field).
    library = {e["pointer"] for e in caught.value.errors}
    schema = {"/" + "/".join(str(p) for p in e.absolute_path) if e.absolute_path else "" for e in validator.iter_errors(data)}
    assert library & schema or any(p.rsplit("/", 1)[0] in schema for p in library)
