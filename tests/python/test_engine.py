"""Questions, coverage, planning and recording from Python."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

import threat_interview as ti
from conftest import ROOT
from threat_interview.types import Question



def answered_by_model(engagement: ti.Engagement, qid: str) -> bool:
    """Whether the question's answers all come from the model (`via: model`)."""
    answers = engagement.question(qid)["answers"]
    return bool(answers) and all(a["via"] == "model" for a in answers)

def test_generated_questions_are_a_sequence_of_dicts(shop: ti.Engagement) -> None:
    qs = shop.generate_questions()
    assert isinstance(qs, Sequence)
    assert len(qs) > 0
    first = qs[0]
    assert {"id", "text", "role", "priority", "minutes"} <= set(first)
    assert qs[-1] == list(qs)[-1]
    assert len(qs[:3]) == 3 and isinstance(qs[:3], ti.QuestionList)
    assert qs.ids()[0] == first["id"]
    with pytest.raises(IndexError):
        qs[len(qs)]
    assert shop.counts["questions"] == 0, "generating without write changes nothing"


def test_generation_is_deterministic(shop: ti.Engagement) -> None:
    assert shop.generate_questions().ids() == shop.generate_questions().ids()


def test_role_filter_and_filter(shop: ti.Engagement) -> None:
    architect = shop.generate_questions(role="architect")
    assert len(architect) > 0
    assert {q["role"] for q in architect} == {"architect"}
    spoofing = shop.generate_questions().filter(category="spoofing")
    assert len(spoofing) > 0 and {q["category"] for q in spoofing} == {"spoofing"}
    with pytest.raises(ValueError, match="STRIDE category"):
        shop.generate_questions().filter(category="sneaking")


def test_an_unknown_role_is_a_value_error_naming_the_closest(shop: ti.Engagement) -> None:
    with pytest.raises(ValueError, match="did you mean `architect`"):
        shop.generate_questions(role="Architect")
    with pytest.raises(ValueError, match="did you mean `production_owner`"):
        shop.generate_questions().filter(role="production-owner")
    assert not issubclass(ValueError, ti.ThreatInterviewError)


def test_merge_writes_the_questions_and_keeps_answers(shop: ti.Engagement) -> None:
    generated = shop.generate_questions()
    report = shop.merge(generated)
    assert len(report["added"]) == len(generated) == shop.counts["questions"]
    qid = generated[0]["id"]
    shop.record_answer(qid, "Card data never reaches us", by="ana-ferreira", at="2025-03-04")
    again = shop.merge(shop.generate_questions())
    assert qid in again["kept_answered"]
    answered = shop.questions.filter(status="answered")
    # Besides the one answered here, only what the model itself answers (the staff's
    # connections, over the VPN, encrypted) is answered.
    assert [i for i in answered.ids() if not answered_by_model(shop, i)] == [qid]
    assert shop.question(qid)["answers"][0]["text"] == "Card data never reaches us"
    assert answered.to_records() == answered.to_list(), "one question shape everywhere"
    assert shop.question(qid)["answers"][0]["by"] == "ana-ferreira"


def test_a_filtered_merge_marks_nothing_obsolete(shop: ti.Engagement) -> None:
    shop.merge(shop.generate_questions())
    report = shop.merge(shop.generate_questions(role="production_owner"))
    assert report["obsoleted"] == []
    assert not any(q["obsolete"] for q in shop.questions)
    with pytest.raises(TypeError):
        shop.merge(shop.questions)


def test_every_question_dict_has_every_key(shop: ti.Engagement) -> None:
    # The dicts and the published TypedDict agree, key for key.
    keys = set(Question.__annotations__)
    assert {"id", "text", "subjects", "also_covers", "skip_reason"} <= keys
    for q in shop.generate_questions()[:20]:
        assert set(q) == keys
    first = shop.generate_questions()[0]
    assert first["subjects"] == [] and first["answers"] == [] and first["category"] is None


