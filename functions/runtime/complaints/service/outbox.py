"""The outbox: what happens after a case is stored, each step once.

An outbox item is claimed (a conditional update that counts the attempt) before anything is
sent and marked done afterwards, so a duplicate or retried stream record finds it taken or
done and does nothing. A failure gives the item back and is raised, so the stream (and then the
daily sweep) retries it, but never forever: after ``outbox_max_attempts`` (``council.yaml``),
or at once when the sender says no retry can help (``PermanentSendError``: Notify's 400), the
item is given up (``failed``, out of the sweep's index) and, for an email, the case records
``delivery_failed`` and its owner or team is alerted, as for a bounce (``service.delivery``).

Sending twice is avoided as far as each sender allows: a retry tells the sender so
(``retry=True``), and GOV.UK Notify looks the email up by its reference before sending it
again; SES has no such key (README: the known gap).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal, Protocol

from complaints import clock
from complaints.models import Case
from complaints.service.delivery import DeliveryStore, Report, message_key, record
from complaints.service.intake import OutboxKind
from complaints.service.letters import QueuedLetter, letter_for, sends_email, sends_letter
from complaints.service.messages import render as messages
from complaints.service.messages.notices import for_complainant, team_email
from complaints.settings import load_settings

Result = Literal["done", "skipped", "failed"]  # what became of one outbox item
Claim = Literal["claimed", "done", "busy"]


class OutboxStore(DeliveryStore, Protocol):
    def claim_outbox_attempt(
        self, reference: str, sk: str, now: datetime | None = None
    ) -> tuple[Claim, int]:
        """Take the item (``claimed``), or not (``done``, ``busy``); and which attempt this
        is (1 the first)."""
        ...

    def finish_outbox(self, reference: str, sk: str, now: datetime) -> None: ...
    def release_outbox(self, reference: str, sk: str, error_code: str) -> None: ...
    def fail_outbox(self, reference: str, sk: str, error_code: str, now: datetime) -> None:
        """Give an item up for good: ``failed``, out of the sweep's index, its token gone."""
        ...

    def check_items(self, reference: str, stage: int | None = None) -> list[dict[str, Any]]: ...

    def queue_letter(self, letter: QueuedLetter) -> bool: ...


class Mail(Protocol):
    """The sender port: Amazon SES (``adapters.mailer``) or GOV.UK Notify (``adapters.notify``),
    as ``council.yaml``'s ``sender`` says (``complaints.wiring``)."""

    def send(self, email: messages.Email, *, retry: bool = False) -> str:
        """Send ``email``; return the sender's id for it. ``retry``: an earlier attempt may
        have sent it (a sender that can look it up does, and sends only if not). Raises
        ``PermanentSendError`` when no retry can help; any other error may pass on a retry."""
        ...

    def send_letter(self, letter: messages.Letter, *, retry: bool = False) -> str:
        """Post ``letter`` (GOV.UK Notify's letters; the casework issue writes them). A sender
        that cannot post raises ``LettersNotSupportedError``."""
        ...


class PermanentSendError(Exception):
    """The sender refused the message for good (e.g. GOV.UK Notify's 400): no retry helps.
    The message names the sender's error code only, never what was sent."""


class LettersNotSupportedError(Exception):
    """This sender cannot post letters: they stay on the console's letters to send."""


class Schedules(Protocol):
    def create_once(self, name: str, at: datetime, payload: Mapping[str, Any]) -> bool: ...
    def delete(self, name: str) -> bool: ...


class OutboxBusyError(Exception):
    """Another attempt holds the item (or crashed holding it): retry after its lease."""


class CaseMissingError(Exception):
    """An outbox item whose case cannot be read (should never happen: same transaction)."""


def error_code(error: BaseException) -> str:
    """The AWS error code (e.g. ``Throttling``) or the exception's type: never its message,
    which can quote what was sent (addresses, names)."""
    response = getattr(error, "response", None)
    if isinstance(response, Mapping):
        code = response.get("Error", {}).get("Code")
        if code:
            return str(code)
    return type(error).__name__


