"""Loading, validation and the errors they raise."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import threat_interview as ti
from conftest import ONLINE_SHOP, ROOT



def answered_by_people(engagement: ti.Engagement) -> list[str]:
    """The answered questions with an answer someone gave (not only the model's own)."""
    return [
        q["id"]
        for q in engagement.questions.filter(status="answered")
        if any(a["via"] != "model" for a in q["answers"])
    ]

def test_the_issue_check_generates_questions_for_the_online_shop() -> None:
    e = ti.load("examples/engagements/online-shop.json" if Path.cwd() == ROOT else ONLINE_SHOP)
    assert len(e.generate_questions()) > 0


def test_load_accepts_str_and_pathlike(shop: ti.Engagement) -> None:
    assert ti.load(str(ONLINE_SHOP)) == shop
    assert shop.id == "online-shop-2025"
    assert shop.assurance_level == "standard"
    assert shop.schema_version == ti.SCHEMA_VERSION == 1
    assert shop.counts["elements"] == 18
    assert shop.counts["flows"] == 24


def test_an_invalid_file_raises_validation_error_at_the_pointer(tmp_path: Path, minimal: dict) -> None:
    minimal["model"]["flows"][0]["target"] = "nowhere"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(minimal, indent=2))
    with pytest.raises(ti.ValidationError) as caught:
        ti.load(path)
    first = caught.value.errors[0]
    assert first["pointer"] == "/model/flows/0/target"
    assert first["code"] == "flow-target-missing"
    assert first["line"] is not None and first["column"] is not None
    assert "/model/flows/0/target" in str(caught.value)


def test_structure_errors_are_located_too(tmp_path: Path, minimal: dict) -> None:
    minimal["model"]["elements"][1]["kind"] = "robot"
    minimal["colour"] = "blue"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(minimal, indent=2))
    with pytest.raises(ti.ValidationError) as caught:
        ti.load(path)
    pointers = {e["pointer"] for e in caught.value.errors}
    assert "/colour" in pointers
    assert "/model/elements/1/kind" in pointers


@pytest.mark.parametrize("path", sorted((ROOT / "tests" / "invalid").glob("*.json")), ids=lambda p: p.name)
def test_every_invalid_fixture_is_refused(path: Path) -> None:
    with pytest.raises(ti.ValidationError) as caught:
        ti.load(path)
    assert caught.value.errors, "a ValidationError always lists its errors"
    for error in caught.value.errors:
        assert set(error) >= {"pointer", "code", "message", "line", "column"}


def test_syntax_errors_have_a_line_and_column() -> None:
    with pytest.raises(ti.ValidationError) as caught:
        ti.loads('{\n  "id": ')
    (error,) = caught.value.errors
    assert error["code"] == "syntax"
    assert error["pointer"] == ""
    assert error["line"] == 2


def test_validation_error_is_a_value_error_and_a_threat_interview_error() -> None:
    assert issubclass(ti.ValidationError, ValueError)
    assert issubclass(ti.ValidationError, ti.ThreatInterviewError)
    assert issubclass(ti.BankError, ti.ThreatInterviewError)
    assert issubclass(ti.ForeignFormatError, ti.ThreatInterviewError)
    assert issubclass(ti.ConflictError, ti.ThreatInterviewError)
    assert ti.ValidationError.__module__ == "threat_interview._errors"
    assert issubclass(ti.ThreatInterviewError, Exception)
    assert not issubclass(ti.ThreatInterviewError, RuntimeError)


def test_validation_errors_pickle_with_their_errors(minimal: dict) -> None:
    minimal["model"]["flows"][0]["source"] = "ghost"
    with pytest.raises(ti.ValidationError) as caught:
        ti.Engagement.from_dict(minimal)
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.errors == caught.value.errors
    assert str(again) == str(caught.value)


def test_a_missing_file_is_file_not_found_with_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(FileNotFoundError) as caught:
        ti.load(missing)
    assert caught.value.filename == str(missing)


