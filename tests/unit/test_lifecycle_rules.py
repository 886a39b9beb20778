"""Rules of the lifecycle, each at its edge: the last day something is in time, the first day it
is late, the second of two, what an earlier stage leaves behind. Written where mutation testing
(``make mutation``) showed that no test told the rule from a near miss."""

from __future__ import annotations

import copy
from dataclasses import FrozenInstanceError
from datetime import UTC, date, datetime
from typing import Any

import pytest
import yaml

from complaints import procedures
from complaints.clock import add_working_days
from complaints.models import Case, CaseStatus, Decision
from complaints.procedures import PROCEDURES_FILE, ProceduresFile, get_procedure
from complaints.service import lifecycle as lc
from complaints.service.deadlines import (
    case_deadlines,
    is_overdue,
    missed_milestones,
    overdue_since,
)
from complaints.service.lifecycle import Act, TransitionError
from tests.unit.lifecycle_fixtures import LETTER, OTHER_STAFF, STAFF, act, new_case

RECEIVED = date(2025, 1, 6)  # a Monday; stage 1 is due on Monday 20 January
CHILDREN = get_procedure("children-act-1989")


def _at_stage_2(responded: date = date(2025, 1, 10), asked: date = date(2025, 1, 13)) -> Case:
    case = lc.respond(
        new_case(RECEIVED),
        "not_upheld",
        act(responded),
        letter=LETTER,
    ).case
    return lc.request_next_stage(case, act(asked, by=lc.COMPLAINANT)).case


def _at_stage_3() -> Case:
    case = lc.respond(
        _at_stage_2(),
        "not_upheld",
        act(date(2025, 2, 3)),
        letter=LETTER,
    ).case
    return lc.request_next_stage(case, act(date(2025, 2, 4), by=lc.COMPLAINANT)).case


# --- the stage and its response ---------------------------------------------------------------


def test_the_response_tells_the_complainant_which_stage_they_can_ask_for_next() -> None:
    step = lc.respond(
        new_case(RECEIVED),
        "not_upheld",
        act(date(2025, 1, 17)),
        letter=LETTER,
    )
    context = step.notices[0].context
    assert (context["next_stage"], context["next_stage_name"]) == (2, "Investigation")
    assert step.events[0].data["respond_by"] == "2025-01-20"


def test_stage_3_is_answered_only_after_the_panel_met_and_reported() -> None:
    """SI 2006/1738 regs 19-21: the panel meets, reports, then the council responds."""
    case = _at_stage_3()
    met = lc.record_milestone(case, "panel_meeting", act(date(2025, 3, 3))).case
    with pytest.raises(TransitionError, match="Record 'Panel sends its report and recomm"):
        lc.respond(
            met,
            "upheld",
            act(date(2025, 3, 4)),
            letter=LETTER,
        )


def test_a_panel_that_meets_early_or_on_its_last_day_meets_in_time() -> None:
    """reg 19(4): the panel meets within 30 working days of the request."""
    case = _at_stage_3()
    last_day = add_working_days(case.stage.started_on, 30)
    early = lc.record_milestone(case, "panel_meeting", act(date(2025, 2, 20)))
    on_the_day = lc.record_milestone(case, "panel_meeting", act(last_day))
    assert early.events[0].data["in_time"] is True
    assert on_the_day.events[0].data["in_time"] is True
    assert on_the_day.events[0].data["due"] == last_day.isoformat()


def test_what_a_stage_can_record_is_named_when_something_else_is_asked() -> None:
    with pytest.raises(TransitionError, match=r"no role 'panel chair'\. It has no named roles\."):
        lc.assign_roles(new_case(RECEIVED), {"panel_chair": "X"}, act(RECEIVED))
    with pytest.raises(
        TransitionError,
        match=r"Its roles are: investigating officer, independent person, adjudicating officer\.",
    ):
        lc.assign_roles(_at_stage_2(), {"panel_chair": "X"}, act(date(2025, 1, 14)))
    with pytest.raises(TransitionError, match=r"no milestone 'panel meeting'\. It has none to"):
        lc.record_milestone(new_case(RECEIVED), "panel_meeting", act(RECEIVED))
    with pytest.raises(TransitionError, match=r"Its milestones are: panel meeting, panel report\."):
        lc.record_milestone(_at_stage_3(), "hearing", act(date(2025, 2, 5)))


