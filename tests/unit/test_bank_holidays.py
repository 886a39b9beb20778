"""The precomputed bank holiday table is the ``holidays`` package's, year for year."""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files

import pytest

from complaints import bank_holidays
from complaints.bank_holidays import FIRST_YEAR, LAST_YEAR, UnknownYearError
from complaints_tools.bank_holidays import from_library
from complaints_tools.bank_holidays import generate as generated

YEARS = range(FIRST_YEAR, LAST_YEAR + 1)


@pytest.mark.parametrize("year", YEARS)
def test_the_table_equals_the_library(year: int) -> None:
    assert bank_holidays.bank_holidays(year) == from_library(year), (
        f"bank_holidays.json differs from the holidays package for {year}: "
        "run python -m complaints_tools.bank_holidays"
    )


def test_the_file_is_what_the_generator_writes_today() -> None:
    """Same content and the same recorded package version: regenerate after an upgrade."""
    committed = json.loads(
        files("complaints").joinpath("data", "bank_holidays.json").read_text(encoding="utf-8")
    )
    assert committed == generated(), "run python -m complaints_tools.bank_holidays"


def test_a_year_outside_the_table_is_refused_plainly_not_guessed() -> None:
    with pytest.raises(UnknownYearError, match=f"known for {FIRST_YEAR} to {LAST_YEAR}"):
        bank_holidays.bank_holidays(LAST_YEAR + 1)
    with pytest.raises(UnknownYearError):
        bank_holidays.bank_holidays(FIRST_YEAR - 1)


def test_substitute_and_proclaimed_days_are_in_the_table() -> None:
    # Christmas 2021 fell on a Saturday: Monday 27 and Tuesday 28 December were substitutes.
    assert {date(2021, 12, 27), date(2021, 12, 28)} <= bank_holidays.bank_holidays(2021)
    # Proclaimed one-off days: the Platinum Jubilee and the State Funeral (2022), the
    # Coronation (2023).
    assert {date(2022, 6, 3), date(2022, 9, 19)} <= bank_holidays.bank_holidays(2022)
    assert date(2023, 5, 8) in bank_holidays.bank_holidays(2023)


def test_the_clock_does_not_load_the_library_for_covered_years() -> None:
    """The point of the table: no ``holidays`` import on a Lambda's first request."""
    import subprocess
    import sys

    code = (
        "import sys, datetime; from complaints.clock import add_working_days; "
        "add_working_days(datetime.date(2026, 12, 20), 20); print('holidays' in sys.modules)"
    )
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip() == "False"
