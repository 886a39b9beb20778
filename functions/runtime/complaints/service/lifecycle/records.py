"""What staff write down about a case that changes no stage: internal notes, calls and
meetings with the family, letters posted, and exports of the case file.

Notes, calls and exports are internal (``models.INTERNAL_EVENTS``): they are on the timeline
staff see, never on the complainant's page or in anything sent to them. Their text is plain
text, shown escaped everywhere.
"""

from __future__ import annotations

from datetime import date

from complaints.models import Case, EventType
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

MAX_NOTE = 20_000
CALL_KINDS: tuple[str, ...] = ("phone_call", "meeting", "video_call", "visit")
DIRECTIONS: tuple[str, ...] = ("from_family", "to_family")
LETTER_MEANS: tuple[str, ...] = ("post", "phone", "in_person", "advocate")


def _text(text: str | None, what: str) -> str:
    said = required(text, what)
    if len(said) > MAX_NOTE:
        raise TransitionError(f"Keep it to {MAX_NOTE:,} characters or fewer.")
    return said


def add_note(case: Case, act: Act, *, text: str) -> Transition:
    """An internal note on the case (never shown to the complainant)."""
    new = begin(case, Action.NOTE, act)
    said = _text(text, "Write the note.")
    return done(new, [event(new, EventType.NOTE, act, reason=said, internal=True)])


def record_call(
    case: Case,
    act: Act,
    *,
    kind: str = "phone_call",
    summary: str,
    with_whom: str | None = None,
    direction: str = "to_family",
) -> Transition:
    """A call or meeting with the family (or their advocate), on the act's day: who, what was
    said. Internal: on the timeline staff see, never on the complainant's page."""
    new = begin(case, Action.RECORD_CALL, act)
    if kind not in CALL_KINDS:
        raise TransitionError(f"Say what it was: one of {labels(CALL_KINDS)}.")
    if direction not in DIRECTIONS:
        raise TransitionError(f"Say who called whom: one of {labels(DIRECTIONS)}.")
    said = _text(summary, "Say what was said or agreed.")
    written = event(
        new,
        EventType.CALL_OR_MEETING,
        act,
        reason=said,
        means=kind,
        direction=direction,
        with_whom=optional(with_whom),
        internal=True,
    )
    return done(new, [written])


def mark_letter_posted(
    case: Case, act: Act, *, letter_id: str, kind: str, how: str = "post"
) -> Transition:
    """A letter to the complainant was posted (or read out by phone, handed over, given to
    their advocate) on the act's day: the day goes on the timeline and the letter leaves the
    list of letters to send."""
    new = begin(case, Action.MARK_LETTER_POSTED, act)
    if how not in LETTER_MEANS:
        raise TransitionError(f"Say how the letter went: one of {labels(LETTER_MEANS)}.")
    written = event(
        new,
        EventType.LETTER_POSTED,
        act,
        letter=letter_id,
        letter_kind=kind,
        how=how,
        on=act.day.isoformat(),
    )
    return done(new, [written], letters_posted=[letter_id])


def record_export(case: Case, act: Act, *, purpose: str | None = None) -> Transition:
    """The whole case file was exported (for the Ombudsman, a subject access request ...):
    who, when and why, on the timeline (internal)."""
    new = begin(case, Action.EXPORT, act)
    written = event(new, EventType.CASE_FILE_EXPORTED, act, reason=optional(purpose), internal=True)
    return done(new, [written])


def posted_too_early(created: date, on: date) -> str | None:
    """A letter cannot be posted before it was written."""
    if on < created:
        return f"The letter was written on {long_date(created)}: give that day or a later one."
    return None
