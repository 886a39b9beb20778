"""Intake: turn a valid submission into a stored case, in one conditional write.

The case, its first event, its outbox items (acknowledgement, team alert, advocacy referral,
safeguarding alert, schedules) and its check items are written together by the store in one
``TransactWriteItems`` that never overwrites anything. Once that write succeeds the complaint
is durable; everything else happens in the outbox worker.

Repeats return the first receipt instead of a second case:

- the same ``submission_id`` (made by the page; kept for ``SUBMISSION_KEPT_FOR``) with the same
  answers, and
- without one (a form posted without JavaScript), the same content within ``REPEAT_WINDOW``.

The same ``submission_id`` with *other* answers is not a repeat and not a new complaint: the
store raises ``SubmissionReusedError`` (with the first receipt), and the person is told that
this form already sent a complaint, and its reference, rather than having their new answers
silently dropped.

The submit path makes at most two AWS calls: the write, and one more only when a reference
was already taken or a concurrent repeat collided (a fresh attempt).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal, Protocol

from complaints import clock
from complaints.clock import received_on as london_date
from complaints.models import (
    Case,
    CaseStatus,
    Child,
    Complainant,
    Event,
    EventType,
    Receipt,
    StageRecord,
)
from complaints.procedures import get_procedure
from complaints.service.checks.plan import PlannedCheck, plan_checks
from complaints.service.deadlines import deadlines_for
from complaints.service.references import new_reference
from complaints.service.tokens import hash_token, new_token
from complaints.service.triage import Triage, decisions_waiting, triage
from complaints.settings import load_settings
from complaints.submission import Recorded, Submission

REPEAT_WINDOW = timedelta(minutes=10)
SUBMISSION_KEPT_FOR = timedelta(days=1)
MAX_ATTEMPTS = 2

Channel = Literal["form", "json"]


class OutboxKind(StrEnum):
    """What the outbox worker does for a case (one item each, done once)."""

    ACKNOWLEDGEMENT = "acknowledgement"
    TEAM_ALERT = "team_alert"
    ADVOCACY_REFERRAL = "advocacy_referral"
    SAFEGUARDING_ALERT = "safeguarding_alert"
    SCHEDULE_CHECKS = "schedule_checks"
    NOTICE = "notice"  # any other email: a template, its recipients and context
    SAVED_ANSWERS = "saved_answers"  # the "come back later" link: no case yet (service.drafts)


@dataclass(frozen=True)
class OutboxItem:
    kind: OutboxKind
    item_id: str  # e.g. "s1": unique per case and kind
    stage: int
    data: dict[str, Any] = field(default_factory=dict)  # e.g. the token, for the acknowledgement


@dataclass(frozen=True)
class NewCase:
    """Everything the store writes in the one transaction."""

    case: Case
    event: Event
    outbox: list[OutboxItem]
    checks: list[PlannedCheck]
    receipt: Receipt
    submission_id: str | None
    content_hash: str
    repeat_until: datetime  # the content-hash item stops counting after this
    submission_kept_until: datetime


class ReferenceTakenError(Exception):
    """The reference drawn is already in use: draw another."""


class WriteConflictError(Exception):
    """A concurrent write touched the same items (e.g. a double click): try once more."""


class SubmissionReusedError(Exception):
    """The submission id came with a complaint before, with other answers: nothing new is
    stored. ``first`` is that complaint's receipt (its reference goes to the person)."""

    def __init__(self, first: Receipt) -> None:
        super().__init__("submission id already used with other answers")
        self.first = first


class IntakeUnavailableError(Exception):
    """The complaint could not be stored now (the table was busy or could not be reached, or
    writes kept colliding). The person is asked to try again: nothing was written, or, after
    a timeout, it was, and a repeat of the same submission then returns the first receipt."""


class CaseStore(Protocol):
    def create_case(self, new: NewCase) -> Receipt | None:
        """Write ``new`` in one conditional transaction.

        Returns ``None`` when written, or the first receipt when the submission id (with the
        same ``content_hash``) or the content was seen before. Raises
        ``SubmissionReusedError`` when the submission id was seen with another content hash,
        ``ReferenceTakenError`` or ``WriteConflictError`` (draw again), or
        ``IntakeUnavailableError`` when the table is busy or cannot be reached (the store has
        already retried; trying again at once would only add load).
        """
        ...


@dataclass(frozen=True)
class IntakeResult:
    receipt: Receipt
    repeat: bool = False  # the first receipt of an earlier, identical submission
    stored: bool = True  # False only for a filled honeypot


