"""The live backlog: every case not yet closed, and which are overdue or nearly due.

What the Kent backlog (170 complaints past their deadline) shows a council needs to see every
morning. Pure: give it the cases not closed (the ``ByStatus`` index) and today's date.

A case counts as overdue exactly as ``complaints list --overdue`` counts it
(``service.deadlines.is_overdue``): its current stage is running (status ``open``) and today is
after one of the stage's deadlines in force (extensions and finished holds included) with that
step not done (the response, or e.g. the review panel meeting). A case on hold is not overdue:
its clock is stopped (reg 8). "Working days overdue" counts from the deadline missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from complaints.clock import add_working_days, working_days_between
from complaints.models import Case, CaseStatus
from complaints.procedures import get_procedure
from complaints.service.deadlines import case_deadlines, overdue_since
from complaints.service.reports.common import CHANNEL_LABELS, Count, Figure, breakdown, percent

DUE_SOON_WORKING_DAYS = 5  # "due in the next 5 working days": a reporting window, not a timescale
OLDEST_SHOWN = 10

# Age bands in working days since receipt: roughly one, two, three and six months.
AGE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("up to 20 working days", 20),
    ("21 to 40 working days", 40),
    ("41 to 60 working days", 60),
    ("61 to 120 working days", 120),
    ("more than 120 working days", None),
)

STATUS_LABELS = {
    CaseStatus.OPEN: "Stage running",
    CaseStatus.ON_HOLD: "On hold",
    CaseStatus.AWAITING_DECISION: "Late request awaiting a decision",
    CaseStatus.RESPONDED: "Answered, next stage may be asked for",
}


class BacklogCase(Figure):
    """One case, by reference only: no names or complaint text."""

    reference: str
    procedure: str
    stage: int
    status: str
    received_on: date
    stage_started_on: date
    respond_by: date | None  # None when the stage has been answered or the clock is stopped
    age_working_days: int
    working_days_overdue: int | None


class BacklogRow(Figure):
    procedure: str
    procedure_name: str
    stage: int
    stage_name: str
    not_closed: int
    running: int
    on_hold: int
    awaiting_decision: int
    answered: int
    overdue: int
    due_soon: int


class Backlog(Figure):
    today: date
    due_soon_until: date
    due_soon_working_days: int
    not_closed: int
    running: int
    overdue: int
    overdue_percent: float | None  # of stages running
    due_soon: int
    on_hold: int
    rows: list[BacklogRow]
    ageing: list[Count]
    by_channel: list[Count]  # how the cases not closed arrived
    overdue_cases: list[BacklogCase]  # most overdue first
    oldest: list[BacklogCase]


def _view(case: Case, today: date) -> BacklogCase:
    stage = case.stage
    respond_by = None
    if case.status is CaseStatus.OPEN and stage.responded_on is None:
        respond_by = case_deadlines(case).respond_by
    late_since = overdue_since(case, today)  # as `complaints list --overdue`
    overdue = None if late_since is None else working_days_between(late_since, today)
    return BacklogCase(
        reference=case.reference,
        procedure=case.procedure,
        stage=stage.number,
        status=case.status.value,
        received_on=case.received_on,
        stage_started_on=stage.started_on,
        respond_by=respond_by,
        age_working_days=working_days_between(case.received_on, today),
        working_days_overdue=overdue,
    )


def _band(age: int) -> str:
    for label, upper in AGE_BANDS:
        if upper is None or age <= upper:
            return label
    raise AssertionError("the last band is open-ended")


def backlog(
    cases: Iterable[Case], today: date, *, due_within: int = DUE_SOON_WORKING_DAYS
) -> Backlog:
    """The backlog on ``today`` of the cases given (closed ones are ignored)."""
    live = sorted(
        (c for c in cases if c.status is not CaseStatus.CLOSED),
        key=lambda c: (c.received_on, c.reference),
    )
    views = [_view(c, today) for c in live]
    due_soon_until = add_working_days(today, due_within)

    def is_overdue(view: BacklogCase) -> bool:
        return view.working_days_overdue is not None

    def is_due_soon(view: BacklogCase) -> bool:
        return view.respond_by is not None and today <= view.respond_by <= due_soon_until

    rows = []
    for procedure_id in sorted({v.procedure for v in views}):
        procedure = get_procedure(procedure_id)
        for stage in procedure.stages:
            here = [v for v in views if v.procedure == procedure_id and v.stage == stage.number]
            if not here:
                continue
            rows.append(
                BacklogRow(
                    procedure=procedure_id,
                    procedure_name=procedure.name,
                    stage=stage.number,
                    stage_name=stage.name,
                    not_closed=len(here),
                    running=sum(1 for v in here if v.status == CaseStatus.OPEN),
                    on_hold=sum(1 for v in here if v.status == CaseStatus.ON_HOLD),
                    awaiting_decision=sum(
                        1 for v in here if v.status == CaseStatus.AWAITING_DECISION
                    ),
                    answered=sum(1 for v in here if v.status == CaseStatus.RESPONDED),
                    overdue=sum(1 for v in here if is_overdue(v)),
                    due_soon=sum(1 for v in here if is_due_soon(v)),
                )
            )
    running = sum(1 for v in views if v.status == CaseStatus.OPEN)
    overdue = [v for v in views if is_overdue(v)]
    overdue.sort(key=lambda v: (-(v.working_days_overdue or 0), v.received_on, v.reference))
    bands = [_band(v.age_working_days) for v in views]
    return Backlog(
        today=today,
        due_soon_until=due_soon_until,
        due_soon_working_days=due_within,
        not_closed=len(views),
        running=running,
        overdue=len(overdue),
        overdue_percent=percent(len(overdue), running),
        due_soon=sum(1 for v in views if is_due_soon(v)),
        on_hold=sum(1 for v in views if v.status == CaseStatus.ON_HOLD),
        rows=rows,
        ageing=[
            Count(
                key=label,
                label=label,
                count=bands.count(label),
                percent=percent(bands.count(label), len(views)),
            )
            for label, _ in AGE_BANDS
        ],
        by_channel=breakdown([c.channel for c in live], CHANNEL_LABELS, len(live)),
        overdue_cases=overdue,
        oldest=views[:OLDEST_SHOWN],
    )
