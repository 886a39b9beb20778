"""The stages as a state machine run by the procedure data (pure: no AWS)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from complaints.clock import add_working_days
from complaints.models import Case, CaseStatus, EventType
from complaints.procedures import get_procedure
from complaints.service import lifecycle as lc
from complaints.service.checks.plan import checks_needed
from complaints.service.deadlines import is_overdue, missed_milestones
from complaints.service.lifecycle import TransitionError
from tests.unit.lifecycle_fixtures import LETTER, OTHER_STAFF, STAFF, act, new_case

CHILDREN = get_procedure("children-act-1989")


def _acknowledge(case: Case, day: date) -> Case:
    return lc.acknowledge(case, act(day), summary="Contact visits keep being cancelled").case


def _answer_all(case: Case, day: date) -> Case:
    for rec in case.recommendations:
        if rec.response is None:
            case = lc.answer_recommendation(
                case, rec.id, act(day), accept=True, action="Review contact plans monthly"
            ).case
    return case


def test_whole_journey_to_a_closed_stage_3() -> None:
    case = new_case(date(2025, 1, 6))
    assert case.stage.respond_by == date(2025, 1, 20)  # 10 working days

    case = _acknowledge(case, date(2025, 1, 7))
    case = lc.assign(case, "Jo.Adams@example.gov.uk", act(date(2025, 1, 7))).case
    assert case.owner == "Jo.Adams@example.gov.uk"
    step = lc.respond(
        case,
        "not_upheld",
        act(date(2025, 1, 17)),
        themes=["contact"],
        learning="x",
        letter=LETTER,
    )
    case = step.case
    assert case.status == CaseStatus.RESPONDED
    assert case.stage.responded_in_time is True
    assert step.checks == ()  # nothing to chase once the stage has answered
    assert [n.template for n in step.notices] == ["responded"]
    assert step.notices[0].context["ask_by"] == date(2025, 2, 14)  # 20 working days

    # Stage 2 asked for in time: its clock counts 25 working days from the request.
    step = lc.request_next_stage(
        case, act(date(2025, 2, 3), by=lc.COMPLAINANT), statement_agreed_on=date(2025, 2, 3)
    )
    case = step.case
    assert (case.stage.number, case.status) == (2, CaseStatus.OPEN)
    assert case.stage.requested_on == date(2025, 2, 3)
    assert case.stage.statement_agreed_on == date(2025, 2, 3)
    assert case.stage.respond_by == add_working_days(date(2025, 2, 3), 25) == date(2025, 3, 10)
    assert [e.type for e in step.events] == ["next_stage_requested", "stage_started"]
    assert {n.template for n in step.notices} == {"stage_requested", "stage_requested_team"}
    roles = {"investigating_officer": "A. Officer", "independent_person": "B. Person"}
    case = lc.assign_roles(case, roles, act(date(2025, 2, 4))).case
    assert case.stage.roles == roles
    case = lc.recommend(
        case, "Write a contact plan", STAFF, date(2025, 4, 30), act(date(2025, 3, 3))
    ).case
    case = _answer_all(case, date(2025, 3, 5))
    case = lc.respond(
        case,
        "partly_upheld",
        act(date(2025, 3, 6)),
        letter=LETTER,
    ).case
    assert case.status == CaseStatus.RESPONDED

    # Stage 3: panel within 30 working days, report 5 after it, response 15 after the report.
    case = lc.request_next_stage(
        case, act(date(2025, 3, 20), by=lc.COMPLAINANT), reason="Still unhappy"
    ).case
    assert case.stage.number == 3
    checks = {c.id for c in checks_needed(case)}
    panel_due = add_working_days(date(2025, 3, 20), 30)
    assert f"3#panel_meeting#deadline#{panel_due}" in checks
    with pytest.raises(TransitionError, match="Record 'Review panel meets'"):
        lc.respond(
            case,
            "upheld",
            act(date(2025, 4, 10)),
            letter=LETTER,
        )
    case = lc.record_milestone(case, "panel_meeting", act(date(2025, 4, 28))).case
    case = lc.recommend(
        case, "Apologise in writing", STAFF, date(2025, 6, 30), act(date(2025, 4, 28))
    ).case
    case = lc.record_milestone(case, "panel_report", act(date(2025, 5, 2))).case
    assert case.stage.respond_by == add_working_days(date(2025, 5, 2), 15)
    case = _answer_all(case, date(2025, 5, 6))
    step = lc.respond(
        case,
        "upheld",
        act(date(2025, 5, 9)),
        compensation_pence=25000,
        letter=LETTER,
    )
    case = step.case
    assert step.notices[0].context["next_stage"] is None
    assert step.notices[0].context["recommendations"][0]["id"] == "3.1"
    with pytest.raises(TransitionError, match="last stage"):
        lc.request_next_stage(case, act(date(2025, 5, 12), by=lc.COMPLAINANT))

    step = lc.close(case, act(date(2025, 5, 12)))
    case = step.case
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == date(2025, 5, 12)
    assert case.expires_at == int(datetime(2031, 5, 12, tzinfo=UTC).timestamp())  # 6 years
    assert case.compensation_pence == 25000
    # Accepted actions are still tracked after closure, until complete.
    assert [c.kind for c in step.checks] == ["recommendation_due", "recommendation_due"]
    case = lc.complete_recommendation(case, "2.1", act(date(2025, 5, 20))).case
    case = lc.complete_recommendation(case, "3.1", act(date(2025, 5, 21))).case
    assert checks_needed(case) == ()
    with pytest.raises(TransitionError, match="was closed on 12 May 2025"):
        lc.hold(case, act(date(2025, 5, 22)), grounds="other", reason="x")


def test_every_change_is_an_event_with_who_when_and_why() -> None:
    case = new_case()
    step = lc.hold(
        case, act(date(2025, 1, 8)), grounds="police_investigation", reason="Police said so"
    )
    (event,) = step.events
    assert (event.type, event.by, event.reason) == ("held", STAFF, "Police said so")
    assert event.at == event.recorded_at
    assert event.at.tzinfo is not None
    assert event.data["stage"] == 1
    assert step.case.last_action is not None
    assert step.case.last_action.type == EventType.HELD
    assert case.status == CaseStatus.OPEN  # the input is never changed


# --- acknowledgement -------------------------------------------------------------------------


def test_acknowledgement_records_what_was_understood_and_tells_the_complainant() -> None:
    step = lc.acknowledge(
        new_case(),
        act(date(2025, 1, 7)),
        summary="Visits cancelled at short notice",
        outcome_sought="A written contact plan",
        how="phone",
    )
    case = step.case
    assert case.acknowledged_on == case.stage.acknowledged_on == date(2025, 1, 7)
    assert case.stage.acknowledgement == "Visits cancelled at short notice"
    assert case.stage.outcome_understood == "A written contact plan"
    (notice,) = step.notices
    assert notice.template == "acknowledged"
    assert notice.context["respond_by"] == date(2025, 1, 20)
    assert all(c.kind != "acknowledgement" for c in step.checks)
    with pytest.raises(TransitionError, match="already acknowledged on 7 January 2025"):
        _acknowledge(case, date(2025, 1, 8))


def test_acknowledgement_needs_what_was_understood_and_a_known_way() -> None:
    with pytest.raises(TransitionError, match="understand the complaint to be"):
        lc.acknowledge(new_case(), act(date(2025, 1, 7)), summary="  ")
    with pytest.raises(TransitionError, match="phone, email, letter"):
        lc.acknowledge(new_case(), act(date(2025, 1, 7)), summary="x", how="carrier pigeon")


def test_an_unacknowledged_stage_has_a_check_on_its_acknowledgement_deadline() -> None:
    case = new_case(date(2025, 1, 6))  # acknowledge within 3 working days: 9 January
    check = next(c for c in checks_needed(case) if c.kind == "acknowledgement")
    assert check.about == date(2025, 1, 9)


# --- owner and roles -------------------------------------------------------------------------


def test_owner_and_roles_are_checked() -> None:
    with pytest.raises(TransitionError, match="work email"):
        lc.assign(new_case(), "Jo", act(date(2025, 1, 7)))
    with pytest.raises(TransitionError, match="Stage 1 has no role"):
        lc.assign_roles(new_case(), {"panel_chair": "X"}, act(date(2025, 1, 7)))
    with pytest.raises(TransitionError, match="at least one role"):
        lc.assign_roles(new_case(), {}, act(date(2025, 1, 7)))


# --- extensions --------------------------------------------------------------------------------


def test_extension_up_to_the_maximum_with_a_reason() -> None:
    case = new_case(date(2025, 1, 6))
    step = lc.extend(
        case, 20, "Arranging an advocate", act(date(2025, 1, 10)), grounds="advocate_needed"
    )
    assert step.case.stage.respond_by == date(2025, 2, 3)
    assert step.case.stage.extension_grounds == "advocate_needed"
    assert step.notices[0].context["respond_by"] == date(2025, 2, 3)
    assert {c.about for c in step.checks if c.kind == "deadline"} == {date(2025, 2, 3)}
    assert step.events[0].data["previous_respond_by"] == "2025-01-20"


def test_extension_past_the_maximum_is_refused() -> None:
    with pytest.raises(TransitionError, match=r"at most 20 working days .*reg 14.*; 21 asked"):
        lc.extend(new_case(), 21, "complex", act(date(2025, 1, 8)))


def test_extension_needs_a_reason_a_known_ground_and_to_be_longer() -> None:
    case = new_case(date(2025, 1, 6))
    with pytest.raises(TransitionError, match="reason"):
        lc.extend(case, 15, "  ", act(date(2025, 1, 8)))
    with pytest.raises(TransitionError, match="The grounds are: complex, advocate needed"):
        lc.extend(case, 15, "busy", act(date(2025, 1, 8)), grounds="workload")
    with pytest.raises(TransitionError, match="must be longer"):
        lc.extend(case, 10, "complex", act(date(2025, 1, 8)))
    extended = lc.extend(case, 15, "complex", act(date(2025, 1, 8))).case
    with pytest.raises(TransitionError, match="already allows 15 working days"):
        lc.extend(extended, 14, "complex", act(date(2025, 1, 9)))
    with pytest.raises(TransitionError, match="already allows 15 working days"):
        lc.extend(extended, 15, "complex", act(date(2025, 1, 9)))
    assert lc.extend(extended, 16, "complex", act(date(2025, 1, 9))).case.stage.extended_to == 16


def test_an_extension_can_be_agreed_on_the_deadline_day_but_not_after_it() -> None:
    case = new_case(date(2025, 1, 6))  # due 20 January
    on_the_day = lc.extend(case, 15, "complex", act(date(2025, 1, 20), 16))
    assert on_the_day.case.stage.respond_by == add_working_days(date(2025, 1, 6), 15)
    with pytest.raises(TransitionError, match=r"20 January 2025, has passed.*response"):
        lc.extend(case, 20, "complex", act(date(2025, 1, 21)))


def test_a_back_dated_extension_agreed_in_time_counts() -> None:
    # Agreed by phone on 17 January, written down on 22 January, after the first deadline.
    case = new_case(date(2025, 1, 6))
    step = lc.extend(case, 15, "complex", act(date(2025, 1, 17), recorded=date(2025, 1, 22)))
    event = step.events[0]
    assert event.at < event.recorded_at  # visible as a late entry
    assert not is_overdue(step.case, date(2025, 1, 22))


def test_stage_3_response_cannot_be_extended() -> None:
    case = _at_stage_3()
    with pytest.raises(TransitionError, match=r"cannot be extended.*reg 21"):
        lc.extend(case, 20, "complex", act(case.stage.started_on))


# --- holds -------------------------------------------------------------------------------------


def test_hold_across_a_bank_holiday_moves_the_deadline_by_working_days() -> None:
    # Received Monday 19 May 2025: due 3 June. On hold Friday 23 May to Friday 30 May:
    # 4 working days (Monday 26 May is the spring bank holiday).
    case = new_case(date(2025, 5, 19))
    assert case.stage.respond_by == date(2025, 6, 3)
    held = lc.hold(case, act(date(2025, 5, 23)), grounds="court_proceedings", reason="x").case
    assert held.status == CaseStatus.ON_HOLD
    assert {c.kind for c in checks_needed(held)} == {"acknowledgement", "hold_review"}
    with pytest.raises(TransitionError, match="on hold since 23 May 2025"):
        lc.respond(
            held,
            "upheld",
            act(date(2025, 5, 27)),
            letter=LETTER,
        )
    with pytest.raises(TransitionError, match="on hold"):
        lc.hold(held, act(date(2025, 5, 27)), grounds="other", reason="again")
    step = lc.resume(held, act(date(2025, 5, 30)))
    assert step.case.status == CaseStatus.OPEN
    assert step.case.stage.respond_by == date(2025, 6, 9)
    assert step.events[0].data["days_on_hold"] == 4
    assert {c.id for c in step.checks if c.kind != "acknowledgement"} == {
        "1#response#reminder#2025-06-05",
        "1#response#deadline#2025-06-09",
    }
    with pytest.raises(TransitionError, match="Stage 1 is open"):
        lc.resume(step.case, act(date(2025, 6, 2)))


def test_a_hold_tells_the_complainant_its_grounds_and_review_date() -> None:
    step = lc.hold(
        new_case(date(2025, 1, 6)),
        act(date(2025, 1, 8)),
        grounds="police_investigation",
        reason="DC Smith asked us to wait",
    )
    (notice,) = step.notices
    assert notice.template == "held"
    assert "police are investigating" in notice.context["told"]
    assert "DC Smith" not in str(notice.context)  # the reason stays internal
    review = add_working_days(date(2025, 1, 8), 20)
    assert notice.context["review_on"] == review == step.case.stage.holds[-1].review_on
    check = next(c for c in step.checks if c.kind == "hold_review")
    assert check.about == review


def test_a_hold_needs_known_grounds_a_reason_and_a_review_date_after_it_starts() -> None:
    case = new_case(date(2025, 1, 6))
    with pytest.raises(TransitionError, match="The grounds are: court proceedings"):
        lc.hold(case, act(date(2025, 1, 8)), grounds="holiday", reason="x")
    with pytest.raises(TransitionError, match="reason"):
        lc.hold(case, act(date(2025, 1, 8)), grounds="other", reason=" ")
    with pytest.raises(TransitionError, match="review date must be after"):
        lc.hold(
            case, act(date(2025, 1, 8)), grounds="other", reason="x", review_on=date(2025, 1, 8)
        )


def test_a_hold_is_decided_before_the_deadline_not_after_it() -> None:
    case = new_case(date(2025, 1, 6))  # due 20 January
    assert lc.hold(case, act(date(2025, 1, 20)), grounds="other", reason="x").case.stage.on_hold
    with pytest.raises(TransitionError, match="has passed: a hold"):
        lc.hold(case, act(date(2025, 1, 21)), grounds="other", reason="x")


def test_two_holds_on_one_stage_both_count() -> None:
    case = new_case(date(2025, 1, 6))  # due 20 January
    case = lc.hold(case, act(date(2025, 1, 7)), grounds="other", reason="x").case
    case = lc.resume(case, act(date(2025, 1, 9))).case  # 2 working days
    case = lc.hold(case, act(date(2025, 1, 13)), grounds="other", reason="y").case
    case = lc.resume(case, act(date(2025, 1, 16))).case  # 3 working days
    assert len(case.stage.holds) == 2
    assert case.stage.respond_by == add_working_days(date(2025, 1, 20), 5)


def test_decide_proceedings_hold_stops_the_clock_with_reasons_told() -> None:
    step = lc.decide_proceedings(
        new_case(date(2025, 1, 6)),
        act(date(2025, 1, 8)),
        hold=True,
        grounds="court_proceedings",
        reasons="The family court is deciding contact",
    )
    assert step.case.status == CaseStatus.ON_HOLD
    assert [e.type for e in step.events] == ["proceedings_decided", "held"]
    (decision,) = step.case.decisions
    assert (decision.kind, decision.decision, decision.grounds) == (
        "proceedings",
        "hold",
        "court_proceedings",
    )
    assert step.notices[0].template == "held"
    assert step.notices[0].context["reasons"] == "The family court is deciding contact"


def test_decide_proceedings_proceed_goes_on_and_says_so() -> None:
    step = lc.decide_proceedings(
        new_case(date(2025, 1, 6)),
        act(date(2025, 1, 8)),
        hold=False,
        grounds="police_investigation",
        reasons="The police see no risk",
    )
    assert step.case.status == CaseStatus.OPEN
    assert step.notices[0].template == "proceedings_decided"
    assert step.notices[0].context["respond_by"] == date(2025, 1, 20)


def test_deciding_proceedings_on_a_held_case_reviews_the_hold() -> None:
    held = lc.hold(
        new_case(date(2025, 1, 6)), act(date(2025, 1, 8)), grounds="court_proceedings", reason="x"
    ).case
    kept = lc.decide_proceedings(
        held,
        act(date(2025, 2, 5)),
        hold=True,
        grounds="court_proceedings",
        reasons="Hearing adjourned",
        review_on=date(2025, 3, 5),
    )
    assert kept.case.status == CaseStatus.ON_HOLD
    assert kept.case.stage.holds[-1].review_on == date(2025, 3, 5)
    assert [e.type for e in kept.events] == ["proceedings_decided", "hold_reviewed"]
    ended = lc.decide_proceedings(
        held, act(date(2025, 2, 5)), hold=False, grounds="court_proceedings", reasons="Over"
    )
    assert ended.case.status == CaseStatus.OPEN
    assert [e.type for e in ended.events] == ["proceedings_decided", "resumed"]
    assert ended.notices[0].template == "resumed"


# --- the response ------------------------------------------------------------------------------


def test_respond_checks_outcome_and_themes_against_the_data() -> None:
    case = _at_stage_2()
    with pytest.raises(TransitionError, match="'resolved' is not an outcome of stage 2"):
        lc.respond(
            case,
            "resolved",
            act(case.stage.started_on),
            letter=LETTER,
        )
    with pytest.raises(TransitionError, match="Unknown theme"):
        lc.respond(
            case,
            "upheld",
            act(case.stage.started_on),
            themes=["weather"],
            letter=LETTER,
        )
    with pytest.raises(TransitionError, match="negative"):
        lc.respond(
            case,
            "upheld",
            act(case.stage.started_on),
            compensation_pence=-1,
            letter=LETTER,
        )


def test_a_late_response_stays_recorded_as_late() -> None:
    case = new_case(date(2025, 1, 6))  # due 20 January
    step = lc.respond(
        case,
        "upheld",
        act(date(2025, 1, 22)),
        letter=LETTER,
    )
    assert step.events[0].data["in_time"] is False
    assert step.case.stage.responded_in_time is False
    assert missed_milestones(CHILDREN, step.case.stage, date(2025, 6, 1)) == ["response"]
    assert not is_overdue(step.case, date(2025, 6, 1))  # answered: no longer overdue


def test_a_response_on_the_deadline_day_is_in_time() -> None:
    step = lc.respond(
        new_case(date(2025, 1, 6)),
        "upheld",
        act(date(2025, 1, 20), 17),
        letter=LETTER,
    )
    assert step.events[0].data["in_time"] is True
    assert missed_milestones(CHILDREN, step.case.stage, date(2025, 6, 1)) == []


def test_overdue_is_derived_from_the_deadline_in_force_and_today() -> None:
    case = new_case(date(2025, 1, 6))  # due 20 January
    assert not is_overdue(case, date(2025, 1, 20))
    assert is_overdue(case, date(2025, 1, 21))
    extended = lc.extend(case, 15, "complex", act(date(2025, 1, 10))).case
    assert not is_overdue(extended, date(2025, 1, 21))
    held = lc.hold(case, act(date(2025, 1, 10)), grounds="other", reason="x").case
    assert not is_overdue(held, date(2025, 3, 1))  # the clock has stopped


# --- the next stage ----------------------------------------------------------------------------


def test_asking_for_the_next_stage_while_the_council_is_in_time_is_refused() -> None:
    case = new_case(date(2025, 1, 6))
    with pytest.raises(TransitionError, match="until 20 January 2025"):
        lc.request_next_stage(case, act(date(2025, 1, 20), by=lc.COMPLAINANT))


def test_asking_for_stage_2_at_once_when_the_council_missed_stage_1() -> None:
    case = new_case(date(2025, 1, 6))
    assert not lc.can_request_next_stage(case, date(2025, 1, 20))
    assert lc.can_request_next_stage(case, date(2025, 1, 21))
    step = lc.request_next_stage(case, act(date(2025, 1, 21), by=lc.COMPLAINANT))
    assert step.case.stage.number == 2
    assert missed_milestones(CHILDREN, step.case.stages[0], date(2025, 1, 21)) == ["response"]
    assert step.case.stage.respond_by == add_working_days(date(2025, 1, 21), 25)
    assert step.events[0].data["council_missed_deadline"] is True


def test_a_late_stage_2_is_finished_not_skipped_and_the_ombudsman_is_offered() -> None:
    case = _at_stage_2()
    late = add_working_days(case.stage.respond_by or date.min, 1)
    assert is_overdue(case, late)
    assert not lc.can_request_next_stage(case, late)
    with pytest.raises(TransitionError, match=r"must finish stage 2.*Ombudsman"):
        lc.request_next_stage(case, act(late, by=lc.COMPLAINANT))


def test_a_request_on_the_last_day_of_its_window_is_in_time() -> None:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 17)),
        letter=LETTER,
    ).case
    assert lc.next_stage_deadline(case) == date(2025, 2, 14)  # 20 working days
    step = lc.request_next_stage(case, act(date(2025, 2, 14), by=lc.COMPLAINANT))
    assert (step.case.status, step.case.stage.number) == (CaseStatus.OPEN, 2)
    assert step.events[0].data["late"] is False


def test_a_late_request_waits_for_a_staff_decision_and_is_never_refused_automatically() -> None:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 17)),
        letter=LETTER,
    ).case
    step = lc.request_next_stage(
        case, act(date(2025, 2, 17), by=lc.COMPLAINANT), reason="I was in hospital"
    )
    late = step.case
    assert late.status == CaseStatus.AWAITING_DECISION
    assert late.stage.number == 1
    assert late.pending_request is not None
    assert late.pending_request.late
    assert [c.kind for c in step.checks] == ["decision_reminder"]
    assert step.notices[0].context["late"] is True
    with pytest.raises(TransitionError, match="waiting for a decision: decide it"):
        lc.request_next_stage(late, act(date(2025, 2, 18), by=lc.COMPLAINANT))
    with pytest.raises(TransitionError, match="decide it before you close it"):
        lc.close(late, act(date(2025, 2, 18)))
    with pytest.raises(TransitionError, match="reasons"):
        lc.decide_late_request(late, act(date(2025, 2, 18)), accept=True, reasons="")

    accepted = lc.decide_late_request(late, act(date(2025, 2, 19)), accept=True, reasons="Good")
    stage = accepted.case.stage
    assert (stage.number, stage.late_request, stage.started_on) == (2, True, date(2025, 2, 17))
    assert stage.late_request_decision == "Good"
    assert accepted.notices[0].context["accepted"] is True

    refused = lc.decide_late_request(late, act(date(2025, 2, 19)), accept=False, reasons="None")
    assert refused.case.status == CaseStatus.RESPONDED
    assert refused.case.stage.number == 1
    assert refused.case.requests[-1].decision == "refused"
    assert lc.close(refused.case, act(date(2025, 2, 20))).case.status == CaseStatus.CLOSED


def test_the_statement_of_complaint_is_agreed_after_the_request_and_not_in_the_future() -> None:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 17)),
        letter=LETTER,
    ).case
    with pytest.raises(TransitionError, match="statement of complaint"):
        lc.request_next_stage(case, act(date(2025, 2, 3)), statement_agreed_on=date(2025, 2, 1))
    with pytest.raises(TransitionError, match="statement of complaint"):
        lc.request_next_stage(case, act(date(2025, 2, 3)), statement_agreed_on=date(2025, 2, 4))


def test_a_closed_stage_1_case_can_still_go_to_stage_2() -> None:
    case = lc.respond(
        new_case(),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    closed = lc.close(case, act(date(2025, 1, 13))).case
    assert lc.can_request_next_stage(closed, date(2025, 1, 20))
    reopened = lc.request_next_stage(closed, act(date(2025, 1, 20), by=lc.COMPLAINANT)).case
    assert (reopened.status, reopened.stage.number) == (CaseStatus.OPEN, 2)
    assert reopened.closed_on is None
    assert reopened.expires_at is None


# --- recommendations ---------------------------------------------------------------------------


def test_stage_1_makes_no_recommendations() -> None:
    with pytest.raises(TransitionError, match="does not make recommendations"):
        lc.recommend(new_case(), "x", STAFF, date(2025, 6, 30), act(date(2025, 1, 7)))


def test_two_recommendations_in_one_stage_are_numbered_in_turn() -> None:
    case = _at_stage_2()
    day = case.stage.started_on
    case = lc.recommend(case, "Apologise", STAFF, date(2025, 6, 30), act(day)).case
    case = lc.recommend(case, "Train staff", STAFF, date(2025, 6, 30), act(day)).case
    assert [r.id for r in case.recommendations] == ["2.1", "2.2"]


def test_a_recommendation_is_due_on_or_after_the_day_it_is_made() -> None:
    case = _at_stage_2()
    day = case.stage.started_on
    with pytest.raises(TransitionError, match="due date is before"):
        lc.recommend(case, "x", STAFF, date(2025, 1, 1), act(day))
    assert lc.recommend(case, "x", STAFF, day, act(day)).case.recommendations[0].due_on == day


def test_closing_with_an_unanswered_recommendation_is_refused() -> None:
    case = _at_stage_2()
    case = lc.recommend(case, "Apologise", STAFF, date(2025, 6, 30), act(case.stage.started_on))
    case_ = case.case
    with pytest.raises(TransitionError, match=r"2\.1 not answered yet"):
        lc.respond(
            case_,
            "upheld",
            act(case_.stage.started_on),
            letter=LETTER,
        )
    with pytest.raises(TransitionError, match=r"2\.1 not answered yet"):
        lc.close(case_, act(case_.stage.started_on), reason="x", withdrawn=True)


def test_answering_a_recommendation_needs_an_action_or_reasons() -> None:
    case = _at_stage_2()
    day = case.stage.started_on
    case = lc.recommend(case, "Apologise", STAFF, date(2025, 6, 30), act(day)).case
    with pytest.raises(TransitionError, match="what the council will do"):
        lc.answer_recommendation(case, "2.1", act(day), accept=True)
    with pytest.raises(TransitionError, match="reasons"):
        lc.answer_recommendation(case, "2.1", act(day), accept=False)
    with pytest.raises(TransitionError, match=r"no recommendation '2\.9'"):
        lc.answer_recommendation(case, "2.9", act(day), accept=False, reasons="x")
    rejected = lc.answer_recommendation(case, "2.1", act(day), accept=False, reasons="Done")
    assert rejected.checks
    assert all(c.kind != "recommendation_due" for c in rejected.checks)
    with pytest.raises(TransitionError, match="rejected"):
        lc.complete_recommendation(rejected.case, "2.1", act(day))
    changed = lc.answer_recommendation(
        rejected.case, "2.1", act(day), accept=True, action="Apology sent"
    )
    assert changed.case.recommendation("2.1").response == "accepted"  # before the response
    responded = lc.respond(
        changed.case,
        "upheld",
        act(day),
        letter=LETTER,
    ).case
    assert responded.status == CaseStatus.RESPONDED


def test_an_action_is_not_completed_before_it_was_accepted() -> None:
    case = _at_stage_2()
    day = case.stage.started_on
    case = lc.recommend(case, "Apologise", STAFF, date(2025, 6, 30), act(day)).case
    case = lc.answer_recommendation(
        case, "2.1", act(date(2025, 1, 20)), accept=True, action="Letter"
    ).case
    with pytest.raises(TransitionError, match="not been answered"):
        lc.complete_recommendation(
            lc.recommend(case, "More", STAFF, date(2025, 6, 30), act(date(2025, 1, 20))).case,
            "2.2",
            act(date(2025, 1, 21)),
        )
    done = lc.complete_recommendation(case, "2.1", act(date(2025, 1, 21)), on=date(2025, 1, 21))
    assert done.case.recommendation("2.1").completed_on == date(2025, 1, 21)
    with pytest.raises(TransitionError, match="already completed on 21 January 2025"):
        lc.complete_recommendation(done.case, "2.1", act(date(2025, 1, 22)))


# --- milestones ----------------------------------------------------------------------------


def test_panel_dates_are_in_order_and_a_late_one_stays_recorded_as_late() -> None:
    case = _at_stage_3()
    start = case.stage.started_on
    with pytest.raises(TransitionError, match="Record 'Review panel meets' first"):
        lc.record_milestone(case, "panel_report", act(start))
    with pytest.raises(TransitionError, match="no milestone 'response'"):
        lc.record_milestone(case, "response", act(start))
    late_day = add_working_days(start, 31)
    late = lc.record_milestone(case, "panel_meeting", act(late_day))
    assert late.events[0].data["in_time"] is False
    assert missed_milestones(CHILDREN, late.case.stage, late_day) == ["panel_meeting"]
    with pytest.raises(TransitionError, match="already recorded"):
        lc.record_milestone(late.case, "panel_meeting", act(late_day))


# --- the Ombudsman and advocacy --------------------------------------------------------------


def test_ombudsman_and_advocacy_at_any_time() -> None:
    case = new_case()
    with pytest.raises(TransitionError, match="referred"):
        lc.record_ombudsman(case, act(date(2025, 1, 8)))
    case = lc.record_ombudsman(case, act(date(2025, 1, 8)), referred_on=date(2025, 1, 8)).case
    case = lc.record_ombudsman(
        case,
        act(date(2025, 3, 3)),
        outcome="fault found",
        remedy="apology",
        compensation_pence=30000,
    ).case
    assert case.ombudsman is not None
    assert (case.ombudsman.outcome, case.ombudsman.decided_on) == ("fault found", date(2025, 3, 3))
    assert case.compensation_pence == 30000
    assert lc.record_advocacy(case, True, act(date(2025, 3, 3))).case.advocacy_provided


def test_the_ombudsman_does_not_decide_before_the_referral() -> None:
    with pytest.raises(TransitionError, match="before the complaint was referred"):
        lc.record_ombudsman(
            new_case(date(2025, 1, 6)),
            act(date(2025, 3, 3)),
            referred_on=date(2025, 2, 3),
            outcome="no fault",
            decided_on=date(2025, 1, 20),
        )


# --- closing -----------------------------------------------------------------------------------


def test_closing_needs_a_response_or_a_withdrawal_with_reason() -> None:
    case = new_case()
    with pytest.raises(TransitionError, match="not been answered"):
        lc.close(case, act(date(2025, 1, 8)))
    with pytest.raises(TransitionError, match="withdrawn"):
        lc.close(case, act(date(2025, 1, 8)), withdrawn=True)
    closed = lc.close(case, act(date(2025, 1, 8)), withdrawn=True, reason="Resolved").case
    assert closed.closure_reason == "withdrawn"
    with pytest.raises(TransitionError, match="was closed"):
        lc.request_next_stage(closed, act(date(2025, 1, 30), by=lc.COMPLAINANT))


def test_closing_a_held_case_ends_its_hold() -> None:
    held = lc.hold(new_case(), act(date(2025, 1, 8)), grounds="other", reason="x").case
    closed = lc.close(held, act(date(2025, 1, 15)), withdrawn=True, reason="Withdrawn").case
    assert closed.status == CaseStatus.CLOSED
    assert closed.stage.holds[-1].ended_on == date(2025, 1, 15)
    assert checks_needed(closed) == ()


def test_retention_expiry_counts_years_from_closure_and_29_february_becomes_28() -> None:
    assert lc.retention_expiry(date(2024, 2, 29), 1) == int(
        datetime(2025, 2, 28, tzinfo=UTC).timestamp()
    )
    assert lc.retention_expiry(date(2024, 3, 1), 6) == int(
        datetime(2030, 3, 1, tzinfo=UTC).timestamp()
    )


# --- the corporate procedure (Complaint Handling Code) -----------------------------------------


def test_corporate_procedure_runs_from_its_own_data() -> None:
    case = new_case(date(2025, 1, 6), procedure="corporate")
    assert case.stage.respond_by == date(2025, 1, 20)
    ack = next(c for c in checks_needed(case) if c.kind == "acknowledgement")
    assert ack.about == add_working_days(date(2025, 1, 6), 5)  # the Code: 5 working days
    case = lc.respond(
        case,
        "resolved",
        act(date(2025, 1, 15), by=STAFF),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 1, 16), by=lc.COMPLAINANT)).case
    # Stage 2 counts 20 working days from its acknowledgement (at the latest its deadline).
    assert case.stage.respond_by == add_working_days(date(2025, 1, 16), 25)
    acknowledged = lc.acknowledge(case, act(date(2025, 1, 17), by=OTHER_STAFF), summary="x")
    assert acknowledged.case.stage.respond_by == add_working_days(date(2025, 1, 17), 20)
    with pytest.raises(TransitionError, match="at most 40"):
        lc.extend(acknowledged.case, 41, "complex", act(date(2025, 1, 20), by=OTHER_STAFF))
    case = lc.respond(
        acknowledged.case,
        "not_upheld",
        act(date(2025, 2, 3), by=OTHER_STAFF),
        letter=LETTER,
    )
    with pytest.raises(TransitionError, match=r"last stage.*Ombudsman"):
        lc.request_next_stage(case.case, act(date(2025, 2, 4), by=lc.COMPLAINANT))


def test_a_late_acknowledgement_buys_no_time_at_corporate_stage_2() -> None:
    case = new_case(date(2025, 1, 6), procedure="corporate")
    case = lc.respond(
        case,
        "resolved",
        act(date(2025, 1, 15)),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 1, 16), by=lc.COMPLAINANT)).case
    late = lc.acknowledge(case, act(date(2025, 2, 3), by=OTHER_STAFF), summary="x").case
    assert late.stage.respond_by == add_working_days(date(2025, 1, 16), 25)


def test_corporate_stage_2_is_refused_to_whoever_handled_stage_1() -> None:
    case = new_case(date(2025, 1, 6), procedure="corporate")
    case = lc.assign(case, STAFF, act(date(2025, 1, 7))).case
    case = lc.assign_roles(case, {"investigating_officer": "Pat Reed"}, act(date(2025, 1, 7)))
    case_ = lc.respond(
        case.case,
        "resolved",
        act(date(2025, 1, 15)),
        letter=LETTER,
    ).case
    case_ = lc.request_next_stage(case_, act(date(2025, 1, 16), by=lc.COMPLAINANT)).case
    with pytest.raises(TransitionError, match="handled stage 1"):
        lc.assign_roles(case_, {"reviewing_officer": "pat reed"}, act(date(2025, 1, 17)))
    with pytest.raises(TransitionError, match="handled stage 1"):
        lc.assign(case_, STAFF, act(date(2025, 1, 17)))
    with pytest.raises(TransitionError, match="handled stage 1"):
        lc.respond(
            case_,
            "upheld",
            act(date(2025, 1, 20), by=STAFF),
            letter=LETTER,
        )
    fresh = lc.assign(case_, OTHER_STAFF, act(date(2025, 1, 17))).case
    answered = lc.respond(
        fresh,
        "upheld",
        act(date(2025, 1, 20), by=OTHER_STAFF),
        letter=LETTER,
    ).case
    assert answered.status == CaseStatus.RESPONDED


def test_the_statutory_stage_2_may_be_run_by_the_stage_1_officer() -> None:
    case = lc.assign(new_case(), STAFF, act(date(2025, 1, 7))).case
    case = lc.respond(
        case,
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 1, 13), by=lc.COMPLAINANT)).case
    assert lc.assign(case, STAFF, act(date(2025, 1, 14))).case.owner == STAFF


def _at_stage_2() -> Case:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    return lc.request_next_stage(case, act(date(2025, 1, 13), by=lc.COMPLAINANT)).case


def _at_stage_3() -> Case:
    case = lc.respond(
        _at_stage_2(),
        "not_upheld",
        act(date(2025, 2, 3)),
        letter=LETTER,
    ).case
    return lc.request_next_stage(case, act(date(2025, 2, 4), by=lc.COMPLAINANT)).case


def test_a_payment_is_never_negative_nor_over_the_councils_limit() -> None:
    from complaints.settings import load_settings

    limit = load_settings().compensation_limit_pounds * 100
    case = new_case(date(2025, 1, 6))
    with pytest.raises(TransitionError, match="cannot be negative"):
        lc.respond(
            case,
            "upheld",
            act(date(2025, 1, 8)),
            compensation_pence=-1,
            letter=LETTER,
        )
    with pytest.raises(TransitionError, match="the council's limit"):
        lc.respond(
            case,
            "upheld",
            act(date(2025, 1, 8)),
            compensation_pence=limit + 1,
            letter=LETTER,
        )
    with pytest.raises(TransitionError, match="the council's limit"):
        lc.record_ombudsman(
            case, act(date(2025, 1, 8)), referred_on=date(2025, 1, 8), compensation_pence=limit + 1
        )
    paid = lc.respond(
        case,
        "upheld",
        act(date(2025, 1, 8)),
        compensation_pence=limit,
        letter=LETTER,
    )
    assert paid.case.compensation_pence == limit
