"""What every transition shares: who acts and when, the result of a change, refusals, and
small helpers for plain words.

A transition is a pure function ``(case, act, ...) -> Transition``: it never changes the case
it is given (it works on a copy) and never reads the time (``act`` carries it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from typing import Any

from complaints.clock import LONDON, received_on
from complaints.dates import long_date
from complaints.models import SYSTEM_EVENTS, Case, Event, EventType, LastAction
from complaints.procedures import Stage, get_procedure
from complaints.service.checks.plan import PlannedCheck, checks_needed
from complaints.service.deadlines import deadlines_for
from complaints.service.messages.notices import Notice

__all__ = ["long_date"]  # shared by the transitions

COMPLAINANT = "complainant"
SYSTEM = "system"


class TransitionError(ValueError):
    """A change the procedure does not allow. The message is for the member of staff (or the
    complainant) who asked, in plain words; it never holds personal data."""


@dataclass(frozen=True)
class Transition:
    case: Case
    events: tuple[Event, ...]
    notices: tuple[Notice, ...]
    checks: tuple[PlannedCheck, ...]  # every check the case needs from now on
    letters_posted: tuple[str, ...] = ()  # letters (``service.letters``) this change posted


@dataclass(frozen=True)
class Act:
    """Who acts, when the thing happened (``at``, effective) and when it is written down
    (``recorded_at``: the clock's present, never typed). Both are aware datetimes."""

    by: str
    at: datetime
    recorded_at: datetime

    @classmethod
    def now(cls, by: str, present: datetime) -> Act:
        """Something happening as it is recorded."""
        return cls(by, present, present)

    def dated(self, day: date) -> Act:
        """The same act, effective on ``day`` (a London date): at the time of recording when
        ``day`` is today, otherwise at the end of that day."""
        if day == received_on(self.recorded_at):
            return replace(self, at=self.recorded_at)
        return replace(self, at=datetime.combine(day, time(23, 59, 59), LONDON))

    @property
    def day(self) -> date:
        """The London date it happened."""
        return received_on(self.at)

    @property
    def today(self) -> date:
        """The London date it is recorded."""
        return received_on(self.recorded_at)


def label(code: str) -> str:
    return code.replace("_", " ")


def labels(codes: Iterable[str]) -> str:
    return ", ".join(label(c) for c in codes)


def required(text: str | None, what: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise TransitionError(what)
    return cleaned


def optional(text: str | None) -> str | None:
    return (text or "").strip() or None


def valid_email(address: str, who: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise TransitionError(
            f"Give the {who}'s work email address, so reminders and alerts reach them."
        ) from None


def payment(pence: int) -> int:
    """A payment in whole pence the council may record (never negative, never over its
    limit in ``council.yaml``)."""
    from complaints.money import MoneyError, check_pence

    try:
        return check_pence(pence)
    except MoneyError as error:
        raise TransitionError(str(error)) from None


def stage_data(case: Case) -> Stage:
    return get_procedure(case.procedure).stage(case.stage_number())


def event(case: Case, kind: EventType, act: Act, reason: str | None = None, **data: Any) -> Event:
    return Event(
        reference=case.reference,
        type=kind,
        at=act.at.astimezone(UTC),
        recorded_at=act.recorded_at.astimezone(UTC),
        by=act.by,
        reason=reason,
        data={"stage": case.stage_number(), **data},
    )


def refresh(case: Case) -> None:
    """Cache the open stage's response deadline on the stage (indexes and views read it)."""
    stage = case.stage
    if stage.responded_on is None:
        stage.respond_by = deadlines_for(get_procedure(case.procedure), stage).respond_by


def done(
    case: Case,
    events: Iterable[Event],
    notices: Iterable[Notice] = (),
    *,
    letters_posted: Iterable[str] = (),
) -> Transition:
    """The finished change: deadlines cached, the latest person's event remembered, and the
    checks the case needs from now on."""
    written = tuple(events)
    for item in written:
        if item.by == SYSTEM or item.type in SYSTEM_EVENTS:
            continue
        if case.last_action is None or item.at >= case.last_action.at:
            case.last_action = LastAction(type=item.type, at=item.at)
    refresh(case)
    return Transition(case, written, tuple(notices), checks_needed(case), tuple(letters_posted))
