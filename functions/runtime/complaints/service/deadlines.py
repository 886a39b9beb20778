"""Deadlines of a case's stage, from the procedure data, extensions, actual dates and holds,
and whether they were met.

The one place that turns a ``StageRecord`` into dates, and the one place that says a stage is
late: overdue is derived from the deadline in force and the clock's today, never a flag
someone sets. Intake, the lifecycle, the checks, the views and the reports all call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from complaints.clock import add_working_days, working_days_between
from complaints.models import Case, CaseStatus, StageRecord
from complaints.procedures import (
    MilestoneDeadline,
    Procedure,
    Stage,
    get_procedure,
    stage_deadlines,
)
from complaints.settings import load_settings


@dataclass(frozen=True)
class StageDeadlines:
    milestones: dict[str, MilestoneDeadline]  # after holds are added
    respond_by: date
    reminder_on: date
    days_on_hold: int
    acknowledge_by: date


def days_on_hold(stage: StageRecord) -> int:
    """Working days the clock stood still in finished holds (clock restarts on resume)."""
    return sum(
        working_days_between(hold.started_on, hold.ended_on)
        for hold in stage.holds
        if hold.ended_on is not None
    )


def acknowledgement_days(stage: Stage) -> int:
    """The stage's acknowledgement deadline in working days: the procedure's (the Complaint
    Handling Code's 5 for the corporate procedure) or the council's own promise (there is no
    statutory figure in England)."""
    if stage.acknowledge_within is not None:
        return stage.acknowledge_within.working_days
    return load_settings().acknowledgement_working_days


def deadlines_for(procedure: Procedure, stage: StageRecord) -> StageDeadlines:
    """Every milestone of ``stage``, moved on by the working days spent on hold."""
    data = procedure.stage(stage.number)
    acknowledge_by = add_working_days(stage.started_on, acknowledgement_days(data))
    planned = stage_deadlines(
        data,
        stage.started_on,
        actual=stage.actual,
        extended_to={"response": stage.extended_to} if stage.extended_to else None,
        acknowledge_by=acknowledge_by,
        acknowledged_on=stage.acknowledged_on,
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
    return StageDeadlines(moved, respond_by, reminder_on, held, acknowledge_by)


def case_deadlines(case: Case) -> StageDeadlines:
    """Deadlines of the case's current stage."""
    return deadlines_for(get_procedure(case.procedure), case.stage)


def missed_milestones(procedure: Procedure, stage: StageRecord, today: date) -> list[str]:
    """The milestones of ``stage`` whose deadline was missed: done after it, or not done and
    the deadline passed by ``today`` while the clock ran (reg 13: whether time limits were
    met). A late entry showing a milestone was in fact done in time counts as met."""
    deadlines = deadlines_for(procedure, stage).milestones
    missed: list[str] = []
    for milestone_id, deadline in deadlines.items():
        done = stage.actual.get(milestone_id)
        if milestone_id == "response":
            done = stage.responded_on
        if done is not None:
            if done > deadline.due:
                missed.append(milestone_id)
        elif today > deadline.due and not stage.on_hold:
            missed.append(milestone_id)
    return missed


def overdue_since(case: Case, today: date) -> date | None:
    """The deadline the case's open stage is late for (the earliest missed one not yet done),
    or ``None`` when it is not overdue at ``today``."""
    if case.status is not CaseStatus.OPEN:
        return None
    procedure = get_procedure(case.procedure)
    stage = case.stage
    deadlines = deadlines_for(procedure, stage).milestones
    for milestone_id in missed_milestones(procedure, stage, today):
        if milestone_id not in stage.actual:
            return deadlines[milestone_id].due
    return None


def is_overdue(case: Case, today: date) -> bool:
    """The case's open stage is past a deadline in force at ``today`` (a stage on hold has its
    clock stopped; an answered stage is no longer overdue, though its miss stays recorded)."""
    return overdue_since(case, today) is not None


def stage_missed_deadline(case: Case, stage: StageRecord, today: date) -> bool:
    """Whether ``stage`` of ``case`` missed any of its deadlines, as far as known at ``today``."""
    return bool(missed_milestones(get_procedure(case.procedure), stage, today))


def acknowledge_by(case: Case) -> date:
    """When the council must acknowledge the case's current stage."""
    return case_deadlines(case).acknowledge_by