def test_record_answer_refuses_what_is_not_valid(shop: ti.Engagement) -> None:
    shop.merge(shop.generate_questions())
    qid = shop.questions[0]["id"]
    before = shop.to_dict()
    with pytest.raises(KeyError):
        shop.record_answer("no-such-question", "yes")
    with pytest.raises(ti.ValidationError) as caught:
        shop.record_answer(qid, "yes", by="nobody")
    assert caught.value.errors[0]["pointer"].endswith("/by")
    with pytest.raises(ti.ValidationError) as caught:
        shop.record_answer(qid, "")
    assert caught.value.errors[0]["pointer"].endswith("/text")
    with pytest.raises(ti.ValidationError) as caught:
        shop.add_hint({"id": "", "text": "an empty id"})
    assert caught.value.errors[0]["pointer"] == "/hints/0/id"
    with pytest.raises(ValueError, match="answer channel"):
        shop.record_answer(qid, "yes", via="pigeon")  # type: ignore[arg-type]
    assert shop.to_dict() == before, "a refused answer leaves the engagement as it was"


def test_hints_findings_and_follow_ups(shop: ti.Engagement) -> None:
    shop.add_hint({"id": "h1", "text": "The admin console is reachable from the office Wi-Fi"})
    shop.add_finding(
        {
            "id": "f1",
            "title": "Rogue access point",
            "hints": ["h1"],
            "attack_path": [{"description": "Set up a rogue access point near the office"}],
        }
    )
    shop.add_follow_up(
        {"id": "fu1", "text": "Is the Wi-Fi segmented?", "assignee": "ana-ferreira", "asked_on": "2025-03-05"}
    )
    assert [h["id"] for h in shop.hints] == ["h1"]
    assert shop.findings[0]["status"] == "plausible"
    assert shop.follow_ups[0]["assignee"] == "ana-ferreira"
    assert ti.validate(shop).valid
    with pytest.raises(ti.ValidationError) as caught:
        shop.add_finding({"id": "f2", "title": "No path", "attack_path": []})
    assert caught.value.errors[0]["pointer"].startswith("/findings/1")
    with pytest.raises(ti.ValidationError):
        shop.add_hint({"text": "no id"})
    assert len(shop.findings) == 1 and len(shop.hints) == 1


def test_coverage(shop: ti.Engagement) -> None:
    before = shop.coverage()
    assert before.totals["not_surfaced"] == before.totals["pairs"] > 0
    assert not before.complete and len(before.gaps) == before.totals["pairs"]
    generated = shop.generate_questions()
    preview = shop.coverage(generated)
    assert preview.totals["not_surfaced"] < before.totals["not_surfaced"]
    shop.merge(generated)
    after = shop.coverage()
    assert after.totals == preview.totals
    record = after.to_records()[0]
    assert isinstance(record["questions"], list) and record["questions"]
    assert "spoofing" in after.by_category
    assert "architect" in after.by_role


def test_coverage_says_generated_until_someone_asks(shop: ti.Engagement) -> None:
    shop.merge(shop.generate_questions())
    fresh = shop.coverage()
    assert fresh.totals["asked"] == 0
    # Nothing is answered before anyone asks, but what the model answers.
    assert all(
        any(answered_by_model(shop, q) for q in item["questions"])
        for item in fresh.items
        if item["status"] == "answered"
    )
    assert fresh.totals["generated"] > 0 and fresh.totals["planned"] == 0
    assert len(fresh.unplanned) == fresh.totals["generated"]
    shop.plan()
    planned = shop.coverage()
    assert planned.totals["planned"] > 0 and planned.totals["asked"] == 0
    qid = shop.agenda(shop.plan()["interviews"][1]["interview"]).ids()[-1]
    shop.record_answer(qid, "Yes, mutual TLS everywhere.")
    assert shop.coverage().totals["answered"] >= 1


