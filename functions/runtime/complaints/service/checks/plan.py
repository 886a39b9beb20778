"""The escalation checks a case needs now, worked out from the case and the procedure data,
and what storing and scheduling one needs (its id, its one-time schedule's name and payload).

Every change to a case recomputes this list; the adapters replace the case's check items and
one-time schedules with it. A check's id carries the date it is about, so a deadline that
moves (extension, hold) is a new check and the old one goes stale.

- ``acknowledgement``: 09:00 on the stage's acknowledgement deadline, while it is not
  acknowledged (the automatic email is only a receipt).
- ``reminder``: 09:00 (London) on the reminder day before the open milestone's deadline.
- ``deadline``: the first moment after the deadline day (00:00 London the next day).
- ``hold_review``: 09:00 on a hold's review date.
- ``recommendation_due``: the first moment after an accepted action's due date.
- ``decision_reminder``: 09:00 the working day after a late request for the next stage, and
  on the acknowledgement deadline for a late-complaint or sufficient-interest decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal, Protocol, get_args

from complaints.clock import add_working_days, start_of_day
from complaints.models import Case, CaseStatus
from complaints.procedures import get_procedure
from complaints.service.deadlines import deadlines_for
from complaints.settings import load_settings

CheckKind = Literal[
    "acknowledgement",
    "reminder",
    "deadline",
    "hold_review",
    "recommendation_due",
    "decision_reminder",
]
CHECK_KINDS: tuple[str, ...] = get_args(CheckKind)
LATE_REQUEST = "late_request"
ACKNOWLEDGEMENT = "acknowledgement"
HOLD = "hold"


@dataclass(frozen=True, order=True)
class PlannedCheck:
    due_at: datetime  # aware, UTC
    stage: int
    subject: str  # a milestone id, a recommendation id, or ``late_request``
    kind: CheckKind
    about: date  # the London date the check is about (reminder day, deadline, due date)

    @property
    def id(self) -> str:
        """``<stage>#<subject>#<kind>#<date>``: stable for the same check, new when it moves."""
        return f"{self.stage}#{self.subject}#{self.kind}#{self.about.isoformat()}"


def _at_start_of(day: date) -> datetime:
    """The first moment of a London day, in UTC."""
    return start_of_day(day, hour=0).astimezone(UTC)


def _at_office_hours(day: date) -> datetime:
    return start_of_day(day).astimezone(UTC)


def _stage_checks(case: Case) -> list[PlannedCheck]:
    """The open stage's next milestone (reminder and deadline) and its response deadline."""
    stage = case.stage
    procedure = get_procedure(case.procedure)
    deadlines = deadlines_for(procedure, stage)
    lead = load_settings().reminder_working_days_before_deadline
    pending = [m for m in procedure.stage(stage.number).milestones if m.id not in stage.actual]
    if not pending:
        return []
    checks: list[PlannedCheck] = []
    upcoming = pending[0]
    due = deadlines.milestones[upcoming.id].due
    reminder = max(add_working_days(due, -lead), stage.started_on)
    checks.append(
        PlannedCheck(_at_office_hours(reminder), stage.number, upcoming.id, "reminder", reminder)
    )
    for milestone in (upcoming, pending[-1]) if upcoming is not pending[-1] else (upcoming,):
        day = deadlines.milestones[milestone.id].due
        checks.append(
            PlannedCheck(
                _at_start_of(day + timedelta(days=1)), stage.number, milestone.id, "deadline", day
            )
        )
    return checks


def _waiting_checks(case: Case) -> list[PlannedCheck]:
    """While the stage runs: its acknowledgement, if not done, and any eligibility decision
    still to make, both due on the acknowledgement deadline; a hold's review."""
    stage = case.stage
    checks: list[PlannedCheck] = []
    acknowledge_by = deadlines_for(get_procedure(case.procedure), stage).acknowledge_by
    at = _at_office_hours(acknowledge_by)
    if stage.acknowledged_on is None:
        checks.append(
            PlannedCheck(at, stage.number, ACKNOWLEDGEMENT, "acknowledgement", acknowledge_by)
        )
    for decision in case.decisions:
        if decision.decision is None:
            checks.append(
                PlannedCheck(at, stage.number, decision.kind, "decision_reminder", acknowledge_by)
            )
    if stage.on_hold and stage.holds[-1].review_on is not None:
        review = stage.holds[-1].review_on
        checks.append(
            PlannedCheck(_at_office_hours(review), stage.number, HOLD, "hold_review", review)
        )
    return checks


def checks_needed(case: Case) -> tuple[PlannedCheck, ...]:
    """The checks still to run for ``case``, earliest first (ones already run are left out)."""
    checks: list[PlannedCheck] = []
    if case.status == CaseStatus.OPEN:
        checks += _stage_checks(case)
    if case.status in (CaseStatus.OPEN, CaseStatus.ON_HOLD):
        checks += _waiting_checks(case)
    request = case.pending_request
    if case.status == CaseStatus.AWAITING_DECISION and request is not None:
        day = add_working_days(request.requested_on, 1)
        checks.append(
            PlannedCheck(
                _at_office_hours(day), request.stage, LATE_REQUEST, "decision_reminder", day
            )
        )
    for rec in case.recommendations:
        if rec.response == "accepted" and rec.completed_on is None:
            checks.append(
                PlannedCheck(
                    _at_start_of(rec.due_on + timedelta(days=1)),
                    rec.stage,
                    rec.id,
                    "recommendation_due",
                    rec.due_on,
                )
            )
    done = set(case.checks_done)
    return tuple(sorted(c for c in checks if c.id not in done))


class Check(Protocol):
    """What storing and scheduling a check needs (any planner's checks will do)."""

    @property
    def due_at(self) -> datetime: ...
    @property
    def stage(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def id(self) -> str: ...


def schedule_name(reference: str, check: Check) -> str:
    """Deterministic; at most 64 of ``[0-9A-Za-z-_.]`` (EventBridge Scheduler's rule)."""
    name = f"{reference}-{check.id.replace('#', '-')}"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    return safe[:64]


def schedule_payload(reference: str, check: Check) -> dict[str, str | int]:
    """What the escalation-check handler receives when the schedule fires."""
    return {
        "reference": reference,
        "check": check.id,
        "kind": check.kind,
        "stage": check.stage,
        "due_at": check.due_at.astimezone(UTC).isoformat(),
    }


def plan_checks(case: Case) -> list[PlannedCheck]:
    """The checks a new case needs (its acknowledgement, its first stage's reminder and
    deadline), earliest first: the same planner as every later change."""
    return list(checks_needed(case))