def test_strict_false_lets_errors_of_meaning_through(minimal: dict) -> None:
    minimal["model"]["flows"][0]["target"] = "nowhere"
    e = ti.loads(json.dumps(minimal), strict=False)
    assert e.counts["flows"] == 1
    assert not ti.validate(e).valid
    with pytest.raises(ti.ValidationError):
        ti.loads(json.dumps({"id": 1}), strict=False)


def test_loads_reads_yaml_and_bytes(shop: ti.Engagement) -> None:
    assert ti.loads(shop.to_yaml(), format="yaml") == shop
    assert ti.loads(shop.to_json().encode()) == shop
    with pytest.raises(ValueError, match="unknown format"):
        ti.loads("{}", format="toml")  # type: ignore[arg-type]


def test_validate_reports_without_raising(minimal: dict, tmp_path: Path) -> None:
    assert ti.validate(minimal).valid
    assert ti.validate(ONLINE_SHOP).valid
    minimal["participants"] = [{"id": "p1", "name": "Ann", "roles": ["astronaut"]}]
    report = ti.validate(minimal)
    assert not report.valid
    assert report.errors[0]["pointer"].startswith("/participants/0/roles")
    assert {r["severity"] for r in report.to_records()} <= {"error", "warning"}
    with pytest.raises(ti.ValidationError):
        report.raise_for_errors()
    assert "ValidationReport valid=False" in repr(report)
    with pytest.raises(FileNotFoundError):
        ti.validate(tmp_path / "nope.json")
    assert not ti.validate(42).valid  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ti.validate(object())  # type: ignore[arg-type]


def test_schema_is_the_published_schema() -> None:
    published = json.loads((ROOT / "schemas" / "engagement.schema.json").read_text())
    assert ti.schema() == published


def test_a_dict_nested_a_hundred_thousand_deep_is_a_validation_error(minimal: dict) -> None:
    deep: dict = {}
    node = deep
    for _ in range(100_000):
        node["a"] = {}
        node = node["a"]
    minimal["extensions"] = deep
    with pytest.raises(ti.ValidationError) as caught:
        ti.Engagement.from_dict(minimal)
    assert caught.value.errors[0]["code"] == "too-deep"
    assert caught.value.errors[0]["pointer"].startswith("/extensions/a/a")
    with pytest.raises(ti.ValidationError):
        ti.validate(deep)
    shop = ti.load(ONLINE_SHOP)
    with pytest.raises(ti.ValidationError):
        shop.generate_questions(banks=deep)


def test_integers_past_64_bits_keep_their_digits(minimal: dict) -> None:
    big = 2**100 + 7
    minimal["extensions"] = {"big": big, "neg": -(2**70)}
    e = ti.Engagement.from_dict(minimal)
    assert e.extensions == {"big": big, "neg": -(2**70)}
    assert e.to_dict()["extensions"]["big"] == big
    assert str(big) in e.to_json()


def test_save_writes_back_and_refuses_to_overwrite_a_changed_file(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    path.write_text(ONLINE_SHOP.read_text())
    ours = ti.load(path)
    theirs = ti.load(path)
    assert ours.path == str(path) and ours.revision == theirs.revision
    theirs.merge(theirs.generate_questions())
    theirs.save()
    assert theirs.revision != ours.revision
    ours.merge(ours.generate_questions())
    qid = ours.questions[0]["id"]
    ours.record_answer(qid, "Only the gateway")
    with pytest.raises(ti.ConflictError) as caught:
        ours.save()
    assert caught.value.path == str(path)
    assert answered_by_people(ti.load(path)) == []
    fresh = ti.load(path)
    fresh.record_answer(qid, "Only the gateway")
    fresh.save()
    assert answered_by_people(ti.load(path)) == [qid]
    with pytest.raises(ValueError, match="give `save` a path"):
        ti.Engagement("e", "E").save()
