"""What an escalation check does when it comes due (the statutory clock that cannot be
forgotten).

``run_check`` is pure: given the case, the check's id and the time, it returns what to save
and send, or nothing. A check runs only when it is still one the case needs (its stage has not
moved on, its deadline has not moved), it is due, and it has not run before: so a check fired
twice, by its schedule and by the daily sweep, sends nothing new the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from complaints.clock import received_on
from complaints.models import Case, Event, EventType
from complaints.procedures import get_procedure
from complaints.service.checks.plan import LATE_REQUEST, PlannedCheck, checks_needed
from complaints.service.deadlines import case_deadlines
from complaints.service.lifecycle import SYSTEM, Transition
from complaints.service.messages.notices import (
    Notice,
    escalation_and_team,
    owner_or_team,
    team_email,
    to_complainant,
)
from complaints.settings import load_settings

Run = tuple[list[Event], list[Notice]]

Skipped = Literal["not_needed", "not_due", "already_ran"]


@dataclass(frozen=True)
class CheckRun:
    check_id: str
    transition: Transition | None  # None when the check did nothing
    skipped: Skipped | None = None

    @property
    def ran(self) -> bool:
        return self.transition is not None


def run_check(case: Case, check_id: str, now: datetime) -> CheckRun:
    """Run the check ``check_id`` on ``case`` at ``now`` (aware), if it should run."""
    if now.tzinfo is None:
        raise ValueError("run_check needs an aware datetime")
    if check_id in case.checks_done:
        return CheckRun(check_id, None, "already_ran")
    check = next((c for c in checks_needed(case) if c.id == check_id), None)
    if check is None:
        return CheckRun(check_id, None, "not_needed")
    if check.due_at > now:
        return CheckRun(check_id, None, "not_due")
    new = case.model_copy(deep=True)
    new.checks_done.append(check.id)
    events, notices = _RUNS[check.kind](new, check, now)
    return CheckRun(check_id, Transition(new, tuple(events), tuple(notices), checks_needed(new)))


def due_checks(case: Case, now: datetime) -> tuple[PlannedCheck, ...]:
    """The checks of ``case`` due by ``now`` (what ``complaints checks run`` fires)."""
    return tuple(c for c in checks_needed(case) if c.due_at <= now)


def _event(
    case: Case, check: PlannedCheck, kind: EventType, now: datetime, **data: object
) -> Event:
    return Event(
        reference=case.reference,
        type=kind,
        at=now.astimezone(UTC),
        recorded_at=now.astimezone(UTC),
        by=SYSTEM,
        data={"stage": check.stage, "check": check.id, **data},
    )


def _milestone_name(case: Case, check: PlannedCheck) -> str:
    stage = get_procedure(case.procedure).stage(check.stage)
    return next(m.name for m in stage.milestones if m.id == check.subject)


def _reminder(case: Case, check: PlannedCheck, now: datetime) -> Run:
    """Nudge the case owner (or the complaints team) before a deadline. A reminder run after
    its deadline has passed (a late sweep) sends nothing: the deadline check speaks instead."""
    due = case_deadlines(case).milestones[check.subject].due
    if received_on(now) > due:
        return [], []
    context = {
        "reference": case.reference,
        "stage": check.stage,
        "milestone": _milestone_name(case, check),
        "due": due,
    }
    notice = Notice("reminder", owner_or_team(case), f"{check.id}-owner", context)
    return [_event(case, check, EventType.REMINDER_SENT, now, milestone=check.subject)], [notice]


def _deadline(case: Case, check: PlannedCheck, now: datetime) -> Run:
    """The stage is still open past its deadline (so it is overdue: derived, never stored):
    alert the escalation contacts, and tell the complainant plainly that the council is late
    and what they can do (stage 1: ask for stage 2 now; any stage: go to the Ombudsman)."""
    procedure = get_procedure(case.procedure)
    stage_data = procedure.stage(check.stage)
    is_response = check.subject == stage_data.response.id
    can_ask_next = (
        is_response and stage_data.skip_to_next_if_late and check.stage < procedure.final_stage
    )
    staff_context = {
        "reference": case.reference,
        "stage": check.stage,
        "milestone": _milestone_name(case, check),
        "due": check.about,
        "owner": case.owner,
    }
    complainant_context = {
        **staff_context,
        "stage_name": stage_data.name,
        "next_stage": check.stage + 1 if can_ask_next else None,
        "ombudsman": procedure.after_final_stage.name,
        "ombudsman_website": str(load_settings().ombudsman.website),
        "team_email": team_email(case),
    }
    notices = [
        Notice(
            "overdue_alert",
            escalation_and_team(case, case.owner),
            f"{check.id}-staff",
            staff_context,
        ),
        Notice(
            "council_late",
            to_complainant(case),
            f"{check.id}-complainant",
            complainant_context,
        ),
    ]
    event = _event(
        case, check, EventType.OVERDUE, now, milestone=check.subject, due=check.about.isoformat()
    )
    return [event], notices


def _recommendation_due(case: Case, check: PlannedCheck, now: datetime) -> Run:
    """An accepted recommendation's action is past its due date and not marked complete."""
    rec = case.recommendation(check.subject)
    context = {"reference": case.reference, "id": rec.id, "due": rec.due_on, "owner": rec.owner}
    notice = Notice(
        "recommendation_overdue", escalation_and_team(case, rec.owner), f"{check.id}-staff", context
    )
    event = _event(
        case,
        check,
        EventType.RECOMMENDATION_OVERDUE,
        now,
        recommendation=rec.id,
        due=rec.due_on.isoformat(),
    )
    return [event], [notice]