def test_calibration_moves_denial_of_service_up(shop: ti.Engagement) -> None:
    shop.merge(shop.generate_questions())

    def dos_on_architect_agendas(plan: ti.types.EngagementPlan) -> int:
        # The ranking of the denial-of-service questions on the first architecture
        # interview: the sum of their scores (priority x risk, the risk weighted by the
        # calibration).
        dos = {q["id"] for q in shop.questions if q["category"] == "denial_of_service"}
        return sum(
            item["score"]
            for p in plan["interviews"]
            if p["interview"] == "iv-architecture-1"
            for item in p["agenda"]
            if item["question"] in dos
        )

    before = dos_on_architect_agendas(shop.plan())
    weights: dict[ti.types.Category, int] = {
        "spoofing": 1, "tampering": 1, "repudiation": 1, "information_disclosure": 1,
        "denial_of_service": 5, "elevation_of_privilege": 1,
    }
    shop.record_calibration(weights, provided_by="ana-ferreira", notes="downtime costs sales")
    assert shop.to_dict()["calibration"]["weights"]["denial_of_service"] == 5
    after = dos_on_architect_agendas(shop.plan())
    assert after > before
    with pytest.raises(ValueError):
        shop.record_calibration({"denial_of_service": 6})
    with pytest.raises(ValueError):
        shop.record_calibration({"denial": 5})  # type: ignore[dict-item]
    with pytest.raises(KeyError):
        shop.record_calibration({"spoofing": 2}, provided_by="nobody")


def test_plan_and_agenda(shop: ti.Engagement) -> None:
    shop.merge(shop.generate_questions())
    plan = shop.plan()
    assert plan["interviews"], "the example has planned interviews"
    first = plan["interviews"][0]
    assert first["minutes_used"] <= first["minutes_available"]
    agenda = shop.agenda(first["interview"])
    assert agenda.ids() == [item["question"] for item in first["agenda"]]
    one = shop.plan(first["interview"])
    assert one["interview"] == first["interview"]
    with pytest.raises(KeyError):
        shop.plan("no-such-interview")
    with pytest.raises(KeyError):
        shop.agenda("no-such-interview")


def test_user_banks_add_questions(shop: ti.Engagement, tmp_path: Path) -> None:
    bank = {
        "schema_version": 1,
        "id": "ours",
        "name": "Our questions",
        "templates": [
            {
                "id": "ours.store.backups",
                "category": "denial_of_service",
                "applies_to": ["data_store"],
                "text": "How quickly can {element} be restored from backup?",
                "roles": ["production_owner"],
                "priority": 4,
                "minutes": 5,
                "rationale": "Restores are the last line of defence.",
            }
        ],
    }
    base = len(shop.generate_questions())
    with_ours = shop.generate_questions(banks=bank)
    ours = [q for q in with_ours if q["id"].startswith("ours.store.backups@")]
    assert ours and len(with_ours) == base + len(ours)
    provenance = ours[0]["provenance"]
    assert provenance is not None and provenance["bank"] == "ours"
    import json

    path = tmp_path / "ours.json"
    path.write_text(json.dumps(bank))
    assert shop.generate_questions(banks=[path]).ids() == with_ours.ids()


def test_bad_banks_raise_bank_error(shop: ti.Engagement, tmp_path: Path) -> None:
    with pytest.raises(ti.BankError) as caught:
        shop.generate_questions(banks={"schema_version": 1, "id": "x", "name": "x", "templates": [{"id": "t"}]})
    assert caught.value.errors[0]["pointer"].startswith("/templates/0")
    assert caught.value.bank == "x"
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(ti.BankError) as caught:
        shop.generate_questions(banks=bad)
    assert caught.value.errors[0]["code"] == "syntax"
    assert caught.value.errors[0]["line"] == 1
    with pytest.raises(FileNotFoundError):
        shop.generate_questions(banks=tmp_path / "missing.json")


def test_a_generated_list_reads_the_same_lazily_and_rendered(shop: ti.Engagement) -> None:
    lazy = shop.generate_questions()
    rendered = lazy.to_list()
    assert len(lazy) == len(rendered)
    for i in (0, 7, -1, -len(rendered)):
        assert shop.generate_questions()[i] == rendered[i]
    assert shop.generate_questions().ids() == [q["id"] for q in rendered]
    minutes = sum(q["minutes"] for q in rendered)
    assert repr(shop.generate_questions()) == f"<QuestionList {len(rendered)} questions, {minutes} minutes>"
    assert repr(lazy) == repr(shop.generate_questions())


def test_a_generated_list_keeps_the_engagement_it_was_generated_from(shop: ti.Engagement) -> None:
    questions = shop.generate_questions()
    before = len(questions)
    shop.merge(questions)
    stored = shop.questions
    shop.record_answer(questions[0]["id"], "yes")
    assert len(questions) == before
    assert questions[0]["answers"] == [], "the list shows the questions as generated"
    assert stored[0]["answers"] == [], "a list of stored questions keeps what it read"
    answered = shop.questions.filter(status="answered").ids()
    assert [i for i in answered if not answered_by_model(shop, i)] == [questions[0]["id"]]


