"""A demo year: when its complaints arrive, and each one played from its own random stream."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from complaints.clock import LONDON, financial_year, london_today
from complaints.models import Case
from complaints.service.references import ALPHABET, LENGTH
from complaints_tools.demo.plan import plan_case
from complaints_tools.demo.play import DemoCase, play
from complaints_tools.demo.shape import CORPORATE, CORPORATE_SHARE, DEFAULT_SIZE, STATUTORY


def _received_at(rng: random.Random, start: date, days: int) -> datetime:
    """A moment in the year; fewer complaints arrive at weekends."""
    while True:
        day = start + timedelta(days=rng.randrange(days))
        if day.weekday() < 5 or rng.random() < 0.25:
            break
    local = datetime(day.year, day.month, day.day, rng.randint(7, 21), rng.randrange(60))
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def _reference(rng: random.Random, taken: set[str]) -> str:
    """A reference in the real format (``service.references``), new in the demo."""
    while True:
        chars = "".join(rng.choice(ALPHABET) for _ in range(LENGTH))
        reference = f"{chars[: LENGTH // 2]}-{chars[LENGTH // 2 :]}"
        if reference not in taken:
            taken.add(reference)
            return reference


def play_year(
    year: int, *, seed: int | None = None, today: date | None = None, size: int = DEFAULT_SIZE
) -> list[DemoCase]:
    """About ``size`` statutory complaints received in financial year ``year``, plus about a
    tenth as many corporate ones, each with its audit trail, in the order received: the world
    as it stood when ``today`` began (nothing later, so nothing is in the future of the clock;
    a year not over yet has fewer)."""
    today = today or london_today()
    seed = year if seed is None else seed
    start = date(year, 4, 1)
    days = (date(year + 1, 4, 1) - start).days
    kinds = [STATUTORY] * size + [CORPORATE] * round(size * CORPORATE_SHARE)
    arrivals = random.Random(seed)  # noqa: S311 - demo data, not security
    moments = [_received_at(arrivals, start, days) for _ in kinds]
    until = datetime.combine(today, time(0), LONDON)
    references: set[str] = set()
    played = []
    for index, (kind, moment) in enumerate(zip(kinds, moments, strict=True)):
        rng = random.Random(f"{seed}:{index}")  # noqa: S311 - demo data, not security
        reference = _reference(rng, references)  # drawn for every case: stable as days go by
        if moment < until:
            played.append(play(plan_case(rng, reference, kind, moment), until))
    played.sort(key=lambda demo: (demo.case.received_at, demo.case.reference))
    assert all(financial_year(demo.case.received_on) == year for demo in played)
    return played


def generate_year(
    year: int, *, seed: int | None = None, today: date | None = None, size: int = DEFAULT_SIZE
) -> list[Case]:
    """The cases of ``play_year`` without their audit trails (for the reports)."""
    return [demo.case for demo in play_year(year, seed=seed, today=today, size=size)]
