"""What a member of staff does to a case, as a form would ask for it: the case's reference,
who acts (``actor``), their role (the signed-in person's group; ``None`` for the command
line, run with the operator's own AWS credentials) and the fields. Each function checks the
role against the one table (``data/actions.yaml``), applies the lifecycle's transition
(``service.casework.change_case``: load, decide, save once, send) and returns what was saved;
a refusal is a ``TransitionError`` (a ``ValueError``) holding a sentence to show, or
``CaseNotFoundError``.

The staff console's pages are thin forms over these; ``complaints`` calls the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Protocol

from complaints import clock
from complaints.dates import long_date
from complaints.models import Case
from complaints.service import lifecycle as lc
from complaints.service.casework import Applied, CaseNotFoundError, CaseStore, Deliver, change_case
from complaints.service.letters import QueuedLetter
from complaints.service.lifecycle.table import Action, Role, StaffAction, refuse_unless_role
from complaints.service.response_letter import draft_response, preview_response


class LetterCaseStore(CaseStore, Protocol):
    def letters_to_send(self) -> list[QueuedLetter]: ...
    def get_letter(self, reference: str, letter_id: str) -> QueuedLetter | None: ...


def act_on(
    store: CaseStore,
    reference: str,
    action: Action,
    change: Callable[[Case, lc.Act], lc.Transition],
    *,
    actor: str,
    role: Role | None,
    now: datetime | None = None,
    on: date | None = None,
    deliver: Deliver | None = None,
) -> Applied:
    """Apply one staff action: ``on`` is the day it happened (default: now)."""
    refuse_unless_role(action, role)
    who = (actor or "").strip()
    if not who:
        raise lc.TransitionError("Say who is acting: your name goes on the timeline.")
    present = now or clock.now()
    act = lc.Act.now(who, present)
    act = act.dated(on) if on is not None else act
    return change_case(store, reference, lambda case: change(case, act), present, deliver=deliver)


# --- 3. the stage response -------------------------------------------------------------------


def draft_response_letter(store: CaseStore, reference: str, *, outcome: str) -> str:
    """The council's draft of the response letter for the case, to edit (nothing saved)."""
    case = _case(store, reference)
    return draft_response(case, outcome=outcome, on=clock.london_today())


def preview_response_letter(store: CaseStore, reference: str, *, text: str) -> str:
    """The letter as it would be printed, marked as a draft (nothing saved or sent)."""
    case = _case(store, reference)
    return preview_response(case, text, on=clock.london_today())


def respond(
    store: CaseStore,
    reference: str,
    *,
    actor: str,
    role: Role | None,
    outcome: str,
    letter: str,
    themes: Iterable[str] = (),
    learning: str | None = None,
    corrective_actions: Iterable[str] = (),
    compensation_pence: int = 0,
    on: date | None = None,
    now: datetime | None = None,
    deliver: Deliver | None = None,
) -> Applied:
    """Answer the stage with the officer's letter: held with the case, sent by email or post
    as the complainant prefers, on the timeline."""
    return act_on(
        store,
        reference,
        Action.RESPOND,
        lambda case, act: lc.respond(
            case,
            outcome,
            act,
            themes=themes,
            learning=learning,
            corrective_actions=corrective_actions,
            compensation_pence=compensation_pence,
            letter=letter,
        ),
        actor=actor,
        role=role,
        now=now,
        on=on,
        deliver=deliver,
    )


def send_response_again(
    store: CaseStore,
    reference: str,
    *,
    actor: str,
    role: Role | None,
    now: datetime | None = None,
    deliver: Deliver | None = None,
) -> Applied:
    """Send the latest response letter again (``actor`` "complainant", role ``None``, when
    they ask through their own link)."""
    return act_on(
        store,
        reference,
        Action.SEND_RESPONSE_AGAIN,
        lc.send_response_again,
        actor=actor,
        role=role,
        now=now,
        deliver=deliver,
    )


# --- 2. letters ------------------------------------------------------------------------------


def letters_to_send(store: LetterCaseStore, *, role: Role | None) -> list[QueuedLetter]:
    """Every letter waiting to be posted (or read out), oldest first: an index query."""
    refuse_unless_role(StaffAction.LETTERS, role)
    return store.letters_to_send()


def letter_page(store: LetterCaseStore, reference: str, letter_id: str) -> str:
    """One letter as it is printed (HTML, A4, the council's letterhead)."""
    return _letter(store, reference, letter_id).html()


def mark_letter_posted(
    store: LetterCaseStore,
    reference: str,
    letter_id: str,
    *,
    actor: str,
    role: Role | None,
    on: date | None = None,
    how: str = "post",
    now: datetime | None = None,
) -> Applied:
    """Record that a letter was posted (or read out, handed over ...) on ``on``: an event on
    the case, and the letter leaves the list."""
    letter = _letter(store, reference, letter_id)
    if letter.status != "to_send":
        raise lc.TransitionError(
            f"That letter was already marked {letter.how or 'posted'} on "
            f"{long_date(letter.posted_on) if letter.posted_on else 'an earlier day'}."
        )
    written = clock.received_on(letter.created_at)
    if on is not None and on < written:
        raise lc.TransitionError(
            f"The letter was written on {long_date(written)}: give that day or later."
        )
    return act_on(
        store,
        reference,
        Action.MARK_LETTER_POSTED,
        lambda case, act: lc.mark_letter_posted(
            case, act, letter_id=letter_id, kind=letter.kind, how=how
        ),
        actor=actor,
        role=role,
        now=now,
        on=on,
    )


# --- 4. notes and contacts -------------------------------------------------------------------


def add_note(
    store: CaseStore,
    reference: str,
    *,
    actor: str,
    role: Role | None,
    text: str,
    now: datetime | None = None,
) -> Applied:
    """An internal note on the case's timeline (never shown to the complainant)."""
    return act_on(
        store,
        reference,
        Action.NOTE,
        lambda case, act: lc.add_note(case, act, text=text),
        actor=actor,
        role=role,
        now=now,
    )


def record_call(
    store: CaseStore,
    reference: str,
    *,
    actor: str,
    role: Role | None,
    summary: str,
    kind: str = "phone_call",
    with_whom: str | None = None,
    direction: str = "to_family",
    on: date | None = None,
    now: datetime | None = None,
) -> Applied:
    """A call or meeting with the family, on the timeline (internal)."""
    return act_on(
        store,
        reference,
        Action.RECORD_CALL,
        lambda case, act: lc.record_call(
            case, act, kind=kind, summary=summary, with_whom=with_whom, direction=direction
        ),
        actor=actor,
        role=role,
        now=now,
        on=on,
    )


def _case(store: CaseStore, reference: str) -> Case:
    case = store.get_case(reference)
    if case is None:
        raise CaseNotFoundError(f"There is no case {reference}.")
    return case


def _letter(store: LetterCaseStore, reference: str, letter_id: str) -> QueuedLetter:
    letter = store.get_letter(reference, letter_id)
    if letter is None:
        raise CaseNotFoundError(f"Case {reference} has no letter {letter_id}.")
    return letter
