"""England and Wales bank holidays, as data (``data/bank_holidays.json``).

The dates (with substitute and proclaimed days, Christmas Day, Boxing Day and Good Friday) are
made from the ``holidays`` package by ``python -m complaints_tools.bank_holidays``, so Lambda
carries 10 kB of England and Wales dates instead of the package with every country's.
``tests/unit/test_bank_holidays.py`` fails when the file differs from the pinned package:
after upgrading ``holidays`` (or when a one-off bank holiday is proclaimed), regenerate it.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib.resources import files

FIRST_YEAR = 2000
LAST_YEAR = 2075
DATA_FILE = "bank_holidays.json"


class UnknownYearError(LookupError):
    """The bank holidays of a year outside the data file are not known."""


@cache
def _precomputed() -> dict[int, frozenset[date]]:
    text = files("complaints").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    by_year: dict[int, set[date]] = {year: set() for year in range(FIRST_YEAR, LAST_YEAR + 1)}
    for value in json.loads(text)["dates"]:
        day = date.fromisoformat(value)
        by_year[day.year].add(day)
    return {year: frozenset(days) for year, days in by_year.items()}


def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays in ``year`` (England and Wales)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UnknownYearError(
            f"bank holidays are known for {FIRST_YEAR} to {LAST_YEAR}, not {year}: "
            "regenerate data/bank_holidays.json (python -m complaints_tools.bank_holidays)"
        )
    return _precomputed()[year]
