"""The statutory clock: working days in England and Wales.

SI 2006/1738 reg 2: a working day is "a day which is not a Saturday, Sunday, Christmas Day,
Boxing Day, Good Friday or a bank holiday under the Banking and Financial Dealings Act 1971".
Bank holidays (with substitute days and one-off proclaimed days) come from the ``holidays``
package, England subdivision, never from a hand-typed list (precomputed for 2000-2050 by
``complaints.bank_holidays``, and checked against the package by a test).

Counting rule (``domain.md``): the day of receipt is day 0 whether or not it is a working day;
day 1 is the first working day after it; "within N working days" means the deadline is the Nth
working day after receipt, inclusive. Dates are Europe/London dates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from complaints.bank_holidays import bank_holidays

LONDON = ZoneInfo("Europe/London")
_SATURDAY = 5


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


def london_today(now: datetime | None = None) -> date:
    """Today's date in Europe/London."""
    return received_on(now or datetime.now(UTC))


def start_of_day(day: date, hour: int = 9) -> datetime:
    """An aware Europe/London datetime on ``day`` (09:00 by default, the start of office
    hours), used for scheduling checks."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