def test_the_case_is_acknowledged_when_its_first_stage_is_not_a_later_one() -> None:
    """The case's acknowledgement date (what the annual report counts) is stage 1's."""
    stage_2 = _at_stage_2()
    assert stage_2.acknowledged_on is None  # stage 1 was answered without one
    acknowledged = lc.acknowledge(stage_2, act(date(2025, 1, 14)), summary="x").case
    assert acknowledged.stage.acknowledged_on == date(2025, 1, 14)
    assert acknowledged.acknowledged_on is None


# --- decisions the complaint waits for ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "command"),
    [
        ("late_complaint", "decide-late-complaint"),
        ("sufficient_interest", "decide-sufficient-interest"),
    ],
)
def test_a_complaint_is_not_answered_while_an_eligibility_decision_waits(
    kind: str, command: str
) -> None:
    """reg 9(2) and s26(3)(e): the decision comes first, in writing with reasons."""
    case = new_case(RECEIVED)
    case.decisions.append(Decision(kind=kind))  # type: ignore[arg-type]
    with pytest.raises(TransitionError, match=f"Decide the .* question first \\({command}\\)"):
        lc.respond(
            case,
            "upheld",
            act(date(2025, 1, 8)),
            letter=LETTER,
        )
    decide = lc.decide_late_complaint if kind == "late_complaint" else lc.decide_sufficient_interest
    decided = decide(case, act(date(2025, 1, 8)), accept=True, reasons="Good reason").case
    answered = lc.respond(
        decided,
        "upheld",
        act(date(2025, 1, 9)),
        letter=LETTER,
    )
    assert answered.case.status == CaseStatus.RESPONDED


def test_a_decision_to_go_on_while_proceedings_run_does_not_hold_up_the_response() -> None:
    case = lc.decide_proceedings(
        new_case(RECEIVED), act(date(2025, 1, 8)), hold=False, grounds="other", reasons="No risk"
    ).case
    assert (
        lc.respond(
            case,
            "upheld",
            act(date(2025, 1, 9)),
            letter=LETTER,
        ).case.status
        == CaseStatus.RESPONDED
    )


# --- independence from the stage before (data, not code) ---------------------------------------


@pytest.fixture
def every_stage_independent(monkeypatch: pytest.MonkeyPatch) -> None:
    """The statutory procedure as a council might write it, with every stage marked
    ``independent_of_previous_stage`` (the first has no stage before it)."""
    data: dict[str, Any] = yaml.safe_load(PROCEDURES_FILE.read_text(encoding="utf-8"))
    children = copy.deepcopy(data["procedures"][0])
    for stage in children["stages"]:
        stage["independent_of_previous_stage"] = True
    loaded = ProceduresFile.model_validate({"procedures": [children]}).by_id()
    monkeypatch.setattr(procedures, "load_procedures", lambda: loaded)


@pytest.mark.usefixtures("every_stage_independent")
def test_an_independent_stage_is_refused_to_whoever_handled_the_stage_just_before_it() -> None:
    case = lc.assign(new_case(RECEIVED), STAFF, act(RECEIVED)).case  # no stage before stage 1
    case = lc.respond(
        case,
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 1, 13), by=lc.COMPLAINANT)).case
    with pytest.raises(TransitionError, match="handled stage 1"):
        lc.assign(case, STAFF, act(date(2025, 1, 13)))
    case = lc.assign(case, OTHER_STAFF, act(date(2025, 1, 13))).case
    case = lc.respond(
        case,
        "not_upheld",
        act(date(2025, 2, 3), by=OTHER_STAFF),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 2, 4), by=lc.COMPLAINANT)).case
    with pytest.raises(TransitionError, match="handled stage 2"):
        lc.assign(case, OTHER_STAFF, act(date(2025, 2, 4)))
    # Stage 3 is independent of stage 2, not of stage 1.
    assert lc.assign(case, STAFF, act(date(2025, 2, 4))).case.owner == STAFF


# --- eligibility: a late complaint (reg 9), sufficient interest (s26(3)(e)) -------------------


