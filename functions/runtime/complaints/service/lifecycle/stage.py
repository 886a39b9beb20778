"""The stage and its response: acknowledging it, who runs it, its milestones, and the answer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Literal

from complaints.models import Case, CaseStatus, EventType, ResponseLetter
from complaints.procedures import Procedure, get_procedure
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
    optional,
    payment,
    refresh,
    required,
    stage_data,
    valid_email,
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action
from complaints.service.messages.notices import Notice, how_to_reach, to_complainant
from complaints.settings import load_settings

AcknowledgedBy = Literal["phone", "email", "letter", "meeting", "video_call"]
ACKNOWLEDGED_BY: tuple[str, ...] = ("phone", "email", "letter", "meeting", "video_call")
MAX_LETTER = 50_000


def refuse_if_handled_before(case: Case, people: Iterable[str | None], what: str) -> None:
    """A stage that must be independent of the one before (the Complaint Handling Code: stage
    2 is not handled by whoever handled stage 1) refuses anyone who handled it."""
    if not stage_data(case).independent_of_previous_stage or len(case.stages) < 2:
        return
    before = case.stages[-2]
    for person in people:
        if person and person.strip().casefold() in before.handled_by:
            raise TransitionError(
                f"{person.strip()} handled stage {before.number}, so they cannot {what} at "
                f"stage {case.stage_number()}: it must be someone who was not involved."
            )


def acknowledge(
    case: Case,
    act: Act,
    *,
    summary: str,
    outcome_sought: str | None = None,
    how: str = "phone",
) -> Transition:
    """Record the council's acknowledgement of the stage: someone has talked to (or written
    to) the complainant, and what the council understands the complaint and the outcome
    sought to be. The automatic email at intake is only a receipt."""
    new = begin(case, Action.ACKNOWLEDGE, act)
    stage = new.stage
    if stage.acknowledged_on is not None:
        raise TransitionError(
            f"Stage {stage.number} was already acknowledged on {long_date(stage.acknowledged_on)}."
        )
    if how not in ACKNOWLEDGED_BY:
        raise TransitionError(f"Say how you reached the complainant: {labels(ACKNOWLEDGED_BY)}.")
    understood = required(
        summary, "Say what you understand the complaint to be, as agreed with the complainant."
    )
    stage.acknowledged_on = act.day
    stage.acknowledgement = understood
    stage.outcome_understood = optional(outcome_sought)
    if stage.number == 1 and new.acknowledged_on is None:
        new.acknowledged_on = act.day
    refresh(new)
    due = deadlines_for(get_procedure(new.procedure), stage)
    written = event(
        new, EventType.ACKNOWLEDGED, act, how=how, acknowledge_by=str(due.acknowledge_by)
    )
    notice = Notice(
        "acknowledged",
        to_complainant(new),
        f"acknowledged-{stage.number}",
        {
            "stage": stage.number,
            "summary": understood,
            "outcome_sought": stage.outcome_understood,
            "respond_by": due.respond_by,
        },
    )
    return done(new, [written], [notice])


def assign(case: Case, owner: str, act: Act) -> Transition:
    """Make ``owner`` (a work email address) the case owner: reminders go to them."""
    new = begin(case, Action.ASSIGN, act)
    address = valid_email(owner, "case owner")
    if new.status in (CaseStatus.OPEN, CaseStatus.ON_HOLD):
        refuse_if_handled_before(new, [address], "own the case")
    previous = new.owner
    new.owner = address
    return done(new, [event(new, EventType.ASSIGNED, act, owner=address, previous=previous)])


def assign_roles(case: Case, roles: Mapping[str, str], act: Act) -> Transition:
    """Record who holds the stage's roles (stage 2: investigating officer, independent person,
    adjudicating officer; stage 3: panel chair), as the procedure data names them."""
    new = begin(case, Action.ROLES, act)
    known = stage_data(new).roles
    n = new.stage_number()
    if not roles:
        raise TransitionError("Name at least one role and who holds it.")
    for role, name in roles.items():
        if role not in known:
            allowed = f"Its roles are: {labels(known)}." if known else "It has no named roles."
            raise TransitionError(f"Stage {n} has no role '{label(role)}'. {allowed}")
        required(name, f"Give the name of the {label(role)}.")
    refuse_if_handled_before(new, roles.values(), "hold a role")
    new.stage.roles.update({role: name.strip() for role, name in roles.items()})
    return done(new, [event(new, EventType.ROLES_ASSIGNED, act, roles=sorted(roles))])


def record_milestone(
    case: Case, milestone_id: str, act: Act, *, on: date | None = None
) -> Transition:
    """Record that a milestone before the response happened, on ``on`` (its own date: the
    action's effective date; default ``act``'s) (stage 3: the panel met, SI 2006/1738 reg 19;
    the panel sent its report, reg 20). Later milestones count from it."""
    act = act.dated(on) if on is not None else act
    new = begin(case, Action.RECORD_MILESTONE, act)
    data = stage_data(new)
    n = new.stage_number()
    steps = [m for m in data.milestones if m is not data.response]
    ids = [m.id for m in steps]
    if milestone_id not in ids:
        known = f"Its milestones are: {labels(ids)}." if ids else "It has none to record."
        raise TransitionError(f"Stage {n} has no milestone '{label(milestone_id)}'. {known}")
    stage = new.stage
    name = steps[ids.index(milestone_id)].name
    if milestone_id in stage.actual:
        raise TransitionError(
            f"'{name}' was already recorded for {long_date(stage.actual[milestone_id])}."
        )
    for before in ids[: ids.index(milestone_id)]:
        if before not in stage.actual:
            raise TransitionError(f"Record '{steps[ids.index(before)].name}' first.")
    on = act.day
    due = deadlines_for(get_procedure(new.procedure), stage).milestones[milestone_id].due
    stage.actual[milestone_id] = on
    written = event(
        new,
        EventType.MILESTONE,
        act,
        milestone=milestone_id,
        on=on.isoformat(),
        due=due.isoformat(),
        in_time=on <= due,
    )
    return done(new, [written])


def next_steps(procedure: Procedure, case: Case, responded: date) -> dict[str, Any]:
    """What the complainant can do after a stage's response, from the data."""
    from complaints.clock import add_working_days

    data = procedure.stage(case.stage_number())
    window = data.request_next_within
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
    act: Act,
    *,
    themes: Iterable[str] = (),
    learning: str | None = None,
    corrective_actions: Iterable[str] = (),
    compensation_pence: int = 0,
    letter: str | None = None,
) -> Transition:
    """Record the stage's response, on ``act``'s date, with its outcome and the response
    letter itself (``service.response_letter`` drafts it; required: a stage is never answered
    without it). The letter is held with the case and sent with the response by email or
    post, as the complainant prefers. Stages that make recommendations answer every one of
    them first (stage 3: SI 2006/1738 reg 21; the Waltham Forest failure). A response after
    the deadline stays recorded as late (reg 13)."""
    new = begin(case, Action.RESPOND, act)
    procedure = get_procedure(new.procedure)
    data = procedure.stage(new.stage_number())
    n = new.stage_number()
    for pending in new.decisions:
        if pending.decision is None and pending.kind != "proceedings":
            raise TransitionError(
                f"Decide the {label(pending.kind)} question first (decide-"
                f"{pending.kind.replace('_', '-')}): the complaint waits for that decision."
            )
    if outcome not in data.outcomes:
        raise TransitionError(
            f"'{label(outcome)}' is not an outcome of stage {n}. "
            f"The outcomes are: {labels(data.outcomes)}."
        )
    chosen = list(dict.fromkeys(themes))
    known = load_settings().themes
    for theme in chosen:
        if theme not in known:
            raise TransitionError(f"Unknown theme '{label(theme)}'. Themes: {labels(known)}.")
    payment(compensation_pence)
    for milestone in data.milestones[:-1]:
        if milestone.id not in new.stage.actual:
            raise TransitionError(f"Record '{milestone.name}' before the {data.response.name}.")
    waiting = [r for r in new.recommendations if r.response is None and r.stage == n]
    if waiting:
        raise TransitionError(
            "Answer every recommendation before responding (accept with an action, or reject "
            f"with reasons): {', '.join(r.id for r in waiting)} not answered yet."
        )
    refuse_if_handled_before(new, [act.by], "answer this stage")
    text = required(
        letter,
        "Write the response letter (the outcome, an answer to each part of the complaint, "
        "what the council will do, any apology or remedy, the next stage and the Ombudsman): "
        "a stage is never answered without it.",
    )
    if len(text) > MAX_LETTER:
        raise TransitionError(f"Keep the response letter to {MAX_LETTER:,} characters or fewer.")
    refresh(new)
    stage = new.stage
    day = act.day
    stage.response_letter = ResponseLetter(
        text=text, written_by=act.by, sent_on=day, sent_by=how_to_reach(new)
    )
    stage.responded_on = day
    stage.actual["response"] = day
    stage.outcome = outcome
    stage.themes = chosen
    stage.learning = optional(learning)
    stage.corrective_actions = [a.strip() for a in corrective_actions if a.strip()]
    stage.owner = new.owner
    stage.responded_by = act.by
    in_time = stage.respond_by is None or day <= stage.respond_by
    new.compensation_pence += compensation_pence
    new.status = CaseStatus.RESPONDED
    written = event(
        new,
        EventType.RESPONDED,
        act,
        outcome=outcome,
        themes=chosen,
        in_time=in_time,
        respond_by=stage.respond_by.isoformat() if stage.respond_by else None,
        corrective_actions=len(stage.corrective_actions),
        compensation_pence=compensation_pence,
        letter_sent_by=stage.response_letter.sent_by,
    )
    return done(new, [written], [responded_notice(new, f"responded-{n}")])


