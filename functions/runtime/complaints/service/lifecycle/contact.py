"""Keeping in touch outside the stages: a new self-service link for the complainant (the old
one stops working), and the front door's record of the safeguarding referral it took."""

from __future__ import annotations

from complaints.models import Case, EventType
from complaints.service.lifecycle.common import (
    Act,
    Transition,
    TransitionError,
    done,
    event,
    required,
)
from complaints.service.lifecycle.guard import begin
from complaints.service.lifecycle.table import Action
from complaints.service.messages.notices import Notice


def new_status_link(case: Case, act: Act, *, token: str) -> Transition:
    """Give the case a new self-service token (only its hash is kept, so the old link stops
    working at once) and email the complainant the new link. ``token`` is made by the caller
    (``service.tokens.new_token``): the transition stays pure."""
    from complaints.service.tokens import hash_token

    new = begin(case, Action.NEW_LINK, act)
    new.token_hash = hash_token(token)
    written = event(new, EventType.STATUS_LINK_SENT, act)
    notice = Notice(
        "status_link",
        (new.complainant.email,),
        f"link-{act.recorded_at.strftime('%Y%m%dT%H%M%S%f')}",
        {"stage": new.stage_number()},
        secret=token,
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
