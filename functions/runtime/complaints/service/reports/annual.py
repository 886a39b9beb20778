"""The annual report on complaints (SI 2006/1738 reg 13(3)).

Regulation 13 asks each council to publish, every year, a report on the representations it
received: how many, at which stage, who made them, what about, the outcomes, whether time
limits were met, advocacy, and the Ombudsman's involvement. ``annual_report`` computes every
figure from ``Case`` records; nothing here reads storage.

Which cases count: those **received** in the financial year (1 April to 31 March; ``year`` is
the first calendar year), followed to ``as_of``: a stage 2 started in May of the next year
counts for the year the complaint arrived. This is the cohort the ``ByReceived`` index holds.

Working days taken at a stage: working days from its start to its response
(``complaints.clock``), less the working days the clock stood still on hold. "Within the
timescale" compares the response with the stage's deadline from the procedure data, with any
agreed extension and holds (``service.deadlines``); "within the standard timescale" ignores
the extension.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from complaints.clock import financial_year, london_today, working_days_between
from complaints.dates import MONTHS
from complaints.models import Case, CaseStatus, StageRecord
from complaints.procedures import Procedure, get_procedure
from complaints.service.deadlines import days_on_hold, deadlines_for
from complaints.service.reports.common import (
    CHANNEL_LABELS,
    COMPLAINANT_GROUPS,
    GROUP_LABELS,
    OMBUDSMAN_INVESTIGATED,
    OMBUDSMAN_OUTCOME_LABELS,
    OUTCOME_LABELS,
    RELATIONSHIP_LABELS,
    Count,
    Figure,
    breakdown,
    ombudsman_category,
    percent,
    theme_label,
)
from complaints.settings import load_settings

STATUTORY = "children-act-1989"
FIRST_MONTH = 4  # the financial year starts on 1 April


class StageFigures(Figure):
    number: int
    name: str
    reached: int
    reached_percent: float | None  # of complaints received
    responded: int
    outcomes: list[Count]  # percent of responses at this stage
    within_timescale: int  # with agreed extensions and holds
    within_timescale_percent: float | None  # of responses
    within_standard: int  # without the extension
    within_standard_percent: float | None
    average_working_days: float | None  # start to response, less days on hold
    longest_working_days: int | None
    extended: int
    put_on_hold: int
    working_days_on_hold: int
    still_open: int
    still_open_past_deadline: int
    ended_without_response: int  # withdrawn, or moved on to the next stage unanswered


class Escalation(Figure):
    from_stage: int
    to_stage: int
    reached_from: int
    escalated: int
    rate_percent: float | None  # of those that reached ``from_stage``
    share_of_received_percent: float | None


class StageRequests(Figure):
    """Requests for a stage. A late request is never refused automatically: staff decide, with
    reasons (refusing even to consider one is fault: LGSCO)."""

    stage: int  # the stage asked for
    requests: int
    late: int
    late_accepted: int
    late_refused: int
    awaiting_decision: int


class Acknowledgement(Figure):
    """Stage 1 acknowledgements against the council's own promise (``council.yaml``)."""

    promise_working_days: int
    acknowledged: int
    in_time: int
    in_time_percent: float | None  # of those acknowledged


class Advocacy(Figure):
    asked_for_advocate: int
    had_advocate: int  # advocacy provided, or made by an advocate
    from_children: int
    from_children_with_advocate: int


class RecommendationFigures(Figure):
    stage: int | None  # None: all stages
    made: int
    accepted: int
    rejected: int
    awaiting_response: int
    completed: int
    overdue: int


class OmbudsmanFigures(Figure):
    enquiries: int
    investigated: int
    findings: list[Count]
    with_remedy: int


class LearningFigures(Figure):
    responded_complaints: int
    with_corrective_actions: int
    with_corrective_actions_percent: float | None  # of complaints with a response
    without_corrective_actions: int
    corrective_actions: int
    themes_with_actions: list[Count]
    statements: list[str]  # only when asked for: staff-written text, check before publishing


class DecisionFigures(Figure):
    """A decision the regulations require (late complaint, reg 9(2); sufficient interest,
    s26(3)(e); proceedings, reg 8), as made for the year's complaints."""

    kind: str
    label: str
    made: int
    accepted: int  # accepted, or (proceedings) went on
    refused: int  # refused, or (proceedings) held
    waiting: int


class Holds(Figure):
    """Complaints whose clock was stopped, by what was running (reg 8)."""

    complaints_held: int
    by_grounds: list[Count]


class Compensation(Figure):
    complaints_with_payment: int
    total_pence: int
    largest_pence: int