def responded_notice(case: Case, key: str) -> Notice:
    """The stage response to the complainant: the letter, what happens to each
    recommendation, and what they can do next (from the stage's response date)."""
    procedure = get_procedure(case.procedure)
    stage = case.stage
    n = stage.number
    data = procedure.stage(n)
    day = stage.responded_on
    if day is None or stage.response_letter is None:
        raise TransitionError(f"Stage {n} has not been answered yet.")
    answers = [
        {
            "id": r.id,
            "text": r.text,
            "response": r.response,
            "action": r.action,
            "reasons": r.reasons,
            "due_on": r.due_on,
        }
        for r in case.recommendations
        if r.stage == n
    ]
    return Notice(
        "responded",
        to_complainant(case),
        key,
        {
            "stage": n,
            "stage_name": data.name,
            "outcome": stage.outcome,
            "recommendations": answers,
            "ombudsman": procedure.after_final_stage.name,
            "letter": stage.response_letter.text,
            **next_steps(procedure, case, day),
        },
    )


def send_response_again(case: Case, act: Act) -> Transition:
    """Send the latest stage response letter once more (the complainant asked, through their
    link or by calling), by the way they prefer now: the same letter, on the timeline."""
    new = begin(case, Action.SEND_RESPONSE_AGAIN, act)
    stage = new.stage
    if stage.response_letter is None:
        raise TransitionError(f"Stage {stage.number} has no response letter to send again yet.")
    stage.response_letter.sent_again_on.append(act.day)
    count = len(stage.response_letter.sent_again_on)
    written = event(new, EventType.RESPONSE_SENT_AGAIN, act, sent_by=how_to_reach(new), times=count)
    return done(new, [written], [responded_notice(new, f"responded-{stage.number}-again{count}")])
