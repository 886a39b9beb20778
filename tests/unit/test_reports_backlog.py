"""The live backlog: overdue, due soon, on hold, ageing and the oldest cases."""

from __future__ import annotations

from datetime import date

from complaints.clock import add_working_days
from complaints.models import CaseStatus, Hold, StageRecord
from complaints.procedures import get_procedure
from complaints.service.reports import backlog
from complaints_tools.demo import generate_year
from tests.unit.report_cases import make_case, nth_working_day, working_days

TODAY = date(2025, 11, 26)  # a Wednesday
STAGE_1 = get_procedure("children-act-1989").stage(1).response.working_days


def _received_so_due_in(working: int) -> date:
    """A receipt date (today or earlier) whose stage 1 deadline is ``working`` working days
    after TODAY (negative: before it), counted independently of the code under test."""
    day = TODAY
    for _ in range(400):
        due = nth_working_day(day, STAGE_1)
        offset = working_days(TODAY, due) if due >= TODAY else -working_days(due, TODAY)
        if offset == working and (working != 0 or due == TODAY):
            return day
        day = date.fromordinal(day.toordinal() - 1)
    raise AssertionError(f"no receipt date is due in {working} working days")


def test_overdue_due_soon_on_hold_and_answered_are_told_apart() -> None:
    overdue_a = make_case(_received_so_due_in(-3))
    overdue_b = make_case(_received_so_due_in(-30))
    due_today = make_case(_received_so_due_in(0))
    due_in_5 = make_case(_received_so_due_in(5))  # the 5th working day: due soon
    due_in_6 = make_case(_received_so_due_in(6))  # one day too far
    old_start = _received_so_due_in(-40)
    on_hold = make_case(
        old_start,
        status=CaseStatus.ON_HOLD,
        stages=[
            StageRecord(
                number=1,
                started_on=old_start,
                holds=[Hold(started_on=old_start, reason="police investigation")],
            )
        ],
    )
    answered = make_case(
        date(2025, 10, 1),
        status=CaseStatus.RESPONDED,
        stages=[
            StageRecord(number=1, started_on=date(2025, 10, 1), responded_on=date(2025, 10, 8))
        ],
    )
    closed = make_case(date(2025, 1, 6), status=CaseStatus.CLOSED)
    cases = [overdue_a, overdue_b, due_today, due_in_5, due_in_6, on_hold, answered, closed]

    result = backlog(cases, TODAY)

    assert result.not_closed == 7
    assert result.running == 5
    assert result.on_hold == 1
    assert result.overdue == 2
    assert [c.reference for c in result.overdue_cases] == [
        overdue_b.reference,
        overdue_a.reference,
    ]  # most overdue first
    assert [c.working_days_overdue for c in result.overdue_cases] == [30, 3]
    assert result.due_soon == 2  # due today and due on the 5th working day
    assert result.due_soon_until == nth_working_day(TODAY, 5)
    (row,) = result.rows
    assert (row.procedure, row.stage) == ("children-act-1989", 1)
    assert (row.running, row.on_hold, row.answered, row.overdue, row.due_soon) == (5, 1, 1, 2, 2)
    assert closed.reference not in {c.reference for c in result.oldest}
    assert result.oldest[0].reference == on_hold.reference
    assert result.oldest[0].respond_by is None  # the clock is stopped
    ages = [c.age_working_days for c in result.oldest]
    assert ages == sorted(ages, reverse=True)
    assert sum(band.count for band in result.ageing) == 7


def test_ageing_bands_follow_working_days_since_receipt() -> None:
    ages = [0, 20, 21, 40, 41, 60, 61, 120, 121, 300]
    cases = []
    for age in ages:
        day = TODAY
        while working_days(day, TODAY) < age:
            day = date.fromordinal(day.toordinal() - 1)
        cases.append(make_case(day))
    result = backlog(cases, TODAY)
    assert [band.count for band in result.ageing] == [2, 2, 2, 2, 2]


def test_backlog_of_a_demo_year_lists_every_overdue_case_by_reference_only() -> None:
    cases = generate_year(2025, seed=3, today=TODAY)
    result = backlog(cases, TODAY)
    truly_overdue = {
        c.reference
        for c in cases
        if c.status is CaseStatus.OPEN
        and c.stage.responded_on is None
        and (c.stage.respond_by or TODAY) < TODAY
    }
    assert result.overdue >= 1
    assert {c.reference for c in result.overdue_cases} == truly_overdue
    dumped = result.model_dump_json()
    for case in cases:
        assert case.complainant.name not in dumped
        assert case.complainant.email not in dumped


def test_nothing_open() -> None:
    result = backlog([], TODAY)
    assert (result.not_closed, result.overdue, result.due_soon) == (0, 0, 0)
    assert result.overdue_percent is None
    assert result.rows == []


def test_a_missed_panel_meeting_is_overdue_before_the_response_deadline() -> None:
    """A stage is overdue when the panel did not meet in time, although the council's
    response is not due yet; it is late by the working days since the panel's deadline."""
    start = add_working_days(TODAY, -35)  # the panel was due 30 working days on: 5 ago
    stages = [
        StageRecord(number=1, started_on=date(2025, 6, 2), responded_on=date(2025, 6, 10)),
        StageRecord(number=2, started_on=date(2025, 6, 20), responded_on=date(2025, 7, 20)),
        StageRecord(number=3, started_on=start),
    ]
    case = make_case(date(2025, 6, 2), stages=stages)
    result = backlog([case], TODAY)
    assert result.overdue == 1
    assert result.overdue_cases[0].working_days_overdue == 5
    assert result.overdue_cases[0].respond_by is not None
    assert result.overdue_cases[0].respond_by >= TODAY