def act_on(
    item: Mapping[str, Any],
    store: OutboxStore,
    mail: Mail,
    schedules: Schedules,
    now: datetime | None = None,
) -> Result:
    """Carry out one outbox item (a new image from the stream), at most once; give it up
    (``failed``) after the council's number of attempts, or at once when no retry can help."""
    now = now or clock.now()
    reference, sk = str(item["reference"]), str(item["SK"])
    claim, attempt = store.claim_outbox_attempt(reference, sk)  # the lease: wall-clock time
    if claim == "done":
        return "skipped"
    if claim == "busy":
        raise OutboxBusyError(sk)
    most = load_settings().outbox_max_attempts
    if attempt > most:  # every attempt allowed was made (by workers that died holding it)
        give_up(item, store, "attempts", now)
        return "failed"
    try:
        kind = OutboxKind(item["kind"])
        if kind is OutboxKind.SAVED_ANSWERS:  # no case yet: the "come back later" link
            email = messages.saved_answers(item, load_settings())
            mail.send(replace(email, message_key=message_key(reference, sk)), retry=attempt > 1)
        else:
            case = store.get_case(reference)
            if case is None:
                raise CaseMissingError(reference)
            _carry_out(kind, item, case, store, mail, schedules, now, retry=attempt > 1)
    except Exception as error:
        code = error_code(error)
        if attempt < most and not isinstance(error, PermanentSendError):
            store.release_outbox(reference, sk, code)
            raise
        try:
            give_up(item, store, code, now)
        except Exception:
            store.release_outbox(reference, sk, code)  # the next attempt gives it up again
            raise
        return "failed"
    store.finish_outbox(reference, sk, now)
    return "done"


def give_up(item: Mapping[str, Any], store: OutboxStore, code: str, now: datetime) -> None:
    """Stop trying an outbox item: for an email, the case records ``delivery_failed`` and its
    owner or team is alerted (once, however often this runs); then the item is ``failed``."""
    reference, sk = str(item["reference"]), str(item["SK"])
    if item.get("kind") != OutboxKind.SCHEDULE_CHECKS.value:
        report = Report(
            provider="outbox",
            message=message_key(reference, sk),
            status="failed",
            reason="not_sent",
            at=now,
            provider_id=sk,
            detail="given up",
        )
        record(store, report, now)
    store.fail_outbox(reference, sk, code, now)


def _carry_out(
    kind: OutboxKind,
    item: Mapping[str, Any],
    case: Case,
    store: OutboxStore,
    mail: Mail,
    schedules: Schedules,
    now: datetime,
    *,
    retry: bool = False,
) -> None:
    if kind is OutboxKind.SCHEDULE_CHECKS:
        for name in item.get("delete") or ():  # checks a lifecycle change made unnecessary
            schedules.delete(str(name))
        schedule_checks(case.reference, store, schedules, now)
        return
    sk = str(item["SK"])
    if _to_complainant(kind, item, case):
        # Told the way they chose (``service.letters.route``): a letter queued for staff to
        # post (or to read out on the phone), the email only to an address they gave.
        if sends_letter(case):
            letter = _email(kind, item, case, as_letter=True)
            store.queue_letter(letter_for(letter, case, sk.removeprefix("OUTBOX#"), now))
        if not sends_email(case):
            return
    email = _email(kind, item, case)
    key = message_key(case.reference, sk)
    mail.send(replace(email, message_key=key), retry=retry)


def _to_complainant(kind: OutboxKind, item: Mapping[str, Any], case: Case) -> bool:
    if kind is OutboxKind.ACKNOWLEDGEMENT:
        return True
    if kind is OutboxKind.NOTICE:
        return for_complainant(case, tuple(str(to) for to in item.get("to") or ()))
    return False


def _email(
    kind: OutboxKind, item: Mapping[str, Any], case: Case, *, as_letter: bool = False
) -> messages.Email:
    settings = load_settings()
    if kind is OutboxKind.ACKNOWLEDGEMENT:
        token = item.get("token")
        return messages.acknowledgement(
            case, str(token) if token else None, settings, as_letter=as_letter
        )
    if kind is OutboxKind.TEAM_ALERT:
        return messages.team_alert(case, settings, team_email(case))
    if kind is OutboxKind.ADVOCACY_REFERRAL:
        return messages.advocacy_referral(case, settings)
    if kind is OutboxKind.SAFEGUARDING_ALERT:
        return messages.safeguarding_alert(case, settings)
    return messages.notice(  # a token kept until sent: the email's own self-service link
        case,
        str(item["template"]),
        tuple(str(to) for to in item["to"]),
        dict(item.get("context") or {}),
        settings,
        token=item.get("token"),
        as_letter=as_letter,
    )


def schedule_checks(reference: str, store: OutboxStore, schedules: Schedules, now: datetime) -> int:
    """One schedule per pending check item of the case; returns how many were created.

    A check already due is left to the daily sweep (which queries the ``ByDueDate`` index).
    """
    created = 0
    for check in store.check_items(reference):
        due_at = datetime.fromisoformat(str(check["due_at"]))
        if check.get("status") != "pending" or due_at <= now:
            continue
        if schedules.create_once(str(check["schedule_name"]), due_at, check["payload"]):
            created += 1
    return created