def test_a_complaint_on_the_last_day_of_the_time_limit_is_in_time() -> None:
    """reg 9(1): within 12 months; counted to the end of the month a year on."""
    from complaints.service.lifecycle.eligibility import decisions_waiting
    from complaints.submission import Relationship

    last_day = date(2025, 1, 31)  # a matter of January 2024
    parent = Relationship.PARENT
    assert decisions_waiting("children-act-1989", last_day, parent, "2024-01") == []
    (late,) = decisions_waiting("children-act-1989", date(2025, 2, 1), parent, "2024-01")
    assert late.kind == "late_complaint"


def _waiting(kind: str) -> Case:
    case = new_case(RECEIVED)
    case.decisions.append(Decision(kind=kind))  # type: ignore[arg-type]
    return case


def test_someone_is_refused_sufficient_interest_only_with_the_childs_views_recorded() -> None:
    """s26(3)(e): the decision takes the child's views into account."""
    case = _waiting("sufficient_interest")
    with pytest.raises(TransitionError, match="Record the child's views"):
        lc.decide_sufficient_interest(case, act(date(2025, 1, 8)), accept=False, reasons="No link")
    refused = lc.decide_sufficient_interest(
        case,
        act(date(2025, 1, 8)),
        accept=False,
        reasons="No link to the child",
        child_views="Alex does not know them",
    )
    (decision,) = refused.case.decisions
    assert (decision.decision, decision.child_views) == ("refused", "Alex does not know them")
    assert refused.events[0].data["child_views_taken"] is True
    accepted = lc.decide_sufficient_interest(
        case, act(date(2025, 1, 8)), accept=True, reasons="Grandmother who looks after Alex"
    )
    assert accepted.case.decisions[0].decision == "accepted"
    assert accepted.events[0].data["child_views_taken"] is False


def test_a_late_complaint_is_refused_or_accepted_with_reasons_and_the_complainant_told() -> None:
    """reg 9(2): a late complaint may still be considered; refused, the case closes and the
    complainant is told why and about the Ombudsman."""
    case = _waiting("late_complaint")
    refused = lc.decide_late_complaint(
        case, act(date(2025, 1, 8)), accept=False, reasons="Cannot be looked at fairly now"
    )
    assert refused.case.status == CaseStatus.CLOSED
    assert refused.case.closure_reason == "late_complaint_not_accepted"
    decided, closed = refused.events
    assert decided.data["decision"] == "refused"
    assert (closed.type, closed.data["withdrawn"]) == ("closed", False)
    assert closed.data["closure"] == "late_complaint_not_accepted"
    (told,) = refused.notices
    assert (told.context["accepted"], told.context["respond_by"]) == (False, None)

    accepted = lc.decide_late_complaint(
        case, act(date(2025, 1, 8)), accept=True, reasons="They were in hospital"
    )
    assert accepted.case.status == CaseStatus.OPEN
    assert [e.type for e in accepted.events] == ["late_complaint_decided"]
    assert accepted.case.decisions[0].decision == "accepted"
    assert accepted.notices[0].context["respond_by"] == date(2025, 1, 20)


# --- asking for the next stage ------------------------------------------------------------------


def test_while_stage_1_runs_the_complainant_is_told_when_they_can_ask_for_stage_2() -> None:
    with pytest.raises(
        TransitionError,
        match=r"You can ask for stage 2 after that response, or straight away if the council "
        r"misses that date\.",
    ):
        lc.request_next_stage(new_case(RECEIVED), act(date(2025, 1, 8), by=lc.COMPLAINANT))


def test_while_stage_2_runs_there_is_no_asking_for_stage_3_straight_away() -> None:
    """A late stage 2 is put right by finishing stage 2, not by skipping to the panel."""
    with pytest.raises(TransitionError, match=r"You can ask for stage 3 after that response\.$"):
        lc.request_next_stage(_at_stage_2(), act(date(2025, 1, 14), by=lc.COMPLAINANT))


