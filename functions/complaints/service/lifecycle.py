"""The case lifecycle: every change a stage can go through, as a state machine run by the
procedure data (``procedures.yaml``). No timescale is written here.

Each function takes the case as it is and returns a ``Transition``: the changed case (a copy;
the input is never modified), the audit events to append (what, when, by whom, why), the emails
to send and the escalation checks the case needs from now on. A change that is not allowed
raises ``TransitionError`` with a message a member of staff can act on.

Statuses (``CaseStatus``): ``open`` (a stage's clock is running) -> ``on_hold`` (clock
stopped) -> ``open`` -> ``responded`` (the stage has answered; the complainant may ask for the
next) -> ``open`` at the next stage, or ``awaiting_decision`` (a late request) -> ... ->
``closed``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from complaints.clock import add_working_days, received_on
from complaints.models import (
    Case,
    CaseStatus,
    Event,
    Hold,
    OmbudsmanReferral,
    Recommendation,
    StageRecord,
    StageRequest,
)
from complaints.procedures import Procedure, Stage, get_procedure
from complaints.service.deadlines import deadlines_for
from complaints.service.notices import Notice, owner_or_team, team_email
from complaints.service.schedule import PlannedCheck, checks_needed
from complaints.settings import load_settings

COMPLAINANT = "complainant"
SYSTEM = "system"


class TransitionError(ValueError):
    """A change the procedure does not allow. The message is for the member of staff (or the
    complainant) who asked, in plain words; it never holds personal data."""


@dataclass(frozen=True)
class Transition:
    case: Case
    events: tuple[Event, ...]
    notices: tuple[Notice, ...]
    checks: tuple[PlannedCheck, ...]  # every check the case needs from now on


# --- helpers -------------------------------------------------------------------------------


def _day(at: datetime) -> date:
    return received_on(at)  # raises on a naive datetime


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _label(code: str) -> str:
    return code.replace("_", " ")


def _labels(codes: Iterable[str]) -> str:
    return ", ".join(_label(c) for c in codes)


def _required(text: str | None, what: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise TransitionError(what)
    return cleaned


def _stage_data(case: Case) -> Stage:
    return get_procedure(case.procedure).stage(case.stage_number())


def _event(
    case: Case, kind: str, at: datetime, by: str, reason: str | None = None, **data: Any
) -> Event:
    return Event(
        reference=case.reference,
        type=kind,
        at=at.astimezone(UTC),
        by=by,
        reason=reason,
        data={"stage": case.stage_number(), **data},
    )


def _refresh(case: Case) -> None:
    """Cache the open stage's response deadline on the stage (indexes and views read it)."""
    stage = case.stage
    if stage.responded_on is None:
        stage.respond_by = deadlines_for(get_procedure(case.procedure), stage).respond_by


def _done(case: Case, events: Iterable[Event], notices: Iterable[Notice] = ()) -> Transition:
    _refresh(case)
    return Transition(case, tuple(events), tuple(notices), checks_needed(case))


def _not_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        closed = f" on {_long(case.closed_on)}" if case.closed_on else ""
        raise TransitionError(f"Case {case.reference} was closed{closed}.")


def _stage_open(case: Case, doing: str, *, allow_hold: bool = False) -> None:
    """Refuse unless the current stage is still running (not answered, not closed)."""
    _not_closed(case)
    n = case.stage_number()
    if case.status in (CaseStatus.RESPONDED, CaseStatus.AWAITING_DECISION):
        answered = case.stage.responded_on
        when = f" on {_long(answered)}" if answered else ""
        raise TransitionError(f"Stage {n} was answered{when}, so you cannot {doing} now.")
    if case.status == CaseStatus.ON_HOLD and not allow_hold:
        raise TransitionError(
            f"Stage {n} is on hold since {_long(case.stage.holds[-1].started_on)}. "
            f"Resume it before you {doing}."
        )


