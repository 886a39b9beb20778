"""The statutory clock against SI 2006/1738 reg 2 and GOV.UK's official bank holiday list."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays
from hypothesis import given
from hypothesis import strategies as st

from complaints.clock import (
    add_working_days,
    is_working_day,
    london_today,
    received_on,
    working_days_between,
)


def _govuk_england_and_wales() -> dict[date, str]:
    """GOV.UK's published list (a copy shipped by govuk-bank-holidays), as test data only."""
    official = BankHolidays(use_cached_holidays=True)
    return {
        h["date"]: h["title"]
        for h in official.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    }


OFFICIAL = _govuk_england_and_wales()
OFFICIAL_YEARS = sorted({d.year for d in OFFICIAL})


@pytest.mark.parametrize("year", OFFICIAL_YEARS)
def test_every_official_bank_holiday_is_not_a_working_day(year: int) -> None:
    for day, title in OFFICIAL.items():
        if day.year == year:
            assert not is_working_day(day), f"{day} ({title}) should not be a working day"


@pytest.mark.parametrize("year", OFFICIAL_YEARS)
def test_every_other_weekday_is_a_working_day(year: int) -> None:
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5 and day not in OFFICIAL:
            assert is_working_day(day), f"{day} is an ordinary weekday"
        day += timedelta(days=1)


def test_holiday_data_covers_next_year() -> None:
    """Fails when the official list (and so our check of the clock) stops covering next year:
    update govuk-bank-holidays and holidays, then check the new year's dates."""
    next_year = london_today().year + 1
    assert next_year in OFFICIAL_YEARS, f"GOV.UK list has no {next_year}: update the packages"
    official_next = {d for d in OFFICIAL if d.year == next_year}
    ours = {
        date(next_year, 1, 1) + timedelta(days=n)
        for n in range(366)
        if (date(next_year, 1, 1) + timedelta(days=n)).year == next_year
        and (date(next_year, 1, 1) + timedelta(days=n)).weekday() < 5
        and not is_working_day(date(next_year, 1, 1) + timedelta(days=n))
    }
    assert ours == official_next


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2024, 11, 30), "Saturday"),
        (date(2024, 12, 1), "Sunday"),
        (date(2024, 12, 25), "Christmas Day"),
        (date(2024, 12, 26), "Boxing Day"),
        (date(2025, 4, 18), "Good Friday"),
        (date(2025, 4, 21), "Easter Monday"),
        (date(2020, 12, 28), "Boxing Day substitute (26th was a Saturday)"),
        (date(2021, 12, 27), "Christmas Day substitute"),
        (date(2021, 12, 28), "Boxing Day substitute"),
        (date(2022, 1, 3), "New Year's Day substitute"),
        (date(2017, 1, 2), "New Year's Day substitute"),
        (date(2023, 1, 2), "New Year's Day substitute"),
        (date(2026, 12, 28), "Boxing Day substitute 2026"),
        (date(2027, 12, 27), "Christmas Day substitute 2027"),
        (date(2027, 12, 28), "Boxing Day substitute 2027"),
        (date(2022, 9, 19), "State funeral of Queen Elizabeth II (proclaimed)"),
        (date(2023, 5, 8), "Coronation of King Charles III (proclaimed)"),
        (date(2022, 6, 3), "Platinum Jubilee (proclaimed)"),
        (date(2020, 5, 8), "VE Day 75 (moved May bank holiday)"),
        (date(2012, 6, 5), "Diamond Jubilee (proclaimed)"),
    ],
)
def test_not_working_days(day: date, why: str) -> None:
    assert not is_working_day(day), why


@pytest.mark.parametrize(
    "day",
    [
        date(2020, 5, 4),  # first Monday of May 2020 was moved to 8 May: a working day
        date(2022, 5, 30),  # spring bank holiday moved to 2 June 2022
        date(2024, 12, 24),  # Christmas Eve is a working day
        date(2024, 12, 27),  # Friday after Boxing Day
        date(2025, 1, 2),
        date(2024, 3, 28),  # Maundy Thursday
    ],
)
def test_working_days(day: date) -> None:
    assert is_working_day(day)


def test_ombudsman_example_stage_2_maximum() -> None:
    """LGSCO: stage 2 request received 29 Aug 2024 + 65 working days = 28 Nov 2024."""
    assert add_working_days(date(2024, 8, 29), 65) == date(2024, 11, 28)


def test_day_of_receipt_is_day_zero_even_at_a_weekend() -> None:
    saturday = date(2024, 11, 30)
    assert add_working_days(saturday, 1) == date(2024, 12, 2)
    assert add_working_days(saturday, 0) == saturday


def test_ten_working_days_over_christmas() -> None:
    # Received Friday 20 Dec 2024: skip 25, 26 Dec and 1 Jan and weekends.
    assert add_working_days(date(2024, 12, 20), 10) == date(2025, 1, 8)


def test_ten_working_days_over_easter() -> None:
    # Received Thursday 17 Apr 2025: skip Good Friday 18 Apr, Easter Monday 21 Apr and the
    # early May bank holiday, Monday 5 May.
    assert add_working_days(date(2025, 4, 17), 10) == date(2025, 5, 6)


