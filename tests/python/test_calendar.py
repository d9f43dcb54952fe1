"""The calendar from Python: the proposal, readiness, and the iCalendar export read back by a
real parser (the ``icalendar`` package)."""

from __future__ import annotations

import datetime as dt

import icalendar  # type: ignore[import-untyped,unused-ignore]
import pytest

import threat_interview as ti


def test_a_standard_calendar_from_a_friday(shop: ti.Engagement) -> None:
    proposed = shop.propose_calendar("2026-12-04")
    assert sorted({i["date"] for i in proposed if i["date"]}) == [
        "2026-12-04",
        "2026-12-07",
        "2026-12-08",
    ]
    assert all(i["slot"] == "morning" for i in proposed)
    architects = [i["date"] for i in proposed if "architect" in i["roles"]]
    assert architects == ["2026-12-04", "2026-12-07"]
    assert all(i["goals"] for i in proposed)
    assert len(shop.to_dict()["interviews"]) == 5, "proposing changes nothing"


def test_a_written_calendar_is_not_overwritten(shop: ti.Engagement) -> None:
    with pytest.raises(ValueError, match="replace=True"):
        shop.propose_calendar("2026-12-04", apply=True)
    assert [i["id"] for i in shop.to_dict()["interviews"]][0] == "iv-business"
    with pytest.raises(ValueError, match="not a date"):
        shop.propose_calendar("2026-02-30")
    shop.propose_calendar("2026-12-04", apply=True, replace=True)
    assert shop.to_dict()["interviews"][0]["id"] == "iv-kick-off"
    assert shop.validate().valid


def test_readiness_reports_what_is_missing(shop: ti.Engagement) -> None:
    report = shop.readiness()
    assert report["documents"] == {"requested": 2, "received": 1, "reviewed": 2}
    assert not report["ready"]
    assert [w["code"] for w in report["warnings"]] == [
        "custom-role-unanswered",
        "document-unreviewed",
        "document-requested",
        "document-requested",
    ]
    effort = report["effort"]
    assert effort["total_minutes"] == (
        effort["preparation_minutes"] + effort["interview_minutes"] + effort["analysis_minutes"]
    )
    assert effort["interview_minutes"] == 420


def _events(text: str) -> list[icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(text)
    return list(calendar.walk("VEVENT"))


def test_the_ics_export_is_read_by_a_real_parser(shop: ti.Engagement) -> None:
    with pytest.raises(ValueError, match="has no date"):
        shop.to_ics()
    data = shop.to_dict()
    data["interviews"] = []
    engagement = ti.Engagement.from_dict(data)
    proposed = engagement.propose_calendar("2026-12-04", apply=True)
    text = engagement.to_ics()
    assert text == engagement.to_ics(), "deterministic"
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    events = _events(text)
    assert len(events) == len(proposed) == 8
    for event, interview in zip(events, proposed):
        start = event.decoded("DTSTART")
        assert isinstance(start, dt.datetime)
        assert start.date().isoformat() == interview["date"]
        assert start.strftime("%H:%M") == interview["start"]
        assert event.decoded("DURATION") == dt.timedelta(minutes=interview["minutes"])
        assert str(event["SUMMARY"]) == interview["title"]
        assert str(event["UID"]) == f"{interview['id']}@online-shop-2025"
    days = sorted({e.decoded("DTSTART").date() for e in events})
    assert days == [dt.date(2026, 12, 4), dt.date(2026, 12, 7), dt.date(2026, 12, 8)]
    assert [e.decoded("DURATION") for e in events][:3] == [
        dt.timedelta(minutes=30),
        dt.timedelta(minutes=30),
        dt.timedelta(minutes=120),
    ]


def test_escaped_and_folded_text_comes_back_whole(shop: ti.Engagement) -> None:
    data = shop.to_dict()
    data["interviews"] = []
    engagement = ti.Engagement.from_dict(data)
    engagement.propose_calendar("2026-12-04", apply=True)
    data = engagement.to_dict()
    title = "Kick-off; scope, calendar \\ ground rules\nand a very long title " + "é" * 60
    data["interviews"][0]["title"] = title
    text = ti.Engagement.from_dict(data).to_ics()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert str(_events(text)[0]["SUMMARY"]) == title

