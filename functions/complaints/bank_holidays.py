"""England and Wales bank holidays, precomputed from the ``holidays`` package.

Importing ``holidays`` and building a year costs about 100 ms, which every Lambda would pay
on its first request. The dates it gives for ``FIRST_YEAR``..``LAST_YEAR`` are kept in
``data/bank_holidays.json`` instead; years outside that range still come from the package.
``tests/unit/test_bank_holidays.py`` fails when the file differs from the pinned package, so
after upgrading ``holidays`` regenerate it::

    python -m complaints.bank_holidays
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path

FIRST_YEAR = 2000
LAST_YEAR = 2050
DATA_FILE = "bank_holidays.json"


def from_library(year: int) -> frozenset[date]:
    """The ``holidays`` package's England bank holidays for ``year`` (with substitute and
    proclaimed days, Christmas Day, Boxing Day and Good Friday)."""
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


@cache
def _precomputed() -> dict[int, frozenset[date]]:
    text = files("complaints").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    by_year: dict[int, set[date]] = {year: set() for year in range(FIRST_YEAR, LAST_YEAR + 1)}
    for value in json.loads(text)["dates"]:
        day = date.fromisoformat(value)
        by_year[day.year].add(day)
    return {year: frozenset(days) for year, days in by_year.items()}


def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays in ``year``: from the precomputed file when it covers the year."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return _precomputed()[year]
    return from_library(year)


def generate() -> dict[str, object]:
    """The file's content, made from the installed ``holidays`` package."""
    from importlib.metadata import version

    days = sorted(day for year in range(FIRST_YEAR, LAST_YEAR + 1) for day in from_library(year))
    return {
        "source": f"holidays {version('holidays')}, country GB, subdivision ENG",
        "regenerate": "python -m complaints.bank_holidays",
        "dates": [day.isoformat() for day in days],
    }


def main() -> None:
    path = Path(__file__).parent / "data" / DATA_FILE
    path.write_text(json.dumps(generate(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.name}: {FIRST_YEAR}-{LAST_YEAR}")


if __name__ == "__main__":
    main()
