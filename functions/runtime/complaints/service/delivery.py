"""What became of each email after it was sent, recorded once on its case.

A sender reports back later: SES through its configuration set's events (EventBridge, then a
queue), GOV.UK Notify through its callback; the handlers turn each report into a ``Report``.
The outbox reports an email it gave up on after ``outbox_max_attempts`` tries. Every report
names its message by the key the email carried (``message_key``: the case reference and the
outbox item), so it needs nothing the send wrote afterwards: a bounce that arrives before the
send was marked done is recorded all the same.

Each report is recorded once (``Report.key``; the same report twice writes nothing), as a
system event (``delivered`` or ``delivery_failed``, never bounding a person's late entry):

- an email to the complainant that failed goes on the case's ``undelivered`` list (the
  caseload's flag, until staff record how the family was told: ``lifecycle.contact``) and its
  owner, or the team, is told to reach the family another way;
- a staff email that failed alerts the team's address;
- a failed alert about a failed email alerts nobody (no loop);
- delivered is recorded for emails to the complainant only (the staff's own mail is not the
  family's record).

No address is stored or sent on: the alert names the case and what did not arrive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from complaints import clock
from complaints.models import Case, EventType, Undelivered
from complaints.service.lifecycle.common import SYSTEM, Act, Transition, done, event
from complaints.service.messages.notices import Notice, owner_or_team, team_email

Status = Literal["delivered", "failed"]
Recorded = Literal["recorded", "duplicate", "ignored", "unknown"]

OUTBOX_PREFIX = "OUTBOX#"
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
# The alerts this module sends: one of them failing alerts nobody.
ALERT_TEMPLATES = frozenset({"notice_delivery_failed", "notice_delivery_failed_staff"})
ATTEMPTS = 3  # saves tried when the case keeps changing meanwhile

# Why an email did not arrive, in words staff can act on.
REASONS: Mapping[str, str] = {
    "bounce": "it bounced: the address may be wrong or no longer used",
    "complaint": "it was marked as spam, so later emails may not reach them either",
    "reject": "the email service refused to send it",
    "not_sent": "it could not be sent, after every try",
    "permanent_failure": "the address does not exist or cannot receive email",
    "temporary_failure": "their inbox did not accept it for several days (full or switched off)",
    "technical_failure": "GOV.UK Notify could not send it (a technical problem there)",
}
# What the email was, for the kinds that are not notices (a notice has its own subject).
KINDS: Mapping[str, str] = {
    "acknowledgement": "the acknowledgement of their complaint, with the link to follow it",
    "team_alert": "the new-complaint alert to the complaints team",
    "advocacy_referral": "the referral to the advocacy service",
    "safeguarding_alert": "the URGENT safeguarding alert",
}


@dataclass(frozen=True)
class Report:
    """One sender's word on one email. ``recipients`` (who it concerns, when the sender says)
    is compared in memory and never stored."""

    provider: Literal["ses", "notify", "outbox"]
    message: str  # ``message_key``: the case reference and the outbox item
    status: Status
    reason: str  # delivered, or a key of ``REASONS``
    at: datetime  # when it happened, as the sender says
    provider_id: str  # the sender's id for the email (SES message id, Notify id)
    detail: str = ""  # what tells two reports on one email apart (a feedback id, a time)
    recipients: tuple[str, ...] = field(default=(), repr=False)

    @property
    def key(self) -> str:
        """The same report, however often it arrives, has the same key."""
        who = ",".join(sorted(r.strip().casefold() for r in self.recipients))
        text = "|".join(
            (self.provider, self.provider_id, self.status, self.reason, self.detail, who)
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def message_key(reference: str, sk: str) -> str:
    """The key an email carries (an SES tag, a Notify reference): for the outbox item
    ``OUTBOX#acknowledgement#s1`` of ``KX7F-3QTM``, ``KX7F-3QTM.acknowledgement_23s1``. Only
    letters, digits, ``-``, ``_`` and ``.`` (what an SES tag allows); ``_`` and two hex digits
    stand for any other byte, so it reads back exactly (``parse_message_key``)."""
    item = sk.removeprefix(OUTBOX_PREFIX)
    escaped = "".join(ch if ch in _SAFE else _escape(ch) for ch in item)
    return f"{reference}.{escaped}"


def _escape(ch: str) -> str:
    return "".join(f"_{byte:02x}" for byte in ch.encode("utf-8"))


def parse_message_key(key: str) -> tuple[str, str] | None:
    """``(reference, outbox sort key)`` from a ``message_key``; ``None`` when it is not one."""
    reference, dot, escaped = key.partition(".")
    if not dot or not reference or not escaped:
        return None
    raw = bytearray()
    index = 0
    while index < len(escaped):
        ch = escaped[index]
        if ch == "_":
            digits = escaped[index + 1 : index + 3]
            if len(digits) != 2 or not all(d in "0123456789abcdef" for d in digits):
                return None
            raw.append(int(digits, 16))
            index += 3
        elif ch in _SAFE:
            raw += ch.encode()
            index += 1
        else:
            return None
    try:
        return reference, OUTBOX_PREFIX + raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


class DeliveryStore(Protocol):
    def get_case(self, reference: str) -> Case | None: ...
    def get_item(self, reference: str, sk: str) -> dict[str, Any] | None: ...

    def record_delivery(
        self, before: Case, transition: Transition, key: str, now: datetime
    ) -> bool:
        """Save ``transition`` (the case only if it changed, conditional on ``before.version``)
        with a marker for ``key``, in one transaction; ``False`` when ``key`` was recorded
        before (nothing written). Raises ``StaleCaseError`` when the case changed meanwhile."""
        ...


def what_it_was(item: Mapping[str, Any] | None, sk: str) -> tuple[str, str]:
    """The outbox item's kind (``acknowledgement``, ``notice_responded`` ...) and a plain
    description of it (never personal data: subjects carry references and dates only)."""
    kind = str((item or {}).get("kind") or sk.removeprefix(OUTBOX_PREFIX).split("#")[0])
    if kind == "notice" and item is not None:
        template = str(item.get("template") or "notice")
        subject = str((item.get("context") or {}).get("subject") or "")
        return template, f"the email '{subject}'" if subject else "an email about the case"
    return kind, KINDS.get(kind, "an email about the case")


def _folded(addresses: Sequence[str]) -> set[str]:
    return {a.strip().casefold() for a in addresses}


def to_complainant(case: Case, item: Mapping[str, Any] | None, report: Report) -> bool:
    """Whether the report concerns the complainant: the acknowledgement, or a notice to them
    (and, when the sender names whom it concerns, the complainant is among them)."""
    kind = str((item or {}).get("kind") or "")
    email = case.complainant.email
    if email is None:  # no email to them was ever sent: letters are posted by staff
        return False
    if kind == "acknowledgement":
        addressed = True
    elif kind == "notice":
        addressed = email.strip().casefold() in _folded(
            [str(to) for to in (item or {}).get("to") or ()]
        )
    else:
        return False
    if not report.recipients:
        return addressed
    own = _folded([email, _ascii(email)])
    return addressed and bool(own & _folded(report.recipients))


def _ascii(address: str) -> str:
    """The address as the sender saw it: a non-ASCII domain goes as Punycode."""
    if address.isascii():
        return address
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(address, check_deliverability=False).ascii_email or address
    except EmailNotValidError:
        return address


def delivery_transition(
    case: Case, report: Report, item: Mapping[str, Any] | None, sk: str, now: datetime
) -> Transition | None:
    """The event (and alert) a report makes on its case; ``None`` when there is nothing to
    record (a staff email delivered)."""
    complainant = to_complainant(case, item, report)
    kind, description = what_it_was(item, sk)
    if report.status == "delivered" and not complainant:
        return None
    act = Act(SYSTEM, min(report.at, now), now)
    new = case.model_copy(deep=True)
    message = sk.removeprefix(OUTBOX_PREFIX)
    data: dict[str, Any] = {
        "message": message,
        "email": kind,
        "to": "complainant" if complainant else "staff",
        "provider": report.provider,
    }
    if report.status == "delivered":
        return done(new, [event(new, EventType.DELIVERED, act, **data)])
    written = event(new, EventType.DELIVERY_FAILED, act, reason=report.reason, **data)
    context = {
        "reference": case.reference,
        "stage": case.stage_number(),
        "what": description,
        "why": REASONS.get(report.reason, "it did not arrive"),
    }
    notice_key = f"delivery-{report.key[:16]}"
    if complainant:
        if not any(m.message == message and m.told_on is None for m in new.undelivered):
            new.undelivered.append(
                Undelivered(message=message, kind=kind, failed_at=act.at, reason=report.reason)
            )
        notice = Notice("delivery_failed", owner_or_team(case), notice_key, context)
        return done(new, [written], [notice])
    if kind in ALERT_TEMPLATES:
        return done(new, [written])  # an alert about a failed email failed: no loop
    notice = Notice("delivery_failed_staff", (team_email(case),), notice_key, context)
    return done(new, [written], [notice])


def record(store: DeliveryStore, report: Report, now: datetime | None = None) -> Recorded:
    """Record ``report`` on its case, once. ``unknown``: no case or no such email (not ours, or
    the case is gone); ``ignored``: nothing to record; ``duplicate``: recorded before."""
    from complaints.service.casework import StaleCaseError

    now = now or clock.now()
    found = parse_message_key(report.message)
    if found is None:
        return "unknown"
    reference, sk = found
    item = store.get_item(reference, sk)
    for _ in range(ATTEMPTS):
        case = store.get_case(reference)
        if case is None:
            return "unknown"
        transition = delivery_transition(case, report, item, sk, now)
        if transition is None:
            return "ignored"
        try:
            saved = store.record_delivery(case, transition, report.key, now)
        except StaleCaseError:
            continue
        return "recorded" if saved else "duplicate"
    raise StaleCaseError(f"Case {reference} kept changing while recording a delivery report.")
