"""What the complainant sees through their self-service link: where the complaint is, the
dates that matter, and what happens next, in plain words. No complaint text, no names: the
link is a bearer secret, so it shows only what a complainant needs to act.

**The link in every email.** The acknowledgement carries the first link (its token made at
intake, its hash on the case as ``token_hash``). Every later email to the complainant alone
carries a link of its own: ``issue_links`` makes a fresh token for each such notice when the
change is saved, adds its SHA-256 to the case (``link_hashes``, the newest ``MAX_LINKS``) in
the same transaction, and the token rides in the email's outbox item until the email is sent,
when it is removed (``adapters.dynamo.outbox.finish_outbox``), exactly as the
acknowledgement's does. No token is ever kept in clear, a copy of the table opens nothing, and
any link from any email opens the page. ``new_link`` replaces them all (a lost or shared link:
the old ones stop working).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from complaints.clock import wall_now
from complaints.dates import long_date
from complaints.models import Case, CaseStatus
from complaints.procedures import get_procedure
from complaints.service.deadlines import is_overdue, stage_missed_deadline
from complaints.service.lifecycle import (
    Transition,
    can_request_next_stage,
    next_stage_deadline,
)
from complaints.service.messages.notices import Notice
from complaints.service.tokens import hash_token, new_token
from complaints.settings import load_settings

MAX_LINKS = 50  # links kept working per case (one per email to the complainant)


# How the complainant's pages name each case status.
STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.OPEN: "Open: we are looking into it",
    CaseStatus.ON_HOLD: "On hold: the time limit has stopped for now",
    CaseStatus.RESPONDED: "We have replied",
    CaseStatus.AWAITING_DECISION: "We are deciding about your request",
    CaseStatus.CLOSED: "Closed",
}


def status_label(status: CaseStatus) -> str:
    return STATUS_LABELS.get(status, status.value.replace("_", " "))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def what_happens_next(case: Case, today: date) -> str:
    procedure = get_procedure(case.procedure)
    stage = case.stage
    n = stage.number
    final = n >= procedure.final_stage
    ombudsman = procedure.after_final_stage.name
    ask_by = next_stage_deadline(case)
    if case.status == CaseStatus.ON_HOLD:
        return (
            f"Your complaint is on hold, so the time limit for stage {n} has stopped. "
            "We will tell you when it starts again, and the new date for our reply."
        )
    if case.status == CaseStatus.AWAITING_DECISION and case.pending_request:
        return (
            f"You asked for stage {n + 1} on {long_date(case.pending_request.requested_on)}. "
            "It was after the time limit, so we are deciding whether to accept it. We will "
            "write to you with our decision and our reasons."
        )
    if case.status == CaseStatus.OPEN and stage.respond_by is not None:
        if not is_overdue(case, today):
            return f"We will reply to stage {n} of your complaint by {long_date(stage.respond_by)}."
        if final or not can_request_next_stage(case, today):
            return (
                f"We have not replied by {long_date(stage.respond_by)}, as we should have. We "
                f"must still finish stage {n} and reply to you. Because we are late, you can "
                f"also ask the {ombudsman} to look at your complaint now."
            )
        return (
            f"We have not replied by {long_date(stage.respond_by)}, as we should have. You can ask "
            f"for stage {n + 1} now, or ask the {ombudsman} to look at your complaint."
        )
    closed = "Your complaint is closed. " if case.status == CaseStatus.CLOSED else ""
    replied = f"We replied on {long_date(stage.responded_on)}. " if stage.responded_on else ""
    if not final and can_request_next_stage(case, today):
        deadline = (
            f"by {long_date(ask_by)}"
            if ask_by and today <= ask_by
            else "now (it is after the usual "
            "time limit, so we will decide whether to accept it and tell you why)"
        )
        return (
            f"{closed}{replied}If you are not happy with our reply, you can ask for stage "
            f"{n + 1} {deadline}."
        )
    return f"{closed}{replied}If you are still not happy, you can ask the {ombudsman} to help."


def complainant_view(case: Case, today: date) -> dict[str, Any]:
    """The JSON the self-service page shows."""
    procedure = get_procedure(case.procedure)
    stage = case.stage
    can_escalate = can_request_next_stage(case, today)
    n = stage.number
    return {
        "reference": case.reference,
        "procedure": case.procedure,
        "procedure_name": procedure.name,
        "stage": n,
        "stage_name": procedure.stage(n).name,
        "final_stage": procedure.final_stage,
        "status": case.status.value,
        "received_on": case.received_on.isoformat(),
        "stage_started_on": stage.started_on.isoformat(),
        "respond_by": _iso(stage.respond_by),
        "responded_on": _iso(stage.responded_on),
        # When and how the response letter went (never its text: the link is a bearer token).
        "response_letter": (
            {
                "sent_on": stage.response_letter.sent_on.isoformat(),
                "sent_by": stage.response_letter.sent_by,
                "sent_again_on": [d.isoformat() for d in stage.response_letter.sent_again_on],
            }
            if stage.response_letter
            else None
        ),
        "outcome": stage.outcome,
        "overdue": stage_missed_deadline(case, stage, today),
        "on_hold": stage.on_hold,
        "closed_on": _iso(case.closed_on),
        "can_escalate": can_escalate,
        "next_stage": n + 1 if n < procedure.final_stage else None,
        "ask_next_stage_by": _iso(next_stage_deadline(case)) if can_escalate else None,
        "what_happens_next": what_happens_next(case, today),
        "ombudsman": {
            "name": procedure.after_final_stage.name,
            "website": str(load_settings().ombudsman.website),
        },
    }


# --- the link in every email ---------------------------------------------------------------


def issue_links(transition: Transition) -> Transition:
    """``transition`` with a fresh link token on each notice to the complainant alone (never
    on one that also goes to staff), and the tokens' hashes on the case."""
    case = transition.case
    email = case.complainant.email
    notices: list[Notice] = []
    hashes: list[str] = []
    for notice in transition.notices:
        if email and tuple(notice.to) == (email,) and notice.token is None:
            token = new_token()
            hashes.append(hash_token(token))
            notice = replace(notice, token=token)
        notices.append(notice)
    if not hashes:
        return transition
    kept = [*case.link_hashes, *hashes][-MAX_LINKS:]
    case = case.model_copy(update={"link_hashes": kept})
    return replace(transition, case=case, notices=tuple(notices))


