"""The spreadsheet round trip from Python: to_csv, answers filled in, import_answers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import threat_interview as ti


def planned(shop: ti.Engagement) -> ti.Engagement:
    shop.merge(shop.generate_questions())
    shop.plan()
    return shop


def fill(text: str, answers: dict[int, str]) -> str:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for index, answer in answers.items():
        rows[index + 1][6] = answer
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def test_three_answers_come_back_and_nothing_else_changes(
    shop: ti.Engagement, tmp_path: Path
) -> None:
    engagement = planned(shop)
    text = engagement.to_csv()
    assert text == engagement.to_csv(), "deterministic"
    assert text.startswith(
        "id,subjects,category,role,text,status,answer,answered_by,answered_on\r\n"
    )
    before = engagement.to_dict()
    sheet = tmp_path / "answers.csv"
    sheet.write_text(fill(text, {1: "Outage on Black Friday", 5: "Yes, 2, quoted \"x\"", 9: "No"}))
    answered = engagement.import_answers(sheet, by="ana-ferreira", at="2026-12-04")
    ids = [q["id"] for q in before["questions"]]
    assert answered == [ids[1], ids[5], ids[9]]
    after = engagement.to_dict()
    for index, (old, new) in enumerate(zip(before["questions"], after["questions"])):
        if index in (1, 5, 9):
            assert new["status"] == "answered"
            assert new["answers"][0]["by"] == "ana-ferreira"
            assert new["answers"][0]["at"] == "2026-12-04"
        else:
            assert old == new
    assert {k: v for k, v in before.items() if k != "questions"} == {
        k: v for k, v in after.items() if k != "questions"
    }
    assert engagement.question(ids[5])["answers"][0]["text"] == 'Yes, 2, quoted "x"'


def test_refused_rows_name_their_line(shop: ti.Engagement) -> None:
    engagement = planned(shop)
    text = fill(engagement.to_csv(), {0: "An answer"})
    text = text.replace("engagement.business.stride-calibration.confirm,", "nope,", 1)
    text = fill(text, {1: "About nothing"})
    before = engagement.to_dict()
    with pytest.raises(ti.ValidationError) as raised:
        engagement.import_answers(text, by="nobody")
    errors = raised.value.errors
    assert [(e["code"], e["line"]) for e in errors] == [
        ("participant-missing", 2),
        ("question-missing", 3),
    ]
    assert engagement.to_dict() == before, "nothing imported"