def test_year_end_with_substitute_days() -> None:
    # Received Thursday 24 Dec 2020: 25 Dec (Fri), 28 Dec (substitute), 1 Jan are not counted.
    assert add_working_days(date(2020, 12, 24), 3) == date(2020, 12, 31)
    assert add_working_days(date(2020, 12, 24), 4) == date(2021, 1, 4)


def test_friday_before_bank_holiday_monday() -> None:
    # Friday 23 May 2025; Monday 26 May is the spring bank holiday.
    assert add_working_days(date(2025, 5, 23), 1) == date(2025, 5, 27)


def test_working_days_between_counts_the_end_not_the_start() -> None:
    assert working_days_between(date(2024, 12, 2), date(2024, 12, 2)) == 0
    assert working_days_between(date(2024, 12, 2), date(2024, 12, 3)) == 1
    assert working_days_between(date(2024, 12, 24), date(2024, 12, 27)) == 1
    assert working_days_between(date(2024, 12, 27), date(2024, 12, 24)) == -1


def test_negative_days_count_backwards() -> None:
    assert add_working_days(date(2025, 1, 2), -2) == date(2024, 12, 30)


@given(
    start=st.dates(min_value=date(2012, 1, 1), max_value=date(2028, 6, 30)),
    n=st.integers(min_value=0, max_value=130),
)
def test_between_inverts_add(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


@given(
    start=st.dates(min_value=date(2012, 1, 1), max_value=date(2028, 6, 30)),
    n=st.integers(min_value=1, max_value=130),
)
def test_deadline_is_always_a_working_day_after_the_start(start: date, n: int) -> None:
    deadline = add_working_days(start, n)
    assert deadline > start
    assert is_working_day(deadline)


def test_received_on_uses_london_time_in_summer() -> None:
    # 23:30 UTC on 15 July is 00:30 BST on 16 July.
    assert received_on(datetime(2025, 7, 15, 23, 30, tzinfo=UTC)) == date(2025, 7, 16)


def test_received_on_uses_london_time_in_winter() -> None:
    assert received_on(datetime(2025, 1, 15, 23, 30, tzinfo=UTC)) == date(2025, 1, 15)


def test_received_on_refuses_naive_times() -> None:
    with pytest.raises(ValueError, match="aware"):
        received_on(datetime(2025, 1, 15, 23, 30))


# --- the one clock -------------------------------------------------------------------------


def test_the_present_is_real_time_unless_a_local_clock_file_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from complaints import clock

    monkeypatch.delenv(clock.CLOCK_FILE_ENV, raising=False)
    assert abs(clock.now() - clock.wall_now()) < timedelta(seconds=1)
    moved = tmp_path / "clock.json"
    moved.write_text('{"offset_seconds": 86400}', encoding="utf-8")
    monkeypatch.setenv(clock.CLOCK_FILE_ENV, str(moved))
    assert abs(clock.now() - clock.wall_now() - timedelta(days=1)) < timedelta(seconds=1)
    assert (
        clock.london_today()
        == (clock.wall_now() + timedelta(days=1)).astimezone(clock.LONDON).date()
    )


def test_a_local_clock_never_runs_behind_real_time_and_a_missing_file_means_not_moved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from complaints import clock

    path = tmp_path / "clock.json"
    monkeypatch.setenv(clock.CLOCK_FILE_ENV, str(path))
    assert clock.clock_offset() == timedelta(0)
    path.write_text('{"offset_seconds": -3600}', encoding="utf-8")
    assert clock.clock_offset() == timedelta(0)
    path.write_text("not json", encoding="utf-8")
    with pytest.raises(RuntimeError, match="cannot be read"):
        clock.now()


def test_the_working_day_before_a_monday_is_the_friday() -> None:
    # Reminders count back: one working day before Monday 6 January 2025 is Friday 3 January.
    assert add_working_days(date(2025, 1, 6), -1) == date(2025, 1, 3)


def test_a_clock_file_that_names_no_offset_has_not_moved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from complaints import clock

    path = tmp_path / "clock.json"
    path.write_text("{}", encoding="utf-8")
    monkeypatch.setenv(clock.CLOCK_FILE_ENV, str(path))
    assert clock.clock_offset() == timedelta(0)


def test_received_on_refuses_a_time_zone_that_gives_no_offset() -> None:
    from datetime import tzinfo

    class Unknown(tzinfo):
        def utcoffset(self, dt: datetime | None) -> timedelta | None:
            return None

    with pytest.raises(ValueError, match="aware"):
        received_on(datetime(2025, 1, 15, 23, 30, tzinfo=Unknown()))


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 3, 31), 2024),  # the last day of 2024-25
        (date(2025, 4, 1), 2025),  # the first day of 2025-26
        (date(2025, 12, 31), 2025),
        (date(2026, 1, 1), 2025),  # January belongs to the year that began in April
        (date(2026, 3, 31), 2025),
    ],
)
def test_the_financial_year_runs_from_april_to_march(day: date, year: int) -> None:
    """The annual report's year (SI 2006/1738 reg 13): 1 April to 31 March."""
    from complaints.clock import financial_year

    assert financial_year(day) == year
