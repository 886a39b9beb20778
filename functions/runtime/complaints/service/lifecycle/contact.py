"""Reaching the family another way: an email to the complainant did not arrive (``service.
delivery`` put it on the case's ``undelivered`` list and alerted the owner or team), and a
member of staff records how the family was told instead. That clears the caseload's flag."""

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
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action

CONTACT_MEANS: tuple[str, ...] = get_args(ContactMeans)


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
