"""The clock: extending a stage's deadline, stopping it (a hold) and restarting it, and the
decision whether to go on while court proceedings or an investigation run.

Extensions and holds are decisions taken while the clock runs, so they are allowed only on
or before the deadline in force; after it the stage is late, and stays recorded as late.
"""

from __future__ import annotations

from datetime import date

from complaints.clock import add_working_days
from complaints.models import Case, CaseStatus, Decision, EventType, Hold
from complaints.procedures import get_procedure
from complaints.service.deadlines import deadlines_for
from complaints.service.lifecycle.common import (
    Act,
    Transition,
    TransitionError,
    done,
    event,
    label,
    labels,
    long_date,
    required,
    stage_data,
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action
from complaints.service.messages.notices import Notice, to_complainant
from complaints.settings import load_settings


def _deadline_in_force(case: Case) -> tuple[str, date]:
    """The open stage's next deadline (its next milestone not yet done): name and date."""
    procedure = get_procedure(case.procedure)
    stage = case.stage
    deadlines = deadlines_for(procedure, stage).milestones
    for milestone in procedure.stage(stage.number).milestones:
        if milestone.id not in stage.actual:
            return milestone.name, deadlines[milestone.id].due
    return "response", deadlines["response"].due  # pragma: no cover (an open stage has one)


def _before_deadline(case: Case, act: Act, doing: str, instead: str) -> None:
    name, due = _deadline_in_force(case)
    if act.day > due:
        raise TransitionError(
            f"The deadline for stage {case.stage_number()} ({name}), {long_date(due)}, has "
            f"passed: {doing} has to be decided on or before it. {instead}"
        )


def extend(
    case: Case, working_days: int, reason: str, act: Act, *, grounds: str | None = None
) -> Transition:
    """Extend the stage's response deadline to ``working_days`` from the start of the stage,
    never past the procedure's ``extendable_to`` (stage 1: SI 2006/1738 reg 14; stage 2:
    reg 17), with a reason the complainant is told; only on or before the deadline in force."""
    new = begin(case, Action.EXTEND, act)
    milestone = stage_data(new).response
    n = new.stage_number()
    if milestone.extendable_to is None:
        raise TransitionError(f"The {milestone.name} cannot be extended ({milestone.citation}).")
    current = new.stage.extended_to or milestone.working_days
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
            f"'{label(grounds)}' is not a ground for extending stage {n}. "
            f"The grounds are: {labels(milestone.extension_reasons)}."
        )
    why = required(reason, "Give the reason for the extension; the complainant is told it.")
    _before_deadline(
        new,
        act,
        "an extension",
        "Record the response when it is sent, and tell the complainant why it is late.",
    )
    procedure = get_procedure(new.procedure)
    was = deadlines_for(procedure, new.stage).respond_by
    new.stage.extended_to = working_days
    new.stage.extension_reason = why
    new.stage.extension_grounds = grounds
    new.stage.extended_on = act.day
    now_due = deadlines_for(procedure, new.stage).respond_by
    written = event(
        new,
        EventType.EXTENDED,
        act,
        why,
        working_days=working_days,
        previous_working_days=current,
        grounds=grounds,
        respond_by=now_due.isoformat(),
        previous_respond_by=was.isoformat(),
    )
    notice = Notice(
        "extended",
        to_complainant(new),
        f"extended-{n}-{working_days}",
        {"stage": n, "respond_by": now_due, "reason": why},
    )
    return done(new, [written], [notice])


def _grounds(case: Case, grounds: str) -> str:
    known = get_procedure(case.procedure).hold_grounds
    ids = [g.id for g in known.grounds]
    if grounds not in ids:
        raise TransitionError(
            f"'{label(grounds)}' is not a ground for a hold. The grounds are: {labels(ids)}."
        )
    return grounds


def _review_on(act: Act, review_on: date | None) -> date:
    if review_on is None:
        return add_working_days(act.day, load_settings().hold_review_working_days)
    if review_on <= act.day:
        raise TransitionError("The hold's review date must be after the day it starts.")
    return review_on


def _held_notice(case: Case, hold: Hold, key: str, reasons: str | None = None) -> Notice:
    procedure = get_procedure(case.procedure)
    n = case.stage_number()
    return Notice(
        "held",
        to_complainant(case),
        key,
        {
            "stage": n,
            "grounds": hold.grounds,
            "told": procedure.hold_grounds.told(hold.grounds),
            "review_on": hold.review_on,
            "reasons": reasons,
        },
    )