def content_hash(submission: Submission) -> str:
    """A fingerprint of what was said, for repeats without a submission id."""
    content = submission.model_dump(mode="json", exclude={"submission_id", "website"})
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_case(
    submission: Submission,
    decided: Triage,
    *,
    reference: str,
    token: str,
    now: datetime,
    channel: Channel,
    received_at: datetime | None = None,
    by: str = "complainant",
) -> NewCase:
    """The case, first event, outbox items and checks for a new complaint (no I/O).

    A complaint staff record (``Recorded``) was received at ``received_at`` (the clock starts
    that day) and is recorded ``now`` by ``by``; a historic one (back-entry) sends no
    acknowledgement or alerts, and the checks already due when it is entered are counted as
    run, so no late notice goes out for a deadline that passed before it was entered."""
    received_at = received_at or now
    day = london_date(received_at)
    recorded = submission if isinstance(submission, Recorded) else None
    stage = StageRecord(number=1, started_on=day)
    deadlines = deadlines_for(get_procedure(decided.procedure), stage)
    stage.respond_by = deadlines.respond_by
    case = Case(
        reference=reference,
        procedure=decided.procedure,
        status=CaseStatus.OPEN,
        urgent=decided.urgent,
        received_at=received_at.astimezone(UTC),
        received_on=day,
        complainant=Complainant(
            name=submission.complainant_name,
            email=submission.email,
            phone=submission.phone,
            relationship=submission.relationship,
            contact_by=recorded.contact_by if recorded else "email",
            address=recorded.address if recorded else None,
        ),
        child=Child(name=submission.child_name, date_of_birth=submission.child_date_of_birth),
        details=submission.details,
        happened_in=submission.happened_in,
        connection=submission.connection,
        outcome_sought=submission.outcome_sought,
        service_area=submission.service_area,
        wants_advocate=submission.wants_advocate == "yes",
        token_hash=hash_token(token),
        channel=recorded.channel if recorded else "online",
        recorded_at=now.astimezone(UTC) if recorded else None,
        recorded_by=by if recorded else None,
        historic=bool(recorded and recorded.historic),
        stages=[stage],
        decisions=decisions_waiting(
            decided.procedure, day, submission.relationship, submission.happened_in
        ),
    )
    event = Event(
        reference=reference,
        type=EventType.RECEIVED,
        at=received_at.astimezone(UTC),
        recorded_at=now.astimezone(UTC),
        by=by,
        data={
            "procedure": decided.procedure,
            "stage": 1,
            "urgent": decided.urgent,
            "channel": recorded.channel if recorded else channel,
            "by_child": submission.by_child,
            **({"historic": True} if case.historic else {}),
        },
    )
    outbox = [OutboxItem(OutboxKind.SCHEDULE_CHECKS, "s1", 1)]
    if not case.historic:
        outbox[:0] = [
            OutboxItem(OutboxKind.ACKNOWLEDGEMENT, "s1", 1, {"token": token}),
            OutboxItem(OutboxKind.TEAM_ALERT, "s1", 1),
        ]
        if case.wants_advocate:
            outbox.append(OutboxItem(OutboxKind.ADVOCACY_REFERRAL, "s1", 1))
        if case.urgent:
            outbox.insert(0, OutboxItem(OutboxKind.SAFEGUARDING_ALERT, "s1", 1))
    if case.historic:  # what fell due before it was entered is history, not a notice now
        case.checks_done = [c.id for c in plan_checks(case) if c.due_at <= now]
    receipt = Receipt(
        reference=reference,
        procedure=decided.procedure,
        stage=1,
        received_on=day,
        respond_by=deadlines.respond_by,
        acknowledge_by=deadlines.acknowledge_by,
        urgent=decided.urgent,
    )
    return NewCase(
        case=case,
        event=event,
        outbox=outbox,
        checks=plan_checks(case),
        receipt=receipt,
        submission_id=str(submission.submission_id) if submission.submission_id else None,
        content_hash=content_hash(submission),
        repeat_until=now + REPEAT_WINDOW,
        submission_kept_until=now + SUBMISSION_KEPT_FOR,
    )


def receive(
    submission: Submission,
    store: CaseStore,
    *,
    now: datetime | None = None,
    channel: Channel = "json",
    received_at: datetime | None = None,
    by: str = "complainant",
) -> IntakeResult:
    """Store a complaint (or recognise a repeat) and return the receipt to show.
    ``received_at`` and ``by``: a complaint staff record (``service.recording``)."""
    now = now or clock.now()
    decided = triage(submission, load_settings())
    token = new_token()

    def make() -> NewCase:
        return build_case(
            submission,
            decided,
            reference=new_reference(),
            token=token,
            now=now,
            channel=channel,
            received_at=received_at,
            by=by,
        )

    if submission.is_spam:
        # A robot filled the hidden field: answer like a success, store and send nothing.
        return IntakeResult(make().receipt, stored=False)
    for _attempt in range(MAX_ATTEMPTS):
        new = make()
        try:
            first = store.create_case(new)
        except (ReferenceTakenError, WriteConflictError):
            continue
        if first is not None:
            return IntakeResult(first, repeat=True)
        return IntakeResult(new.receipt)
    raise IntakeUnavailableError("the complaint could not be stored after retrying")
