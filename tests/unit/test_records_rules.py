"""Staff's own records on a case (notes, calls and meetings, case file exports, letters
posted): internal, within their limits, and never dated before what they record; and who may
make them (the action table's roles; the command line acts with the operator's own rights)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from complaints.service.lifecycle import TransitionError
from complaints.service.lifecycle.records import (
    MAX_NOTE,
    add_note,
    posted_too_early,
    record_call,
    record_export,
)
from complaints.service.lifecycle.table import Action, StaffAction, refuse_unless_role
from tests.unit.lifecycle_fixtures import act, new_case

DAY = date(2025, 1, 6)  # a Monday


def test_a_note_may_be_as_long_as_the_limit_and_no_longer() -> None:
    case = new_case(DAY)
    kept = add_note(case, act(DAY), text="x" * MAX_NOTE)
    assert kept.events[0].reason == "x" * MAX_NOTE
    with pytest.raises(TransitionError, match="20,000 characters or fewer"):
        add_note(case, act(DAY), text="x" * (MAX_NOTE + 1))


def test_notes_calls_and_exports_are_internal_records() -> None:
    case = new_case(DAY)
    made = [
        add_note(case, act(DAY), text="Spoke to the team manager."),
        record_call(case, act(DAY), summary="Agreed a meeting.", kind="meeting"),
        record_export(case, act(DAY), purpose="For the Ombudsman"),
    ]
    for transition in made:
        (written,) = transition.events
        assert written.data["internal"] is True, written.type


def test_a_letter_is_never_posted_before_it_was_written() -> None:
    assert posted_too_early(DAY, DAY) is None
    assert posted_too_early(DAY, DAY + timedelta(days=1)) is None
    refused = posted_too_early(DAY, DAY - timedelta(days=1))
    assert refused is not None
    assert "6 January 2025" in refused


def test_the_command_line_acts_with_the_operators_own_rights() -> None:
    refuse_unless_role(Action.NOTE, None)
    refuse_unless_role(StaffAction.REPORTS, None)


def test_a_role_the_table_does_not_name_is_refused_with_who_may() -> None:
    refuse_unless_role(Action.NOTE, "officer")
    refuse_unless_role(StaffAction.REPORTS, "manager")
    with pytest.raises(TransitionError, match=r"Your role \(auditor\) cannot") as refused:
        refuse_unless_role(Action.NOTE, "auditor")
    assert "officer" in str(refused.value)
    with pytest.raises(TransitionError, match=r"Your role \(officer\) cannot read the reports"):
        refuse_unless_role(StaffAction.REPORTS, "officer")


def test_a_response_letter_may_be_as_long_as_the_limit_and_no_longer() -> None:
    from complaints.service.lifecycle import respond
    from complaints.service.lifecycle.stage import MAX_LETTER

    case = new_case(DAY)
    answered = respond(case, "upheld", act(DAY + timedelta(days=3)), letter="x" * MAX_LETTER)
    assert answered.case.stage.response_letter is not None
    with pytest.raises(TransitionError, match="50,000 characters or fewer"):
        respond(case, "upheld", act(DAY + timedelta(days=3)), letter="x" * (MAX_LETTER + 1))


def test_no_response_email_for_a_stage_without_its_response_or_its_letter() -> None:
    from complaints.service.lifecycle import respond
    from complaints.service.lifecycle.stage import responded_notice

    answered = respond(new_case(DAY), "upheld", act(DAY + timedelta(days=3)), letter="Dear Sam")
    assert responded_notice(answered.case, "key").key == "key"
    for missing in ({"responded_on": None}, {"response_letter": None}):
        case = answered.case.model_copy(deep=True)
        case.stages[-1] = case.stages[-1].model_copy(update=missing)
        with pytest.raises(TransitionError, match="has not been answered yet"):
            responded_notice(case, "key")
