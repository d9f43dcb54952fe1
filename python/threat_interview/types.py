"""The shapes of the data ``threat_interview`` hands to Python, for type checkers.

Every dict the library returns has every key of its ``TypedDict``, with ``None`` or an empty
list where the engagement file leaves the field out, so ``question["subjects"]`` never raises
``KeyError``. Names that come from a closed set are ``Literal`` types.
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, TypedDict, Union

__all__ = [
    "AgendaItem",
    "Answer",
    "AnswerChannel",
    "AssuranceLevel",
    "BuiltInRole",
    "CalendarInterview",
    "CalendarSummary",
    "Category",
    "ContactChannel",
    "CoverageItem",
    "CoverageStatus",
    "CoverageTotals",
    "Deferred",
    "Diagnostic",
    "DocumentCounts",
    "Effort",
    "EngagementPlan",
    "ForeignFormatName",
    "InterviewPlan",
    "MergeReport",
    "Provenance",
    "Question",
    "QuestionFileExport",
    "QuestionStatus",
    "Readiness",
    "RoleReadiness",
    "RoleTotals",
    "ScopeCounts",
    "Severity",
    "SubjectKind",
    "TemplateWithoutRule",
    "TopicsExport",
]

Category = Literal[
    "spoofing",
    "tampering",
    "repudiation",
    "information_disclosure",
    "denial_of_service",
    "elevation_of_privilege",
]
"""A STRIDE category."""

BuiltInRole = Literal[
    "business_stakeholder",
    "architect",
    "lead_developer",
    "deployment_owner",
    "production_owner",
]
"""A built-in role; a custom role is any other id the engagement declares."""

QuestionStatus = Literal["open", "asked", "answered", "skipped"]
CoverageStatus = Literal["not_surfaced", "skipped", "generated", "planned", "asked", "answered"]
Severity = Literal["error", "warning"]
AnswerChannel = Literal["interview", "follow_up", "document", "email", "chat", "other", "model"]
ContactChannel = Literal["email", "chat", "phone", "other"]
SubjectKind = Literal["external_interactor", "process", "data_store", "data_flow"]
AssuranceLevel = Literal["fast", "standard", "high"]
ForeignFormatName = Literal["threat-dragon", "otm", "tm7", "tms", "tm", "tmj"]
"""A format of another tool, as ``import_file(path, from_=...)`` takes it."""


class Diagnostic(TypedDict):
    """One problem: a stable code, where it is, and what is wrong."""

    code: str
    pointer: str
    message: str
    line: Optional[int]
    column: Optional[int]
    severity: Severity


class AnswerException(TypedDict):
    """In an answer about several subjects, one subject it does not hold for as it does for the
    others."""

    subject: str
    text: str


class CoveredPair(TypedDict):
    """A (subject, STRIDE category) pair a question covers besides its own subjects."""

    subject: str
    category: Category


class Answer(TypedDict):
    """An answer to a question."""

    text: str
    by: Optional[str]
    at: Optional[str]
    via: AnswerChannel
    reference: Optional[str]
    exceptions: List[AnswerException]
    # An answer from the model that states a possible weakness: merging records a hint for it.
    weakness: bool
    extensions: Optional[Dict[str, Any]]


class Provenance(TypedDict):
    """Where a generated question came from."""

    template: str
    bank: str
    matched: List[str]


class Question(TypedDict):
    """A question, the one shape everywhere: lists stay lists."""

    id: str
    text: str
    category: Optional[Category]
    subjects: List[str]
    also_covers: List[CoveredPair]
    role: str
    priority: int
    minutes: int
    rationale: Optional[str]
    follow_up_prompts: List[str]
    references: List[str]
    status: QuestionStatus
    skip_reason: Optional[str]
    obsolete: bool
    answers: List[Answer]
    provenance: Optional[Provenance]
    extensions: Optional[Dict[str, Any]]


class CoverageItem(TypedDict):
    """One (subject, STRIDE category) pair and how far it has got."""

    subject: str
    name: str
    kind: SubjectKind
    category: Category
    status: CoverageStatus
    questions: List[str]


class CoverageTotals(TypedDict):
    """Counts of pairs by status."""

    pairs: int
    not_surfaced: int
    skipped: int
    generated: int
    planned: int
    asked: int
    answered: int


class RoleTotals(TypedDict):
    """Counts of one role's live questions by status, and their minutes."""

    questions: int
    open: int
    asked: int
    answered: int
    skipped: int
    minutes: int


