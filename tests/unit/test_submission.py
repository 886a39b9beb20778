"""The complaint form's fields: required answers, bounds, odd input and plain messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from complaints.clock import london_today
from complaints.submission import (
    MAX_DETAILS,
    MAX_NAME,
    FieldError,
    Submission,
    parse_submission,
)

VALID: dict[str, Any] = {
    "complainant_name": "Sam Jones",
    "email": "sam@example.com",
    "relationship": "parent",
    "child_name": "Alex Jones",
    "details": "My son's social worker has not visited since March.",
}


def _errors(**changes: Any) -> dict[str, str]:
    data = {**VALID, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    result = parse_submission(data)
    assert isinstance(result, list), "expected errors"
    return {e.field: e.message for e in result}


def _ok(**changes: Any) -> Submission:
    result = parse_submission({**VALID, **changes})
    assert isinstance(result, Submission), result
    return result


def test_a_complete_complaint_is_accepted() -> None:
    submission = _ok()
    assert submission.child_name == "Alex Jones"
    assert not submission.is_spam


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("complainant_name", "Enter your full name"),
        ("email", "Enter your email address"),
        ("relationship", "Select how you are connected to the child"),
        ("child_name", "Enter the child's name"),
        ("details", "Tell us what your complaint is about"),
    ],
)
def test_each_required_field_missing(field: str, message: str) -> None:
    data = {k: v for k, v in VALID.items() if k != field}
    result = parse_submission(data)
    assert isinstance(result, list)
    assert [e.as_dict() for e in result] == [{"field": field, "message": message}]


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_blank_answers_count_as_missing(blank: str) -> None:
    assert _errors(details=blank) == {"details": "Tell us what your complaint is about"}


def test_everything_missing_lists_every_field_in_form_order() -> None:
    result = parse_submission({})
    assert isinstance(result, list)
    assert [e.field for e in result] == ["relationship", "complainant_name", "email", "details"]


def test_a_child_complaining_for_themselves_need_not_give_a_child_name() -> None:
    submission = _ok(relationship="child_or_young_person", child_name="")
    assert submission.by_child
    assert submission.child_name is None


@pytest.mark.parametrize("email", ["sam", "sam@", "sam@@example.com", "sam example@x.com", "@x.y"])
def test_email_must_be_real(email: str) -> None:
    assert _errors(email=email) == {
        "email": "Enter your email address in the correct format, like name@example.com"
    }


def test_name_bounds() -> None:
    assert _ok(complainant_name="A" * MAX_NAME)
    assert _errors(complainant_name="A" * (MAX_NAME + 1)) == {
        "complainant_name": "Your name must be 200 characters or fewer"
    }


def test_details_bounds() -> None:
    assert _ok(details="x" * MAX_DETAILS)
    assert "50,000 characters or fewer" in _errors(details="x" * (MAX_DETAILS + 1))["details"]


def test_date_of_birth_not_in_the_future() -> None:
    tomorrow = (london_today() + timedelta(days=1)).isoformat()
    assert _errors(child_date_of_birth=tomorrow) == {
        "child_date_of_birth": "The child's date of birth must be in the past"
    }
    assert "real date" in _errors(child_date_of_birth="2012-02-30")["child_date_of_birth"]
    assert _ok(child_date_of_birth="2012-02-29").child_date_of_birth is not None


def test_unknown_relationship() -> None:
    assert _errors(relationship="neighbour") == {
        "relationship": "Select how you are connected to the child"
    }


def test_honeypot_marks_spam() -> None:
    assert _ok(website="http://spam.example").is_spam


@pytest.mark.parametrize(
    "name",
    ["Zoë Ångström", "Siobhán Ó Briain", "李小龍", "محمد", "Nguyễn Văn A", "O'Brien-Smith"],
)
def test_names_in_any_script_are_welcome(name: str) -> None:
    assert _ok(complainant_name=name).complainant_name == name


def test_control_characters_are_removed_and_unicode_normalised() -> None:
    decomposed = "Zoe\u0308"  # e + combining diaeresis
    submission = _ok(complainant_name=f"  {decomposed}\u0000 \u200b Smith ", details="a\r\nb")
    assert submission.complainant_name == "Zoë Smith"
    assert submission.details == "a\nb"


def test_emoji_in_details_are_kept() -> None:
    assert _ok(details="They never listen 😢").details.endswith("😢")


def test_phone_must_look_like_a_phone_number() -> None:
    assert _ok(phone="07700 900 982").phone == "07700 900 982"
    assert "phone number" in _errors(phone="call me")["phone"]


def test_submission_id_must_be_a_uuid() -> None:
    assert "Reload the page" in _errors(submission_id="not-a-uuid")["submission_id"]


def test_messages_never_echo_what_was_typed() -> None:
    secret = "very-private-text@@"
    errors = parse_submission({**VALID, "email": secret})
    assert isinstance(errors, list)
    assert all(secret not in e.message for e in errors)


def test_unknown_service_area() -> None:
    assert _errors(service_area="parking") == {
        "service_area": "Select which service your complaint is about"
    }


def test_field_error_shape() -> None:
    assert FieldError("email", "x").as_dict() == {"field": "email", "message": "x"}


@pytest.mark.parametrize(
    ("month", "year", "field", "message"),
    [
        ("3", "", "happened_year", "When it happened must include a year"),
        ("", "2024", "happened_month", "When it happened must include a month"),
        ("13", "2024", "happened_month", "When it happened must be a real month, like 3 for March"),
        ("3", "1800", "happened_year", "When it happened must be a real year, like 2025"),
        (
            "March",
            "2024",
            "happened_month",
            "When it happened must be a real month, like 3 for March",
        ),
        ("3", "2999", "happened_month", "When it happened must be in the past"),
    ],
)
def test_when_it_happened_is_a_real_month_and_year_in_the_past(
    month: str, year: str, field: str, message: str
) -> None:
    from complaints.submission import FieldError, parse_submission

    fields = {
        "complainant_name": "Sam",
        "email": "sam@example.com",
        "relationship": "parent",
        "child_name": "Alex",
        "details": "x",
        "happened_month": month,
        "happened_year": year,
    }
    assert parse_submission(fields) == [FieldError(field, message)]


def test_when_it_happened_is_optional_and_kept_as_a_month() -> None:
    from complaints.submission import Submission, parse_submission

    base = {
        "complainant_name": "Sam",
        "email": "sam@example.com",
        "relationship": "parent",
        "child_name": "Alex",
        "details": "x",
    }
    blank = parse_submission({**base, "happened_month": "", "happened_year": ""})
    assert isinstance(blank, Submission)
    assert blank.happened_in is None
    given = parse_submission({**base, "happened_month": "3", "happened_year": "2024"})
    assert isinstance(given, Submission)
    assert given.happened_in == "2024-03"
