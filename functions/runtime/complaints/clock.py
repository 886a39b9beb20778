"""The statutory clock: working days in England and Wales.

SI 2006/1738 reg 2: a working day is "a day which is not a Saturday, Sunday, Christmas Day,
Boxing Day, Good Friday or a bank holiday under the Banking and Financial Dealings Act 1971".
Bank holidays (with substitute days and one-off proclaimed days) come from the ``holidays``
package, England subdivision, never from a hand-typed list (precomputed for 2000-2050 by
``complaints.bank_holidays``, and checked against the package by a test).

Counting rule (``domain.md``): the day of receipt is day 0 whether or not it is a working day;
day 1 is the first working day after it; "within N working days" means the deadline is the Nth
working day after receipt, inclusive. Dates are Europe/London dates.

The present comes from here and nowhere else (``now``): in AWS the real time; on the local stack
of ``make run`` its one movable clock, so a person or a test can see deadlines pass. Security
time (session and token expiry, throttle windows, outbox leases) reads ``wall_now``, which never
moves.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from complaints.bank_holidays import bank_holidays

LONDON = ZoneInfo("Europe/London")
_SATURDAY = 5
# Set only by the local stack (``make run``) and the CLI with ``--local``: a JSON file
# ``{"offset_seconds": N}`` saying how far the local clock has been moved forward.
CLOCK_FILE_ENV = "COMPLAINTS_CLOCK_FILE"


def wall_now() -> datetime:
    """The real time, aware UTC: for what must never move (sessions, tokens, throttles,
    leases)."""
    return datetime.now(UTC)


def clock_file() -> str | None:
    """The local stack's clock file, when this process reads the local clock."""
    return os.environ.get(CLOCK_FILE_ENV) or None


def clock_offset() -> timedelta:
    """How far the local clock has been moved forward (zero in AWS, or before any move)."""
    path = clock_file()
    if path is None:
        return timedelta(0)
    try:
        with open(path, encoding="utf-8") as file:
            seconds = float(json.load(file).get("offset_seconds", 0))
    except FileNotFoundError:
        return timedelta(0)
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise RuntimeError(f"the local clock file {path} cannot be read") from error
    return timedelta(seconds=max(seconds, 0.0))


def now() -> datetime:
    """The present, aware UTC: when things happen, what is due, what is late."""
    return wall_now() + clock_offset()


def is_working_day(day: date) -> bool:
    """reg 2: not a weekend, Christmas Day, Boxing Day, Good Friday or bank holiday."""
    if day.weekday() >= _SATURDAY:
        return False
    return day not in bank_holidays(day.year)  # with Christmas, Boxing Day and Good Friday


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts).

    ``days=0`` returns ``start``. Negative values count backwards (the ``days``-th working
    day before ``start``), which reminders use.
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in ``(start, end]``; negative when ``end`` is before ``start``.

    So ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def received_on(moment: datetime) -> date:
    """The Europe/London date on which a complaint sent at ``moment`` was received.

    A complaint sent at 23:30 UTC on a summer evening arrives on the next London day.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("received_on needs an aware datetime (with a time zone)")
    return moment.astimezone(LONDON).date()


def financial_year(day: date) -> int:
    """The first calendar year of the April-to-March financial year ``day`` falls in (the
    year of the annual report, SI 2006/1738 reg 13)."""
    return day.year if day.month >= 4 else day.year - 1


def london_today(at: datetime | None = None) -> date:
    """Today's date in Europe/London (by the clock, unless ``at`` is given)."""
    return received_on(at or now())


def start_of_day(day: date, hour: int = 9) -> datetime:
    """An aware Europe/London datetime on ``day`` (09:00 by default, the start of office
    hours), used for scheduling checks."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