def _valid_email(address: str, who: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise TransitionError(
            f"Give the {who}'s work email address, so reminders and alerts reach them."
        ) from None


def _unanswered(case: Case, stage: int | None = None) -> list[Recommendation]:
    return [
        r
        for r in case.recommendations
        if r.response is None and (stage is None or r.stage == stage)
    ]


def retention_expiry(closed_on: date, years: int) -> int:
    """Epoch seconds (DynamoDB TTL) ``years`` after closure; 29 February becomes 28."""
    try:
        until = closed_on.replace(year=closed_on.year + years)
    except ValueError:
        until = closed_on.replace(year=closed_on.year + years, day=28)
    return int(datetime(until.year, until.month, until.day, tzinfo=UTC).timestamp())


# --- acknowledgement, owner and roles ------------------------------------------------------


def acknowledge(case: Case, by: str, at: datetime) -> Transition:
    """Record that the council acknowledged the complaint (or the request for this stage)."""
    _not_closed(case)
    new = case.model_copy(deep=True)
    stage = new.stage
    if stage.acknowledged_on is not None:
        raise TransitionError(
            f"Stage {stage.number} was already acknowledged on {_long(stage.acknowledged_on)}."
        )
    day = _day(at)
    stage.acknowledged_on = day
    if stage.number == 1 and new.acknowledged_on is None:
        new.acknowledged_on = day
    return _done(new, [_event(new, "acknowledged", at, by)])


def assign(case: Case, owner: str, by: str, at: datetime) -> Transition:
    """Make ``owner`` (a work email address) the case owner: reminders go to them."""
    _not_closed(case)
    address = _valid_email(owner, "case owner")
    new = case.model_copy(deep=True)
    previous = new.owner
    new.owner = address
    return _done(new, [_event(new, "assigned", at, by, owner=address, previous=previous)])


def assign_roles(case: Case, roles: Mapping[str, str], by: str, at: datetime) -> Transition:
    """Record who holds the stage's roles (stage 2: investigating officer, independent person,
    adjudicating officer; stage 3: panel chair), as the procedure data names them."""
    _not_closed(case)
    known = _stage_data(case).roles
    n = case.stage_number()
    if not roles:
        raise TransitionError("Name at least one role and who holds it.")
    for role, name in roles.items():
        if role not in known:
            allowed = f"Its roles are: {_labels(known)}." if known else "It has no named roles."
            raise TransitionError(f"Stage {n} has no role '{_label(role)}'. {allowed}")
        _required(name, f"Give the name of the {_label(role)}.")
    new = case.model_copy(deep=True)
    new.stage.roles.update({role: name.strip() for role, name in roles.items()})
    return _done(new, [_event(new, "roles_assigned", at, by, roles=sorted(roles))])


# --- the clock: extensions and holds -------------------------------------------------------


def extend(
    case: Case,
    working_days: int,
    reason: str,
    by: str,
    at: datetime,
    *,
    grounds: str | None = None,
) -> Transition:
    """Extend the stage's response deadline to ``working_days`` from the start of the stage,
    never past the procedure's ``extendable_to`` (stage 1: SI 2006/1738 reg 14; stage 2:
    reg 17), with a reason the complainant is told."""
    _stage_open(case, "extend it", allow_hold=True)
    milestone = _stage_data(case).response
    n = case.stage_number()
    if milestone.extendable_to is None:
        raise TransitionError(f"The {milestone.name} cannot be extended ({milestone.citation}).")
    current = case.stage.extended_to or milestone.working_days
    if working_days > milestone.extendable_to:
        raise TransitionError(
            f"The {milestone.name} can be extended to at most {milestone.extendable_to} working "
            f"days from the start of stage {n} ({milestone.citation}); {working_days} asked."
        )
    if working_days <= current:
        raise TransitionError(
            f"Stage {n} already allows {current} working days; an extension must be longer."
        )
    if grounds is not None and grounds not in milestone.extension_reasons:
        raise TransitionError(
            f"'{_label(grounds)}' is not a ground for extending stage {n}. "
            f"The grounds are: {_labels(milestone.extension_reasons)}."
        )
    why = _required(reason, "Give the reason for the extension; the complainant is told it.")
    procedure = get_procedure(case.procedure)
    was = deadlines_for(procedure, case.stage).respond_by
    day = _day(at)
    if day > was and not case.stage.on_hold:
        raise TransitionError(
            f"The deadline for stage {n}, {_long(was)}, has passed: an extension has to be "
            "agreed before it. Record the response when it is sent."
        )
    new = case.model_copy(deep=True)
    new.stage.extended_to = working_days
    new.stage.extension_reason = why
    new.stage.extension_grounds = grounds
    new.stage.extended_on = day
    now_due = deadlines_for(procedure, new.stage).respond_by
    event = _event(
        new,
        "extended",
        at,
        by,
        why,
        working_days=working_days,
        previous_working_days=current,
        grounds=grounds,
        respond_by=now_due.isoformat(),
        previous_respond_by=was.isoformat(),
    )
    notice = Notice(
        "extended",
        (new.complainant.email,),
        f"extended-{n}-{working_days}",
        {"stage": n, "respond_by": now_due, "reason": why},
    )
    return _done(new, [event], [notice])


def hold(case: Case, reason: str, by: str, at: datetime) -> Transition:
    """Stop the clock while considering the complaint could prejudice court proceedings or a
    police investigation; the reason is recorded (GBFC; SI 2006/1738 reg 8)."""
    _stage_open(case, "put it on hold")
    why = _required(reason, "Give the reason for putting the complaint on hold.")
    new = case.model_copy(deep=True)
    day = max(_day(at), case.stage.started_on)
    new.stage.holds.append(Hold(started_on=day, reason=why))
    new.status = CaseStatus.ON_HOLD
    n = new.stage_number()
    notice = Notice("held", (new.complainant.email,), f"held-{n}-{day}", {"stage": n})
    return _done(new, [_event(new, "held", at, by, why)], [notice])


def resume(case: Case, by: str, at: datetime, reason: str | None = None) -> Transition:
    """Restart the clock: the deadlines move on by the working days spent on hold."""
    _not_closed(case)
    if case.status != CaseStatus.ON_HOLD:
        raise TransitionError(f"Case {case.reference} is not on hold.")
    new = case.model_copy(deep=True)
    current = new.stage.holds[-1]
    day = max(_day(at), current.started_on)
    current.ended_on = day
    new.status = CaseStatus.OPEN
    due = deadlines_for(get_procedure(new.procedure), new.stage)
    event = _event(
        new,
        "resumed",
        at,
        by,
        reason,
        days_on_hold=due.days_on_hold,
        respond_by=due.respond_by.isoformat(),
    )
    notice = Notice(
        "resumed",
        (new.complainant.email,),
        f"resumed-{new.stage_number()}-{day}",
        {"stage": new.stage_number(), "respond_by": due.respond_by},
    )
    return _done(new, [event], [notice])


# --- milestones and the response -----------------------------------------------------------


def record_milestone(case: Case, milestone_id: str, on: date, by: str, at: datetime) -> Transition:
    """Record when a milestone before the response happened (stage 3: the panel met, SI
    2006/1738 reg 19; the panel sent its report, reg 20). Later milestones count from it."""
    _stage_open(case, "record a milestone", allow_hold=True)
    stage_data = _stage_data(case)
    n = case.stage_number()
    steps = [m for m in stage_data.milestones if m is not stage_data.response]
    ids = [m.id for m in steps]
    if milestone_id not in ids:
        known = f"Its milestones are: {_labels(ids)}." if ids else "It has none to record."
        raise TransitionError(f"Stage {n} has no milestone '{_label(milestone_id)}'. {known}")
    stage = case.stage
    if milestone_id in stage.actual:
        raise TransitionError(
            f"'{stage_data.milestones[ids.index(milestone_id)].name}' was already recorded "
            f"for {_long(stage.actual[milestone_id])}."
        )
    earlier = ids[: ids.index(milestone_id)]
    for before in earlier:
        if before not in stage.actual:
            raise TransitionError(f"Record '{steps[ids.index(before)].name}' first.")
    floor = max([stage.started_on, *(stage.actual[b] for b in earlier)])
    if on < floor:
        raise TransitionError(f"That date is before {_long(floor)}, when the step before it was.")
    if on > _day(at):
        raise TransitionError("That date is in the future: record a milestone once it happened.")
    due = deadlines_for(get_procedure(case.procedure), stage).milestones[milestone_id].due
    new = case.model_copy(deep=True)
    new.stage.actual[milestone_id] = on
    if on > due:
        new.stage.overdue = True
    event = _event(
        new,
        "milestone",
        at,
        by,
        milestone=milestone_id,
        on=on.isoformat(),
        due=due.isoformat(),
        in_time=on <= due,
    )
    return _done(new, [event])


def record_panel_meeting(case: Case, met_on: date, by: str, at: datetime) -> Transition:
    return record_milestone(case, "panel_meeting", met_on, by, at)


def record_panel_report(case: Case, sent_on: date, by: str, at: datetime) -> Transition:
    return record_milestone(case, "panel_report", sent_on, by, at)


def _next_steps(procedure: Procedure, case: Case, responded: date) -> dict[str, Any]:
    """What the complainant can do after a stage's response, from the data."""
    stage_data = procedure.stage(case.stage_number())
    window = stage_data.request_next_within
    if case.stage_number() < procedure.final_stage:
        return {
            "next_stage": case.stage_number() + 1,
            "next_stage_name": procedure.stage(case.stage_number() + 1).name,
            "ask_by": add_working_days(responded, window.working_days) if window else None,
        }
    return {"next_stage": None, "next_stage_name": None, "ask_by": None}


def respond(
    case: Case,
    outcome: str,
    by: str,
    at: datetime,
    *,
    themes: Iterable[str] = (),
    learning: str | None = None,
    corrective_actions: Iterable[str] = (),
    compensation_pence: int = 0,
) -> Transition:
    """Record the stage's response with its outcome. Stages that make recommendations answer
    every one of them first (stage 3: SI 2006/1738 reg 21; the Waltham Forest failure)."""
    _stage_open(case, "record the response")
    procedure = get_procedure(case.procedure)
    stage_data = procedure.stage(case.stage_number())
    n = case.stage_number()
    if outcome not in stage_data.outcomes:
        raise TransitionError(
            f"'{_label(outcome)}' is not an outcome of stage {n}. "
            f"The outcomes are: {_labels(stage_data.outcomes)}."
        )
    chosen = list(dict.fromkeys(themes))
    known = load_settings().themes
    for theme in chosen:
        if theme not in known:
            raise TransitionError(f"Unknown theme '{_label(theme)}'. Themes: {_labels(known)}.")
    if compensation_pence < 0:
        raise TransitionError("A payment cannot be negative.")
    for milestone in stage_data.milestones[:-1]:
        if milestone.id not in case.stage.actual:
            raise TransitionError(
                f"Record '{milestone.name}' before the {stage_data.response.name}."
            )
    waiting = _unanswered(case, n)
    if waiting:
        raise TransitionError(
            "Answer every recommendation before responding (accept with an action, or reject "
            f"with reasons): {', '.join(r.id for r in waiting)} not answered yet."
        )
    day = _day(at)
    new = case.model_copy(deep=True)
    _refresh(new)
    stage = new.stage
    stage.responded_on = day
    stage.actual["response"] = day
    stage.outcome = outcome  # narrowed to an Outcome by the check above
    stage.themes = chosen
    stage.learning = (learning or "").strip() or None
    stage.corrective_actions = [a.strip() for a in corrective_actions if a.strip()]
    in_time = stage.respond_by is None or day <= stage.respond_by
    if not in_time:
        stage.overdue = True
    new.compensation_pence += compensation_pence
    new.status = CaseStatus.RESPONDED
    event = _event(
        new,
        "responded",
        at,
        by,
        outcome=outcome,
        themes=chosen,
        in_time=in_time,
        respond_by=stage.respond_by.isoformat() if stage.respond_by else None,
        corrective_actions=len(stage.corrective_actions),
        compensation_pence=compensation_pence,
    )
    answers = [
        {
            "id": r.id,
            "text": r.text,
            "response": r.response,
            "action": r.action,
            "reasons": r.reasons,
            "due_on": r.due_on,
        }
        for r in new.recommendations
        if r.stage == n
    ]
    notice = Notice(
        "responded",
        (new.complainant.email,),
        f"responded-{n}",
        {
            "stage": n,
            "stage_name": stage_data.name,
            "outcome": outcome,
            "recommendations": answers,
            "ombudsman": procedure.after_final_stage.name,
            **_next_steps(procedure, new, day),
        },
    )
    return _done(new, [event], [notice])


# --- the next stage --------------------------------------------------------------------------


def next_stage_deadline(case: Case) -> date | None:
    """The last day to ask for the next stage in time (``None`` when there is no window)."""
    stage = case.stage
    window = _stage_data(case).request_next_within
    if stage.responded_on is None or window is None:
        return None
    return add_working_days(stage.responded_on, window.working_days)


def can_request_next_stage(case: Case, today: date) -> bool:
    """Whether the complainant can ask for the next stage now (a late ask still counts: it
    goes to a staff decision, it is never refused automatically)."""
    procedure = get_procedure(case.procedure)
    stage = case.stage
    if stage.number >= procedure.final_stage or case.pending_request is not None:
        return False
    if case.status == CaseStatus.RESPONDED:
        return True
    if case.status == CaseStatus.CLOSED:
        return stage.responded_on is not None and case.closure_reason is None
    if case.status == CaseStatus.OPEN:
        return council_is_late(case, today) and procedure.stage(stage.number).skip_to_next_if_late
    return False


def council_is_late(case: Case, today: date) -> bool:
    """The open stage is past its response deadline, or its deadline check already marked it
    overdue (the clock may have been moved on by ``checks run --now``)."""
    stage = case.stage
    if stage.responded_on is not None:
        return False
    due = deadlines_for(get_procedure(case.procedure), stage).respond_by
    return stage.overdue or today > due


def _start_stage(
    case: Case, request: StageRequest, started_on: date, statement_agreed_on: date | None
) -> None:
    case.stages.append(
        StageRecord(
            number=request.stage,
            started_on=started_on,
            requested_on=request.requested_on,
            statement_agreed_on=statement_agreed_on,
            late_request=request.late,
            late_request_decision=request.decision_reasons,
        )
    )
    case.status = CaseStatus.OPEN
    case.closed_on = None
    case.expires_at = None


def _request_notices(case: Case, request: StageRequest) -> list[Notice]:
    context: dict[str, Any] = {
        "stage": request.stage,
        "stage_name": get_procedure(case.procedure).stage(request.stage).name,
        "late": request.late and request.decision is None,
        "respond_by": None if request.late and request.decision is None else case.stage.respond_by,
    }
    key = f"request-{request.stage}-{request.requested_on}"
    staff = tuple(dict.fromkeys((*owner_or_team(case), team_email(case))))
    return [
        Notice("stage_requested", (case.complainant.email,), f"{key}-complainant", context),
        Notice("stage_requested_team", staff, f"{key}-team", context),
    ]


def request_next_stage(
    case: Case,
    at: datetime,
    by: str = COMPLAINANT,
    reason: str | None = None,
    statement_agreed_on: date | None = None,
) -> Transition:
    """The complainant asks for the next stage (GBFC; SI 2006/1738 regs 17-18).

    In time (within ``request_next_within`` of the response, or at once when the council
    missed its response deadline) the next stage starts, its clock counting from the request.
    A late request is never refused: the case waits (``awaiting_decision``) for a staff
    decision with reasons (``decide_late_request``).
    """
    procedure = get_procedure(case.procedure)
    stage = case.stage
    n = stage.number
    if n >= procedure.final_stage:
        raise TransitionError(
            f"Stage {n} is the last stage of this procedure. If you are still unhappy, you can "
            f"ask the {procedure.after_final_stage.name} to look at your complaint."
        )
    if case.pending_request is not None:
        raise TransitionError(
            f"Stage {n + 1} was already asked for on {_long(case.pending_request.requested_on)}; "
            "the council is deciding whether to accept the request."
        )
    day = _day(at)
    if case.status == CaseStatus.ON_HOLD:
        raise TransitionError(
            f"Stage {n} is on hold, so its clock has stopped. The complaints team will tell you "
            "when it restarts."
        )
    if case.status == CaseStatus.CLOSED and (
        stage.responded_on is None or case.closure_reason is not None
    ):
        raise TransitionError(f"Case {case.reference} was closed. Contact the complaints team.")
    late_council = False
    if case.status == CaseStatus.OPEN:
        due = deadlines_for(procedure, stage).respond_by
        if not council_is_late(case, day) or not procedure.stage(n).skip_to_next_if_late:
            raise TransitionError(
                f"Stage {n} is still open: the council has until {_long(due)} to respond. You "
                f"can ask for stage {n + 1} after that response, or straight away if the "
                "council misses that date."
            )
        late_council = True
    window_ends = next_stage_deadline(case)
    late = not late_council and window_ends is not None and day > window_ends
    request = StageRequest(
        stage=n + 1, requested_on=day, by=by, reason=(reason or "").strip() or None, late=late
    )
    new = case.model_copy(deep=True)
    new.requests.append(request)
    if late_council:
        new.stage.overdue = True
    events = [
        _event(
            new,
            "next_stage_requested",
            at,
            by,
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
        new.expires_at = None
    else:
        _start_stage(new, request, day, statement_agreed_on)
        _refresh(new)
        events.append(_event(new, "stage_started", at, by, respond_by=str(new.stage.respond_by)))
    return _done(new, events, _request_notices(new, request))


def decide_late_request(
    case: Case, accept: bool, reasons: str, by: str, at: datetime
) -> Transition:
    """Record the staff decision on a late request for the next stage, with reasons (refusing
    even to consider a late request is fault: LGSCO). Accepted, the stage's clock counts from
    the request."""
    request = case.pending_request
    if case.status != CaseStatus.AWAITING_DECISION or request is None:
        raise TransitionError(f"Case {case.reference} has no late request waiting for a decision.")
    why = _required(reasons, "Give the reasons for the decision; the complainant is told them.")
    new = case.model_copy(deep=True)
    pending = new.requests[-1]
    pending.decision = "accepted" if accept else "refused"
    pending.decision_reasons = why
    pending.decided_on = _day(at)
    pending.decided_by = by
    events = [_event(new, "late_request_decided", at, by, why, decision=pending.decision)]
    if accept:
        _start_stage(new, pending, pending.requested_on, None)
        _refresh(new)
        events.append(_event(new, "stage_started", at, by, respond_by=str(new.stage.respond_by)))
    else:
        new.status = CaseStatus.RESPONDED
    procedure = get_procedure(new.procedure)
    notice = Notice(
        "late_request_decided",
        (new.complainant.email,),
        f"decision-{pending.stage}-{pending.requested_on}",
        {
            "stage": pending.stage,
            "accepted": accept,
            "reasons": why,
            "respond_by": new.stage.respond_by if accept else None,
            "ombudsman": procedure.after_final_stage.name,
        },
    )
    return _done(new, events, [notice])


# --- recommendations -------------------------------------------------------------------------


def recommend(case: Case, text: str, owner: str, due_on: date, by: str, at: datetime) -> Transition:
    """Record a recommendation of the open stage (stage 2 investigation, stage 3 panel), with
    who owns it and when it is due."""
    _stage_open(case, "add a recommendation", allow_hold=True)
    n = case.stage_number()
    if not _stage_data(case).recommendations:
        raise TransitionError(f"Stage {n} of this procedure does not make recommendations.")
    body = _required(text, "Write the recommendation.")
    address = _valid_email(owner, "recommendation owner")
    if due_on < _day(at):
        raise TransitionError("The due date is in the past: give today or a later date.")
    new = case.model_copy(deep=True)
    number = sum(1 for r in new.recommendations if r.stage == n) + 1
    rec = Recommendation(id=f"{n}.{number}", stage=n, text=body, owner=address, due_on=due_on)
    new.recommendations.append(rec)
    event = _event(new, "recommended", at, by, recommendation=rec.id, due_on=due_on.isoformat())
    return _done(new, [event])


def _find(case: Case, rec_id: str) -> Recommendation:
    try:
        return case.recommendation(rec_id)
    except KeyError:
        raise TransitionError(f"Case {case.reference} has no recommendation '{rec_id}'.") from None


def answer_recommendation(
    case: Case,
    rec_id: str,
    accept: bool,
    by: str,
    at: datetime,
    *,
    action: str | None = None,
    reasons: str | None = None,
    due_on: date | None = None,
    owner: str | None = None,
) -> Transition:
    """The council's answer to a recommendation: accept it with the action it will take, or
    reject it with reasons (SI 2006/1738 reg 21; LGSCO: respond to every recommendation)."""
    _not_closed(case)
    rec = _find(case, rec_id)
    stage = next(s for s in reversed(case.stages) if s.number == rec.stage)
    if stage.responded_on is not None:
        raise TransitionError(
            f"Recommendation {rec_id} was answered in the stage {rec.stage} response on "
            f"{_long(stage.responded_on)} and cannot be changed."
        )
    if accept:
        what = _required(action, "Say what the council will do to carry out the recommendation.")
        why = None
    else:
        why = _required(reasons, "Give the reasons for rejecting the recommendation.")
        what = None
    if due_on is not None and due_on < _day(at):
        raise TransitionError("The due date is in the past: give today or a later date.")
    address = _valid_email(owner, "recommendation owner") if owner else None
    new = case.model_copy(deep=True)
    target = new.recommendation(rec_id)
    target.response = "accepted" if accept else "rejected"
    target.action = what
    target.reasons = why
    target.answered_on = _day(at)
    if due_on is not None:
        target.due_on = due_on
    if address is not None:
        target.owner = address
    event = _event(
        new,
        "recommendation_answered",
        at,
        by,
        why,
        recommendation=rec_id,
        response=target.response,
        due_on=target.due_on.isoformat(),
    )
    return _done(new, [event])


def complete_recommendation(
    case: Case, rec_id: str, by: str, at: datetime, *, on: date | None = None
) -> Transition:
    """Mark an accepted recommendation's action done; the complainant is told. Allowed after
    the case is closed: an action is tracked until it is complete."""
    rec = _find(case, rec_id)
    if rec.response is None:
        raise TransitionError(f"Recommendation {rec_id} has not been answered yet.")
    if rec.response == "rejected":
        raise TransitionError(
            f"Recommendation {rec_id} was rejected: it has no action to complete."
        )
    if rec.completed_on is not None:
        raise TransitionError(
            f"Recommendation {rec_id} was already completed on {_long(rec.completed_on)}."
        )
    day = _day(at)
    done_on = on or day
    if done_on > day:
        raise TransitionError("That date is in the future: mark an action complete once done.")
    new = case.model_copy(deep=True)
    target = new.recommendation(rec_id)
    target.completed_on = done_on
    event = _event(
        new,
        "recommendation_completed",
        at,
        by,
        recommendation=rec_id,
        on=done_on.isoformat(),
        in_time=done_on <= target.due_on,
    )
    notice = Notice(
        "recommendation_completed",
        (new.complainant.email,),
        f"completed-{rec_id}",
        {"id": rec_id, "text": target.text, "action": target.action, "completed_on": done_on},
    )
    return _done(new, [event], [notice])


# --- at any time -----------------------------------------------------------------------------


def record_ombudsman(
    case: Case,
    by: str,
    at: datetime,
    *,
    referred_on: date | None = None,
    outcome: str | None = None,
    remedy: str | None = None,
    decided_on: date | None = None,
    compensation_pence: int = 0,
) -> Transition:
    """Record a referral to the Ombudsman, or its outcome. Allowed at any point: the Ombudsman
    may step in early over delay (Local Government Act 1974 s26B)."""
    if compensation_pence < 0:
        raise TransitionError("A payment cannot be negative.")
    current = case.ombudsman
    if current is None and referred_on is None:
        raise TransitionError("Give the date the complaint was referred to the Ombudsman.")
    new = case.model_copy(deep=True)
    referral = new.ombudsman or OmbudsmanReferral(referred_on=referred_on or _day(at))
    if referred_on is not None:
        referral.referred_on = referred_on
    if outcome is not None:
        referral.outcome = outcome.strip() or None
        referral.decided_on = decided_on or _day(at)
    elif decided_on is not None:
        referral.decided_on = decided_on
    if remedy is not None:
        referral.remedy = remedy.strip() or None
    new.ombudsman = referral
    new.compensation_pence += compensation_pence
    event = _event(
        new,
        "ombudsman",
        at,
        by,
        referred_on=referral.referred_on.isoformat(),
        outcome=referral.outcome,
        compensation_pence=compensation_pence,
    )
    return _done(new, [event])


def record_advocacy(case: Case, provided: bool, by: str, at: datetime) -> Transition:
    """Record whether the complainant had an advocate (Children Act 1989 s26A; the annual
    report counts advocacy provided)."""
    new = case.model_copy(deep=True)
    new.advocacy_provided = provided
    return _done(new, [_event(new, "advocacy", at, by, provided=provided)])


def close(
    case: Case,
    by: str,
    at: datetime,
    *,
    reason: str | None = None,
    withdrawn: bool = False,
) -> Transition:
    """Close the case once its stage has answered and every recommendation has an answer.
    A withdrawn complaint may close at any point, with a reason. Closing sets the retention
    expiry (``retention_years_after_closure``) used for DynamoDB TTL."""
    _not_closed(case)
    n = case.stage_number()
    if case.status == CaseStatus.AWAITING_DECISION:
        raise TransitionError(
            f"A late request for stage {n + 1} is waiting for a decision: decide it first."
        )
    waiting = _unanswered(case)
    if waiting:
        raise TransitionError(
            "Every recommendation needs an answer (accept with an action, or reject with "
            f"reasons) before the case can close: {', '.join(r.id for r in waiting)} not "
            "answered yet."
        )
    why = (reason or "").strip() or None
    if withdrawn:
        why = _required(reason, "Give the reason the complaint was withdrawn.")
    elif case.status != CaseStatus.RESPONDED:
        raise TransitionError(
            f"Stage {n} has not been answered yet. Record the response first, or close the "
            "case as withdrawn, with a reason."
        )
    day = _day(at)
    new = case.model_copy(deep=True)
    if new.stage.on_hold:
        new.stage.holds[-1].ended_on = max(day, new.stage.holds[-1].started_on)
    new.status = CaseStatus.CLOSED
    new.closed_on = day
    new.closure_reason = "withdrawn" if withdrawn else None
    years = load_settings().retention_years_after_closure
    new.expires_at = retention_expiry(day, years)
    event = _event(new, "closed", at, by, why, withdrawn=withdrawn, retention_years=years)
    return _done(new, [event])
