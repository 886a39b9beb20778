"""Make ``complaints/data/bank_holidays.json`` from the ``holidays`` package (England and Wales:
the ``GB`` country, ``ENG`` subdivision), for the years the runtime knows::

    python -m complaints_tools.bank_holidays
"""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files
from pathlib import Path

from complaints.bank_holidays import DATA_FILE, FIRST_YEAR, LAST_YEAR


def from_library(year: int) -> frozenset[date]:
    """The ``holidays`` package's England bank holidays for ``year`` (with substitute and
    proclaimed days, Christmas Day, Boxing Day and Good Friday)."""
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def generate() -> dict[str, object]:
    """The file's content, made from the installed ``holidays`` package."""
    from importlib.metadata import version

    days = sorted(day for year in range(FIRST_YEAR, LAST_YEAR + 1) for day in from_library(year))
    return {
        "source": f"holidays {version('holidays')}, country GB, subdivision ENG",
        "regenerate": "python -m complaints_tools.bank_holidays",
        "dates": [day.isoformat() for day in days],
    }


def main() -> None:
    path = Path(str(files("complaints").joinpath("data", DATA_FILE)))
    path.write_text(json.dumps(generate(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.name}: {FIRST_YEAR}-{LAST_YEAR}")


if __name__ == "__main__":
    main()
