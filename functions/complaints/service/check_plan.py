"""When a stage's escalation checks run: the plan behind every schedule and check item.

For the current stage of a case there is

- one **reminder** at 09:00 (Europe/London) on the stage's reminder day (the council's
  ``reminder_working_days_before_deadline`` before the response is due), and
- one **deadline** check per milestone at 09:00 on the day after the milestone is due: the
  first morning on which it is late.

Names are deterministic (reference, stage, milestone, kind, date), so creating the same
schedule twice is harmless and a moved deadline gets a new name. Intake stores one check item
per planned check (the ``ByDueDate`` index, for the daily sweep) and the outbox worker turns
them into EventBridge Scheduler one-time schedules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from complaints.clock import start_of_day
from complaints.models import Case
from complaints.service.deadlines import case_deadlines

CheckKind = Literal["reminder", "deadline"]
CHECK_HOUR = 9  # the start of office hours, Europe/London


@dataclass(frozen=True)
class PlannedCheck:
    reference: str
    stage: int
    milestone: str
    kind: CheckKind
    due_on: date  # the day the milestone is due
    fire_at: datetime  # aware, Europe/London

    @property
    def schedule_name(self) -> str:
        """At most 64 characters of ``[0-9A-Za-z-_.]`` (EventBridge Scheduler's rule)."""
        return (
            f"{self.reference}-s{self.stage}-{self.milestone}-{self.kind}-{self.fire_at:%Y%m%d}"
        )[:64]

    def payload(self) -> dict[str, str | int]:
        """What the escalation-check handler receives when the schedule fires."""
        return {
            "reference": self.reference,
            "stage": self.stage,
            "milestone": self.milestone,
            "kind": self.kind,
            "due_on": self.due_on.isoformat(),
            "fire_at": self.fire_at.isoformat(),
        }


def plan_checks(case: Case) -> list[PlannedCheck]:
    """The reminder and deadline checks of ``case``'s current stage, in time order."""
    deadlines = case_deadlines(case)
    stage = case.stage_number()
    response = deadlines.milestones["response"]
    checks = [
        PlannedCheck(
            case.reference,
            stage,
            "response",
            "reminder",
            response.due,
            start_of_day(deadlines.reminder_on, CHECK_HOUR),
        )
    ]
    for milestone in deadlines.milestones.values():
        checks.append(
            PlannedCheck(
                case.reference,
                stage,
                milestone.id,
                "deadline",
                milestone.due,
                start_of_day(milestone.due + timedelta(days=1), CHECK_HOUR),
            )
        )
    return sorted(checks, key=lambda check: check.fire_at)