class AnnualReport(Figure):
    year: int
    label: str  # "2024-25"
    period_start: date
    period_end: date
    as_of: date
    year_complete: bool
    council: str
    procedure: str
    procedure_name: str
    demo_complaints: int
    received: int
    received_all_procedures: int
    by_procedure: list[Count]
    by_month: list[Count]
    by_channel: list[Count]  # online, phone, letter ...: how complaints arrived
    urgent: int
    withdrawn: int
    acknowledgement: Acknowledgement
    stages: list[StageFigures]
    escalation: list[Escalation]
    requests: list[StageRequests]
    complainants: list[Count]
    complainants_detail: list[Count]
    advocacy: Advocacy
    themes: list[Count]
    recommendations: list[RecommendationFigures]
    ombudsman: OmbudsmanFigures
    learning: LearningFigures
    compensation: Compensation
    decisions: list[DecisionFigures]
    holds: Holds


DECISION_LABELS = {
    "late_complaint": "Complaint made more than 12 months after the matter (reg 9(2))",
    "sufficient_interest": "Sufficient interest in the child's welfare (s26(3)(e))",
    "proceedings": "Going on while court proceedings or an investigation run (reg 8)",
}
GROUNDS_LABELS = {
    "court_proceedings": "Court proceedings",
    "police_investigation": "Police investigation",
    "other": "Another process",
}


def _decisions(cases: list[Case]) -> list[DecisionFigures]:
    rows: list[DecisionFigures] = []
    for kind, label in DECISION_LABELS.items():
        found = [d for c in cases for d in c.decisions if d.kind == kind]
        rows.append(
            DecisionFigures(
                kind=kind,
                label=label,
                made=sum(1 for d in found if d.decision is not None),
                accepted=sum(1 for d in found if d.decision in ("accepted", "proceed")),
                refused=sum(1 for d in found if d.decision in ("refused", "hold")),
                waiting=sum(1 for d in found if d.decision is None),
            )
        )
    return rows


def _holds(cases: list[Case]) -> Holds:
    held = [c for c in cases if any(s.holds for s in c.stages)]
    grounds = [h.grounds for c in held for s in c.stages for h in s.holds]
    return Holds(
        complaints_held=len(held),
        by_grounds=breakdown(grounds, GROUNDS_LABELS, len(grounds)),
    )


def year_label(year: int) -> str:
    """``2024`` -> ``2024-25``."""
    return f"{year}-{(year + 1) % 100:02d}"


def year_bounds(year: int) -> tuple[date, date]:
    """1 April ``year`` to 31 March the year after."""
    return date(year, FIRST_MONTH, 1), date(year + 1, FIRST_MONTH, 1) - timedelta(days=1)


