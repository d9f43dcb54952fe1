"""Threat Modeling Tool and Threats Manager Studio files: import, topics back into a .tm, .tmq.

The real files are the shared fixtures (``../shared/fixtures/``, or the folder that
``THREAT_INTERVIEW_FIXTURES`` names); without them these tests skip, except on CI.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

import threat_interview as ti
from conftest import ROOT

FIXTURES = Path(os.environ.get("THREAT_INTERVIEW_FIXTURES", ROOT.parent / "shared" / "fixtures"))


def fixture(relative: str) -> Path:
    if not FIXTURES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shared fixtures are missing at {FIXTURES}")
        pytest.skip(f"no shared fixtures at {FIXTURES}")
    return FIXTURES / relative


def test_a_tm7_is_imported_with_its_nesting_and_crossing() -> None:
    engagement = ti.import_file(fixture("ms-tmt/MTMT_nested_tz.tm7"))
    warnings = engagement.import_warnings
    counts = engagement.counts
    assert (counts["elements"], counts["flows"], counts["boundaries"]) == (4, 3, 3)
    assert any(w["code"] == "import-unmapped" for w in warnings)
    model = engagement.to_dict()["model"]
    crossing = [f for f in model["flows"] if f.get("crosses")]
    assert [f["name"] for f in crossing] == ["HTTPS"]
    assert ti.validate(engagement).valid


def test_questions_and_answers_go_into_the_tm_and_come_back(tmp_path: Path) -> None:
    model = fixture("tms/azure-paas-core-example.tm")
    engagement = ti.import_file(model, from_="tms")
    questions = engagement.generate_questions()
    engagement.merge(questions)
    first = engagement.questions[0]["id"]
    engagement.record_answer(first, "Yes, through the corporate VPN.", via="email", at="2024-06-06")
    out = tmp_path / "with-topics.tm"
    result = ti.export_tms(engagement, model, out, asked_by="Jane Reviewer", asked_on="2024-06-05")
    assert result["answers"] == 1
    assert result["topics"] >= len(engagement.questions)
    assert result["warnings"] == []
    with zipfile.ZipFile(out) as new, zipfile.ZipFile(model) as old:
        assert new.namelist() == old.namelist()
        assert new.read("extensions.json") == old.read("extensions.json")
    back = ti.import_file(out)
    assert back.to_dict()["model"] == ti.import_file(model).to_dict()["model"]
    answered = [q for q in back.questions if q["answers"]]
    assert len(answered) == 1
    assert answered[0]["answers"][0]["text"] == "Yes, through the corporate VPN."
    assert answered[0]["answers"][0]["via"] == "email"


def test_the_bank_is_written_as_a_question_file(tmp_path: Path) -> None:
    out = tmp_path / "bank.tmq"
    result = ti.export_tmq(out)
    assert result["written"] and result["without_rule"]
    assert out.read_bytes()[:2] == b"\xff\xfe"
    assert all(item["reason"] for item in result["without_rule"])


def test_a_file_that_is_not_a_model_raises_foreign_format_error(tmp_path: Path) -> None:
    renamed = tmp_path / "renamed.tm7"
    with zipfile.ZipFile(renamed, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ti.ForeignFormatError) as caught:
        ti.import_file(renamed, from_="tm7")
    assert caught.value.format == "tm7"
    assert caught.value.errors[0]["code"] == "invalid-structure"
    doctype = tmp_path / "laughs.tm7"
    doctype.write_text('<!DOCTYPE x [<!ENTITY a "a">]><ThreatModel>&a;</ThreatModel>')
    with pytest.raises(ti.ForeignFormatError) as caught:
        ti.import_file(doctype)
    assert caught.value.errors[0]["code"] == "dtd-refused"
    with pytest.raises(FileNotFoundError):
        ti.import_file(tmp_path / "missing.tm")
    with pytest.raises(ValueError):
        ti.import_file(renamed, from_="visio")  # type: ignore[arg-type]
