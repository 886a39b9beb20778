"""What happens beside the stages: a referral to the Ombudsman and its outcome, and whether
the complainant had an advocate. Both may be recorded at any point."""

from __future__ import annotations

from datetime import date

from complaints.models import Case, EventType, OmbudsmanReferral
from complaints.service.lifecycle.common import (
    Act,
    Transition,
    TransitionError,
    done,
    event,
    long_date,
    optional,
    payment,
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action


def record_ombudsman(
    case: Case,
    act: Act,
    *,
    referred_on: date | None = None,
    outcome: str | None = None,
    remedy: str | None = None,
    decided_on: date | None = None,
    compensation_pence: int = 0,
) -> Transition:
    """Record a referral to the Ombudsman, or its outcome. Allowed at any point: the Ombudsman
    may step in early over delay; a complainant has 12 months to go to it (Local Government
    Act 1974 s26B). The effective date is the outcome's date, else the referral's."""
    own_date = decided_on or referred_on
    if outcome is not None and decided_on is None:
        own_date = act.day
    act = act.dated(own_date) if own_date is not None else act
    new = begin(case, Action.OMBUDSMAN, act)
    payment(compensation_pence)
    current = new.ombudsman
    if current is None and referred_on is None:
        raise TransitionError("Give the date the complaint was referred to the Ombudsman.")
    referral = current or OmbudsmanReferral(referred_on=referred_on or act.day)
    if referred_on is not None:
        referral.referred_on = referred_on
    if outcome is not None:
        referral.outcome = optional(outcome)
        referral.decided_on = act.day
    elif decided_on is not None:
        referral.decided_on = decided_on
    if referral.decided_on is not None and referral.decided_on < referral.referred_on:
        raise TransitionError(
            f"The Ombudsman cannot decide ({long_date(referral.decided_on)}) before the "
            f"complaint was referred ({long_date(referral.referred_on)})."
        )
    if remedy is not None:
        referral.remedy = optional(remedy)
    new.ombudsman = referral
    new.compensation_pence += compensation_pence
    written = event(
        new,
        EventType.OMBUDSMAN,
        act,
        referred_on=referral.referred_on.isoformat(),
        outcome=referral.outcome,
        compensation_pence=compensation_pence,
    )
    return done(new, [written])


def record_advocacy(case: Case, provided: bool, act: Act) -> Transition:
    """Record whether the complainant had an advocate (Children Act 1989 s26A; the annual
    report counts advocacy provided)."""
    new = begin(case, Action.ADVOCACY, act)
    new.advocacy_provided = provided
    return done(new, [event(new, EventType.ADVOCACY, act, provided=provided)])
