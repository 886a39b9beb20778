"""The escalation checks a new complaint needs: its first stage's reminder and deadline.

- ``reminder``: 09:00 (Europe/London) on the stage's reminder day (the council's
  ``reminder_working_days_before_deadline`` before the response is due);
- ``deadline``: the first moment after the deadline day (00:00 London the next day).

A check's ``id`` (``<stage>#<subject>#<kind>#<date>``) carries the date it is about, so a
deadline that moves is a new check. These are the conventions of the lifecycle's check
planner; for a new case (stage 1, nothing done yet) both give the same checks. Intake stores one
check item per check (the ``ByDueDate`` index, for the daily sweep) and the outbox worker
turns each into an EventBridge Scheduler one-time schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from complaints.clock import start_of_day
from complaints.models import Case
from complaints.service.deadlines import case_deadlines

OFFICE_HOURS = 9


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


@dataclass(frozen=True, order=True)
class PlannedCheck:
    due_at: datetime  # aware, UTC
    stage: int
    subject: str  # the milestone id
    kind: str  # reminder | deadline
    about: date  # the London date the check is about

    @property
    def id(self) -> str:
        return f"{self.stage}#{self.subject}#{self.kind}#{self.about.isoformat()}"


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
    """The reminder and deadline checks of a new case's first stage, earliest first."""
    deadlines = case_deadlines(case)
    stage = case.stage_number()
    checks = [
        PlannedCheck(
            start_of_day(deadlines.reminder_on, OFFICE_HOURS).astimezone(UTC),
            stage,
            "response",
            "reminder",
            deadlines.reminder_on,
        )
    ]
    for milestone in deadlines.milestones.values():
        checks.append(
            PlannedCheck(
                start_of_day(milestone.due + timedelta(days=1), hour=0).astimezone(UTC),
                stage,
                milestone.id,
                "deadline",
                milestone.due,
            )
        )
    return sorted(checks)
