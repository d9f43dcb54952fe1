"""Loading, validation and the errors they raise."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import threat_interview as ti
from conftest import ONLINE_SHOP, ROOT


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
