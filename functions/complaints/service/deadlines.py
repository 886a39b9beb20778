"""Deadlines of a case's stage, from the procedure data, extensions, actual dates and holds.

The one place that turns a ``StageRecord`` into dates. Intake, the lifecycle, the checks and
the reports all call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from complaints.clock import add_working_days, working_days_between
from complaints.models import Case, StageRecord
from complaints.procedures import MilestoneDeadline, Procedure, get_procedure, stage_deadlines
from complaints.settings import load_settings


@dataclass(frozen=True)
class StageDeadlines:
    milestones: dict[str, MilestoneDeadline]  # after holds are added
    respond_by: date
    reminder_on: date
    days_on_hold: int


def days_on_hold(stage: StageRecord) -> int:
    """Working days the clock stood still in finished holds (clock restarts on resume)."""
    return sum(
        working_days_between(hold.started_on, hold.ended_on)
        for hold in stage.holds
        if hold.ended_on is not None
    )


def deadlines_for(procedure: Procedure, stage: StageRecord) -> StageDeadlines:
    """Every milestone of ``stage``, moved on by the working days spent on hold."""
    planned = stage_deadlines(
        procedure.stage(stage.number),
        stage.started_on,
        actual=stage.actual,
        extended_to={"response": stage.extended_to} if stage.extended_to else None,
    )
    held = days_on_hold(stage)
    moved = {
        key: MilestoneDeadline(
            id=m.id,
            name=m.name,
            due=add_working_days(m.due, held),
            latest=add_working_days(m.latest, held),
            citation=m.citation,
        )
        for key, m in planned.items()
    }
    respond_by = moved["response"].due
    lead = load_settings().reminder_working_days_before_deadline
    reminder_on = max(add_working_days(respond_by, -lead), stage.started_on)
    return StageDeadlines(moved, respond_by, reminder_on, held)


def case_deadlines(case: Case) -> StageDeadlines:
    """Deadlines of the case's current stage."""
    return deadlines_for(get_procedure(case.procedure), case.stage)


def acknowledge_by(received_on: date) -> date:
    """The council's own acknowledgement promise (no statutory figure in England)."""
    return add_working_days(received_on, load_settings().acknowledgement_working_days)