def _start_hold(new: Case, act: Act, grounds: str, reason: str, review_on: date | None) -> Hold:
    _before_deadline(
        new,
        act,
        "a hold",
        "The stage is late: answer it, or tell the complainant why it is late.",
    )
    started = Hold(
        started_on=act.day,
        reason=reason,
        grounds=_grounds(new, grounds),
        review_on=_review_on(act, review_on),
    )
    new.stage.holds.append(started)
    new.status = CaseStatus.ON_HOLD
    return started


def hold(
    case: Case, act: Act, *, grounds: str, reason: str, review_on: date | None = None
) -> Transition:
    """Stop the clock while considering the complaint could prejudice court proceedings, a
    police investigation or another process (SI 2006/1738 reg 8). The complainant is told the
    grounds in plain words and when the hold will be reviewed; ``reason`` stays internal."""
    new = begin(case, Action.HOLD, act)
    why = required(reason, "Give the reason for putting the complaint on hold.")
    started = _start_hold(new, act, grounds, why, review_on)
    written = event(
        new,
        EventType.HELD,
        act,
        why,
        grounds=started.grounds,
        review_on=str(started.review_on),
    )
    notice = _held_notice(new, started, f"held-{new.stage_number()}-{act.day}")
    return done(new, [written], [notice])


def _end_hold(new: Case, act: Act, reason: str | None) -> Transition:
    current = new.stage.holds[-1]
    current.ended_on = act.day
    new.status = CaseStatus.OPEN
    due = deadlines_for(get_procedure(new.procedure), new.stage)
    written = event(
        new,
        EventType.RESUMED,
        act,
        reason,
        days_on_hold=due.days_on_hold,
        respond_by=due.respond_by.isoformat(),
    )
    notice = Notice(
        "resumed",
        to_complainant(new),
        f"resumed-{new.stage_number()}-{act.day}",
        {"stage": new.stage_number(), "respond_by": due.respond_by},
    )
    return done(new, [written], [notice])


def resume(case: Case, act: Act, reason: str | None = None) -> Transition:
    """Restart the clock: the deadlines move on by the working days spent on hold."""
    new = begin(case, Action.RESUME, act)
    return _end_hold(new, act, (reason or "").strip() or None)


def decide_proceedings(
    case: Case,
    act: Act,
    *,
    hold: bool,
    grounds: str,
    reasons: str,
    review_on: date | None = None,
) -> Transition:
    """Decide, with reasons the complainant is told, whether considering the complaint now
    would prejudice court proceedings, a police investigation or a prosecution (SI 2006/1738
    reg 8): hold (the clock stops, to be reviewed) or proceed. On a case already on hold this
    is the hold's review: hold again until a new review date, or proceed (the clock
    restarts)."""
    new = begin(case, Action.DECIDE_PROCEEDINGS, act)
    why = required(reasons, "Give the reasons for the decision; the complainant is told them.")
    ground = _grounds(new, grounds)
    decision = Decision(
        kind="proceedings",
        stage=new.stage_number(),
        decision="hold" if hold else "proceed",
        reasons=why,
        grounds=ground,
        decided_on=act.day,
        decided_by=act.by,
    )
    new.decisions.append(decision)
    decided = event(
        new, EventType.PROCEEDINGS_DECIDED, act, why, decision=decision.decision, grounds=ground
    )
    n = new.stage_number()
    if new.status == CaseStatus.ON_HOLD:
        current = new.stage.holds[-1]
        if not hold:
            resumed = _end_hold(new, act, why)
            return done(resumed.case, [decided, *resumed.events], resumed.notices)
        current.grounds = ground  # type: ignore[assignment]  # checked against the data
        current.review_on = _review_on(act, review_on)
        reviewed = event(new, EventType.HOLD_REVIEWED, act, why, review_on=str(current.review_on))
        notice = _held_notice(new, current, f"hold-reviewed-{n}-{act.day}", why)
        return done(new, [decided, reviewed], [notice])
    if hold:
        started = _start_hold(new, act, ground, why, review_on)
        held = event(
            new, EventType.HELD, act, why, grounds=ground, review_on=str(started.review_on)
        )
        notice = _held_notice(new, started, f"held-{n}-{act.day}", why)
        return done(new, [decided, held], [notice])
    procedure = get_procedure(new.procedure)
    notice = Notice(
        "proceedings_decided",
        to_complainant(new),
        f"proceed-{n}-{act.day}",
        {
            "stage": n,
            "told": procedure.hold_grounds.told(ground),
            "reasons": why,
            "respond_by": deadlines_for(procedure, new.stage).respond_by,
        },
    )
    return done(new, [decided], [notice])
