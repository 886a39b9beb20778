"""Letters: every message to a complainant exists as a letter as well as an email, from the
same words (``service.messages.render``, with ``as_letter``).

How a complainant is told (``route``) follows the way they chose to hear from us:

- ``email``: the email (when they gave no address after all: a letter, or a call);
- ``post``: a letter, queued for staff to print and post ("letters to send");
- ``phone``: a letter queued as a call to make (read it out; post it if they ask), and the
  email too when they gave an address.

Nothing is ever sent to an email address that is not there. The outbox (``service.outbox``)
queues the letter when it carries out the item that would have emailed the complainant: the
letter's id is the outbox item's, so a retried item never queues it twice. The queued letters
are read through an index (never a scan); marking one posted (``mark_letter_posted``) records
the day on the case's timeline.

GOV.UK Notify can post letters (``Mail.send_letter``), from a PDF; until a PDF is made
without a headless browser, every letter waits on the list for staff to print and post.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Protocol, cast

from pydantic import BaseModel, ConfigDict

from complaints import clock
from complaints.models import Case
from complaints.service.messages import render as messages
from complaints.service.messages.notices import how_to_reach
from complaints.settings import load_settings

Route = Literal["email", "post", "phone"]
SendBy = Literal["post", "phone"]
LETTER_MEANS: tuple[str, ...] = ("post", "phone", "in_person", "advocate")


class QueuedLetter(BaseModel):
    """One letter to a complainant: the same words as the email, the address it goes to, and
    whether it was posted. Holds personal data: never log it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    reference: str
    letter_id: str  # the outbox item's (``acknowledgement#s1``, ``notice#v3-responded-1``)
    kind: str  # acknowledgement, notice_responded, ...
    subject: str
    text: str
    name: str
    address: str | None = None  # lines separated by new lines
    send_by: SendBy = "post"
    created_at: datetime
    status: Literal["to_send", "posted"] = "to_send"
    posted_on: date | None = None
    posted_by: str | None = None
    how: str | None = None  # post, phone, in_person, advocate

    def html(self, *, draft: bool = False) -> str:
        """The printable letter (A4, the council's letterhead)."""
        return messages.letter_html(
            reference=self.reference,
            name=self.name,
            address=self.address,
            subject=self.subject,
            text=self.text,
            dated=clock.received_on(self.created_at),
            settings=load_settings(),
            draft=draft,
        )


class LetterStore(Protocol):
    def queue_letter(self, letter: QueuedLetter) -> bool:
        """Store a letter to send, once (``False``: it was queued before)."""
        ...

    def letters_to_send(self) -> list[QueuedLetter]:
        """Every letter not yet posted, oldest first (an index query, never a scan)."""
        ...

    def case_letters(self, reference: str) -> list[QueuedLetter]:
        """Every letter of one case, oldest first."""
        ...


def route(case: Case) -> Route:
    """How the complainant is told: their choice, or, when it cannot be met, a way that
    reaches them (a letter when there is an address, else a call)."""
    return cast(Route, how_to_reach(case))


def sends_email(case: Case) -> bool:
    """Whether the complainant gets the email itself (as well as any letter)."""
    return bool(case.complainant.email) and route(case) in ("email", "phone")


def sends_letter(case: Case) -> bool:
    return route(case) != "email"


def letter_for(email: messages.Email, case: Case, letter_id: str, now: datetime) -> QueuedLetter:
    """The letter holding ``email``'s words (rendered ``as_letter``) for the complainant."""
    how = route(case)
    return QueuedLetter(
        reference=case.reference,
        letter_id=letter_id,
        kind=email.kind,
        subject=email.subject,
        text=email.text,
        name=case.complainant.name,
        address=case.complainant.address,
        send_by="post" if how == "post" else "phone",
        created_at=now,
    )
