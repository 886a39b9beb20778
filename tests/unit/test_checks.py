"""Escalation checks: what a due check does, and that it does it once (pure: no AWS)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from complaints.clock import add_working_days, start_of_day
from complaints.models import Case
from complaints.service import lifecycle as lc
from complaints.service.checks.plan import checks_needed
from complaints.service.checks.run import due_checks, run_check
from complaints.service.deadlines import is_overdue
from complaints.settings import load_settings
from tests.unit.lifecycle_fixtures import LETTER, STAFF, act, at, new_case


def _midnight_after(day: date) -> datetime:
    return start_of_day(day + timedelta(days=1), hour=0)


def _run_all(case: Case, now: datetime) -> tuple[Case, list[str]]:
    """What ``complaints checks run --now`` does to one case: every due check, in order."""
    templates: list[str] = []
    for check in due_checks(case, now):
        result = run_check(case, check.id, now)
        assert result.transition is not None
        case = result.transition.case
        templates += [n.template for n in result.transition.notices]
    return case, templates


def _acknowledged(case: Case) -> Case:
    return lc.acknowledge(case, act(case.received_on), summary="x").case


def test_reminder_nudges_the_owner_or_the_team() -> None:
    case = _acknowledged(new_case(date(2025, 1, 6)))  # due 20 January; reminder 16 January
    assert due_checks(case, start_of_day(date(2025, 1, 16), 8)) == ()
    (check,) = due_checks(case, start_of_day(date(2025, 1, 16), 9))
    result = run_check(case, check.id, start_of_day(date(2025, 1, 16), 9))
    assert result.transition is not None
    (notice,) = result.transition.notices
    assert notice.to == (str(load_settings().complaints_team.email),)
    assert notice.context["due"] == date(2025, 1, 20)
    owned = lc.assign(case, STAFF, act(date(2025, 1, 7))).case
    notice = run_check(owned, check.id, at(date(2025, 1, 16))).transition.notices[0]  # type: ignore[union-attr]
    assert notice.to == (STAFF,)


def test_overdue_at_stage_1_alerts_and_tells_the_complainant() -> None:
    case = _acknowledged(new_case(date(2025, 1, 6)))  # due 20 January
    before, _ = _run_all(case, start_of_day(date(2025, 1, 20), 23))
    assert not is_overdue(before, date(2025, 1, 20))
    after, templates = _run_all(case, _midnight_after(date(2025, 1, 20)))
    assert is_overdue(after, date(2025, 1, 21))
    assert sorted(templates) == ["council_late", "overdue_alert"]  # no reminder once late
    check = next(c for c in checks_needed(case) if c.kind == "deadline")
    transition = run_check(case, check.id, _midnight_after(date(2025, 1, 20))).transition
    assert transition is not None
    staff, complainant = transition.notices
    contacts = {str(c.email) for c in load_settings().escalation_contacts}
    assert contacts <= set(staff.to)
    assert complainant.to == ("sam@example.org",)
    assert complainant.context["next_stage"] == 2
    assert complainant.context["ombudsman"] == "Local Government and Social Care Ombudsman"
    assert [e.type for e in transition.events] == ["overdue"]
    assert transition.case.checks_done == [check.id]


def test_checks_are_idempotent() -> None:
    case = new_case(date(2025, 1, 6))
    now = _midnight_after(date(2025, 1, 20))
    once, templates = _run_all(case, now)
    assert templates
    twice, more = _run_all(once, now + timedelta(days=3))
    assert more == []
    assert twice == once
    for check_id in once.checks_done:  # fired again by its schedule after the sweep ran it
        result = run_check(once, check_id, now)
        assert (result.ran, result.skipped) == (False, "already_ran")


def test_a_check_whose_stage_moved_on_does_nothing() -> None:
    case = new_case(date(2025, 1, 6))
    deadline = next(c for c in checks_needed(case) if c.kind == "deadline")
    answered = lc.respond(
        case,
        "upheld",
        act(date(2025, 1, 15)),
        letter=LETTER,
    ).case
    result = run_check(answered, deadline.id, _midnight_after(date(2025, 1, 20)))
    assert (result.ran, result.skipped) == (False, "not_needed")
    extended = lc.extend(case, 15, "complex", act(date(2025, 1, 8))).case
    result = run_check(extended, deadline.id, _midnight_after(date(2025, 1, 20)))
    assert (result.ran, result.skipped) == (False, "not_needed")  # the deadline moved


def test_a_check_that_is_not_due_does_nothing() -> None:
    case = new_case(date(2025, 1, 6))
    deadline = next(c for c in checks_needed(case) if c.kind == "deadline")
    result = run_check(case, deadline.id, start_of_day(date(2025, 1, 20), 23))
    assert (result.ran, result.skipped) == (False, "not_due")


def test_overdue_at_stage_2_offers_the_ombudsman_not_a_panel() -> None:
    case = _at_stage_2()
    due = add_working_days(date(2025, 1, 13), 25)
    assert case.stage.respond_by == due
    after, templates = _run_all(case, _midnight_after(due))
    assert is_overdue(after, due + timedelta(days=1))
    assert "council_late" in templates
    assert "overdue_alert" in templates
    check = next(c for c in checks_needed(case) if c.kind == "deadline")
    run = run_check(case, check.id, _midnight_after(due)).transition
    assert run is not None
    late = next(n for n in run.notices if n.template == "council_late")
    assert late.context["next_stage"] is None  # finish stage 2; the Ombudsman now
    assert not lc.can_request_next_stage(after, due + timedelta(days=1))


@pytest.mark.parametrize("milestone", ["panel_meeting", "panel_report", "response"])
def test_overdue_at_each_step_of_stage_3(milestone: str) -> None:
    case = lc.respond(
        _at_stage_2(),
        "not_upheld",
        act(date(2025, 2, 3)),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 2, 4), by=lc.COMPLAINANT)).case
    meeting = add_working_days(date(2025, 2, 4), 30)
    if milestone != "panel_meeting":
        case = lc.record_milestone(case, "panel_meeting", act(meeting)).case
    if milestone == "response":
        case = lc.record_milestone(case, "panel_report", act(meeting)).case
    check = next(c for c in checks_needed(case) if c.kind == "deadline" and c.subject == milestone)
    result = run_check(case, check.id, _midnight_after(check.about))
    assert result.transition is not None
    assert is_overdue(result.transition.case, check.about + timedelta(days=1))
    late = next(n for n in result.transition.notices if n.template == "council_late")
    assert late.context["next_stage"] is None  # the last stage: the Ombudsman is next
    assert [e.data["milestone"] for e in result.transition.events] == [milestone]


def test_overdue_at_corporate_stage_2() -> None:
    case = new_case(date(2025, 1, 6), procedure="corporate")
    case = lc.respond(
        case,
        "resolved",
        act(date(2025, 1, 15)),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 1, 16), by=lc.COMPLAINANT)).case
    due = case.stage.respond_by
    assert due is not None
    after, templates = _run_all(case, _midnight_after(due))
    assert is_overdue(after, due + timedelta(days=1))
    assert "council_late" in templates


def test_accepted_recommendation_past_due_alerts_until_complete() -> None:
    case = _at_stage_2()
    case = lc.recommend(case, "Train staff", STAFF, date(2025, 3, 31), act(date(2025, 2, 3))).case
    case = lc.answer_recommendation(
        case, "2.1", act(date(2025, 2, 4)), accept=True, action="Training day"
    ).case
    case = lc.respond(
        case,
        "upheld",
        act(date(2025, 2, 5)),
        letter=LETTER,
    ).case
    case = lc.close(case, act(date(2025, 3, 10))).case
    (check,) = checks_needed(case)
    assert check.kind == "recommendation_due"
    assert check.about == date(2025, 3, 31)
    overdue, templates = _run_all(case, datetime(2025, 4, 2, tzinfo=UTC))
    assert templates == ["recommendation_overdue"]
    assert overdue.recommendation("2.1").overdue(date(2025, 4, 2)) is True
    assert _run_all(overdue, datetime(2025, 4, 9, tzinfo=UTC))[1] == []
    done = lc.complete_recommendation(overdue, "2.1", act(date(2025, 4, 10)))
    assert done.case.recommendation("2.1").overdue(date(2025, 5, 1)) is True  # done late
    assert done.checks == ()
    assert done.notices[0].template == "recommendation_completed"


def test_a_late_request_waiting_for_a_decision_nudges_the_team() -> None:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    late = lc.request_next_stage(case, act(date(2025, 3, 3), by=lc.COMPLAINANT)).case
    after, templates = _run_all(late, start_of_day(date(2025, 3, 4)))
    assert templates == ["decision_reminder"]
    assert _run_all(after, start_of_day(date(2025, 3, 10)))[1] == []


def _at_stage_2() -> Case:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    return lc.request_next_stage(case, act(date(2025, 1, 13), by=lc.COMPLAINANT)).case


def test_an_unacknowledged_case_reminds_the_team_on_its_acknowledgement_deadline() -> None:
    case = new_case(date(2025, 1, 6))  # acknowledge by 9 January (3 working days)
    assert all(c.kind != "acknowledgement" for c in due_checks(case, at(date(2025, 1, 9), 8)))
    after, templates = _run_all(case, at(date(2025, 1, 9), 9))
    assert templates == ["acknowledgement_due"]
    run = run_check(case, "1#acknowledgement#acknowledgement#2025-01-09", at(date(2025, 1, 9)))
    assert run.transition is not None
    (notice,) = run.transition.notices
    assert notice.to == (str(load_settings().complaints_team.email),)
    assert notice.context["unassigned"] is True
    assert [e.type for e in run.transition.events] == ["acknowledgement_due"]
    owned = lc.assign(case, STAFF, act(date(2025, 1, 7))).case
    again = run_check(owned, "1#acknowledgement#acknowledgement#2025-01-09", at(date(2025, 1, 9)))
    assert again.transition is not None
    assert again.transition.notices[0].to == (STAFF,)
    assert _run_all(after, at(date(2025, 1, 10)))[1] == []


def test_an_acknowledged_case_has_no_acknowledgement_check() -> None:
    case = _acknowledged(new_case(date(2025, 1, 6)))
    assert all(c.kind != "acknowledgement" for c in checks_needed(case))


def test_a_hold_is_reviewed_on_its_review_date() -> None:
    case = _acknowledged(new_case(date(2025, 1, 6)))
    held = lc.hold(
        case, act(date(2025, 1, 8)), grounds="court_proceedings", reason="x",
        review_on=date(2025, 2, 10),
    ).case  # fmt: skip
    assert [c.kind for c in checks_needed(held)] == ["hold_review"]
    after, templates = _run_all(held, at(date(2025, 2, 10)))
    assert templates == ["hold_review_due"]
    assert _run_all(after, at(date(2025, 2, 11)))[1] == []
    reviewed = lc.decide_proceedings(
        after, act(date(2025, 2, 10)), hold=True, grounds="court_proceedings",
        reasons="Hearing in March", review_on=date(2025, 3, 10),
    ).case  # fmt: skip
    assert [c.about for c in checks_needed(reviewed)] == [date(2025, 3, 10)]


def test_a_decision_waiting_reminds_on_the_acknowledgement_deadline() -> None:
    from complaints.models import Decision

    case = _acknowledged(new_case(date(2025, 1, 6)))
    case.decisions.append(Decision(kind="sufficient_interest"))
    _, templates = _run_all(case, at(date(2025, 1, 9)))
    assert templates == ["decision_reminder"]
    run = run_check(
        case, "1#sufficient_interest#decision_reminder#2025-01-09", at(date(2025, 1, 9))
    )
    assert run.transition is not None
    assert run.transition.notices[0].context["decision"] == "sufficient_interest"