def _decision_reminder(case: Case, check: PlannedCheck, now: datetime) -> Run:
    """A decision still waits: a late request for the next stage, or whether to consider a
    late complaint or accept sufficient interest (each needed before the stage can answer)."""
    request = case.pending_request if check.subject == LATE_REQUEST else None
    context = {
        "reference": case.reference,
        "stage": check.stage,
        "decision": check.subject,
        "requested_on": request.requested_on if request else None,
    }
    notice = Notice("decision_reminder", owner_or_team(case), f"{check.id}-owner", context)
    return [_event(case, check, EventType.DECISION_DUE, now, decision=check.subject)], [notice]


def _acknowledgement(case: Case, check: PlannedCheck, now: datetime) -> Run:
    """The stage is not acknowledged on its acknowledgement deadline: remind the owner, or
    the complaints team while nobody owns the case."""
    context = {
        "reference": case.reference,
        "stage": check.stage,
        "due": check.about,
        "unassigned": case.owner is None,
    }
    notice = Notice("acknowledgement_due", owner_or_team(case), f"{check.id}-owner", context)
    event = _event(case, check, EventType.ACKNOWLEDGEMENT_DUE, now, due=check.about.isoformat())
    return [event], [notice]


def _hold_review(case: Case, check: PlannedCheck, now: datetime) -> Run:
    """A hold's review date has come: the owner (or the team) decides whether it goes on."""
    hold = case.stage.holds[-1]
    context = {
        "reference": case.reference,
        "stage": check.stage,
        "since": hold.started_on,
        "grounds": hold.grounds,
        "review_on": check.about,
    }
    notice = Notice("hold_review_due", owner_or_team(case), f"{check.id}-owner", context)
    event = _event(case, check, EventType.HOLD_REVIEW_DUE, now, review_on=check.about.isoformat())
    return [event], [notice]


_RUNS = {
    "acknowledgement": _acknowledgement,
    "reminder": _reminder,
    "deadline": _deadline,
    "hold_review": _hold_review,
    "recommendation_due": _recommendation_due,
    "decision_reminder": _decision_reminder,
}
