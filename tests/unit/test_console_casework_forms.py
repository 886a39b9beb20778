"""The casework forms' parsing (issue 16): the record form's three-box dates, checkboxes and
plain text; the new actions' forms (note, call, letter posted, respond with its letter)."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.console.forms import FORMS, AnswerError, corrective_actions, read_answers
from complaints.console.record_form import field_id, merge_errors, read_record
from complaints.service.lifecycle import Action
from tests.unit.test_console_sessions import new_case


def test_the_record_form_reads_the_date_received_from_three_boxes() -> None:
    read = read_record(
        {
            "received-day": ["3"],
            "received-month": ["12"],
            "received-year": ["2026"],
            "channel": ["phone"],
            "complainant_name": ["  Pat\u202e Caller "],
            "details": ["Line one\nLine two"],
        }
    )
    assert read.errors == []
    assert read.received == date(2026, 12, 3)
    assert read.answers["received_on"] == "2026-12-03"
    assert read.answers["channel"] == "phone"
    assert read.answers["complainant_name"] == "Pat Caller"  # made plain: no format characters
    assert read.answers["details"] == "Line one\nLine two"
    assert read.answers["confirm_late"] is False
    assert read.answers["historic"] is False


def test_the_record_form_says_what_is_wrong_with_a_date_and_a_missing_one() -> None:
    assert read_record(
        {"received-day": ["31"], "received-month": ["2"], "received-year": ["2026"]}
    ).errors == [("received_on", "Enter a real date")]
    assert read_record({}).errors == [("received_on", "Enter the date the complaint was received")]
    partial = read_record({"received-day": ["3"]})
    assert partial.errors == [("received_on", "Enter a real date, with a day, month and year")]


def test_the_record_form_reads_the_confirmations_and_leaves_out_blank_answers() -> None:
    read = read_record(
        {
            "received-day": ["1"],
            "received-month": ["1"],
            "received-year": ["2026"],
            "confirm_late": ["yes"],
            "historic": ["yes"],
            "email": [""],
            "child_date_of_birth-day": ["2"],
            "child_date_of_birth-month": ["3"],
            "child_date_of_birth-year": ["2015"],
        }
    )
    assert read.answers["confirm_late"] is True
    assert read.answers["historic"] is True
    assert "email" not in read.answers
    assert read.answers["child_date_of_birth"] == "2015-03-02"


def test_the_record_forms_errors_link_to_the_fields_on_the_page() -> None:
    assert field_id("received_on") == "received-day"
    assert field_id("child_date_of_birth") == "child_date_of_birth-day"
    assert field_id("address") == "address"
    merged = merge_errors(
        [("received_on", "Enter a real date")],
        [("complainant_name", "Enter your full name"), ("received_on", "from the service")],
    )
    assert merged == [
        ("complainant_name", "Enter your full name"),
        ("received_on", "Enter a real date"),
    ]


def test_the_respond_form_needs_the_letter() -> None:
    case = new_case()
    form = FORMS[Action.RESPOND]
    with pytest.raises(AnswerError) as refused:
        read_answers(form, case, {"outcome": ["upheld"], "letter": ["  "]})
    assert refused.value.errors[0][0] == "letter"
    values = read_answers(
        form,
        case,
        {"outcome": ["upheld"], "letter": ["Dear Sam\n\nSorry.\n"], "actions": ["a\n\nb"]},
    )
    assert values["letter"].strip() == "Dear Sam\n\nSorry."
    assert corrective_actions(values["actions"]) == ["a", "b"]


def test_the_note_and_call_forms_read_their_answers() -> None:
    case = new_case()
    with pytest.raises(AnswerError):
        read_answers(FORMS[Action.NOTE], case, {"text": [""]})
    assert read_answers(FORMS[Action.NOTE], case, {"text": ["<b>x</b>"]})["text"] == "<b>x</b>"
    call = read_answers(
        FORMS[Action.RECORD_CALL],
        case,
        {
            "summary": ["Agreed a visit"],
            "kind": ["meeting"],
            "direction": ["to_family"],
            "on-day": ["1"],
            "on-month": ["12"],
            "on-year": ["2026"],
        },
    )
    assert call["kind"] == "meeting"
    assert call["on"] == date(2026, 12, 1)
    with pytest.raises(AnswerError) as refused:
        read_answers(FORMS[Action.RECORD_CALL], case, {"summary": ["x"], "kind": ["telegram"]})
    assert [f for f, _ in refused.value.errors] == ["kind", "direction"]


def test_the_letter_posted_form_takes_a_day_and_a_way() -> None:
    case = new_case()
    form = FORMS[Action.MARK_LETTER_POSTED]
    assert read_answers(form, case, {"how": ["post"]}) == {"on": None, "how": "post"}
    with pytest.raises(AnswerError):
        read_answers(form, case, {"how": ["pigeon"]})
    assert not form.ready(case)  # reached from the letters to send, not a case button
