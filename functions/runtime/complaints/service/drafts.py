"""Answers to the complaint form not sent yet (a *draft*), kept on the server.

The person's browser holds only a random draft id, in one strictly necessary cookie; the table
holds the answers under the SHA-256 of that id (``adapters/keys.py``), encrypted as the whole
table is. Nothing about a draft is ever in an address (URL) or a log.

- A draft is deleted ``saved_answers_days`` (a council setting, 28 by default) after it was last
  saved: DynamoDB's TTL deletes it, and since TTL can run days late every read checks the time
  itself. Its answers go as soon as the complaint is sent; the draft then keeps only the receipt
  (reference and dates), for the confirmation page, for ``RECEIPT_KEPT_FOR``.
- "Save and come back later" emails a link with a second secret (a token: only its SHA-256 is
  stored) that opens the same draft until the same number of days after the email.
- Nothing here is a complaint. A complaint exists only once ``send`` has stored it through
  ``service.intake`` (one conditional write); sending twice stores it once (the draft's own
  submission id is the idempotency key).

Every lifetime here is wall-clock time (``clock.wall_now``): the business clock that
``complaints checks run --now`` moves must never expire, or keep, anyone's answers.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from complaints.models import Receipt
from complaints.service.intake import CaseStore, IntakeResult, OutboxItem, OutboxKind, receive
from complaints.service.tokens import hash_token, new_token
from complaints.submission import Submission

# What a draft id or a link token looks like (``secrets.token_urlsafe(32)``): anything else in
# the cookie or the link is not looked up at all.
SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")
RECEIPT_KEPT_FOR = timedelta(days=1)
SAVED_EMAIL_PREFIX = "SAVED-"  # the outbox partition of a saved-answers email (never a reference)


@dataclass(frozen=True)
class Draft:
    """A complaint form in progress. ``key`` is the SHA-256 of the id in the cookie."""

    key: str
    saved_at: datetime
    expires_at: datetime
    submission_id: str
    answers: Mapping[str, str] = field(default_factory=dict)
    seen: frozenset[str] = frozenset()  # question pages answered at least once
    receipt: Receipt | None = None  # once sent: what the confirmation page shows

    @property
    def sent(self) -> bool:
        return self.receipt is not None


@dataclass(frozen=True)
class DraftLink:
    """The "come back later" link's stored half: which draft it opens, and until when."""

    draft_key: str
    until: datetime


class DraftStore(Protocol):
    def get_draft(self, key: str) -> Draft | None: ...

    def put_draft(self, draft: Draft) -> None:
        """Write the draft (a new one, or over the old: one person, one browser)."""
        ...

    def get_draft_link(self, token_hash: str) -> DraftLink | None: ...

    def save_draft_link(self, token_hash: str, link: DraftLink, email: SavedAnswersEmail) -> None:
        """Write the link and the outbox item that emails it, in one transaction."""
        ...


@dataclass(frozen=True)
class SavedAnswersEmail:
    """The outbox item that sends the link: ``label`` is its own partition (no case yet)."""

    label: str
    item: OutboxItem
    until: datetime


def new_draft(now: datetime, days: int) -> tuple[str, Draft]:
    """A fresh draft id (for the cookie) and its empty draft (stored on its first save)."""
    draft_id = new_token()
    draft = Draft(
        key=hash_token(draft_id),
        saved_at=now,
        expires_at=now + timedelta(days=days),
        submission_id=str(uuid.uuid4()),
    )
    return draft_id, draft


def open_draft(store: DraftStore, secret: str | None, now: datetime) -> Draft | None:
    """The draft a cookie (a draft id, or the token of a "come back later" link that was
    opened in this browser) leads to, while neither has run out; otherwise ``None``."""
    if not secret or not SECRET.match(secret):
        return None
    key = hash_token(secret)
    draft = store.get_draft(key)
    if draft is None:
        link = store.get_draft_link(key)
        if link is None or link.until <= now:
            return None
        draft = store.get_draft(link.draft_key)
    if draft is None or draft.expires_at <= now:
        return None
    return draft


def save_answers(
    store: DraftStore,
    draft: Draft,
    answers: Mapping[str, str],
    now: datetime,
    days: int,
    *,
    page: str | None = None,
) -> Draft:
    """Keep ``answers`` (a page's, as typed) and start the draft's lifetime again."""
    saved = replace(
        draft,
        answers={**draft.answers, **answers},
        seen=draft.seen | {page} if page else draft.seen,
        saved_at=now,
        expires_at=now + timedelta(days=days),
    )
    store.put_draft(saved)
    return saved


def send(
    draft: Draft,
    submission: Submission,
    cases: CaseStore,
    drafts: DraftStore,
    now: datetime,
) -> IntakeResult:
    """Make the complaint (``intake.receive``: durable once it returns), then forget the
    answers, keeping the receipt for the confirmation page. Sent again (a double click, or
    the draft could not be updated last time), the same complaint's receipt comes back."""
    fixed = submission.model_copy(update={"submission_id": uuid.UUID(draft.submission_id)})
    result = receive(fixed, cases, channel="form")
    drafts.put_draft(
        replace(
            draft,
            answers={},
            seen=frozenset(),
            receipt=result.receipt,
            saved_at=now,
            expires_at=now + RECEIPT_KEPT_FOR,
        )
    )
    return result


def save_for_later(
    store: DraftStore, draft: Draft, email: str, now: datetime, days: int
) -> datetime:
    """Email a link that opens ``draft`` for ``days``; returns when the link stops working.
    The token goes out in the email only: the outbox item holds it until the email is sent
    (then it is removed), the link item holds its hash."""
    token = new_token()
    until = now + timedelta(days=days)
    label = f"{SAVED_EMAIL_PREFIX}{secrets.token_hex(8)}"
    item = OutboxItem(
        OutboxKind.SAVED_ANSWERS,
        "1",
        0,
        {"to": [email], "token": token, "until": until.isoformat()},
    )
    store.save_draft_link(
        hash_token(token),
        DraftLink(draft.key, until),
        SavedAnswersEmail(label, item, until),
    )
    return until


__all__ = [
    "RECEIPT_KEPT_FOR",
    "SECRET",
    "Draft",
    "DraftLink",
    "DraftStore",
    "SavedAnswersEmail",
    "new_draft",
    "open_draft",
    "save_answers",
    "save_for_later",
    "send",
]
