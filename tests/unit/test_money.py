"""Money typed by staff: pounds to whole pence with ``Decimal``, each bad amount refused with one
plain sentence; pence back to pounds exactly (``complaints.money``)."""

from __future__ import annotations

import pytest

from complaints.money import MoneyError, parse_pence, pounds, pounds_number
from complaints.settings import load_settings


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        (None, 0),
        ("", 0),
        ("0", 0),
        ("250", 25_000),
        ("99.50", 9_950),
        ("99.5", 9_950),
        ("£1,250.00", 125_000),
        (" £ 12.30 ", 1_230),
        ("12.340", 1_234),  # a nought after the pence is still whole pence
        ("100000", 10_000_000),  # the default limit itself
        ("0.01", 1),
    ],
)
def test_amounts_in_pounds_become_whole_pence(typed: str | None, pence: int) -> None:
    assert parse_pence(typed) == pence


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("nan", "The payment must be an amount in pounds, like 250 or 99.50."),
        ("NaN", "The payment must be an amount in pounds, like 250 or 99.50."),
        ("inf", "The payment must be an amount in pounds, like 250 or 99.50."),
        ("-Infinity", "The payment must be an amount in pounds, like 250 or 99.50."),
        ("sNaN", "The payment must be an amount in pounds, like 250 or 99.50."),
        ("ten pounds", "The payment must be an amount in pounds, like 250 or 99.50."),
        ("1" * 41, "The payment must be an amount in pounds, like 250 or 99.50."),
        ("-5", "The payment cannot be negative."),
        ("12.345", "The payment must be in pounds and whole pence, like 250 or 99.50."),
        ("1e-30", "The payment must be in pounds and whole pence, like 250 or 99.50."),
        ("1e308", "The payment is more than £100,000.00, the council's limit: check the amount."),
        (
            "1e999999999",
            "The payment is more than £100,000.00, the council's limit: check the amount.",
        ),
        (
            "100000.01",
            "The payment is more than £100,000.00, the council's limit: check the amount.",
        ),
    ],
)
def test_bad_amounts_are_refused_with_one_plain_sentence(typed: str, sentence: str) -> None:
    with pytest.raises(MoneyError) as refused:
        parse_pence(typed)
    assert str(refused.value) == sentence
    assert str(refused.value).count(".") >= 1
    assert "\n" not in str(refused.value)


def test_the_limit_is_a_council_setting() -> None:
    assert load_settings().compensation_limit_pounds == 100_000
    assert parse_pence("600", limit_pence=60_000) == 60_000
    with pytest.raises(MoneyError, match=r"more than £500\.00"):
        parse_pence("500.01", limit_pence=50_000)


def test_pence_back_to_pounds_is_exact_however_large() -> None:
    assert pounds(123_456) == "£1,234.56"
    assert pounds(5) == "£0.05"
    assert pounds(0) == "£0.00"
    # past where a float keeps every penny (2**53)
    assert pounds(123_456_789_012_345_678_901) == "£1,234,567,890,123,456,789.01"
    assert pounds_number(123_456_789_012_345_678_901) == "1234567890123456789.01"
