"""Importing other tools' models (``import_file``) and exporting Open Threat Model
(``Engagement.to_otm``): the published files of ``../shared/fixtures`` and the hand-written ones
of ``tests/foreign``; the errors a broken or foreign file raises."""

from __future__ import annotations

import json
import os
from pathlib import Path

from jsonschema import Draft7Validator  # type: ignore[import-untyped]
import pytest

import threat_interview as ti
from conftest import ROOT

FOREIGN = ROOT / "tests" / "foreign"
FIXTURES = Path(os.environ.get("THREAT_INTERVIEW_FIXTURES", ROOT.parent / "shared" / "fixtures"))

# (file, interactors, processes, stores, flows, boundaries), counted by hand in each file: Threat
# Dragon cells by `shape` (v2) or `type` (v1), OTM items of `components` (by `type`), `dataflows`
# and `trustZones`; the Rust tests (crates/threat-interview/tests/import_fixtures.rs) say how.
COUNTS = [
    ("threat-dragon/demo-threat-model.json", 1, 2, 4, 10, 4),
    ("threat-dragon/v2-threat-model.json", 1, 2, 4, 10, 3),
    ("threat-dragon/three-tier-web-app.json", 0, 3, 0, 3, 2),
    ("threat-dragon/generic-cms.json", 2, 2, 1, 5, 1),
    ("threat-dragon/payment-online.json", 1, 4, 0, 10, 3),
    ("threat-dragon/v2-new-model.json", 0, 0, 0, 0, 0),
    ("otm/EXAMPLE.json", 1, 2, 1, 2, 2),
    ("otm/EXAMPLE.yaml", 1, 2, 1, 2, 2),
    ("otm/manual_threat_model.yaml", 1, 1, 1, 2, 3),
    ("otm/minimal_content.yaml", 0, 0, 0, 0, 0),
    ("otm/cft_example.yaml", 2, 20, 0, 22, 2),
]


def fixtures() -> Path:
    """The shared fixtures folder; the test is skipped without it, except under CI=true."""
    if FIXTURES.is_dir():
        return FIXTURES
    if os.environ.get("CI") == "true":
        pytest.fail(f"the fixtures folder {FIXTURES} is missing (CI=true: it must be there)")
    pytest.skip(f"the fixtures folder {FIXTURES} is absent (set THREAT_INTERVIEW_FIXTURES)")


def kinds(e: ti.Engagement) -> tuple[int, int, int, int, int]:
    model = e.to_dict()["model"]
    elements = model.get("elements", [])

    def count(kind: str) -> int:
        return sum(1 for x in elements if x["kind"] == kind)

    return (
        count("external_interactor"),
        count("process"),
        count("data_store"),
        len(model.get("flows", [])),
        len(model.get("boundaries", [])),
    )


def otm_validator() -> Draft7Validator:
    schema = json.loads((fixtures() / "otm" / "otm_schema.json").read_text())
    return Draft7Validator(schema)


@pytest.mark.parametrize("case", COUNTS, ids=lambda c: c[0])
def test_every_fixture_imports_plans_and_exports_valid_otm(case: tuple) -> None:
    file, *expected = case
    e = ti.import_file(fixtures() / file)
    assert kinds(e) == tuple(expected)
    assert e.validate().valid
    assert e.path is None, "an imported engagement remembers no file to save over"
    for w in e.import_warnings:
        assert w["severity"] == "warning"
        assert w["pointer"] == "" or w["pointer"].startswith("/")
    assert any(w["code"] == "import-skeleton" for w in e.import_warnings)
    # Straight into questions and planning.
    e.merge(e.generate_questions())
    plan = e.plan()
    assert plan["gaps"] == []
    # The export is accepted by the official OTM schema (an independent validator).
    errors = sorted(otm_validator().iter_errors(e.to_otm()), key=str)
    assert errors == [], [f"{list(x.absolute_path)}: {x.message}" for x in errors]


def test_nesting_and_crossings_come_through() -> None:
    demo = ti.import_file(fixtures() / "threat-dragon/v2-threat-model.json").to_dict()
    put_message = next(f for f in demo["model"]["flows"] if f["name"] == "Put Message")
    assert put_message["crosses"] == ["6767506f-3d7f-4a5f-bbe2-ea03689d30fc"]
    cft = ti.import_file(fixtures() / "otm/cft_example.yaml").to_dict()
    task = next(x for x in cft["model"]["elements"] if x["id"] == "c4ab8f7f-4aed-4ca2-86fb-751dea985ad1")
    assert task["boundary"] == "b61d6911-338d-46a8-9f39-8dcd24abfe91"


def test_hand_written_files_nest_boxes_and_zones() -> None:
    td = ti.import_file(FOREIGN / "nested-boxes.json").to_dict()
    boundaries = {b["id"]: b for b in td["model"]["boundaries"]}
    assert boundaries["vpc"]["parent"] == "cloud"
    otm = ti.import_file(FOREIGN / "nested-zones.otm.yaml", from_="otm")
    zones = {b["id"]: b for b in otm.to_dict()["model"]["boundaries"]}
    assert zones["private"]["parent"] == "cloud"
    assert zones["internet"]["trust"] == "untrusted"
    pointers = {w["pointer"] for w in otm.import_warnings}
    assert "/dataflows/3/destination" in pointers


def test_the_otm_export_imports_back(tmp_path: Path) -> None:
    e = ti.import_file(FOREIGN / "nested-zones.otm.yaml")
    path = tmp_path / "model.otm.json"
    path.write_text(json.dumps(e.to_otm()))
    again = ti.import_file(path)
    assert again.to_dict()["model"] == e.to_dict()["model"]


def test_a_file_of_the_other_format_raises_foreign_format_error_at_the_pointer() -> None:
    with pytest.raises(ti.ForeignFormatError) as caught:
        ti.import_file(FOREIGN / "nested-boxes.json", from_="otm")
    error = caught.value
    assert isinstance(error, ValueError) and isinstance(error, ti.ThreatInterviewError)
    assert error.format == "otm"
    assert error.errors[0]["code"] == "invalid-structure"
    assert "threat-dragon" in str(error)


def test_broken_files_raise_foreign_format_error(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.json"
    truncated.write_bytes((FOREIGN / "nested-boxes.json").read_bytes()[:900])
    with pytest.raises(ti.ForeignFormatError) as caught:
        ti.import_file(truncated)
    assert caught.value.format == "threat-dragon"
    assert caught.value.errors[0]["code"] == "syntax"
    assert caught.value.errors[0]["line"] is not None
    structure = tmp_path / "bad.otm.yaml"
    structure.write_text("otmVersion: 0.2.0\ncomponents: 5\n")
    with pytest.raises(ti.ForeignFormatError) as caught:
        ti.import_file(structure)
    assert caught.value.errors[0]["pointer"] == "/components"
    deep = tmp_path / "deep.json"
    deep.write_text('{"summary": {}, "detail": {"diagrams": ' + "[" * 5000 + "]" * 5000 + "}}")
    with pytest.raises(ti.ForeignFormatError) as caught:
        ti.import_file(deep)
    assert caught.value.errors[0]["code"] == "too-deep"
    unknown = tmp_path / "notes.txt"
    unknown.write_text("just some notes\n")
    with pytest.raises(ti.ForeignFormatError) as caught:
        ti.import_file(unknown)
    assert caught.value.format is None
    with pytest.raises(FileNotFoundError):
        ti.import_file(tmp_path / "missing.json")
    with pytest.raises(ValueError, match="did you mean `otm`"):
        ti.import_file(FOREIGN / "nested-boxes.json", from_="otn")  # type: ignore[arg-type]
