"""Live recording from Python: questions asked or skipped, hints promoted or dismissed,
findings confirmed or dismissed, quick wins, follow-ups and their answers."""

from __future__ import annotations

import pytest

import threat_interview as ti

WALKTHROUGH = "engagement.architect.walkthrough.since-document"
SECRETS = "engagement.deployment.secrets.holders"


@pytest.fixture
def live(shop: ti.Engagement) -> ti.Engagement:
    """The online shop with its questions merged and one hint."""
    shop.merge(shop.generate_questions())
    shop.add_hint(
        {
            "id": "h-1",
            "text": "The back office reaches the catalogue over plain HTTP",
            "subjects": ["api-gateway"],
            "category": "tampering",
        }
    )
    return shop


def status_of(e: ti.Engagement, question_id: str) -> str:
    return [q for q in e.questions if q["id"] == question_id][0]["status"]


def test_a_question_is_asked_then_skipped_with_a_reason(live: ti.Engagement) -> None:
    live.mark_asked(WALKTHROUGH)
    assert status_of(live, WALKTHROUGH) == "asked"
    live.skip_question(SECRETS, "the pipeline document answers it")
    skipped = [q for q in live.questions if q["id"] == SECRETS][0]
    assert skipped["status"] == "skipped"
    assert skipped["skip_reason"] == "the pipeline document answers it"
    with pytest.raises(ti.ValidationError) as caught:
        live.skip_question(WALKTHROUGH, " ")
    assert caught.value.errors[0]["code"] == "rationale-missing"
    assert caught.value.errors[0]["pointer"].endswith("/skip_reason")
    with pytest.raises(KeyError):
        live.mark_asked("no-such-question")


def test_promoting_a_hint_without_an_attack_path_is_a_validation_error(
    live: ti.Engagement,
) -> None:
    before = live.to_dict()
    for finding in (
        {"id": "fd-1", "title": "Prices altered in transit"},
        {"id": "fd-1", "title": "Prices altered in transit", "attack_path": []},
    ):
        with pytest.raises(ti.ValidationError, match="needs a conceptual attack path") as caught:
            live.promote_hint("h-1", finding)
        error = caught.value.errors[0]
        assert error["code"] == "attack-path-empty"
        assert error["pointer"] == "/findings/0/attack_path"
    assert live.to_dict() == before


def test_a_hint_is_promoted_confirmed_and_marked_a_quick_win(live: ti.Engagement) -> None:
    live.promote_hint(
        "h-1",
        {
            "id": "fd-1",
            "title": "Prices altered in transit",
            "attack_path": [
                {"description": "Join the office Wi-Fi with a rogue access point"},
                {"description": "Rewrite a price update", "subject": "api-gateway"},
            ],
            "severity": "high",
        },
    )
    assert live.hints[0]["status"] == "promoted"
    assert live.hints[0]["finding"] == "fd-1"
    finding = live.findings[0]
    assert finding["hints"] == ["h-1"]
    assert finding["subjects"] == ["api-gateway"]
    assert finding["category"] == "tampering"
    with pytest.raises(ti.ValidationError) as caught:
        live.confirm_finding("fd-1", "")
    assert caught.value.errors[0]["code"] == "rationale-missing"
    live.confirm_finding("fd-1", "the Wi-Fi password is shared")
    live.set_quick_win("fd-1")
    assert live.findings[0]["status"] == "confirmed"
    assert live.findings[0]["quick_win"] is True
    live.set_quick_win("fd-1", False)
    assert "quick_win" not in live.findings[0]
    live.dismiss_finding("fd-1", "prices are signed by the back office")
    assert live.findings[0]["status"] == "dismissed"
    assert live.findings[0]["rationale"] == "prices are signed by the back office"
    with pytest.raises(KeyError):
        live.confirm_finding("fd-9", "x")
    assert live.validate().valid


def test_confirming_a_finding_without_an_attack_path_is_a_validation_error(
    live: ti.Engagement,
) -> None:
    # An engagement whose finding has no attack step loads leniently, to be fixed.
    data = live.to_dict()
    data["findings"] = [{"id": "fd-1", "title": "Prices altered", "attack_path": []}]
    lenient = ti.Engagement.from_dict(data, strict=False)
    with pytest.raises(ti.ValidationError, match="needs a conceptual attack path") as caught:
        lenient.confirm_finding("fd-1", "seen in the test environment")
    assert caught.value.errors[0]["code"] == "attack-path-empty"
    assert lenient.findings[0]["status"] == "plausible"


def test_a_hint_is_dismissed_with_a_rationale(live: ti.Engagement) -> None:
    with pytest.raises(ti.ValidationError):
        live.dismiss_hint("h-1", "")
    live.dismiss_hint("h-1", "the catalogue only serves public prices")
    assert live.hints[0]["status"] == "dismissed"
    with pytest.raises(ti.ValidationError, match="is dismissed"):
        live.promote_hint(
            "h-1", {"id": "fd-1", "title": "t", "attack_path": [{"description": "s"}]}
        )


def test_a_follow_up_is_overdue_and_answering_it_answers_the_question(
    live: ti.Engagement,
) -> None:
    fid = live.follow_up_question(
        SECRETS, to="priya-nair", asked_on="2026-12-01", due="2026-12-08"
    )
    assert fid == f"fu-{SECRETS}"
    assert live.follow_ups[0]["channel"] == "email"
    hid = live.follow_up_hint(
        "h-1", to="sam-okoro", asked_on="2026-12-02", due="2026-12-04", channel="chat"
    )
    assert hid == "fu-h-1"
    assert [f["id"] for f in live.overdue_follow_ups("2026-12-05")] == [hid]
    assert [f["id"] for f in live.overdue_follow_ups("2026-12-09")] == [fid, hid]
    with pytest.raises(ValueError, match="not a date"):
        live.overdue_follow_ups("2026-13-01")
    with pytest.raises(ti.ValidationError) as caught:
        live.follow_up_question(SECRETS, to="priya-nair", asked_on="2026-12-01")
    assert "already has the open follow-up" in str(caught.value)
    with pytest.raises(ti.ValidationError) as caught:
        live.follow_up_question(WALKTHROUGH, to="mallory", asked_on="2026-12-01")
    assert caught.value.errors[0]["code"] == "participant-missing"
    with pytest.raises(ValueError, match="did you mean `chat`"):
        live.follow_up_question(WALKTHROUGH, to="li-wei", channel="chta")  # type: ignore[arg-type]

    live.answer_follow_up(fid, "In the vault, rotated monthly", at="2026-12-07")
    answered = [q for q in live.questions if q["id"] == SECRETS][0]
    assert answered["status"] == "answered"
    assert answered["answers"][0]["via"] == "follow_up"
    assert answered["answers"][0]["reference"] == fid
    assert answered["answers"][0]["by"] == "priya-nair"
    assert live.follow_ups[0]["status"] == "answered"
    assert live.follow_ups[0]["answered_on"] == "2026-12-07"
    assert [f["id"] for f in live.overdue_follow_ups("2026-12-09")] == [hid]
    with pytest.raises(ti.ValidationError, match="answered again"):
        live.answer_follow_up(fid, "again")
    with pytest.raises(KeyError):
        live.answer_follow_up("fu-nope", "x")
    assert live.validate().valid
