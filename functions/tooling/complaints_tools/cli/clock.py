"""``--now`` for commands that move the clock (tests, demos, catching up): one parser."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

import typer

from complaints import clock
from complaints.clock import LONDON

Now = Annotated[
    str | None,
    typer.Option(
        "--now",
        help=(
            "Act as if it were this time: an ISO date-time (Europe/London unless it has an "
            "offset) or a date, meaning the end of that day. Default: now."
        ),
    ),
]


def parse_now(value: str | None) -> datetime:
    """The aware moment ``value`` names (``None``: the clock's present). A bare date is the end
    of that London day, so everything due on it counts."""
    if value is None or not value.strip():
        return clock.now()
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time(23, 59, 59), LONDON)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (2025-06-10) or date-time (2025-06-10T09:00)",
            param_hint="--now",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def parse_day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date like 2025-06-10", param_hint=option
        ) from None