def new_link(case: Case) -> tuple[Case, str]:
    """A new link for the case, and the case with every older link stopped."""
    token = new_token()
    return case.model_copy(update={"token_hash": hash_token(token), "link_hashes": []}), token


# --- access through the link ---------------------------------------------------------------
#
# The token is checked first: the right token always opens the case and is never slowed down,
# so nobody who knows a reference can lock its complainant out. Wrong tokens on a reference
# (and any token on an unknown one, answered exactly alike) get 404 for the first
# ``FREE_WRONG_TRIES``, then 429 with a ``Retry-After`` that doubles with each wrong try, up to
# ``MAX_BACKOFF``. A token holds 256 random bits, so the backoff only slows the noise down;
# per-client limits belong to the edge (the WAF rate rule in ``infra/edge.yaml``): the API sees
# CloudFront's addresses, and visitors' addresses are never stored. The count is kept in wall
# time (``clock.wall_now``), never the business clock a test or ``checks run --now`` moves.

FREE_WRONG_TRIES = 5  # per reference, before the answers ask the caller to slow down
THROTTLE_WINDOW = timedelta(minutes=15)  # wrong tries are forgotten this long after the last
MAX_BACKOFF = THROTTLE_WINDOW
_NO_CASE_HASH = "0" * 64  # compared against when there is no case, so both paths do the same


def backoff_seconds(wrong_tries: int) -> int:
    """How long to ask a caller to wait after the ``wrong_tries``-th wrong try in a window:
    nothing for the first ``FREE_WRONG_TRIES``, then 1, 2, 4, ... seconds, at most
    ``MAX_BACKOFF``."""
    if wrong_tries <= FREE_WRONG_TRIES:
        return 0
    doublings = min(wrong_tries - FREE_WRONG_TRIES - 1, 32)
    return int(min(2**doublings, MAX_BACKOFF.total_seconds()))


class AccessStore(Protocol):
    def get_case(self, reference: str) -> Case | None: ...

    def record_wrong_attempt(self, reference: str, now: datetime, window: timedelta) -> int:
        """Count one wrong try on ``reference``: the number in the current window, this one
        included (a window ends ``window`` after the last wrong try)."""
        ...


@dataclass(frozen=True)
class Access:
    case: Case | None  # the case, only when the reference and token match
    throttled: bool = False
    retry_after: int = 0  # seconds


def open_case(
    store: AccessStore,
    reference: str,
    token: str | None,
    *,
    clock: Callable[[], datetime] = wall_now,
) -> Access:
    """The case behind a self-service link, or nothing. The right token always opens it;
    an unknown reference, a wrong token and a missing token look the same from outside (no way
    to find out which references exist), with the same backoff; tokens are compared in
    constant time (``hmac.compare_digest``)."""
    from complaints.service.references import normalise_reference
    from complaints.service.tokens import token_matches

    ref = normalise_reference(reference)
    if ref is None:
        return Access(None)
    case = store.get_case(ref)
    hashes = [case.token_hash, *case.link_hashes] if case else [_NO_CASE_HASH]
    matches = [token_matches(token or "", known) for known in hashes]  # each compared in full
    if case is not None and token and any(matches):
        return Access(case)
    wait = backoff_seconds(store.record_wrong_attempt(ref, clock(), THROTTLE_WINDOW))
    if wait:
        return Access(None, throttled=True, retry_after=wait)
    return Access(None)
