"""Money: pounds as typed by a member of staff, to whole pence; pence back to pounds for people.

Amounts are parsed as ``Decimal`` (never ``float``) and kept as whole pence (``int``), so
totals are exact. ``parse_pence`` refuses, each with one plain sentence (``MoneyError``):
anything that is not an amount, ``nan`` and ``inf``, a negative amount, fractions of a penny
(``12.345``) and amounts over the council's limit (``compensation_limit_pounds`` in
``council.yaml``: a typo such as ``1e308`` or a figure with three noughts too many is caught
before it reaches a case or a published report).
"""

from __future__ import annotations

import re
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, localcontext

PENCE_PER_POUND = 100
MAX_TYPED = 40  # characters: longer is not an amount anyone means
# Thousands written with commas (1,250.00); anything else goes to Decimal as typed, and the
# checks below give each problem (nan, inf, 1e308, 12.345) its own plain answer.
_THOUSANDS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$")


class MoneyError(ValueError):
    """An amount that cannot be recorded; the message is one plain sentence."""


def _limit_pence() -> int:
    from complaints.settings import load_settings

    return load_settings().compensation_limit_pounds * PENCE_PER_POUND


def pounds(pence: int) -> str:
    """Whole pence as pounds for people, exactly: ``123456`` -> ``£1,234.56``."""
    sign = "-" if pence < 0 else ""
    return f"{sign}£{Decimal(abs(pence)).scaleb(-2):,.2f}"


def pounds_number(pence: int) -> str:
    """Whole pence as a plain number of pounds, exactly (for CSV): ``123456`` -> ``1234.56``."""
    return f"{Decimal(pence).scaleb(-2):.2f}"


def parse_pence(
    typed: str | None, *, what: str = "The payment", limit_pence: int | None = None
) -> int:
    """Pounds as typed (``250``, ``£99.50``, ``1,250``) as whole pence; empty means 0.

    Raises ``MoneyError`` for anything else: not a number, not finite, negative, with
    fractions of a penny, or over the limit (default: the council's, from ``council.yaml``).
    """
    text = (typed or "").strip()
    if not text:
        return 0
    plain = text.removeprefix("£").strip()
    if _THOUSANDS.match(plain):
        plain = plain.replace(",", "")
    example = "like 250 or 99.50"
    try:
        if len(plain) > MAX_TYPED:
            raise InvalidOperation
        value = Decimal(plain)
    except InvalidOperation:
        raise MoneyError(f"{what} must be an amount in pounds, {example}.") from None
    if not value.is_finite():
        raise MoneyError(f"{what} must be an amount in pounds, {example}.")
    if value < 0:
        raise MoneyError(f"{what} cannot be negative.")
    limit = _limit_pence() if limit_pence is None else limit_pence
    if value > Decimal(limit).scaleb(-2):  # compared, never multiplied out (1e308)
        raise MoneyError(
            f"{what} is more than {pounds(limit)}, the council's limit: check the amount."
        )
    exact = Context(prec=MAX_TYPED + 4, traps=[Inexact, InvalidOperation, Overflow])
    with localcontext(exact):
        in_pence = value.scaleb(2)
    if in_pence != in_pence.to_integral_value():
        raise MoneyError(f"{what} must be in pounds and whole pence, {example}.")
    return int(in_pence)


def check_pence(pence: int, *, what: str = "The payment") -> int:
    """Whole pence that may be recorded: not negative, not over the council's limit (the same
    rule as ``parse_pence``, for amounts that arrive as numbers)."""
    if pence < 0:
        raise MoneyError(f"{what} cannot be negative.")
    limit = _limit_pence()
    if pence > limit:
        raise MoneyError(
            f"{what} is more than {pounds(limit)}, the council's limit: check the amount."
        )
    return pence
