"""The demo year: realistic in shape, made only by the real lifecycle, deterministic, obviously
fake."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from complaints.clock import LONDON, financial_year, received_on
from complaints.models import SYSTEM_EVENTS, Case, CaseStatus, EventType
from complaints.procedures import get_procedure
from complaints.service.deadlines import deadlines_for, is_overdue
from complaints.service.lifecycle import COMPLAINANT, SYSTEM
from complaints.service.references import is_reference
from complaints.submission import Relationship
from complaints_tools.demo import FIRST_NAMES, STAFF, SURNAMES, DemoCase, generate_year, play_year

TODAY = date(2026, 11, 26)
START_OF_TODAY = datetime.combine(TODAY, time(0), LONDON)
INELIGIBLE = {"late_complaint_not_accepted", "no_sufficient_interest"}


@pytest.fixture(scope="module")
def played() -> list[DemoCase]:
    return play_year(2025, today=TODAY)


@pytest.fixture(scope="module")
def this_year() -> list[DemoCase]:
    """The financial year ``TODAY`` is in: not over yet."""
    return play_year(2026, today=TODAY)


@pytest.fixture(scope="module")
def year(played: list[DemoCase]) -> list[Case]:
    return [demo.case for demo in played]


def test_shaped_like_a_published_council_report(year: list[Case]) -> None:
    statutory = [c for c in year if c.procedure == "children-act-1989"]
    assert len(statutory) == 300
    assert 20 <= len(year) - len(statutory) <= 40  # triaged to the corporate procedure
    children = [
        c
        for c in statutory
        if c.complainant.relationship
        in (Relationship.CHILD_OR_YOUNG_PERSON, Relationship.CARE_LEAVER)
    ]
    assert 0.04 <= len(children) / len(statutory) <= 0.13  # the seed: 26 of 309
    assert 2 <= sum(1 for c in children if c.advocacy_provided) <= 15  # the seed: 8
    escalated = sum(1 for c in statutory if len(c.stages) > 1)
    assert 0.02 <= escalated / len(statutory) <= 0.08  # the seed: 4%
    assert any(len(c.stages) == 3 for c in statutory)
    acted = sum(1 for c in statutory if any(s.corrective_actions for s in c.stages))
    assert 0.25 <= acted / len(statutory) <= 0.5  # the seed: 119 of 309
    assert any(c.recommendations for c in statutory)
    assert any(c.ombudsman for c in statutory)
    assert sum(1 for c in statutory if is_overdue(c, TODAY)) >= 1


def test_every_case_is_consistent_with_the_procedure_and_the_clock(year: list[Case]) -> None:
    for case in year:
        procedure = get_procedure(case.procedure)
        assert financial_year(case.received_on) == 2025
        assert case.received_on < TODAY
        assert case.demo is True
        assert case.stages[0].started_on == case.received_on
        for before, after in zip(case.stages, case.stages[1:], strict=False):
            assert after.number == before.number + 1
            if before.responded_on is None:  # the council missed stage 1: asked over the delay
                assert before.number == 1
                assert before.respond_by is not None
                assert before.respond_by < after.started_on
            else:
                assert after.started_on > before.responded_on
            (request,) = [r for r in case.requests if r.stage == after.number]
            assert request.requested_on == after.started_on
            assert not request.late or request.decision == "accepted"
        if case.status is CaseStatus.AWAITING_DECISION:
            assert case.pending_request is not None
        for stage in case.stages:
            assert stage.respond_by == deadlines_for(procedure, stage).respond_by
            if stage.responded_on:
                assert stage.started_on <= stage.responded_on < TODAY
                assert stage.outcome in procedure.stage(stage.number).outcomes
            response = procedure.stage(stage.number).response
            if stage.extended_to:
                assert stage.extended_to <= (response.extendable_to or response.working_days)
        if case.status is CaseStatus.CLOSED:
            assert case.closed_on is not None
            refused = any(r.decision == "refused" for r in case.requests)
            withdrawn = case.closure_reason == "withdrawn"
            ineligible = case.closure_reason in INELIGIBLE
            assert case.stage.responded_on is not None or withdrawn or ineligible
            assert not (withdrawn and refused)
        else:
            assert case.closed_on is None
        for rec in case.recommendations:
            assert rec.stage >= 2
            assert rec.completed_on is None or rec.completed_on < TODAY


def test_every_event_comes_from_a_transition_or_a_check(played: list[DemoCase]) -> None:
    for case, events in played:
        assert events[0].type is EventType.RECEIVED
        assert events[0].at == case.received_at
        people = [e for e in events if e.by != SYSTEM]
        for event in events:
            assert isinstance(event.type, EventType)
            assert event.reference == case.reference
            assert event.recorded_at.tzinfo is not None
            assert event.at <= event.recorded_at
            assert "stage" in event.data
            if event.by == SYSTEM:  # an escalation check that ran, and only those
                assert event.type in SYSTEM_EVENTS
                assert event.data["check"] in case.checks_done
            else:
                assert event.type not in SYSTEM_EVENTS
                assert event.by in (COMPLAINANT, *STAFF)
        assert len(events) - len(people) <= len(case.checks_done)
        latest = people[-1]  # the case remembers the last thing a person recorded
        if latest.type is not EventType.RECEIVED:
            assert case.last_action is not None
            assert (case.last_action.type, case.last_action.at) == (latest.type, latest.at)


def test_the_demo_runs_the_whole_lifecycle(played: list[DemoCase]) -> None:
    seen = {event.type for _, events in played for event in events}
    assert seen >= {
        EventType.ASSIGNED,
        EventType.ACKNOWLEDGED,
        EventType.ROLES_ASSIGNED,
        EventType.EXTENDED,
        EventType.HELD,
        EventType.RESUMED,
        EventType.PROCEEDINGS_DECIDED,
        EventType.SUFFICIENT_INTEREST_DECIDED,
        EventType.MILESTONE,
        EventType.RESPONDED,
        EventType.NEXT_STAGE_REQUESTED,
        EventType.STAGE_STARTED,
        EventType.RECOMMENDED,
        EventType.RECOMMENDATION_ANSWERED,
        EventType.RECOMMENDATION_COMPLETED,
        EventType.OMBUDSMAN,
        EventType.ADVOCACY,
        EventType.CLOSED,
        EventType.REMINDER_SENT,
        EventType.ACKNOWLEDGEMENT_DUE,
        EventType.OVERDUE,
    }


def test_eligibility_decisions_are_asked_for_and_made(year: list[Case]) -> None:
    others = [
        c
        for c in year
        if c.procedure == "children-act-1989" and c.complainant.relationship is Relationship.OTHER
    ]
    assert others
    for case in others:  # intake asked, and a manager decided (unless the case closed first)
        (question,) = [d for d in case.decisions if d.kind == "sufficient_interest"]
        closed_first = case.closure_reason == "late_complaint_not_accepted"
        assert question.decision in ("accepted", "refused") or closed_first
    late = [c for c in year if any(d.kind == "late_complaint" for d in c.decisions)]
    assert late
    for case in late:
        assert case.happened_in is not None
        assert case.happened_in < f"{case.received_on.year - 1}-{case.received_on.month:02d}"


def test_nothing_is_dated_after_today(played: list[DemoCase], this_year: list[DemoCase]) -> None:
    """The world as it stood when ``TODAY`` began: nothing in the future of the clock."""
    for case, events in played + this_year:
        assert case.received_at < START_OF_TODAY
        for event in events:
            assert event.recorded_at <= START_OF_TODAY
            assert received_on(event.at) <= TODAY
        days = [case.closed_on, case.acknowledged_on, *(s.responded_on for s in case.stages)]
        days += [r.completed_on for r in case.recommendations]
        days += [d.decided_on for d in case.decisions] + [r.decided_on for r in case.requests]
        assert all(day is None or day <= TODAY for day in days)


def test_history_only_moves_forward(played: list[DemoCase]) -> None:
    for _, events in played:
        recorded = [e.recorded_at for e in events]
        assert recorded == sorted(recorded)
        people = [e.at for e in events if e.by != SYSTEM]
        assert people == sorted(people)  # each person's event at or after the one before


def test_overdue_is_derived_and_was_alerted(played: list[DemoCase]) -> None:
    overdue = [(case, events) for case, events in played if is_overdue(case, TODAY)]
    assert overdue, "a few complaints are left overdue so the backlog has something to show"
    for case, events in overdue:
        assert case.status is CaseStatus.OPEN
        assert any(
            e.type is EventType.OVERDUE and e.data["stage"] == case.stage_number() for e in events
        )
    assert "overdue" not in Case.model_fields  # never a stored flag


def test_fake_people_only(year: list[Case]) -> None:
    for case in year:
        first, last = case.complainant.name.split()
        assert first in FIRST_NAMES
        assert last in SURNAMES
        assert case.complainant.email.endswith("@example.org")
        assert case.owner is None or case.owner in STAFF
        assert "Not a real" in case.details
    assert len({c.reference for c in year}) == len(year)
    assert all(is_reference(c.reference) for c in year)


def test_deterministic_and_stops_at_today(this_year: list[DemoCase]) -> None:
    cases = [case for case, _ in this_year]
    assert cases
    assert all(c.received_on <= TODAY for c in cases)
    assert len(cases) < 300 * 1.1  # the year is not over: fewer than a whole year's worth
    assert any(c.status is CaseStatus.OPEN for c in cases)
    assert generate_year(2026, today=TODAY) == cases
    assert play_year(2026, today=TODAY, size=40) == play_year(2026, today=TODAY, size=40)
    assert generate_year(2026, today=TODAY, seed=1, size=40)[0].reference != cases[0].reference


def test_a_case_keeps_its_story_as_days_go_by(played: list[DemoCase]) -> None:
    """Seeding again later replaces each demo case instead of adding new ones, and adds to its
    history without rewriting it."""
    earlier = play_year(2025, today=date(2025, 10, 1))
    later = {case.reference: (case, events) for case, events in played}
    assert earlier
    for case, events in earlier:
        again, history = later[case.reference]
        assert again.received_at == case.received_at
        assert again.complainant == case.complainant
        assert again.stages[0].started_on == case.stages[0].started_on
        assert history[: len(events)] == events
