"""A complaint received another way (phone, letter, email, in person, through an advocate, a
councillor or an MP), recorded by staff: the same questions, triage, once-only write and
acknowledgement as the public form (``service.intake``), with the channel, the date it was
received (the clock starts that day) and how the complainant wants to hear from us.

- a date in the future is refused;
- a date so long ago that the acknowledgement is already late (``council.yaml``'s
  ``acknowledgement_working_days``) needs ``confirm_late``: staff say they know the council is
  late, and the acknowledgement goes at once;
- ``historic``: an old case entered for the record sends no acknowledgement or alerts, and no
  late notice for a deadline that passed before it was entered (the record still shows
  whether each deadline was met).

The staff console's form and ``complaints record`` call ``record_complaint``; a refusal is a
``RecordingError`` (a ``ValueError``) whose message is plain sentences and whose ``errors``
name each field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from complaints import clock
from complaints.dates import long_date
from complaints.service.intake import CaseStore, IntakeResult, receive
from complaints.service.lifecycle.table import Role, StaffAction, refuse_unless_role
from complaints.settings import load_settings
from complaints.submission import FieldError, Recorded, parse_recorded


class RecordingError(ValueError):
    """The complaint cannot be recorded as given: one plain sentence per problem. Never holds
    what was typed (it may be personal data)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(" ".join(f"{e.message}." for e in errors))
        self.errors = errors


def check_received(recorded: Recorded, now: datetime) -> list[FieldError]:
    """The date received is possible, and a late acknowledgement is confirmed."""
    today = clock.received_on(now)
    day = recorded.received_on
    if day > today:
        return [
            FieldError(
                "received_on",
                f"The date received must be today or in the past (today is {long_date(today)})",
            )
        ]
    days = load_settings().acknowledgement_working_days
    due = clock.add_working_days(day, days)
    if due < today and not (recorded.confirm_late or recorded.historic):
        return [
            FieldError(
                "received_on",
                f"It was received on {long_date(day)}, so it should have been acknowledged by "
                f"{long_date(due)}: the council is already late. Confirm you know this to "
                "record it (it is acknowledged at once), or record it as a historic case",
            )
        ]
    return []


def received_moment(recorded: Recorded, now: datetime) -> datetime:
    """When it was received: now when that is today, else 09:00 that day (London)."""
    if recorded.received_on == clock.received_on(now):
        return now
    return clock.start_of_day(recorded.received_on)


def record_complaint(
    answers: Recorded | Mapping[str, Any],
    store: CaseStore,
    *,
    actor: str,
    role: Role | None = None,
    now: datetime | None = None,
) -> IntakeResult:
    """Record a complaint received another way, by ``actor`` (``role``: the signed-in
    person's; ``None`` on the command line). Returns the same receipt as the public form
    (a repeat of the same answers returns the first). Raises ``RecordingError``, or
    ``TransitionError`` when the role may not record complaints."""
    refuse_unless_role(StaffAction.RECORD, role)
    now = now or clock.now()
    found = answers if isinstance(answers, Recorded) else parse_recorded(answers)
    if isinstance(found, list):
        raise RecordingError(found)
    problems = check_received(found, now)
    if problems:
        raise RecordingError(problems)
    who = actor.strip()
    if not who:
        raise RecordingError([FieldError("actor", "Say who is recording the complaint")])
    return receive(found, store, now=now, received_at=received_moment(found, now), by=who)
