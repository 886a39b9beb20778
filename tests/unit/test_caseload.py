"""The caseload's counters and forms (pure): a transition moves a case between counters, and
a form reads answers (dates as three boxes) or says which cannot be read."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.models import CaseStatus
from complaints.service import lifecycle as lc
from complaints.service.staff.caseload import Counts, count_changes, count_keys, next_due
from tests.unit.lifecycle_fixtures import act, new_case


def test_a_new_case_counts_once_in_each_of_its_counters() -> None:
    case = new_case(date(2025, 1, 6))
    changes = count_changes(None, case)
    assert set(changes.values()) == {1}
    assert "status#open" in changes
    assert "owner#-#open" in changes  # unassigned


def test_a_transition_moves_the_case_between_counters() -> None:
    case = new_case(date(2025, 1, 6))
    held = lc.hold(case, act(date(2025, 1, 7)), grounds="other", reason="x").case
    changes = count_changes(case, held)
    assert changes["status#open"] == -1
    assert changes["status#on_hold"] == 1
    totals = Counts.from_items([(k, 1) for k in count_keys(case)] + list(changes.items()))
    assert totals.status("open") == 0
    assert totals.status("on_hold") == 1
    assert totals.owner(None) == 1


def test_a_closed_case_leaves_the_working_counters() -> None:
    case = new_case(date(2025, 1, 6))
    closed = lc.close(case, act(date(2025, 1, 7)), reason="Withdrawn", withdrawn=True).case
    assert closed.status is CaseStatus.CLOSED
    assert not any(k.startswith("owner#") for k in count_keys(closed))


def test_the_next_deadline_is_the_stage_response_at_stage_1() -> None:
    case = new_case(date(2025, 1, 6))
    assert next_due(case) == case.stage.respond_by


def test_a_form_reads_a_gov_uk_date_input_or_says_what_is_wrong() -> None:
    from complaints.console.forms import FORMS, AnswerError, read_answers
    from complaints.service.lifecycle import Action

    case = new_case(date(2025, 1, 6))
    form = FORMS[Action.ACKNOWLEDGE]
    good = read_answers(
        form,
        case,
        {
            "summary": ["Visits"],
            "how": ["phone"],
            "on-day": ["7"],
            "on-month": ["1"],
            "on-year": ["2025"],
        },
    )
    assert good["on"] == date(2025, 1, 7)
    with pytest.raises(AnswerError) as bad:
        read_answers(
            form,
            case,
            {
                "summary": [""],
                "how": ["carrier pigeon"],
                "on-day": ["30"],
                "on-month": ["2"],
                "on-year": ["2025"],
            },
        )
    fields = [f for f, _ in bad.value.errors]
    assert fields == ["summary", "how", "on-day"]


def test_every_action_of_the_table_has_a_form() -> None:
    from complaints.console.forms import FORMS
    from complaints.service.lifecycle import Action

    assert set(FORMS) == set(Action)


def test_text_from_a_form_is_made_plain() -> None:
    from complaints.console.forms import FORMS, read_answers
    from complaints.service.lifecycle import Action

    case = new_case(date(2025, 1, 6))
    answers = read_answers(
        FORMS[Action.ACKNOWLEDGE], case, {"summary": ["Visits\x1b[31m\u202e"], "how": ["phone"]}
    )
    assert answers["summary"] == "Visits[31m"
