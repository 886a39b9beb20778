"""Whether the complaint goes through the procedure at all: the decisions the regulations
require before a complaint is answered, each in writing with reasons.

- A complaint made more than 12 months after the matter (SI 2006/1738 reg 9): the council may
  still consider it where it was not reasonable to complain in time and it can still be
  considered effectively and fairly (reg 9(2)). Never refused rigidly.
- A person outside the listed groups (Children Act 1989 s26(3)(e)): the council decides
  whether they have sufficient interest in the child's welfare, quickly, taking the child's
  views into account, and tells them in writing if not.

Intake marks either decision as waiting (``triage.decisions_waiting``); the stage's clock runs
meanwhile, so a slow decision is a late stage. Refused, the case closes and the complainant is
told why and that they can go to the Ombudsman.
"""

from __future__ import annotations

from complaints.models import Case, DecisionKind, EventType
from complaints.procedures import get_procedure
from complaints.service.lifecycle.closure import shut
from complaints.service.lifecycle.common import (
    Act,
    Transition,
    TransitionError,
    done,
    event,
    optional,
    required,
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action
from complaints.service.messages.notices import Notice, to_complainant
from complaints.service.triage import decisions_waiting, time_limit_ends

__all__ = [
    "decide_late_complaint",
    "decide_sufficient_interest",
    "decisions_waiting",
    "time_limit_ends",
]

CLOSED_AS = {
    "late_complaint": "late_complaint_not_accepted",
    "sufficient_interest": "no_sufficient_interest",
}


def _decide(
    case: Case,
    kind: DecisionKind,
    action: Action,
    event_type: EventType,
    act: Act,
    *,
    accept: bool,
    reasons: str,
    child_views: str | None = None,
) -> Transition:
    new = begin(case, action, act)
    pending = new.pending_decision(kind)
    if pending is None:
        raise TransitionError(
            {
                "late_complaint": (
                    f"Case {new.reference} has no late-complaint question waiting: the "
                    "complaint was made within the time limit, or it was already decided."
                ),
                "sufficient_interest": (
                    f"Case {new.reference} has no sufficient-interest question waiting: the "
                    "complainant is in one of the listed groups, or it was already decided."
                ),
            }[kind]
        )
    why = required(reasons, "Give the reasons for the decision; the complainant is told them.")
    pending.decision = "accepted" if accept else "refused"
    pending.reasons = why
    pending.child_views = optional(child_views)
    if kind == "sufficient_interest" and not accept and pending.child_views is None:
        raise TransitionError(
            "Record the child's views (or why they could not be asked) before refusing: the "
            "decision has to take them into account."
        )
    pending.decided_on = act.day
    pending.decided_by = act.by
    written = [
        event(
            new,
            event_type,
            act,
            why,
            decision=pending.decision,
            child_views_taken=pending.child_views is not None,
        )
    ]
    if not accept:
        years = shut(new, act, CLOSED_AS[kind])
        written.append(
            event(
                new,
                EventType.CLOSED,
                act,
                why,
                withdrawn=False,
                closure=CLOSED_AS[kind],
                retention_years=years,
            )
        )
    procedure = get_procedure(new.procedure)
    notice = Notice(
        f"{kind}_decided",
        to_complainant(new),
        f"{kind}-decided",
        {
            "accepted": accept,
            "reasons": why,
            "respond_by": new.stage.respond_by if accept else None,
            "ombudsman": procedure.after_final_stage.name,
        },
    )
    return done(new, written, [notice])


def decide_late_complaint(case: Case, act: Act, *, accept: bool, reasons: str) -> Transition:
    """Decide whether to consider a complaint made more than 12 months after the matter
    (SI 2006/1738 reg 9(2)), with reasons the complainant is told."""
    return _decide(
        case,
        "late_complaint",
        Action.DECIDE_LATE_COMPLAINT,
        EventType.LATE_COMPLAINT_DECIDED,
        act,
        accept=accept,
        reasons=reasons,
    )


def decide_sufficient_interest(
    case: Case, act: Act, *, accept: bool, reasons: str, child_views: str | None = None
) -> Transition:
    """Decide whether someone outside the listed groups has sufficient interest in the
    child's welfare (Children Act 1989 s26(3)(e)), taking the child's views into account,
    with reasons the complainant is told."""
    return _decide(
        case,
        "sufficient_interest",
        Action.DECIDE_SUFFICIENT_INTEREST,
        EventType.SUFFICIENT_INTEREST_DECIDED,
        act,
        accept=accept,
        reasons=reasons,
        child_views=child_views,
    )
