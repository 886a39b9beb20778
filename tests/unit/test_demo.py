"""The demo year: realistic in shape, internally consistent, deterministic, obviously fake."""

from __future__ import annotations

from datetime import date

import pytest

from complaints.adapters.keys import financial_year
from complaints.demo import FIRST_NAMES, STAFF, SURNAMES, demo_events, generate_year
from complaints.models import Case, CaseStatus
from complaints.procedures import get_procedure
from complaints.service.deadlines import deadlines_for
from complaints.service.references import is_reference
from complaints.submission import Relationship

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def year() -> list[Case]:
    return generate_year(2025, today=TODAY)


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
    overdue = [
        c for c in year if c.status is CaseStatus.OPEN and (c.stage.respond_by or TODAY) < TODAY
    ]
    assert overdue, "a few complaints are left overdue so the backlog has something to show"
    assert any(c.recommendations for c in statutory)
    assert any(c.ombudsman for c in statutory)


def test_every_case_is_consistent_with_the_procedure_and_the_clock(year: list[Case]) -> None:
    for case in year:
        procedure = get_procedure(case.procedure)
        assert financial_year(case.received_on) == 2025
        assert case.received_on <= TODAY
        assert case.demo is True
        assert case.stages[0].started_on == case.received_on
        for before, after in zip(case.stages, case.stages[1:], strict=False):
            assert before.responded_on is not None
            assert after.number == before.number + 1
            assert after.started_on > before.responded_on
            (request,) = [r for r in case.requests if r.stage == after.number]
            assert request.requested_on == after.started_on
            assert not request.late or request.decision == "accepted"
        if case.status is CaseStatus.AWAITING_DECISION:
            assert case.pending_request is not None
        for stage in case.stages:
            assert stage.respond_by == deadlines_for(procedure, stage).respond_by
            if stage.responded_on:
                assert stage.started_on <= stage.responded_on <= TODAY
                assert stage.outcome in procedure.stage(stage.number).outcomes
            response = procedure.stage(stage.number).response
            if stage.extended_to:
                assert stage.extended_to <= (response.extendable_to or response.working_days)
        if case.status is CaseStatus.CLOSED:
            assert case.closed_on is not None
            refused = any(r.decision == "refused" for r in case.requests)
            withdrawn = case.closure_reason == "withdrawn"
            assert case.stage.responded_on is not None or withdrawn
            assert not (withdrawn and refused)
        else:
            assert case.closed_on is None
        for rec in case.recommendations:
            assert rec.stage >= 2
            assert rec.completed_on is None or rec.completed_on <= TODAY
        events = demo_events(case)
        assert events[0].type == "received"
        assert all(e.reference == case.reference for e in events)


def test_fake_people_only(year: list[Case]) -> None:
    for case in year:
        first, last = case.complainant.name.split()
        assert first in FIRST_NAMES
        assert last in SURNAMES
        assert case.complainant.email.endswith("@example.org")
        assert case.owner in STAFF
        assert "Not a real" in case.details
    assert len({c.reference for c in year}) == len(year)
    assert all(is_reference(c.reference) for c in year)


def test_deterministic_and_stops_at_today() -> None:
    first = generate_year(2026, today=TODAY)
    again = generate_year(2026, today=TODAY)
    assert [c.model_dump() for c in first] == [c.model_dump() for c in again]
    assert first
    assert all(c.received_on <= TODAY for c in first)
    assert len(first) < 300 * 1.1  # the year is not over: fewer than a whole year's worth
    assert any(c.status is CaseStatus.OPEN for c in first)
    assert generate_year(2026, today=TODAY, seed=1)[0].reference != first[0].reference


def test_a_case_keeps_its_reference_as_days_go_by() -> None:
    """Seeding again later replaces each demo case instead of adding new ones."""
    earlier = generate_year(2025, today=date(2025, 10, 1))
    later = {c.reference: c for c in generate_year(2025, today=TODAY)}
    assert earlier
    for case in earlier:
        again = later[case.reference]
        assert again.received_at == case.received_at
        assert again.complainant == case.complainant
        assert again.stages[0].started_on == case.stages[0].started_on