def test_a_request_in_time_starts_the_stage_asked_for_and_says_when_it_is_due() -> None:
    case = lc.respond(
        new_case(RECEIVED),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    step = lc.request_next_stage(case, act(date(2025, 1, 13), by=lc.COMPLAINANT))
    assert step.events[0].data["requested_stage"] == 2
    assert step.events[0].data["late"] is False
    for notice in step.notices:
        assert notice.context["late"] is False
        assert notice.context["respond_by"] == add_working_days(date(2025, 1, 13), 25)


def test_the_statement_of_complaint_may_be_agreed_between_the_request_and_today() -> None:
    """Stage 2 counts from the request; the statement's agreement date is kept too."""
    case = lc.respond(
        new_case(RECEIVED),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    asked = act(date(2025, 2, 3), recorded=date(2025, 2, 5))
    step = lc.request_next_stage(case, asked, statement_agreed_on=date(2025, 2, 4))
    assert (step.case.stage.requested_on, step.case.stage.statement_agreed_on) == (
        date(2025, 2, 3),
        date(2025, 2, 4),
    )


def test_who_can_ask_for_the_next_stage_now() -> None:
    responded = lc.respond(
        new_case(RECEIVED),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    assert lc.can_request_next_stage(responded, date(2025, 1, 13))
    held = lc.hold(new_case(RECEIVED), act(date(2025, 1, 8)), grounds="other", reason="x").case
    assert not lc.can_request_next_stage(held, date(2025, 3, 3))  # the clock is stopped
    final = lc.respond(
        _at_stage_3_with_panel_done(),
        "upheld",
        act(date(2025, 3, 20)),
        letter=LETTER,
    ).case
    assert not lc.can_request_next_stage(final, date(2025, 3, 21))  # the Ombudsman next


def test_a_complaint_withdrawn_after_its_response_does_not_go_on_to_the_next_stage() -> None:
    responded = lc.respond(
        new_case(RECEIVED),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    withdrawn = lc.close(
        responded, act(date(2025, 1, 13)), withdrawn=True, reason="Happy with the answer"
    ).case
    assert not lc.can_request_next_stage(withdrawn, date(2025, 1, 14))
    with pytest.raises(TransitionError, match=r"was closed\. Contact the complaints team"):
        lc.request_next_stage(withdrawn, act(date(2025, 1, 14), by=lc.COMPLAINANT))


def test_the_decision_on_a_late_request_tells_the_new_deadline_only_when_accepted() -> None:
    responded = lc.respond(
        new_case(RECEIVED),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    late = lc.request_next_stage(responded, act(date(2025, 3, 3), by=lc.COMPLAINANT)).case
    accepted = lc.decide_late_request(late, act(date(2025, 3, 4)), accept=True, reasons="Ill")
    assert accepted.notices[0].context["respond_by"] == add_working_days(date(2025, 3, 3), 25)
    refused = lc.decide_late_request(late, act(date(2025, 3, 4)), accept=False, reasons="None")
    assert refused.notices[0].context["respond_by"] is None


def _at_stage_3_with_panel_done() -> Case:
    case = _at_stage_3()
    case = lc.record_milestone(case, "panel_meeting", act(date(2025, 3, 3))).case
    return lc.record_milestone(case, "panel_report", act(date(2025, 3, 7))).case


# --- holds (reg 8) ----------------------------------------------------------------------------


def test_the_review_of_a_second_hold_changes_that_hold_not_the_first() -> None:
    case = new_case(RECEIVED)
    case = lc.hold(case, act(date(2025, 1, 7)), grounds="other", reason="x").case
    case = lc.resume(case, act(date(2025, 1, 9))).case
    case = lc.hold(case, act(date(2025, 1, 13)), grounds="other", reason="y").case
    first_review = case.stage.holds[0].review_on
    reviewed = lc.decide_proceedings(
        case,
        act(date(2025, 2, 3)),
        hold=True,
        grounds="police_investigation",
        reasons="The police asked for more time",
        review_on=date(2025, 3, 3),
    ).case
    first, second = reviewed.stage.holds
    assert (first.grounds, first.review_on) == ("other", first_review)
    assert (second.grounds, second.review_on) == ("police_investigation", date(2025, 3, 3))


# --- recommendations ----------------------------------------------------------------------------


def _stage_2_with_recommendation(due_on: date) -> Case:
    case = _at_stage_2()
    case = lc.recommend(case, "Apologise", STAFF, due_on, act(date(2025, 1, 20))).case
    return lc.answer_recommendation(
        case, "2.1", act(date(2025, 1, 21)), accept=True, action="Letter of apology"
    ).case


@pytest.mark.parametrize(
    ("done", "in_time"),
    [(date(2025, 2, 27), True), (date(2025, 2, 28), True), (date(2025, 3, 3), False)],
    ids=["early", "on-the-due-day", "late"],
)
def test_an_action_done_by_its_due_date_is_in_time_and_a_late_one_is_not(
    done: date, in_time: bool
) -> None:
    case = _stage_2_with_recommendation(due_on=date(2025, 2, 28))
    step = lc.complete_recommendation(case, "2.1", act(done))
    assert step.events[0].data["in_time"] is in_time
    assert step.case.recommendation("2.1").overdue(date(2025, 6, 1)) is not in_time


def test_an_action_is_not_done_before_the_council_accepted_the_recommendation() -> None:
    case = _stage_2_with_recommendation(due_on=date(2025, 2, 28))  # accepted 21 January
    recorded_later = act(date(2025, 1, 22))
    with pytest.raises(TransitionError, match="before the last thing recorded"):
        lc.complete_recommendation(case, "2.1", recorded_later, on=date(2025, 1, 20))
    # A case stored before the lifecycle kept its last action is held to the same rule.
    case.last_action = None
    with pytest.raises(TransitionError, match="was accepted on 21 January 2025"):
        lc.complete_recommendation(case, "2.1", recorded_later, on=date(2025, 1, 20))
    same_day = lc.complete_recommendation(case, "2.1", recorded_later, on=date(2025, 1, 21))
    assert same_day.case.recommendation("2.1").completed_on == date(2025, 1, 21)


def test_a_recommendation_answered_in_an_earlier_stage_cannot_be_changed() -> None:
    """reg 21: the answer was given in that stage's response."""
    case = _stage_2_with_recommendation(due_on=date(2025, 6, 30))
    case = lc.respond(
        case,
        "upheld",
        act(date(2025, 2, 3)),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 2, 4), by=lc.COMPLAINANT)).case
    with pytest.raises(TransitionError, match="answered in the stage 2 response"):
        lc.answer_recommendation(case, "2.1", act(date(2025, 2, 5)), accept=False, reasons="x")


# --- the table's refusals ----------------------------------------------------------------------


def test_a_late_request_waiting_names_the_stage_it_asks_for() -> None:
    stage_1 = lc.respond(
        new_case(RECEIVED),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    stage_2 = lc.respond(
        _at_stage_2(),
        "not_upheld",
        act(date(2025, 2, 3)),
        letter=LETTER,
    ).case
    for case, asked in ((stage_1, 2), (stage_2, 3)):
        step = lc.request_next_stage(case, act(date(2025, 3, 17), by=lc.COMPLAINANT))
        assert step.case.status == CaseStatus.AWAITING_DECISION
        assert step.events[0].data["requested_stage"] == asked
        with pytest.raises(TransitionError, match=f"A late request for stage {asked} is waiting"):
            lc.close(step.case, act(date(2025, 3, 18)))


def test_a_held_case_names_the_day_its_latest_hold_began() -> None:
    case = new_case(RECEIVED)
    case = lc.hold(case, act(date(2025, 1, 7)), grounds="other", reason="x").case
    case = lc.resume(case, act(date(2025, 1, 9))).case
    case = lc.hold(case, act(date(2025, 1, 13)), grounds="other", reason="y").case
    with pytest.raises(TransitionError, match="on hold since 13 January 2025: resume it"):
        lc.respond(
            case,
            "upheld",
            act(date(2025, 1, 14)),
            letter=LETTER,
        )


def test_the_complainant_through_their_own_link_can_only_ask_for_the_next_stage_or_the_letter() -> (
    None
):
    from complaints.service.lifecycle.table import rule

    assert [a for a in lc.Action if rule(a).complainant] == [
        lc.Action.ESCALATE,
        lc.Action.SEND_RESPONSE_AGAIN,
    ]


def test_the_stage_2_response_points_to_the_review_panel() -> None:
    context = (
        lc.respond(
            _at_stage_2(),
            "not_upheld",
            act(date(2025, 2, 3)),
            letter=LETTER,
        )
        .notices[0]
        .context
    )
    assert (context["next_stage"], context["next_stage_name"]) == (3, "Review panel")


# --- derived deadlines (reg 13: whether time limits were met) ----------------------------------


def test_a_panel_that_met_early_is_not_missed_when_its_deadline_passes() -> None:
    case = _at_stage_3()
    met = lc.record_milestone(case, "panel_meeting", act(date(2025, 2, 20))).case
    panel_due = add_working_days(case.stage.started_on, 30)
    after = add_working_days(panel_due, 1)  # the report (5 days after the meeting) is late
    assert missed_milestones(CHILDREN, met.stage, after) == ["panel_report"]
    assert overdue_since(met, after) == add_working_days(date(2025, 2, 20), 5)


@pytest.mark.parametrize(
    ("responded", "missed"), [(date(2025, 1, 20), []), (date(2025, 1, 22), ["response"])]
)
def test_the_response_date_is_the_stages_own_even_where_the_milestones_omit_it(
    responded: date, missed: list[str]
) -> None:
    """Records that keep only ``responded_on`` (the demo data) are judged by it: an answer
    on the deadline day met it, a late one stays missed, and neither is overdue."""
    case = new_case(RECEIVED)  # due 20 January
    case.stage.responded_on = responded
    case.status = CaseStatus.RESPONDED
    assert "response" not in case.stage.actual
    assert missed_milestones(CHILDREN, case.stage, date(2025, 6, 1)) == missed
    assert not is_overdue(case, date(2025, 6, 1))


def test_what_the_lifecycle_hands_out_cannot_be_changed_by_whoever_receives_it() -> None:
    step = lc.assign(new_case(RECEIVED), STAFF, act(RECEIVED))
    with pytest.raises(FrozenInstanceError):
        step.case = new_case(RECEIVED)  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        act(RECEIVED).by = OTHER_STAFF  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        case_deadlines(step.case).respond_by = date(2025, 12, 31)  # type: ignore[misc]


# --- closing ------------------------------------------------------------------------------------


def test_closing_during_a_second_hold_ends_that_hold() -> None:
    case = new_case(RECEIVED)
    case = lc.hold(case, act(date(2025, 1, 7)), grounds="other", reason="x").case
    case = lc.resume(case, act(date(2025, 1, 9))).case
    case = lc.hold(case, act(date(2025, 1, 13)), grounds="other", reason="y").case
    closed = lc.close(case, act(date(2025, 1, 15)), withdrawn=True, reason="Withdrawn").case
    first, second = closed.stage.holds
    assert (first.ended_on, second.ended_on) == (date(2025, 1, 9), date(2025, 1, 15))


@pytest.mark.parametrize(
    ("closed_on", "years", "expires"),
    [
        (date(2027, 3, 1), 6, date(2033, 3, 1)),
        (date(2028, 2, 29), 25, date(2053, 2, 28)),  # held longer for an inquiry
    ],
)
def test_the_record_expires_the_councils_number_of_years_after_closure(
    closed_on: date, years: int, expires: date
) -> None:
    expected = int(datetime(expires.year, expires.month, expires.day, tzinfo=UTC).timestamp())
    assert lc.retention_expiry(closed_on, years) == expected


# --- effective time -----------------------------------------------------------------------------


def test_an_action_dated_tomorrow_is_refused_as_in_the_future() -> None:
    case = _stage_2_with_recommendation(due_on=date(2025, 2, 28))
    with pytest.raises(TransitionError, match="is in the future"):
        lc.complete_recommendation(case, "2.1", act(date(2025, 1, 22)), on=date(2025, 1, 23))


def test_something_happening_as_it_is_recorded_has_one_time() -> None:
    moment = datetime(2025, 1, 7, 10, tzinfo=UTC)
    now = Act.now(STAFF, moment)
    assert (now.by, now.at, now.recorded_at) == (STAFF, moment, moment)


def test_an_act_with_one_naive_time_is_refused() -> None:
    aware = datetime(2025, 1, 7, 10, tzinfo=UTC)
    naive = datetime(2025, 1, 7, 10)
    for at, recorded in ((aware, naive), (naive, aware)):
        with pytest.raises(ValueError, match="aware"):
            lc.acknowledge(new_case(RECEIVED), Act(STAFF, at, recorded), summary="x")


def test_an_entry_made_earlier_the_same_day_leaves_the_later_one_as_the_last_action() -> None:
    case = lc.acknowledge(new_case(RECEIVED), act(date(2025, 1, 8), 14), summary="x").case
    earlier = lc.assign(case, STAFF, act(date(2025, 1, 8), 9)).case
    assert earlier.last_action is not None
    assert earlier.last_action.type == "acknowledged"


def test_of_two_events_at_one_moment_the_later_written_is_the_last_action() -> None:
    step = lc.decide_proceedings(
        new_case(RECEIVED), act(date(2025, 1, 8)), hold=True, grounds="other", reasons="x"
    )
    assert [e.type for e in step.events] == ["proceedings_decided", "held"]
    assert step.case.last_action is not None
    assert step.case.last_action.type == "held"


def test_every_person_is_a_last_action_whatever_their_name_and_the_system_never() -> None:
    tariq = "tariq.khan@example.gov.uk"  # sorts after "system"
    case = lc.assign(new_case(RECEIVED), tariq, act(date(2025, 1, 7), by=tariq)).case
    assert case.last_action is not None
    assert case.last_action.type == "assigned"
    by_system = lc.record_advocacy(case, True, act(date(2025, 1, 8), by=lc.SYSTEM)).case
    assert by_system.last_action == case.last_action


# --- holds and extensions -----------------------------------------------------------------------


def test_a_holds_review_date_is_after_the_day_it_starts() -> None:
    with pytest.raises(TransitionError, match="review date must be after"):
        lc.hold(
            new_case(RECEIVED),
            act(date(2025, 1, 8)),
            grounds="other",
            reason="x",
            review_on=date(2025, 1, 7),
        )


def test_resuming_keeps_the_reason_given() -> None:
    held = lc.hold(new_case(RECEIVED), act(date(2025, 1, 8)), grounds="other", reason="x").case
    step = lc.resume(held, act(date(2025, 1, 10)), reason="  The trial has ended ")
    assert step.events[0].reason == "The trial has ended"
    assert lc.resume(held, act(date(2025, 1, 10)), reason="  ").events[0].reason is None


def test_at_stage_3_a_hold_is_decided_before_the_panel_deadline_in_force() -> None:
    """reg 19(4): the panel meets within 30 working days; a hold after that is too late."""
    case = _at_stage_3()
    panel_due = add_working_days(case.stage.started_on, 30)
    after_panel_due = add_working_days(panel_due, 1)
    with pytest.raises(TransitionError, match=rf"stage 3 \(Review panel meets\), {panel_due.day} "):
        lc.hold(case, act(after_panel_due), grounds="other", reason="x")
    met = lc.record_milestone(case, "panel_meeting", act(date(2025, 2, 20))).case
    report_due = add_working_days(date(2025, 2, 20), 5)
    held = lc.hold(met, act(report_due), grounds="other", reason="x")
    assert held.case.status == CaseStatus.ON_HOLD
    with pytest.raises(TransitionError, match=r"\(Panel sends its report"):
        lc.hold(met, act(add_working_days(report_due, 1)), grounds="other", reason="x")


# --- the Ombudsman -----------------------------------------------------------------------------


def test_the_ombudsman_may_decide_on_the_day_of_the_referral_and_its_remedy_is_kept() -> None:
    case = new_case(RECEIVED)
    referred = lc.record_ombudsman(case, act(date(2025, 2, 3)), referred_on=date(2025, 2, 3))
    decided = lc.record_ombudsman(
        referred.case, act(date(2025, 2, 3)), outcome="fault found", remedy="apology"
    ).case
    assert decided.ombudsman is not None
    assert (decided.ombudsman.decided_on, decided.ombudsman.remedy) == (
        date(2025, 2, 3),
        "apology",
    )
    paid = lc.record_ombudsman(decided, act(date(2025, 2, 4)), compensation_pence=10000).case
    assert paid.ombudsman is not None
    assert paid.ombudsman.remedy == "apology"  # not given again: kept


def test_an_ombudsman_decision_date_can_be_recorded_on_its_own() -> None:
    referred = lc.record_ombudsman(
        new_case(RECEIVED), act(date(2025, 2, 3)), referred_on=date(2025, 2, 3)
    ).case
    dated = lc.record_ombudsman(referred, act(date(2025, 3, 10)), decided_on=date(2025, 3, 7))
    assert dated.case.ombudsman is not None
    assert dated.case.ombudsman.decided_on == date(2025, 3, 7)


def test_no_payment_is_negative_not_even_by_a_penny() -> None:
    with pytest.raises(TransitionError, match="cannot be negative"):
        lc.record_ombudsman(
            new_case(RECEIVED),
            act(date(2025, 2, 3)),
            referred_on=date(2025, 2, 3),
            compensation_pence=-1,
        )
