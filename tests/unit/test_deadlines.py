"""A stage's deadlines with extensions and holds."""

from __future__ import annotations

from datetime import date

from complaints.models import Hold, StageRecord
from complaints.procedures import get_procedure
from complaints.service.deadlines import deadlines_for

STATUTORY = get_procedure("children-act-1989")


def test_stage_1_respond_by_and_reminder() -> None:
    stage = StageRecord(number=1, started_on=date(2024, 12, 20))
    deadlines = deadlines_for(STATUTORY, stage)
    assert deadlines.respond_by == date(2025, 1, 8)
    assert deadlines.reminder_on == date(2025, 1, 6)  # 2 working days before


def test_hold_across_a_bank_holiday_moves_the_deadline_by_working_days_on_hold() -> None:
    # On hold from Friday 23 May 2025 to Friday 30 May 2025: 4 working days (26 May is a bank
    # holiday), so the deadline moves 4 working days.
    stage = StageRecord(
        number=1,
        started_on=date(2025, 5, 19),
        holds=[Hold(started_on=date(2025, 5, 23), ended_on=date(2025, 5, 30), reason="police")],
    )
    deadlines = deadlines_for(STATUTORY, stage)
    assert deadlines.days_on_hold == 4
    assert deadlines.respond_by == date(2025, 6, 9)


def test_extension_moves_respond_by() -> None:
    stage = StageRecord(number=2, started_on=date(2024, 8, 29), extended_to=65)
    assert deadlines_for(STATUTORY, stage).respond_by == date(2024, 11, 28)


def test_acknowledgement_uses_the_council_setting_for_the_statutory_procedure() -> None:
    # Friday 20 December 2024 + 3 working days (Christmas and Boxing Day do not count).
    stage = StageRecord(number=1, started_on=date(2024, 12, 20))
    assert deadlines_for(STATUTORY, stage).acknowledge_by == date(2024, 12, 27)


def test_acknowledgement_follows_the_complaint_handling_code_for_the_corporate_procedure() -> None:
    stage = StageRecord(number=2, started_on=date(2024, 12, 20))
    assert deadlines_for(get_procedure("corporate"), stage).acknowledge_by == date(2024, 12, 31)
