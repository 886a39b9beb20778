"""The stages as a state machine run by the procedure data (pure: no AWS)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from complaints.clock import add_working_days
from complaints.models import Case, CaseStatus
from complaints.service import lifecycle as lc
from complaints.service.lifecycle import TransitionError
from complaints.service.schedule import checks_needed
from tests.unit.lifecycle_fixtures import STAFF, at, new_case


def _answer_all(case: Case, day: date) -> Case:
    for rec in case.recommendations:
        if rec.response is None:
            case = lc.answer_recommendation(
                case, rec.id, True, STAFF, at(day), action="Review contact plans monthly"
            ).case
    return case


def test_whole_journey_to_a_closed_stage_3() -> None:
    case = new_case(date(2025, 1, 6))
    assert case.stage.respond_by == date(2025, 1, 20)  # 10 working days

    case = lc.acknowledge(case, STAFF, at(date(2025, 1, 7))).case
    case = lc.assign(case, "Jo.Adams@example.gov.uk", STAFF, at(date(2025, 1, 7))).case
    assert case.owner == "Jo.Adams@example.gov.uk"
    step = lc.respond(
        case, "not_upheld", STAFF, at(date(2025, 1, 17)), themes=["contact"], learning="x"
    )
    case = step.case
    assert case.status == CaseStatus.RESPONDED
    assert case.stage.responded_in_time is True
    assert step.checks == ()  # nothing to chase once the stage has answered
    assert [n.template for n in step.notices] == ["responded"]
    assert step.notices[0].context["ask_by"] == date(2025, 2, 14)  # 20 working days

    # Stage 2 asked for in time: its clock counts 25 working days from the request.
    step = lc.request_next_stage(case, at(date(2025, 2, 3)), statement_agreed_on=date(2025, 2, 5))
    case = step.case
    assert (case.stage.number, case.status) == (2, CaseStatus.OPEN)
    assert case.stage.requested_on == date(2025, 2, 3)
    assert case.stage.statement_agreed_on == date(2025, 2, 5)
    assert case.stage.respond_by == add_working_days(date(2025, 2, 3), 25) == date(2025, 3, 10)
    assert [e.type for e in step.events] == ["next_stage_requested", "stage_started"]
    assert {n.template for n in step.notices} == {"stage_requested", "stage_requested_team"}
    roles = {"investigating_officer": "A. Officer", "independent_person": "B. Person"}
    case = lc.assign_roles(case, roles, STAFF, at(date(2025, 2, 4))).case
    assert case.stage.roles == roles
    case = lc.recommend(
        case, "Write a contact plan", STAFF, date(2025, 4, 30), STAFF, at(date(2025, 3, 3))
    ).case
    case = _answer_all(case, date(2025, 3, 5))
    case = lc.respond(case, "partly_upheld", STAFF, at(date(2025, 3, 6))).case
    assert case.status == CaseStatus.RESPONDED

    # Stage 3: panel within 30 working days, report 5 after it, response 15 after the report.
    case = lc.request_next_stage(case, at(date(2025, 3, 20)), reason="Still unhappy").case
    assert case.stage.number == 3
    checks = {c.id for c in checks_needed(case)}
    panel_due = add_working_days(date(2025, 3, 20), 30)
    assert f"3#panel_meeting#deadline#{panel_due}" in checks
    with pytest.raises(TransitionError, match="Record 'Review panel meets'"):
        lc.respond(case, "upheld", STAFF, at(date(2025, 4, 10)))
    case = lc.record_panel_meeting(case, date(2025, 4, 28), STAFF, at(date(2025, 4, 28))).case
    case = lc.recommend(
        case, "Apologise in writing", STAFF, date(2025, 6, 30), STAFF, at(date(2025, 4, 28))
    ).case
    case = lc.record_panel_report(case, date(2025, 5, 2), STAFF, at(date(2025, 5, 2))).case
    assert case.stage.respond_by == add_working_days(date(2025, 5, 2), 15)
    case = _answer_all(case, date(2025, 5, 6))
    step = lc.respond(case, "upheld", STAFF, at(date(2025, 5, 9)), compensation_pence=25000)
    case = step.case
    assert step.notices[0].context["next_stage"] is None
    assert step.notices[0].context["recommendations"][0]["id"] == "3.1"
    with pytest.raises(TransitionError, match="last stage"):
        lc.request_next_stage(case, at(date(2025, 5, 12)))

    step = lc.close(case, STAFF, at(date(2025, 5, 12)))
    case = step.case
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == date(2025, 5, 12)
    assert case.expires_at == int(datetime(2031, 5, 12, tzinfo=UTC).timestamp())  # 6 years
    assert case.compensation_pence == 25000
    # Accepted actions are still tracked after closure, until complete.
    assert [c.kind for c in step.checks] == ["recommendation_due", "recommendation_due"]
    case = lc.complete_recommendation(case, "2.1", STAFF, at(date(2025, 5, 20))).case
    case = lc.complete_recommendation(case, "3.1", STAFF, at(date(2025, 5, 21))).case
    assert checks_needed(case) == ()
    with pytest.raises(TransitionError, match="closed"):
        lc.hold(case, "police", STAFF, at(date(2025, 5, 22)))


def test_every_change_is_an_event_with_who_and_why() -> None:
    case = new_case()
    step = lc.hold(case, "Police investigation", STAFF, at(date(2025, 1, 8)))
    (event,) = step.events
    assert (event.type, event.by, event.reason) == ("held", STAFF, "Police investigation")
    assert event.at.tzinfo is not None
    assert event.data["stage"] == 1
    assert case.status == CaseStatus.OPEN  # the input is never changed


def test_extension_up_to_the_maximum_with_a_reason() -> None:
    case = new_case(date(2025, 1, 6))
    step = lc.extend(case, 20, "Arranging an advocate", STAFF, at(date(2025, 1, 10)),
                     grounds="advocate_needed")  # fmt: skip
    assert step.case.stage.respond_by == date(2025, 2, 3)
    assert step.case.stage.extension_grounds == "advocate_needed"
    assert step.notices[0].context["respond_by"] == date(2025, 2, 3)
    assert {c.about for c in step.checks if c.kind == "deadline"} == {date(2025, 2, 3)}


def test_extension_past_the_maximum_is_refused() -> None:
    case = new_case()
    with pytest.raises(TransitionError, match=r"at most 20 working days .*reg 14.*; 21 asked"):
        lc.extend(case, 21, "complex", STAFF, at(date(2025, 1, 8)))


def test_extension_needs_a_reason_a_known_ground_and_to_be_agreed_in_time() -> None:
    case = new_case(date(2025, 1, 6))
    with pytest.raises(TransitionError, match="reason"):
        lc.extend(case, 15, "  ", STAFF, at(date(2025, 1, 8)))
    with pytest.raises(TransitionError, match="The grounds are: complex, advocate needed"):
        lc.extend(case, 15, "busy", STAFF, at(date(2025, 1, 8)), grounds="workload")
    with pytest.raises(TransitionError, match="must be longer"):
        lc.extend(case, 10, "complex", STAFF, at(date(2025, 1, 8)))
    with pytest.raises(TransitionError, match="has passed"):
        lc.extend(case, 20, "complex", STAFF, at(date(2025, 1, 21)))


def test_stage_3_response_cannot_be_extended() -> None:
    case = _at_stage_3()
    with pytest.raises(TransitionError, match=r"cannot be extended.*reg 21"):
        lc.extend(case, 20, "complex", STAFF, at(case.stage.started_on))


def test_hold_across_a_bank_holiday_moves_the_deadline_by_working_days() -> None:
    # Received Monday 19 May 2025: due 3 June. On hold Friday 23 May to Friday 30 May:
    # 4 working days (Monday 26 May is the spring bank holiday).
    case = new_case(date(2025, 5, 19))
    assert case.stage.respond_by == date(2025, 6, 3)
    held = lc.hold(case, "Court proceedings", STAFF, at(date(2025, 5, 23))).case
    assert held.status == CaseStatus.ON_HOLD
    assert checks_needed(held) == ()  # the clock has stopped: nothing to chase
    with pytest.raises(TransitionError, match="on hold"):
        lc.respond(held, "upheld", STAFF, at(date(2025, 5, 27)))
    with pytest.raises(TransitionError, match=r"on hold"):
        lc.hold(held, "again", STAFF, at(date(2025, 5, 27)))
    step = lc.resume(held, STAFF, at(date(2025, 5, 30)))
    assert step.case.status == CaseStatus.OPEN
    assert step.case.stage.respond_by == date(2025, 6, 9)
    assert step.events[0].data["days_on_hold"] == 4
    assert {c.id for c in step.checks} == {
        "1#response#reminder#2025-06-05",
        "1#response#deadline#2025-06-09",
    }
    with pytest.raises(TransitionError, match="not on hold"):
        lc.resume(step.case, STAFF, at(date(2025, 6, 2)))


def test_asking_for_the_next_stage_while_the_council_is_in_time_is_refused() -> None:
    case = new_case(date(2025, 1, 6))
    with pytest.raises(TransitionError, match="until 20 January 2025"):
        lc.request_next_stage(case, at(date(2025, 1, 20)))


def test_asking_at_once_when_the_council_missed_its_deadline() -> None:
    case = new_case(date(2025, 1, 6))
    assert not lc.can_request_next_stage(case, date(2025, 1, 20))
    assert lc.can_request_next_stage(case, date(2025, 1, 21))
    step = lc.request_next_stage(case, at(date(2025, 1, 21)))
    assert step.case.stage.number == 2
    assert step.case.stages[0].overdue is True
    assert step.case.stage.respond_by == add_working_days(date(2025, 1, 21), 25)
    assert step.events[0].data["council_missed_deadline"] is True


def test_a_late_request_waits_for_a_staff_decision_and_is_never_refused_automatically() -> None:
    case = new_case(date(2025, 1, 6))
    case = lc.respond(case, "not_upheld", STAFF, at(date(2025, 1, 17))).case
    # Window: 20 working days from 17 January = 14 February.
    step = lc.request_next_stage(case, at(date(2025, 2, 17)), reason="I was in hospital")
    late = step.case
    assert late.status == CaseStatus.AWAITING_DECISION
    assert late.stage.number == 1
    assert late.pending_request is not None
    assert late.pending_request.late
    assert [c.kind for c in step.checks] == ["decision_reminder"]
    assert step.notices[0].context["late"] is True
    with pytest.raises(TransitionError, match="already asked"):
        lc.request_next_stage(late, at(date(2025, 2, 18)))
    with pytest.raises(TransitionError, match="decide it first"):
        lc.close(late, STAFF, at(date(2025, 2, 18)))
    with pytest.raises(TransitionError, match="reasons"):
        lc.decide_late_request(late, True, "", STAFF, at(date(2025, 2, 18)))

    accepted = lc.decide_late_request(late, True, "Good reason", STAFF, at(date(2025, 2, 19)))
    stage = accepted.case.stage
    assert (stage.number, stage.late_request, stage.started_on) == (2, True, date(2025, 2, 17))
    assert stage.late_request_decision == "Good reason"
    assert accepted.notices[0].context["accepted"] is True

    refused = lc.decide_late_request(late, False, "No reason given", STAFF, at(date(2025, 2, 19)))
    assert refused.case.status == CaseStatus.RESPONDED
    assert refused.case.stage.number == 1
    assert refused.case.requests[-1].decision == "refused"
    assert lc.close(refused.case, STAFF, at(date(2025, 2, 20))).case.status == CaseStatus.CLOSED


def test_closing_with_an_unanswered_recommendation_is_refused() -> None:
    case = _at_stage_2()
    case = lc.recommend(
        case, "Apologise", STAFF, date(2025, 6, 30), STAFF, at(case.stage.started_on)
    ).case
    with pytest.raises(TransitionError, match=r"2\.1 not answered yet"):
        lc.respond(case, "upheld", STAFF, at(case.stage.started_on))
    with pytest.raises(TransitionError, match=r"2\.1 not answered yet"):
        lc.close(case, STAFF, at(case.stage.started_on), reason="x", withdrawn=True)


def test_answering_a_recommendation_needs_an_action_or_reasons() -> None:
    case = _at_stage_2()
    day = case.stage.started_on
    case = lc.recommend(case, "Apologise", STAFF, date(2025, 6, 30), STAFF, at(day)).case
    with pytest.raises(TransitionError, match="what the council will do"):
        lc.answer_recommendation(case, "2.1", True, STAFF, at(day))
    with pytest.raises(TransitionError, match="reasons"):
        lc.answer_recommendation(case, "2.1", False, STAFF, at(day))
    with pytest.raises(TransitionError, match=r"no recommendation '2\.9'"):
        lc.answer_recommendation(case, "2.9", False, STAFF, at(day), reasons="x")
    rejected = lc.answer_recommendation(case, "2.1", False, STAFF, at(day), reasons="Done already")
    assert rejected.checks
    assert all(c.kind != "recommendation_due" for c in rejected.checks)
    with pytest.raises(TransitionError, match="rejected"):
        lc.complete_recommendation(rejected.case, "2.1", STAFF, at(day))
    responded = lc.respond(rejected.case, "upheld", STAFF, at(day)).case
    with pytest.raises(TransitionError, match="cannot be changed"):
        lc.answer_recommendation(responded, "2.1", True, STAFF, at(day), action="x")


def test_stage_1_makes_no_recommendations() -> None:
    with pytest.raises(TransitionError, match="does not make recommendations"):
        lc.recommend(new_case(), "x", STAFF, date(2025, 6, 30), STAFF, at(date(2025, 1, 7)))


def test_respond_checks_outcome_and_themes_against_the_data() -> None:
    case = _at_stage_2()
    with pytest.raises(TransitionError, match="'resolved' is not an outcome of stage 2"):
        lc.respond(case, "resolved", STAFF, at(case.stage.started_on))
    with pytest.raises(TransitionError, match="Unknown theme"):
        lc.respond(case, "upheld", STAFF, at(case.stage.started_on), themes=["weather"])


def test_closing_needs_a_response_or_a_withdrawal_with_reason() -> None:
    case = new_case()
    with pytest.raises(TransitionError, match="not been answered"):
        lc.close(case, STAFF, at(date(2025, 1, 8)))
    with pytest.raises(TransitionError, match="withdrawn"):
        lc.close(case, STAFF, at(date(2025, 1, 8)), withdrawn=True)
    closed = lc.close(case, STAFF, at(date(2025, 1, 8)), withdrawn=True, reason="Resolved").case
    assert closed.closure_reason == "withdrawn"
    with pytest.raises(TransitionError, match="closed"):
        lc.request_next_stage(closed, at(date(2025, 1, 30)))


def test_a_closed_stage_1_case_can_still_go_to_stage_2() -> None:
    case = lc.respond(new_case(), "not_upheld", STAFF, at(date(2025, 1, 10))).case
    closed = lc.close(case, STAFF, at(date(2025, 1, 13))).case
    assert lc.can_request_next_stage(closed, date(2025, 1, 20))
    reopened = lc.request_next_stage(closed, at(date(2025, 1, 20))).case
    assert (reopened.status, reopened.stage.number) == (CaseStatus.OPEN, 2)
    assert reopened.closed_on is None
    assert reopened.expires_at is None


def test_acknowledge_once_per_stage() -> None:
    case = lc.acknowledge(new_case(), STAFF, at(date(2025, 1, 7))).case
    assert case.acknowledged_on == date(2025, 1, 7)
    with pytest.raises(TransitionError, match="already acknowledged on 7 January 2025"):
        lc.acknowledge(case, STAFF, at(date(2025, 1, 8)))


def test_owner_and_roles_are_checked() -> None:
    with pytest.raises(TransitionError, match="work email"):
        lc.assign(new_case(), "Jo", STAFF, at(date(2025, 1, 7)))
    with pytest.raises(TransitionError, match="Stage 1 has no role"):
        lc.assign_roles(new_case(), {"panel_chair": "X"}, STAFF, at(date(2025, 1, 7)))


def test_panel_dates_are_in_order_and_not_in_the_future() -> None:
    case = _at_stage_3()
    start = case.stage.started_on
    with pytest.raises(TransitionError, match="Record 'Review panel meets' first"):
        lc.record_panel_report(case, start, STAFF, at(start))
    with pytest.raises(TransitionError, match="future"):
        lc.record_panel_meeting(case, date(2030, 1, 1), STAFF, at(start))
    late_day = add_working_days(start, 31)
    late = lc.record_panel_meeting(case, late_day, STAFF, at(late_day))
    assert late.case.stage.overdue is True
    assert late.events[0].data["in_time"] is False


def test_ombudsman_and_advocacy_at_any_time() -> None:
    case = new_case()
    with pytest.raises(TransitionError, match="referred"):
        lc.record_ombudsman(case, STAFF, at(date(2025, 1, 8)))
    case = lc.record_ombudsman(case, STAFF, at(date(2025, 1, 8)), referred_on=date(2025, 1, 8)).case
    case = lc.record_ombudsman(
        case, STAFF, at(date(2025, 3, 3)), outcome="fault found", remedy="apology",
        compensation_pence=30000,
    ).case  # fmt: skip
    assert case.ombudsman is not None
    assert (case.ombudsman.outcome, case.ombudsman.decided_on) == ("fault found", date(2025, 3, 3))
    assert case.compensation_pence == 30000
    assert lc.record_advocacy(case, True, STAFF, at(date(2025, 3, 3))).case.advocacy_provided


def test_corporate_procedure_runs_from_its_own_data() -> None:
    case = new_case(date(2025, 1, 6), procedure="corporate")
    assert case.stage.respond_by == date(2025, 1, 20)
    case = lc.respond(case, "resolved", STAFF, at(date(2025, 1, 15))).case
    case = lc.request_next_stage(case, at(date(2025, 1, 16))).case
    assert case.stage.respond_by == add_working_days(date(2025, 1, 16), 20)
    with pytest.raises(TransitionError, match="at most 40"):
        lc.extend(case, 41, "complex", STAFF, at(date(2025, 1, 17)))
    case = lc.respond(case, "not_upheld", STAFF, at(date(2025, 2, 3))).case
    with pytest.raises(TransitionError, match=r"last stage.*Ombudsman"):
        lc.request_next_stage(case, at(date(2025, 2, 4)))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        lc.acknowledge(new_case(), STAFF, datetime(2025, 1, 7, 10))


def _at_stage_2() -> Case:
    case = lc.respond(new_case(date(2025, 1, 6)), "not_upheld", STAFF, at(date(2025, 1, 10))).case
    return lc.request_next_stage(case, at(date(2025, 1, 13))).case


def _at_stage_3() -> Case:
    case = lc.respond(_at_stage_2(), "not_upheld", STAFF, at(date(2025, 2, 3))).case
    return lc.request_next_stage(case, at(date(2025, 2, 4))).case


def test_a_stage_marked_overdue_by_its_check_can_be_escalated_at_once() -> None:
    # The check ran with the clock moved on (``checks run --now``): the mark is what counts.
    from complaints.service.checks import run_check

    case = new_case(date(2025, 1, 6))
    deadline = next(c for c in checks_needed(case) if c.kind == "deadline")
    marked = run_check(case, deadline.id, at(date(2025, 1, 21))).transition
    assert marked is not None
    assert lc.can_request_next_stage(marked.case, date(2025, 1, 10))
    step = lc.request_next_stage(marked.case, at(date(2025, 1, 10)))
    assert step.case.stage.number == 2
    assert step.case.stage.respond_by == add_working_days(date(2025, 1, 10), 25)
