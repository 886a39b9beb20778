"""Dates in words, as GOV.UK writes them: every page, email and refusal says them this way."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(day: date) -> str:
    """``9 June 2025`` (the same in every locale)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_and_date(day: date) -> str:
    """``Monday 9 June 2025``: for a date someone has to act by."""
    return f"{DAYS[day.weekday()]} {long_date(day)}"
