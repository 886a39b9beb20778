"""Time as evidence: when an action may say it happened.

Every action has an effective time (when it happened: the action's own date, or ``--now``)
and a recorded time (the clock's present, never typed). Refused, with nothing changed:

- an effective time later than the present (nothing is recorded before it happens);
- an effective date before the complaint was received;
- an effective date before the last event a person recorded on the case (staff actions and
  the complainant's own requests): history only moves forward. The escalation checks' own
  events never block a late entry.

Back-dating within those bounds is allowed (a call logged next morning) and stays visible:
the event keeps both times.
"""

from __future__ import annotations

from complaints.clock import LONDON
from complaints.models import Case
from complaints.service.lifecycle.common import Act, TransitionError, label, long_date


def _when(act: Act) -> str:
    moment = act.at.astimezone(LONDON)
    return f"{long_date(moment.date())} {moment:%H:%M}"


def check_effective_time(case: Case, act: Act) -> None:
    """Refuse an impossible effective time for an action on ``case``."""
    if act.at.tzinfo is None or act.recorded_at.tzinfo is None:
        raise ValueError("an act's times must be aware datetimes")
    if act.at > act.recorded_at:
        raise TransitionError(
            f"{_when(act)} is in the future (it is now {long_date(act.today)}): record "
            "what has happened, once it has happened."
        )
    if act.day < case.received_on:
        raise TransitionError(
            f"{long_date(act.day)} is before the complaint was received, on "
            f"{long_date(case.received_on)}. Give the date it really happened."
        )
    last = case.last_action
    if last is not None:
        last_day = last.at.astimezone(LONDON).date()
        if act.day < last_day:
            raise TransitionError(
                f"{long_date(act.day)} is before the last thing recorded on this case "
                f"('{label(last.type.value)}', on {long_date(last_day)}). History only moves "
                "forward: give that date or a later one."
            )
