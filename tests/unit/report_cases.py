"""Build ``Case`` objects for the report tests, and count working days independently.

The independent counter uses GOV.UK's published bank holidays (a copy shipped by the
``govuk-bank-holidays`` package), not ``complaints.clock``, so a test's "truth" does not come
from the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from govuk_bank_holidays.bank_holidays import BankHolidays

from complaints.models import Case, CaseStatus, Child, Complainant, StageRecord
from complaints.submission import Relationship

_OFFICIAL = {
    h["date"]
    for h in BankHolidays(use_cached_holidays=True).get_holidays(
        division=BankHolidays.ENGLAND_AND_WALES
    )
}


def is_working(day: date) -> bool:
    return day.weekday() < 5 and day not in _OFFICIAL


def working_days(start: date, end: date) -> int:
    """Working days in (start, end], counted one calendar day at a time."""
    days = (end - start).days
    return sum(1 for i in range(1, days + 1) if is_working(start + timedelta(days=i)))


def nth_working_day(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if is_working(day):
            n -= 1
    return day


_counter = iter(range(1, 10**6))


def make_case(
    received: date,
    *,
    stages: list[StageRecord] | None = None,
    status: CaseStatus = CaseStatus.OPEN,
    relationship: Relationship = Relationship.PARENT,
    procedure: str = "children-act-1989",
    **fields: object,
) -> Case:
    number = next(_counter)
    return Case(
        reference=f"TEST-{number:04d}",
        procedure=procedure,
        status=status,
        received_at=datetime(received.year, received.month, received.day, 10, tzinfo=UTC),
        received_on=received,
        complainant=Complainant(
            name=f"Secret Name {number}",
            email=f"secret{number}@example.org",
            relationship=relationship,
        ),
        child=Child(name=f"Hidden Child {number}"),
        details=f"Private details {number}",
        token_hash="0" * 64,
        stages=stages or [StageRecord(number=1, started_on=received)],
        **fields,  # type: ignore[arg-type]
    )