def _months(year: int) -> list[tuple[int, int]]:
    return [(year + (FIRST_MONTH + i - 1) // 12, (FIRST_MONTH + i - 1) % 12 + 1) for i in range(12)]


def _working_days_taken(stage: StageRecord) -> int | None:
    if stage.responded_on is None:
        return None
    return working_days_between(stage.started_on, stage.responded_on) - days_on_hold(stage)


def _on_hold_now(stage: StageRecord) -> bool:
    return any(hold.ended_on is None for hold in stage.holds)


def _stage_figures(
    procedure: Procedure, number: int, cases: list[Case], received: int, as_of: date
) -> StageFigures:
    records: list[tuple[Case, StageRecord]] = [
        (case, stage) for case in cases for stage in case.stages if stage.number == number
    ]
    answered = [stage for _, stage in records if stage.responded_on is not None]
    in_time = 0
    in_standard = 0
    taken: list[int] = []
    for stage in answered:
        assert stage.responded_on is not None
        if stage.responded_on <= deadlines_for(procedure, stage).respond_by:
            in_time += 1
        standard = stage.model_copy(update={"extended_to": None})
        if stage.responded_on <= deadlines_for(procedure, standard).respond_by:
            in_standard += 1
        days = _working_days_taken(stage)
        assert days is not None
        taken.append(days)
    still_open = 0
    open_late = 0
    ended = 0
    for case, stage in records:
        if stage.responded_on is not None:
            continue
        if stage is case.stages[-1] and case.status is not CaseStatus.CLOSED:
            still_open += 1
            late = as_of > deadlines_for(procedure, stage).respond_by
            if late and not _on_hold_now(stage):
                open_late += 1
        else:
            ended += 1
    stage_data = procedure.stage(number)
    return StageFigures(
        number=number,
        name=stage_data.name,
        reached=len({case.reference for case, _ in records}),
        reached_percent=percent(len({case.reference for case, _ in records}), received),
        responded=len(answered),
        outcomes=breakdown(
            [s.outcome for s in answered if s.outcome],
            {k: OUTCOME_LABELS[k] for k in stage_data.outcomes},
            len(answered),
        ),
        within_timescale=in_time,
        within_timescale_percent=percent(in_time, len(answered)),
        within_standard=in_standard,
        within_standard_percent=percent(in_standard, len(answered)),
        average_working_days=round(sum(taken) / len(taken), 1) if taken else None,
        longest_working_days=max(taken) if taken else None,
        extended=sum(1 for _, s in records if s.extended_to),
        put_on_hold=sum(1 for _, s in records if s.holds),
        working_days_on_hold=sum(days_on_hold(s) for _, s in records),
        still_open=still_open,
        still_open_past_deadline=open_late,
        ended_without_response=ended,
    )


def _reached(case: Case, number: int) -> bool:
    return any(stage.number >= number for stage in case.stages)


def _escalation(procedure: Procedure, cases: list[Case], received: int) -> list[Escalation]:
    rows = []
    for stage in procedure.stages[:-1]:
        reached = sum(1 for c in cases if _reached(c, stage.number))
        escalated = sum(1 for c in cases if _reached(c, stage.number + 1))
        rows.append(
            Escalation(
                from_stage=stage.number,
                to_stage=stage.number + 1,
                reached_from=reached,
                escalated=escalated,
                rate_percent=percent(escalated, reached),
                share_of_received_percent=percent(escalated, received),
            )
        )
    return rows


def _requests(procedure: Procedure, cases: list[Case]) -> list[StageRequests]:
    rows = []
    for stage in procedure.stages[1:]:
        asked = [r for c in cases for r in c.requests if r.stage == stage.number]
        late = [r for r in asked if r.late]
        rows.append(
            StageRequests(
                stage=stage.number,
                requests=len(asked),
                late=len(late),
                late_accepted=sum(1 for r in late if r.decision == "accepted"),
                late_refused=sum(1 for r in late if r.decision == "refused"),
                awaiting_decision=sum(1 for r in late if r.decision is None),
            )
        )
    return rows


def _acknowledgement(cases: list[Case]) -> Acknowledgement:
    promise = load_settings().acknowledgement_working_days
    done = [c for c in cases if c.acknowledged_on is not None]
    in_time = sum(
        1
        for c in done
        if c.acknowledged_on
        and c.acknowledged_on
        <= deadlines_for(get_procedure(c.procedure), c.stages[0]).acknowledge_by
    )
    return Acknowledgement(
        promise_working_days=promise,
        acknowledged=len(done),
        in_time=in_time,
        in_time_percent=percent(in_time, len(done)),
    )


def _recommendations(
    procedure: Procedure, cases: list[Case], as_of: date
) -> list[RecommendationFigures]:
    recs = [rec for case in cases for rec in case.recommendations]

    def figures(stage: int | None) -> RecommendationFigures:
        chosen = [r for r in recs if stage is None or r.stage == stage]
        return RecommendationFigures(
            stage=stage,
            made=len(chosen),
            accepted=sum(1 for r in chosen if r.response == "accepted"),
            rejected=sum(1 for r in chosen if r.response == "rejected"),
            awaiting_response=sum(1 for r in chosen if r.response is None),
            completed=sum(1 for r in chosen if r.completed_on is not None),
            overdue=sum(1 for r in chosen if r.completed_on is None and r.overdue(as_of)),
        )

    return [figures(s.number) for s in procedure.stages if s.number > 1] + [figures(None)]


def _ombudsman(cases: list[Case]) -> OmbudsmanFigures:
    referrals = [c.ombudsman for c in cases if c.ombudsman is not None]
    outcomes = [ombudsman_category(r.outcome) for r in referrals]
    return OmbudsmanFigures(
        enquiries=len(referrals),
        investigated=sum(1 for o in outcomes if o in OMBUDSMAN_INVESTIGATED),
        findings=breakdown(outcomes, OMBUDSMAN_OUTCOME_LABELS, len(referrals)),
        with_remedy=sum(1 for r in referrals if r.remedy),
    )


def _learning(cases: list[Case], include_statements: bool) -> LearningFigures:
    answered = [c for c in cases if any(s.responded_on for s in c.stages)]
    with_actions = [c for c in cases if any(s.corrective_actions for s in c.stages)]
    themes = [
        theme
        for case in with_actions
        for theme in sorted({t for s in case.stages for t in s.themes})
    ]
    labels = {t: theme_label(t) for t in load_settings().themes}
    statements: list[str] = []
    if include_statements:
        seen = set()
        for case in cases:
            for stage in case.stages:
                text = (stage.learning or "").strip()
                if text and text not in seen:
                    seen.add(text)
                    statements.append(text)
    return LearningFigures(
        responded_complaints=len(answered),
        with_corrective_actions=len(with_actions),
        with_corrective_actions_percent=percent(len(with_actions), len(answered)),
        without_corrective_actions=sum(
            1 for c in answered if not any(s.corrective_actions for s in c.stages)
        ),
        corrective_actions=sum(len(s.corrective_actions) for c in cases for s in c.stages),
        themes_with_actions=breakdown(themes, labels, len(with_actions), keep_order=False),
        statements=statements,
    )


def annual_report(
    cases: Iterable[Case],
    year: int,
    *,
    procedure: str = STATUTORY,
    as_of: date | None = None,
    include_learning_statements: bool = False,
) -> AnnualReport:
    """Every figure of the regulation 13 report for complaints received in financial year
    ``year`` (1 April ``year`` to 31 March ``year + 1``) under ``procedure``.

    ``cases`` may hold other years and procedures: they are left out (other procedures are
    only counted). ``as_of`` (default: today in London) decides what is overdue.
    """
    today = as_of or london_today()
    chosen = get_procedure(procedure)
    settings = load_settings()
    start, end = year_bounds(year)
    in_year = [c for c in cases if financial_year(c.received_on) == year]
    mine = sorted(
        (c for c in in_year if c.procedure == procedure), key=lambda c: (c.received_on, c.reference)
    )
    received = len(mine)

    month_labels = {f"{y}-{m:02d}": f"{MONTHS[m - 1]} {y}" for y, m in _months(year)}
    procedure_labels = {chosen.id: chosen.name}
    for other in sorted({c.procedure for c in in_year} - {chosen.id}):
        try:
            procedure_labels[other] = get_procedure(other).name
        except KeyError:
            procedure_labels[other] = other
    groups = [COMPLAINANT_GROUPS[c.complainant.relationship] for c in mine]
    children = [c for c in mine if COMPLAINANT_GROUPS[c.complainant.relationship] == "child"]
    had_advocate = [
        c for c in mine if c.advocacy_provided or c.complainant.relationship == "advocate"
    ]
    theme_labels = {t: theme_label(t) for t in settings.themes}
    case_themes = [t for c in mine for t in sorted({t for s in c.stages for t in s.themes})]
    paid = [c.compensation_pence for c in mine if c.compensation_pence > 0]

    return AnnualReport(
        year=year,
        label=year_label(year),
        period_start=start,
        period_end=end,
        as_of=today,
        year_complete=today > end,
        council=settings.council.name,
        procedure=chosen.id,
        procedure_name=chosen.name,
        demo_complaints=sum(1 for c in mine if c.demo),
        received=received,
        received_all_procedures=len(in_year),
        by_procedure=breakdown([c.procedure for c in in_year], procedure_labels, len(in_year)),
        by_month=breakdown([f"{c.received_on:%Y-%m}" for c in mine], month_labels, received),
        by_channel=breakdown([c.channel for c in mine], CHANNEL_LABELS, received),
        urgent=sum(1 for c in mine if c.urgent),
        withdrawn=sum(1 for c in mine if c.closure_reason == "withdrawn"),
        acknowledgement=_acknowledgement(mine),
        stages=[_stage_figures(chosen, s.number, mine, received, today) for s in chosen.stages],
        escalation=_escalation(chosen, mine, received),
        requests=_requests(chosen, mine),
        complainants=breakdown(groups, GROUP_LABELS, received),
        complainants_detail=breakdown(
            [c.complainant.relationship.value for c in mine], RELATIONSHIP_LABELS, received
        ),
        advocacy=Advocacy(
            asked_for_advocate=sum(1 for c in mine if c.wants_advocate),
            had_advocate=len(had_advocate),
            from_children=len(children),
            from_children_with_advocate=sum(1 for c in children if c.advocacy_provided),
        ),
        themes=breakdown(case_themes, theme_labels, received, keep_order=False),
        recommendations=_recommendations(chosen, mine, today),
        ombudsman=_ombudsman(mine),
        learning=_learning(mine, include_learning_statements),
        compensation=Compensation(
            complaints_with_payment=len(paid),
            total_pence=sum(paid),
            largest_pence=max(paid, default=0),
        ),
        decisions=_decisions(mine),
        holds=_holds(mine),
    )
