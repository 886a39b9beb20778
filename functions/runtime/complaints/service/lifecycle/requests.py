"""Asking for the next stage, and the staff decision on a late request.

A late stage 1 may move to stage 2 at the complainant's request (the guidance allows it); a
late stage 2 is put right by finishing stage 2, and the complainant may go to the Ombudsman
early over the delay. A request after the window is never refused unseen: it waits for a
decision with reasons (refusing even to consider a late request is fault: LGSCO).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from complaints.clock import add_working_days
from complaints.models import Case, CaseStatus, EventType, StageRecord, StageRequest
from complaints.procedures import get_procedure
from complaints.service.deadlines import deadlines_for, is_overdue
from complaints.service.lifecycle.common import (
    COMPLAINANT,
    Act,
    Transition,
    TransitionError,
    done,
    event,
    long_date,
    optional,
    refresh,
    required,
    stage_data,
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action, is_allowed
from complaints.service.messages.notices import Notice, owner_or_team, team_email, to_complainant


def next_stage_deadline(case: Case) -> date | None:
    """The last day to ask for the next stage in time (``None`` when there is no window)."""
    stage = case.stage
    window = stage_data(case).request_next_within
    if stage.responded_on is None or window is None:
        return None
    return add_working_days(stage.responded_on, window.working_days)


def may_skip_ahead(case: Case, today: date) -> bool:
    """The council missed the open stage's deadline and the procedure lets the complainant
    ask for the next stage at once (stage 1 only)."""
    return stage_data(case).skip_to_next_if_late and is_overdue(case, today)


def can_request_next_stage(case: Case, today: date) -> bool:
    """Whether the complainant can ask for the next stage now (a late ask still counts: it
    goes to a staff decision, it is never refused automatically)."""
    procedure = get_procedure(case.procedure)
    if case.stage_number() >= procedure.final_stage or case.pending_request is not None:
        return False
    if not is_allowed(Action.ESCALATE, case.status):
        return False
    if case.status == CaseStatus.CLOSED:
        return case.stage.responded_on is not None and case.closure_reason is None
    if case.status == CaseStatus.OPEN:
        return may_skip_ahead(case, today)
    return True


def _start_stage(case: Case, request: StageRequest, statement_agreed_on: date | None) -> None:
    case.stages.append(
        StageRecord(
            number=request.stage,
            started_on=request.requested_on,
            requested_on=request.requested_on,
            statement_agreed_on=statement_agreed_on,
            late_request=request.late,
            late_request_decision=request.decision_reasons,
        )
    )
    case.status = CaseStatus.OPEN
    case.closed_on = None
    case.closure_reason = None
    case.expires_at = None
    refresh(case)


def _request_notices(case: Case, request: StageRequest) -> list[Notice]:
    waiting = request.late and request.decision is None
    context: dict[str, Any] = {
        "stage": request.stage,
        "stage_name": get_procedure(case.procedure).stage(request.stage).name,
        "late": waiting,
        "respond_by": None if waiting else case.stage.respond_by,
    }
    key = f"request-{request.stage}-{request.requested_on}"
    staff = tuple(dict.fromkeys((*owner_or_team(case), team_email(case))))
    return [
        Notice("stage_requested", to_complainant(case), f"{key}-complainant", context),
        Notice("stage_requested_team", staff, f"{key}-team", context),
    ]


def _refuse_unless_open_to_a_request(case: Case, act: Act) -> bool:
    """Refuse a request the procedure does not allow now; say whether the council is late."""
    procedure = get_procedure(case.procedure)
    n = case.stage_number()
    ombudsman = procedure.after_final_stage.name
    if n >= procedure.final_stage:
        raise TransitionError(
            f"Stage {n} is the last stage of this procedure. If you are still unhappy, you can "
            f"ask the {ombudsman} to look at your complaint."
        )
    if case.status == CaseStatus.CLOSED and (
        case.stage.responded_on is None or case.closure_reason is not None
    ):
        raise TransitionError(f"Case {case.reference} was closed. Contact the complaints team.")
    if case.status != CaseStatus.OPEN:
        return False
    due = deadlines_for(procedure, case.stage).respond_by
    if may_skip_ahead(case, act.day):
        return True
    if is_overdue(case, act.day):
        raise TransitionError(
            f"Stage {n} is late: it should have been answered by {long_date(due)}. The "
            f"council must finish stage {n} and answer you. Because of the delay, you can ask "
            f"the {ombudsman} to look at your complaint now."
        )
    raise TransitionError(
        f"Stage {n} is still open: the council has until {long_date(due)} to respond. You can "
        f"ask for stage {n + 1} after that response"
        + (
            ", or straight away if the council misses that date."
            if stage_data(case).skip_to_next_if_late
            else "."
        )
    )


def request_next_stage(
    case: Case,
    act: Act,
    *,
    reason: str | None = None,
    statement_agreed_on: date | None = None,
) -> Transition:
    """The complainant asks for the next stage (GBFC; SI 2006/1738 regs 17-18), themselves
    or recorded by staff.

    In time (within ``request_next_within`` of the response, or at once when the council
    missed its stage 1 deadline) the next stage starts, its clock counting from the request.
    A late request is never refused: the case waits (``awaiting_decision``) for a staff
    decision with reasons (``decide_late_request``).
    """
    new = begin(case, Action.ESCALATE, act)
    late_council = _refuse_unless_open_to_a_request(new, act)
    day = act.day
    if statement_agreed_on is not None and not day <= statement_agreed_on <= act.today:
        raise TransitionError(
            "The statement of complaint is agreed after the request and not in the future: "
            f"give a date from {long_date(day)} to {long_date(act.today)}."
        )
    n = new.stage_number()
    window_ends = next_stage_deadline(new)
    late = not late_council and window_ends is not None and day > window_ends
    request = StageRequest(
        stage=n + 1, requested_on=day, by=act.by, reason=optional(reason), late=late
    )
    new.requests.append(request)
    events = [
        event(
            new,
            EventType.NEXT_STAGE_REQUESTED,
            act,
            request.reason,
            requested_stage=n + 1,
            late=late,
            council_missed_deadline=late_council,
            window_ended=window_ends.isoformat() if window_ends else None,
        )
    ]
    if late:
        new.status = CaseStatus.AWAITING_DECISION
        new.closed_on = None
        new.closure_reason = None
        new.expires_at = None
    else:
        _start_stage(new, request, statement_agreed_on)
        events.append(
            event(new, EventType.STAGE_STARTED, act, respond_by=str(new.stage.respond_by))
        )
    return done(new, events, _request_notices(new, request))


def decide_late_request(case: Case, act: Act, *, accept: bool, reasons: str) -> Transition:
    """Record the staff decision on a late request for the next stage, with reasons (refusing
    even to consider a late request is fault: LGSCO). Accepted, the stage's clock counts from
    the request."""
    new = begin(case, Action.DECIDE_LATE_REQUEST, act)
    pending = new.pending_request
    if pending is None:  # pragma: no cover (the status says one waits)
        raise TransitionError(f"Case {new.reference} has no late request waiting for a decision.")
    why = required(reasons, "Give the reasons for the decision; the complainant is told them.")
    pending.decision = "accepted" if accept else "refused"
    pending.decision_reasons = why
    pending.decided_on = act.day
    pending.decided_by = act.by
    events = [event(new, EventType.LATE_REQUEST_DECIDED, act, why, decision=pending.decision)]
    if accept:
        _start_stage(new, pending, None)
        events.append(
            event(new, EventType.STAGE_STARTED, act, respond_by=str(new.stage.respond_by))
        )
    else:
        new.status = CaseStatus.RESPONDED
    procedure = get_procedure(new.procedure)
    notice = Notice(
        "late_request_decided",
        to_complainant(new),
        f"decision-{pending.stage}-{pending.requested_on}",
        {
            "stage": pending.stage,
            "accepted": accept,
            "reasons": why,
            "respond_by": new.stage.respond_by if accept else None,
            "ombudsman": procedure.after_final_stage.name,
        },
    )
    return done(new, events, [notice])


__all__ = [
    "COMPLAINANT",
    "can_request_next_stage",
    "decide_late_request",
    "next_stage_deadline",
    "request_next_stage",
]
