"""What the complainant's link shows (pure: no AWS)."""

from __future__ import annotations

from datetime import date

from complaints.service import lifecycle as lc
from complaints.service.selfservice import complainant_view
from tests.unit.lifecycle_fixtures import LETTER, act, new_case


def test_open_stage_shows_the_reply_date_and_no_escalation() -> None:
    view = complainant_view(new_case(date(2025, 1, 6)), date(2025, 1, 10))
    assert (view["stage"], view["status"], view["respond_by"]) == (1, "open", "2025-01-20")
    assert view["can_escalate"] is False
    assert "by 20 January 2025" in view["what_happens_next"]
    assert "details" not in view
    assert "complainant" not in view


def test_late_council_offers_the_next_stage_and_the_ombudsman() -> None:
    view = complainant_view(new_case(date(2025, 1, 6)), date(2025, 1, 21))
    assert view["can_escalate"] is True
    assert view["overdue"] is True
    assert "ask for stage 2 now" in view["what_happens_next"]
    assert "Ombudsman" in view["what_happens_next"]


def test_a_late_stage_2_must_be_finished_and_the_ombudsman_is_offered() -> None:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 10)),
        letter=LETTER,
    ).case
    case = lc.request_next_stage(case, act(date(2025, 1, 13), by=lc.COMPLAINANT)).case
    view = complainant_view(case, date(2025, 3, 1))
    assert view["can_escalate"] is False
    assert "must still finish stage 2" in view["what_happens_next"]
    assert "Ombudsman" in view["what_happens_next"]


def test_after_a_response_the_window_is_shown() -> None:
    case = lc.respond(
        new_case(date(2025, 1, 6)),
        "not_upheld",
        act(date(2025, 1, 17)),
        letter=LETTER,
    ).case
    view = complainant_view(case, date(2025, 1, 20))
    assert view["can_escalate"] is True
    assert view["ask_next_stage_by"] == "2025-02-14"
    assert "by 14 February 2025" in view["what_happens_next"]
    later = complainant_view(case, date(2025, 3, 1))
    assert later["can_escalate"] is True  # late requests are considered, never refused
    assert "decide whether to accept it" in later["what_happens_next"]


def test_on_hold_and_awaiting_decision_explain_themselves() -> None:
    held = lc.hold(
        new_case(), act(date(2025, 1, 8)), grounds="court_proceedings", reason="Court says"
    ).case
    view = complainant_view(held, date(2025, 1, 9))
    assert view["on_hold"] is True
    assert "on hold" in view["what_happens_next"]
    assert "Court" not in view["what_happens_next"]  # the reason stays with staff
    case = lc.respond(
        new_case(),
        "not_upheld",
        act(date(2025, 1, 17)),
        letter=LETTER,
    ).case
    waiting = lc.request_next_stage(case, act(date(2025, 3, 3), by=lc.COMPLAINANT)).case
    view = complainant_view(waiting, date(2025, 3, 4))
    assert view["status"] == "awaiting_decision"
    assert view["can_escalate"] is False
    assert "deciding whether to accept" in view["what_happens_next"]
