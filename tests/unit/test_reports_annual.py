"""The annual report's figures equal the truth of the data, computed independently here."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from complaints.models import (
    Case,
    CaseStatus,
    Hold,
    OmbudsmanReferral,
    Recommendation,
    StageRecord,
    StageRequest,
)
from complaints.procedures import get_procedure
from complaints.service.reports import annual_report
from complaints.settings import load_settings
from complaints.submission import Relationship
from complaints_tools.demo import generate_year
from tests.unit.report_cases import make_case, nth_working_day, working_days

YEAR = 2024
AS_OF = date(2025, 9, 30)
STATUTORY = get_procedure("children-act-1989")
STAGE_1 = STATUTORY.stage(1).response  # timescales from the data, never typed here
STAGE_2 = STATUTORY.stage(2).response


def pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


@pytest.fixture(scope="module")
def demo_cases() -> list[Case]:
    return generate_year(YEAR, seed=7, today=AS_OF)


@pytest.fixture(scope="module")
def statutory(demo_cases: list[Case]) -> list[Case]:
    return [c for c in demo_cases if c.procedure == "children-act-1989"]


def _held(stage: StageRecord) -> int:
    return sum(working_days(h.started_on, h.ended_on) for h in stage.holds if h.ended_on)


def _due(stage: StageRecord, working: int) -> date:
    return nth_working_day(stage.started_on, working + _held(stage))


def test_counts_and_shares_match_the_generated_year(
    demo_cases: list[Case], statutory: list[Case]
) -> None:
    report = annual_report(demo_cases, YEAR, as_of=AS_OF)

    assert report.received == len(statutory)
    assert report.received_all_procedures == len(demo_cases)
    assert report.demo_complaints == len(statutory)
    children = [
        c
        for c in statutory
        if c.complainant.relationship
        in (Relationship.CHILD_OR_YOUNG_PERSON, Relationship.CARE_LEAVER)
    ]
    groups = {row.key: row for row in report.complainants}
    assert groups["child"].count == len(children)
    assert groups["child"].percent == pct(len(children), len(statutory))
    assert sum(row.count for row in report.complainants) == len(statutory)
    assert report.advocacy.from_children_with_advocate == sum(
        1 for c in children if c.advocacy_provided
    )
    assert report.advocacy.had_advocate == sum(
        1
        for c in statutory
        if c.advocacy_provided or c.complainant.relationship is Relationship.ADVOCATE
    )
    months = Counter((c.received_on.year, c.received_on.month) for c in statutory)
    assert [row.count for row in report.by_month] == [
        months[(YEAR + (m < 4), m)] for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
    ]

    for number in (1, 2, 3):
        reached = [c for c in statutory if any(s.number == number for s in c.stages)]
        figures = report.stages[number - 1]
        assert figures.reached == len(reached)
        assert figures.reached_percent == pct(len(reached), len(statutory))
        answered = [s for c in reached for s in c.stages if s.number == number and s.responded_on]
        assert figures.responded == len(answered)
        outcomes = Counter(s.outcome for s in answered)
        assert {o.key: o.count for o in figures.outcomes if o.count} == dict(outcomes)
        for row in figures.outcomes:
            assert row.percent == pct(outcomes[row.key], len(answered))

    escalated = sum(1 for c in statutory if len(c.stages) > 1)
    assert report.escalation[0].escalated == escalated
    assert report.escalation[0].share_of_received_percent == pct(escalated, len(statutory))

    themes = Counter(t for c in statutory for t in {t for s in c.stages for t in s.themes})
    assert {t.key: t.count for t in report.themes if t.count} == dict(themes)


def test_timeliness_matches_an_independent_working_day_count(statutory: list[Case]) -> None:
    report = annual_report(statutory, YEAR, as_of=AS_OF)
    for number, response in ((1, STAGE_1), (2, STAGE_2)):
        stages = [s for c in statutory for s in c.stages if s.number == number and s.responded_on]
        assert stages, "the demo year should answer some complaints at this stage"
        taken = [working_days(s.started_on, s.responded_on) - _held(s) for s in stages]  # type: ignore[arg-type]
        in_time = [
            s
            for s in stages
            if s.responded_on <= _due(s, s.extended_to or response.working_days)  # type: ignore[operator]
        ]
        in_standard = [
            s
            for s in stages
            if s.responded_on <= _due(s, response.working_days)  # type: ignore[operator]
        ]
        figures = report.stages[number - 1]
        assert figures.average_working_days == round(sum(taken) / len(taken), 1)
        assert figures.longest_working_days == max(taken)
        assert figures.within_timescale == len(in_time)
        assert figures.within_timescale_percent == pct(len(in_time), len(stages))
        assert figures.within_standard == len(in_standard)
        assert figures.extended == sum(
            1 for c in statutory for s in c.stages if s.number == number and s.extended_to
        )


def test_recommendations_ombudsman_learning_and_compensation(statutory: list[Case]) -> None:
    report = annual_report(statutory, YEAR, as_of=AS_OF)
    recs = [r for c in statutory for r in c.recommendations]
    total = report.recommendations[-1]
    assert total.stage is None
    assert total.made == len(recs) > 0
    assert total.accepted == sum(1 for r in recs if r.response == "accepted")
    assert total.completed == sum(1 for r in recs if r.completed_on)
    assert total.overdue == sum(
        1 for r in recs if r.response == "accepted" and not r.completed_on and r.due_on < AS_OF
    )
    referrals = [c.ombudsman for c in statutory if c.ombudsman]
    assert report.ombudsman.enquiries == len(referrals)
    answered = [c for c in statutory if any(s.responded_on for s in c.stages)]
    acted = [c for c in statutory if any(s.corrective_actions for s in c.stages)]
    assert report.learning.with_corrective_actions == len(acted)
    assert report.learning.without_corrective_actions == len(answered) - len(acted)
    assert report.learning.statements == []  # free text only when asked for
    paid = [c.compensation_pence for c in statutory if c.compensation_pence]
    assert report.compensation.total_pence == sum(paid)
    assert report.compensation.complaints_with_payment == len(paid)


def test_holds_extensions_and_lateness_are_measured_as_the_regulations_count_them() -> None:
    # Mon 19 May 2025; on hold Fri 23 May to Fri 30 May (4 working days: 26 May is a holiday).
    start = date(2025, 5, 19)
    hold = Hold(started_on=date(2025, 5, 23), ended_on=date(2025, 5, 30), reason="police")
    held = make_case(
        start,
        status=CaseStatus.RESPONDED,
        stages=[
            StageRecord(
                number=1,
                started_on=start,
                holds=[hold],
                responded_on=nth_working_day(start, STAGE_1.working_days + 4),
                outcome="upheld",
            )
        ],
    )
    assert STAGE_1.extendable_to is not None
    extended = make_case(
        start,
        status=CaseStatus.RESPONDED,
        stages=[
            StageRecord(
                number=1,
                started_on=start,
                extended_to=STAGE_1.extendable_to,
                responded_on=nth_working_day(start, STAGE_1.working_days + 1),
                outcome="not_upheld",
            )
        ],
    )
    late = make_case(
        start,
        status=CaseStatus.RESPONDED,
        stages=[
            StageRecord(
                number=1,
                started_on=start,
                responded_on=nth_working_day(start, STAGE_1.working_days + 1),
                outcome="partly_upheld",
            )
        ],
    )
    open_late = make_case(start)  # never answered
    open_on_hold = make_case(
        start,
        status=CaseStatus.ON_HOLD,
        stages=[
            StageRecord(
                number=1,
                started_on=start,
                holds=[Hold(started_on=date(2025, 5, 20), reason="court proceedings")],
            )
        ],
    )
    report = annual_report(
        [held, extended, late, open_late, open_on_hold], 2025, as_of=date(2025, 9, 1)
    )
    stage = report.stages[0]
    assert stage.responded == 3
    assert stage.within_timescale == 2  # the held one and the extended one
    assert stage.within_standard == 1  # only the held one: holds stop the clock
    assert stage.longest_working_days == STAGE_1.working_days + 1
    assert stage.average_working_days == round(
        (STAGE_1.working_days + 2 * (STAGE_1.working_days + 1)) / 3, 1
    )
    assert (stage.extended, stage.put_on_hold, stage.working_days_on_hold) == (1, 2, 4)
    assert (stage.still_open, stage.still_open_past_deadline) == (2, 1)  # on hold is not late


def test_other_years_and_procedures_are_left_out() -> None:
    cases = [
        make_case(date(2024, 3, 31)),  # financial year 2023
        make_case(date(2024, 4, 1)),
        make_case(date(2025, 3, 31)),
        make_case(date(2025, 4, 1)),  # financial year 2025
        make_case(date(2024, 6, 1), procedure="corporate"),
    ]
    report = annual_report(cases, 2024, as_of=date(2025, 6, 1))
    assert report.received == 2
    assert report.received_all_procedures == 3
    assert {row.key: row.count for row in report.by_procedure} == {
        "children-act-1989": 2,
        "corporate": 1,
    }
    assert (report.period_start, report.period_end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert report.label == "2024-25"


def test_recommendation_states() -> None:
    def rec(rid: str, **fields: object) -> Recommendation:
        return Recommendation(
            id=rid,
            stage=2,
            text="x",
            owner="y",
            due_on=fields.pop("due_on", date(2025, 7, 1)),  # type: ignore[arg-type]
            **fields,  # type: ignore[arg-type]
        )

    case = make_case(
        date(2025, 4, 2),
        stages=[
            StageRecord(number=1, started_on=date(2025, 4, 2), responded_on=date(2025, 4, 10)),
            StageRecord(number=2, started_on=date(2025, 4, 20), responded_on=date(2025, 5, 20)),
        ],
        status=CaseStatus.RESPONDED,
        recommendations=[
            rec("a", response="accepted"),  # overdue: due 1 July, not done
            rec("b", response="accepted", completed_on=date(2025, 6, 1)),
            rec("c", response="rejected", reasons="r"),  # rejected: never overdue
            rec("d"),  # no response yet, due later
            rec("e", response="accepted", due_on=date(2025, 12, 1)),
        ],
        ombudsman=OmbudsmanReferral(referred_on=date(2025, 7, 1), outcome="fault_found"),
        compensation_pence=30_000,
    )
    report = annual_report([case], 2025, as_of=date(2025, 8, 1))
    stage2 = report.recommendations[0]
    assert stage2.stage == 2
    assert (stage2.made, stage2.accepted, stage2.rejected, stage2.awaiting_response) == (
        5,
        3,
        1,
        1,
    )
    assert (stage2.completed, stage2.overdue) == (1, 2)  # "a", and "d" is past its due date
    assert report.ombudsman.enquiries == report.ombudsman.investigated == 1
    assert report.compensation.total_pence == 30_000


def test_an_empty_year_has_zeros_and_no_made_up_percentages() -> None:
    report = annual_report([], 2024, as_of=date(2025, 6, 1))
    assert report.received == 0
    assert all(row.count == 0 and row.percent is None for row in report.complainants)
    for stage in report.stages:
        assert (stage.reached, stage.responded) == (0, 0)
        assert stage.within_timescale_percent is None
        assert stage.average_working_days is None
        assert stage.longest_working_days is None
    assert all(e.rate_percent is None for e in report.escalation)
    assert report.recommendations[-1].made == 0
    assert report.compensation.total_pence == 0


def test_a_year_with_only_open_cases() -> None:
    days = [date(2025, 4, 1), date(2025, 6, 2), date(2025, 9, 15)]
    cases = [make_case(d) for d in days]
    as_of = date(2025, 9, 22)
    report = annual_report(cases, 2025, as_of=as_of)
    stage = report.stages[0]
    assert (report.received, stage.reached, stage.responded) == (3, 3, 0)
    assert stage.within_timescale_percent is None
    assert stage.average_working_days is None
    assert stage.still_open == 3
    assert stage.still_open_past_deadline == sum(
        1 for d in days if as_of > nth_working_day(d, STAGE_1.working_days)
    )
    assert stage.still_open_past_deadline == 2
    assert report.learning.responded_complaints == 0
    assert report.year_complete is False


@pytest.mark.parametrize(
    ("recorded", "published"),
    [
        (None, "awaiting"),
        ("Fault found", "fault_found"),
        ("no fault", "no_fault"),
        ("Premature", "referred_back"),
        ("closed after initial enquiries", "closed_after_initial_enquiries"),
        ("Spoke to Mrs Jones, who was upset", "other"),  # free text is never published
    ],
)
def test_ombudsman_outcomes_are_published_only_as_categories(
    recorded: str | None, published: str
) -> None:
    case = make_case(
        date(2025, 4, 2),
        ombudsman=OmbudsmanReferral(referred_on=date(2025, 5, 1), outcome=recorded),
    )
    report = annual_report([case], 2025, as_of=date(2025, 8, 1))
    assert {row.key for row in report.ombudsman.findings if row.count} == {published}
    assert "Jones" not in report.model_dump_json()


def test_requests_withdrawals_and_acknowledgements_match_the_data(statutory: list[Case]) -> None:
    report = annual_report(statutory, YEAR, as_of=AS_OF)
    for row in report.requests:
        asked = [r for c in statutory for r in c.requests if r.stage == row.stage]
        assert row.requests == len(asked)
        assert row.late == sum(1 for r in asked if r.late)
        assert row.late_refused == sum(1 for r in asked if r.late and r.decision == "refused")
    assert report.requests[0].requests == sum(1 for c in statutory if c.requests)
    assert report.withdrawn == sum(1 for c in statutory if c.closure_reason == "withdrawn")
    promise = load_settings().acknowledgement_working_days
    acknowledged = [c for c in statutory if c.acknowledged_on]
    in_time = [
        c
        for c in acknowledged
        if c.acknowledged_on <= nth_working_day(c.received_on, promise)  # type: ignore[operator]
    ]
    assert report.acknowledgement.acknowledged == len(acknowledged)
    assert report.acknowledgement.in_time_percent == pct(len(in_time), len(acknowledged))


def test_a_late_request_refused_is_counted_not_hidden() -> None:
    start = date(2025, 4, 7)
    case = make_case(
        start,
        status=CaseStatus.RESPONDED,
        stages=[StageRecord(number=1, started_on=start, responded_on=date(2025, 4, 14))],
        requests=[
            StageRequest(
                stage=2,
                requested_on=date(2025, 6, 30),
                by="complainant",
                late=True,
                decision="refused",
                decision_reasons="r",
            )
        ],
    )
    waiting = make_case(
        start,
        status=CaseStatus.AWAITING_DECISION,
        stages=[StageRecord(number=1, started_on=start, responded_on=date(2025, 4, 14))],
        requests=[
            StageRequest(stage=2, requested_on=date(2025, 7, 1), by="complainant", late=True)
        ],
    )
    report = annual_report([case, waiting], 2025, as_of=date(2025, 8, 1))
    stage2 = report.requests[0]
    assert (stage2.stage, stage2.requests, stage2.late) == (2, 2, 2)
    assert (stage2.late_accepted, stage2.late_refused, stage2.awaiting_decision) == (0, 1, 1)
    assert report.stages[1].reached == 0  # a request is not a stage reached


def test_the_decisions_the_regulations_require_and_the_holds_are_counted() -> None:
    from complaints.models import Decision
    from complaints.service import lifecycle as lc
    from tests.unit.lifecycle_fixtures import act, new_case

    late = new_case(date(2025, 5, 6), ref="LATE0001")
    late.decisions.append(Decision(kind="late_complaint"))
    refused = lc.decide_late_complaint(late, act(date(2025, 5, 7)), accept=False, reasons="x")
    other = new_case(date(2025, 5, 6), ref="INTR0001")
    other.decisions.append(Decision(kind="sufficient_interest"))
    held = lc.decide_proceedings(
        new_case(date(2025, 5, 6), ref="HELD0001"),
        act(date(2025, 5, 7)),
        hold=True,
        grounds="police_investigation",
        reasons="x",
    )
    report = annual_report([refused.case, other, held.case], 2025, as_of=date(2025, 8, 1))
    rows = {row.kind: row for row in report.decisions}
    assert (rows["late_complaint"].made, rows["late_complaint"].refused) == (1, 1)
    assert (rows["sufficient_interest"].made, rows["sufficient_interest"].waiting) == (0, 1)
    assert (rows["proceedings"].made, rows["proceedings"].refused) == (1, 1)  # held
    assert report.holds.complaints_held == 1
    (police,) = [row for row in report.holds.by_grounds if row.count]
    assert police.label == "Police investigation"
