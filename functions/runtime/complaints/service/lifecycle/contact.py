"""Keeping in touch outside the stages: a new self-service link for the complainant (the old
one stops working); the front door's record of the safeguarding referral it took; and reaching
the family another way when an email to the complainant did not arrive (``service.delivery``
put it on the case's ``undelivered`` list and alerted the owner or team): a member of staff
records how the family was told instead, which clears the caseload's flag."""

from __future__ import annotations

from typing import cast, get_args

from complaints.clock import received_on
from complaints.models import Case, ContactMeans, EventType
from complaints.service.lifecycle.common import (
    Act,
    Transition,
    TransitionError,
    done,
    event,
    labels,
    long_date,
    optional,
    required,
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action
from complaints.service.messages.notices import Notice

CONTACT_MEANS: tuple[str, ...] = get_args(ContactMeans)


def new_status_link(case: Case, act: Act, *, token: str) -> Transition:
    """Give the case a new self-service token (only its hash is kept, so the old link stops
    working at once) and email the complainant the new link. ``token`` is made by the caller
    (``service.tokens.new_token``): the transition stays pure."""
    from complaints.service.messages.notices import to_complainant
    from complaints.service.tokens import hash_token

    new = begin(case, Action.NEW_LINK, act)
    to = to_complainant(case)
    if not to:  # the link is a secret: it goes by email only, never on paper
        raise TransitionError(
            f"The complainant on case {case.reference} gave no email address, so a status "
            "link cannot be sent: tell them how their complaint is going by post or phone."
        )
    new.token_hash = hash_token(token)
    written = event(new, EventType.STATUS_LINK_SENT, act)
    notice = Notice(
        "status_link",
        to,
        f"link-{act.recorded_at.strftime('%Y%m%dT%H%M%S%f')}",
        {"stage": new.stage_number()},
        token=token,
    )
    return done(new, [written], [notice])


def record_referral(case: Case, act: Act, *, action_taken: str) -> Transition:
    """The front door's record of what it did about an urgent case (a safeguarding referral,
    a strategy discussion, no further action, and why). Only an urgent case has one."""
    if not case.urgent:
        raise TransitionError(
            f"Case {case.reference} is not marked urgent, so there is no safeguarding "
            "referral to record."
        )
    new = begin(case, Action.RECORD_REFERRAL, act)
    taken = required(action_taken, "Say what the front door did about the danger to the child.")
    return done(new, [event(new, EventType.SAFEGUARDING_REFERRAL, act, reason=taken)])


def record_contact(case: Case, act: Act, *, how: str, note: str | None = None) -> Transition:
    """Record how the family was told what the emails they did not get said (phone, letter,
    in person, another email address, through their advocate ...), on the act's day: every
    email waiting for it is marked told."""
    new = begin(case, Action.RECORD_CONTACT, act)
    if how not in CONTACT_MEANS:
        raise TransitionError(f"Say how the family was told: one of {labels(CONTACT_MEANS)}.")
    waiting = [message for message in new.undelivered if message.told_on is None]
    if not waiting:
        raise TransitionError(
            f"Every email to the family about {case.reference} arrived, or how they were told "
            "is already recorded: there is nothing to record."
        )
    latest = max(received_on(message.failed_at) for message in waiting)
    if act.day < latest:
        raise TransitionError(
            f"An email to the family failed on {long_date(latest)}: record how they were told "
            "on that day or later."
        )
    for message in waiting:
        message.told_on = act.day
        message.told_by = cast(ContactMeans, how)  # checked against ContactMeans above
    written = event(
        new,
        EventType.CONTACT_RECORDED,
        act,
        reason=optional(note),
        how=how,
        messages=[message.message for message in waiting],
    )
    return done(new, [written])