class MergeReport(TypedDict):
    """What merging questions into an engagement changed, by question id."""

    added: List[str]
    refreshed: List[str]
    obsoleted: List[str]
    revived: List[str]
    kept_answered: List[str]
    # Hints recorded from the model (answers from the model that state a weakness), by hint id.
    hints_recorded: List[str]
    hints_refreshed: List[str]
    hints_withdrawn: List[str]


class AgendaItem(TypedDict):
    """A question on an agenda: the minutes set aside for it, its score, and why it was chosen
    (``opener``, ``engagement``, ``coverage``: it surfaces ``new_pairs`` pairs no earlier
    question does, or ``score``)."""

    question: str
    minutes: int
    score: int
    reason: Literal["opener", "engagement", "stated", "coverage", "score"]
    new_pairs: int


class Deferred(TypedDict):
    """A question that did not fit an interview's time box."""

    question: str
    minutes: int
    score: int
    next_interview: Optional[str]


class InterviewPlan(TypedDict):
    """The agenda given to one interview, and what did not fit."""

    interview: str
    agenda: List[AgendaItem]
    minutes_used: int
    minutes_available: int
    if_time_permits: List[AgendaItem]
    deferred: List[Deferred]
    deferred_count: int
    carried_over: int


class PackInfo(TypedDict):
    """A question pack: questions for one technology or regulation."""

    id: str
    name: str
    description: Optional[str]
    templates: int
    sources: List[str]


class PackReason(TypedDict, total=False):
    """Why a pack applies or not: ``kind`` is ``called_for`` (with the ``subject`` that calls
    for it and the ``matched`` condition nodes), ``enabled_by_engagement``,
    ``disabled_by_engagement``, ``not_called_for``, or ``ruled_out_by_engagement`` (with the
    engagement's ``statement`` that rules it out, such as an assumption)."""

    kind: Literal[
        "called_for",
        "enabled_by_engagement",
        "disabled_by_engagement",
        "not_called_for",
        "ruled_out_by_engagement",
    ]
    subject: str
    matched: List[str]
    statement: str


class PackUse(TypedDict):
    """Whether a pack applies to an engagement, and why."""

    id: str
    name: str
    active: bool
    reason: PackReason


class PlanGap(TypedDict):
    """A (subject, STRIDE category) pair on no agenda after planning."""

    subject: str
    category: Category
    has_question: bool


class EngagementPlan(TypedDict):
    """The plans of every planned interview, and the questions no interview could take."""

    interviews: List[InterviewPlan]
    did_not_fit: List[Deferred]
    gaps: List[PlanGap]


class TopicsExport(TypedDict):
    """What ``export_tms`` wrote into a Threats Manager Studio model."""

    topics: int
    answers: int
    warnings: List[Diagnostic]


class TemplateWithoutRule(TypedDict):
    """A template ``export_tmq`` left out: its id, and the operator that has no rule."""

    template: str
    reason: str


class QuestionFileExport(TypedDict):
    """What ``export_tmq`` wrote: the templates written, and those with no rule."""

    written: List[str]
    without_rule: List[TemplateWithoutRule]


class CalendarInterview(TypedDict):
    """An interview of a proposed calendar: when, how long, with whom, and what for."""

    id: str
    title: str
    day: int
    date: Optional[str]
    slot: Literal["morning", "afternoon"]
    start: Optional[str]
    minutes: int
    roles: List[str]
    participants: List[str]
    goals: List[str]


class ScopeCounts(TypedDict):
    """How many items the scope lists."""

    in_scope: int
    out_of_scope: int
    assumptions: int


class DocumentCounts(TypedDict):
    """How many documents stand at each status."""

    requested: int
    received: int
    reviewed: int


class RoleReadiness(TypedDict):
    """A role, whether the assurance level interviews it, and who holds it."""

    role: str
    required: bool
    participants: List[str]


class CalendarSummary(TypedDict):
    """The calendar in figures (cancelled interviews left out)."""

    interviews: int
    minutes: int
    days: int
    first_date: Optional[str]
    last_date: Optional[str]


class Effort(TypedDict):
    """The effort for one threat modeler, in minutes (``docs/workflow.md``)."""

    preparation_minutes: int
    interview_minutes: int
    analysis_minutes: int
    total_minutes: int
    model_items: int
    stride_pairs: int


class Readiness(TypedDict):
    """How far an engagement's preparation has come, and what is missing."""

    level: AssuranceLevel
    scope: ScopeCounts
    documents: DocumentCounts
    roles: List[RoleReadiness]
    calendar: CalendarSummary
    calibrated: bool
    effort: Effort
    ready: bool
    warnings: List[Diagnostic]


JsonValue = Union[None, bool, int, float, str, List[Any], Dict[str, Any]]
