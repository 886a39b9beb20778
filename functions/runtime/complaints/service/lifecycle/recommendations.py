"""Recommendations of stage 2 (the investigation) and stage 3 (the panel): recorded with an
owner and a due date, answered by the council (accept with an action, or reject with
reasons), and tracked until the action is done (the Waltham Forest failure)."""

from __future__ import annotations

from datetime import date

from complaints.models import Case, EventType, Recommendation
from complaints.service.lifecycle.common import (
    Act,
    Transition,
    TransitionError,
    done,
    event,
    long_date,
    required,
    stage_data,
    valid_email,
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action
from complaints.service.messages.notices import Notice, to_complainant


def _not_before(due_on: date, act: Act) -> None:
    if due_on < act.day:
        raise TransitionError(
            f"The due date is before {long_date(act.day)}: give that day or a later one."
        )


def recommend(case: Case, text: str, owner: str, due_on: date, act: Act) -> Transition:
    """Record a recommendation of the open stage (stage 2 investigation, stage 3 panel), with
    who owns it and when it is due."""
    new = begin(case, Action.RECOMMEND, act)
    n = new.stage_number()
    if not stage_data(new).recommendations:
        raise TransitionError(f"Stage {n} of this procedure does not make recommendations.")
    body = required(text, "Write the recommendation.")
    address = valid_email(owner, "recommendation owner")
    _not_before(due_on, act)
    number = sum(1 for r in new.recommendations if r.stage == n) + 1
    rec = Recommendation(id=f"{n}.{number}", stage=n, text=body, owner=address, due_on=due_on)
    new.recommendations.append(rec)
    written = event(
        new, EventType.RECOMMENDED, act, recommendation=rec.id, due_on=due_on.isoformat()
    )
    return done(new, [written])


def _find(case: Case, rec_id: str) -> Recommendation:
    try:
        return case.recommendation(rec_id)
    except KeyError:
        raise TransitionError(f"Case {case.reference} has no recommendation '{rec_id}'.") from None


def answer_recommendation(
    case: Case,
    rec_id: str,
    act: Act,
    *,
    accept: bool,
    action: str | None = None,
    reasons: str | None = None,
    due_on: date | None = None,
    owner: str | None = None,
) -> Transition:
    """The council's answer to a recommendation of the open stage: accept it with the action
    it will take, or reject it with reasons (SI 2006/1738 reg 21; LGSCO: respond to every
    recommendation). Until the stage's response is sent, an answer may be changed."""
    new = begin(case, Action.ANSWER_RECOMMENDATION, act)
    target = _find(new, rec_id)
    if target.stage != new.stage_number():
        raise TransitionError(
            f"Recommendation {rec_id} was answered in the stage {target.stage} response and "
            "cannot be changed."
        )
    if accept:
        what = required(action, "Say what the council will do to carry out the recommendation.")
        why = None
    else:
        why = required(reasons, "Give the reasons for rejecting the recommendation.")
        what = None
    if due_on is not None:
        _not_before(due_on, act)
    address = valid_email(owner, "recommendation owner") if owner else None
    target.response = "accepted" if accept else "rejected"
    target.action = what
    target.reasons = why
    target.answered_on = act.day
    if due_on is not None:
        target.due_on = due_on
    if address is not None:
        target.owner = address
    written = event(
        new,
        EventType.RECOMMENDATION_ANSWERED,
        act,
        why,
        recommendation=rec_id,
        response=target.response,
        due_on=target.due_on.isoformat(),
    )
    return done(new, [written])


def complete_recommendation(
    case: Case, rec_id: str, act: Act, *, on: date | None = None
) -> Transition:
    """Mark an accepted recommendation's action done on ``on`` (the action's effective date;
    default ``act``'s); the complainant is told. Allowed after the case is closed: an action
    is tracked until it is complete."""
    act = act.dated(on) if on is not None else act
    new = begin(case, Action.COMPLETE_RECOMMENDATION, act)
    target = _find(new, rec_id)
    if target.response is None:
        raise TransitionError(f"Recommendation {rec_id} has not been answered yet.")
    if target.response == "rejected":
        raise TransitionError(
            f"Recommendation {rec_id} was rejected: it has no action to complete."
        )
    if target.completed_on is not None:
        raise TransitionError(
            f"Recommendation {rec_id} was already completed on {long_date(target.completed_on)}."
        )
    if target.answered_on is not None and act.day < target.answered_on:
        raise TransitionError(
            f"Recommendation {rec_id} was accepted on {long_date(target.answered_on)}: its "
            "action cannot be done before that."
        )
    target.completed_on = act.day
    written = event(
        new,
        EventType.RECOMMENDATION_COMPLETED,
        act,
        recommendation=rec_id,
        on=act.day.isoformat(),
        in_time=act.day <= target.due_on,
    )
    notice = Notice(
        "recommendation_completed",
        to_complainant(new),
        f"completed-{rec_id}",
        {"id": rec_id, "text": target.text, "action": target.action, "completed_on": act.day},
    )
    return done(new, [written], [notice])
