"""Time is evidence: an action's effective time is never in the future, before the complaint,
or before the last thing a person recorded; a late entry is allowed and stays visible."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from complaints.clock import LONDON
from complaints.service import lifecycle as lc
from complaints.service.checks.run import due_checks, run_check
from complaints.service.lifecycle import Act, TransitionError
from tests.unit.lifecycle_fixtures import LETTER, STAFF, act, at, new_case


def test_an_action_dated_after_the_present_is_refused_and_changes_nothing() -> None:
    case = new_case(date(2025, 1, 6))
    tomorrow = Act(STAFF, at(date(2025, 1, 9)), at(date(2025, 1, 8)))
    with pytest.raises(TransitionError, match="is in the future"):
        lc.respond(
            case,
            "upheld",
            tomorrow,
            letter=LETTER,
        )
    a_minute_on = Act(STAFF, at(date(2025, 1, 8)) + timedelta(minutes=1), at(date(2025, 1, 8)))
    with pytest.raises(TransitionError, match="in the future"):
        lc.acknowledge(case, a_minute_on, summary="x")
    assert case.status.value == "open"
    assert case.last_action is None


def test_a_response_dated_before_receipt_is_refused() -> None:
    case = new_case(date(2025, 1, 6))
    with pytest.raises(TransitionError, match="before the complaint was received, on 6 January"):
        lc.respond(
            case,
            "upheld",
            act(date(2019, 5, 1), recorded=date(2025, 1, 8)),
            letter=LETTER,
        )


def test_an_ombudsman_referral_in_1800_is_refused() -> None:
    case = new_case(date(2025, 1, 6))
    with pytest.raises(TransitionError, match="before the complaint was received"):
        lc.record_ombudsman(case, act(date(2025, 1, 8)), referred_on=date(1800, 1, 1))


def test_a_resume_dated_before_its_hold_is_refused() -> None:
    held = lc.hold(
        new_case(date(2025, 1, 6)), act(date(2025, 1, 10)), grounds="other", reason="x"
    ).case
    with pytest.raises(TransitionError, match=r"before the last thing recorded.*'held'.*10 Jan"):
        lc.resume(held, act(date(2025, 1, 9), recorded=date(2025, 1, 13)))


def test_history_only_moves_forward_from_the_last_persons_event() -> None:
    case = lc.acknowledge(new_case(date(2025, 1, 6)), act(date(2025, 1, 8)), summary="x").case
    with pytest.raises(TransitionError, match="acknowledged"):
        lc.assign(case, STAFF, act(date(2025, 1, 7), recorded=date(2025, 1, 9)))
    same_day = lc.assign(case, STAFF, act(date(2025, 1, 8), 9))  # earlier hour, same day
    assert same_day.case.owner == STAFF


def test_the_complainants_own_request_also_bounds_later_entries() -> None:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    asked = lc.request_next_stage(case, act(date(2025, 1, 20), by=lc.COMPLAINANT)).case
    with pytest.raises(TransitionError, match="on 20 January 2025"):
        lc.assign(asked, STAFF, act(date(2025, 1, 17), recorded=date(2025, 1, 21)))


def test_the_checks_own_events_never_block_a_late_entry() -> None:
    case = new_case(date(2025, 1, 6))  # due 20 January; the checks run on 21 January
    now = datetime(2025, 1, 21, 1, tzinfo=LONDON)
    for check in due_checks(case, now):
        ran = run_check(case, check.id, now).transition
        assert ran is not None
        case = ran.case
    assert case.last_action is None
    # The reply went on 17 January; it is written down on 22 January: it was in time.
    step = lc.respond(
        case,
        "upheld",
        act(date(2025, 1, 17), recorded=date(2025, 1, 22)),
        letter=LETTER,
    )
    (event,) = step.events
    assert event.at < event.recorded_at
    assert event.data["in_time"] is True


def test_a_dated_action_happens_at_the_time_it_is_recorded_when_that_is_today() -> None:
    recorded = at(date(2025, 1, 8), 14)
    today = Act(STAFF, recorded, recorded).dated(date(2025, 1, 8))
    assert today.at == recorded
    earlier = Act(STAFF, recorded, recorded).dated(date(2025, 1, 7))
    assert earlier.at == datetime(2025, 1, 7, 23, 59, 59, tzinfo=LONDON)
    assert earlier.day == date(2025, 1, 7)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        lc.acknowledge(
            new_case(),
            Act(STAFF, datetime(2025, 1, 7, 10), datetime(2025, 1, 7, 10)),
            summary="x",
        )
