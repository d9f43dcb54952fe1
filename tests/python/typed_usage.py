"""Code a user writes, type-checked with ``mypy --strict`` by ``make stubtest``: question,
diagnostic and coverage dicts indexed by key, with the types the stubs promise. It also runs as
a test (``test_typed_usage``)."""

from __future__ import annotations

from pathlib import Path

import threat_interview as ti
from threat_interview.types import CalendarInterview, Category, Diagnostic, Question, Readiness

ROOT = Path(__file__).resolve().parents[2]


def first_question_text(engagement: ti.Engagement) -> str:
    questions = engagement.generate_questions()
    first: Question = questions[0]
    subjects: list[str] = first["subjects"]
    category: Category | None = first["category"]
    minutes: int = first["minutes"] + len(subjects)
    return f"{first['text']} ({category}, {minutes} min)"


def problems(data: dict[str, object]) -> list[str]:
    report = ti.validate(data)
    out: list[str] = []
    for d in report.errors:
        diagnostic: Diagnostic = d
        line: int | None = diagnostic["line"]
        out.append(f"{diagnostic['code']} at {diagnostic['pointer']} line {line}")
    return out


def gaps(engagement: ti.Engagement) -> list[str]:
    return [f"{g['subject']}: {g['category']}" for g in engagement.coverage().gaps]


def overdue(engagement: ti.Engagement, on: str) -> list[str]:
    """Follow up the first open question, then list what is late on a date."""
    engagement.merge(engagement.generate_questions())
    first = engagement.questions[0]["id"]
    engagement.follow_up_question(first, to="ana-ferreira", asked_on="2026-12-01", due="2026-12-03")
    return [str(f["id"]) for f in engagement.overdue_follow_ups(on)]


def mornings(engagement: ti.Engagement, start: str) -> list[str]:
    proposed: list[CalendarInterview] = engagement.propose_calendar(start)
    return [f"{i['date']} {i['start']} {i['title']} ({i['minutes']} min)" for i in proposed]


def effort_hours(engagement: ti.Engagement) -> float:
    report: Readiness = engagement.readiness()
    missing: list[str] = [w["code"] for w in report["warnings"]]
    assert isinstance(report["ready"], bool) and len(missing) >= 0
    return report["effort"]["total_minutes"] / 60


def main() -> None:
    engagement = ti.load(ROOT / "examples" / "engagements" / "online-shop.json")
    assert first_question_text(engagement)
    assert problems({"schema_version": 1})
    assert gaps(engagement)
    assert overdue(engagement, "2026-12-04")
    assert mornings(engagement, "2026-12-04")[0].startswith("2026-12-04 09:00")
    assert effort_hours(engagement) > 0
    engagement.propose_calendar("2026-12-04", apply=True, replace=True)
    assert engagement.to_ics().startswith("BEGIN:VCALENDAR\r\n")


if __name__ == "__main__":
    main()