def test_a_bank_type_error_has_the_code_and_place_the_command_line_prints(
    shop: ti.Engagement, tmp_path: Path
) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text(
        "schema_version: 1\nid: b\nname: b\ntemplates:\n  - id: t\n    category: spoofing\n"
        "    applies_to: [process]\n    text: '?'\n    roles: [architect]\n    priority: high\n"
        "    minutes: 2\n    rationale: r\n"
    )
    with pytest.raises(ti.BankError) as caught:
        shop.generate_questions(banks=bank)
    error = caught.value.errors[0]
    assert (error["code"], error["pointer"], error["line"], error["column"]) == (
        "wrong-type",
        "/templates/0/priority",
        10,
        5,
    )


QUEUE_PACK = {
    "schema_version": 1,
    "id": "queues",
    "name": "Message queues",
    "pack": {"enabled_by": {"property_equals": {"name": "technology", "value": "rabbitmq"}}},
    "templates": [
        {
            "id": "queues.store.tampering.publishers",
            "category": "tampering",
            "applies_to": ["data_store"],
            "when": {"property_equals": {"name": "technology", "value": "rabbitmq"}},
            "text": "Which users and virtual hosts can publish to {element}?",
            "roles": ["architect"],
            "priority": 4,
            "minutes": 3,
            "rationale": "A publisher that should not publish forges work.",
        }
    ],
}


def test_packs_apply_where_the_model_calls_for_them(shop: ti.Engagement) -> None:
    assert [p["id"] for p in ti.packs(QUEUE_PACK)][-1] == "queues"
    data = shop.to_dict()
    queue = next(e for e in data["model"]["elements"] if e["id"] == "order-queue")
    queue.setdefault("properties", {})["technology"] = "rabbitmq"
    rabbit = ti.Engagement.from_dict(data)
    use = next(p for p in rabbit.packs(QUEUE_PACK) if p["id"] == "queues")
    assert use["active"] and use["reason"]["kind"] == "called_for"
    assert use["reason"]["subject"] == "order-queue"
    ids = rabbit.generate_questions(QUEUE_PACK).ids()
    assert "queues.store.tampering.publishers@order-queue" in ids
    rabbit.disable_pack("queues")
    assert rabbit.to_dict()["packs"] == {"disable": ["queues"]}
    assert "queues.store.tampering.publishers@order-queue" not in rabbit.generate_questions(
        QUEUE_PACK
    ).ids()
    rabbit.reset_pack("queues")
    assert "packs" not in rabbit.to_dict()
    shop.enable_pack("queues")
    use = next(p for p in shop.packs(QUEUE_PACK) if p["id"] == "queues")
    assert use["reason"] == {"kind": "enabled_by_engagement"}


def test_a_weakness_the_model_states_is_answered_and_recorded_as_a_hint() -> None:
    # The exam platform's cluster says it has no network policies: the questions that
    # sentence answers are answered from the model with a weakness, and merging records one
    # open hint for it, which follows the model until someone analyses it.
    data = json.loads((ROOT / "examples" / "engagements" / "exam-platform.json").read_text())
    cluster = next(b for b in data["model"]["boundaries"] if b["id"] == "tb-cluster")
    cluster["description"] = "The production EKS cluster. No network policies yet."
    exams = ti.loads(json.dumps(data))
    generated = exams.generate_questions()
    statement = "The model says of Kubernetes cluster: \u201cNo network policies yet\u201d."
    weak = [
        q
        for q in generated
        if any(a["weakness"] and a["text"] == statement for a in q["answers"])
    ]
    assert len(weak) >= 2
    report = exams.merge(generated)
    hint_id = "model-" + weak[0]["id"]
    assert hint_id in report["hints_recorded"]
    hint = next(h for h in exams.hints if h["id"] == hint_id)
    assert hint["text"] == statement and hint["status"] == "open" and hint["from_model"] is True
    assert hint["subjects"] == [s for q in weak for s in q["subjects"]]
    assert exams.merge(exams.generate_questions())["hints_recorded"] == []
