"""The local stack's clock file: it moves forward only, and ``complaints.clock`` reads it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from complaints import clock
from complaints_tools.local import clock as local_clock

REAL = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clock file the process reads, with real time frozen at ``REAL``."""
    monkeypatch.setattr(clock, "wall_now", lambda: REAL)
    file = local_clock.clock_path(tmp_path)
    monkeypatch.setenv(clock.CLOCK_FILE_ENV, str(file))
    return file


def test_no_file_is_real_time(path: Path) -> None:
    reading = local_clock.read(path)
    assert (reading.now, reading.moved, reading.moved_to) == (REAL, False, None)
    assert clock.now() == REAL


def test_moving_forward_is_what_the_clock_reads(path: Path) -> None:
    target = REAL + timedelta(days=30, hours=2)
    moved = local_clock.move_to(path, target)
    assert (moved.now, moved.moved, moved.moved_to) == (target, True, target)
    assert clock.now() == target
    assert clock.london_today() == target.astimezone(clock.LONDON).date()
    assert local_clock.read(path).now == target
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_moving_back_is_refused_with_the_clock_in_london_time(path: Path) -> None:
    local_clock.move_to(path, REAL + timedelta(days=10))  # 12 March 2026, 10:00 UTC
    before = path.read_text(encoding="utf-8")
    with pytest.raises(local_clock.ClockRefusedError) as refused:
        local_clock.move_to(path, REAL + timedelta(days=9))
    assert "Thursday 12 March 2026, 10:00 (London time)" in str(refused.value)
    assert "never goes back" in str(refused.value)
    assert path.read_text(encoding="utf-8") == before
    with pytest.raises(local_clock.ClockRefusedError):
        local_clock.move_to(path, REAL - timedelta(seconds=1))  # before real time, too


def test_the_present_and_the_last_move_again_are_allowed(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert local_clock.move_to(path, REAL).now == REAL  # equal: nothing moves
    target = REAL + timedelta(days=3)
    local_clock.move_to(path, target)
    assert local_clock.move_to(path, target).now == target
    # The clock runs on after a move: the same --now a minute later is still allowed ...
    monkeypatch.setattr(clock, "wall_now", lambda: REAL + timedelta(minutes=1))
    again = local_clock.move_to(path, target)
    assert again.now == target + timedelta(minutes=1)
    assert clock.now() == target + timedelta(minutes=1)
    # ... but not a moment between it and the present
    with pytest.raises(local_clock.ClockRefusedError):
        local_clock.move_to(path, target + timedelta(seconds=30))


def test_summer_time_is_shown_as_london_time() -> None:
    moment = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    assert local_clock.london_text(moment) == "Thursday 2 July 2026, 00:30 (London time)"


def test_reset_goes_back_to_real_time(path: Path) -> None:
    local_clock.move_to(path, REAL + timedelta(days=1))
    local_clock.reset(path)
    assert clock.now() == REAL
    local_clock.reset(path)  # nothing to remove: fine


def test_an_unreadable_file_is_explained(path: Path) -> None:
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(local_clock.ClockFileError, match="FRESH=1"):
        local_clock.read(path)
    with pytest.raises(local_clock.ClockFileError):
        local_clock.move_to(path, REAL + timedelta(days=1))


def test_the_file_holds_the_offset_complaints_clock_reads(path: Path) -> None:
    local_clock.move_to(path, REAL + timedelta(hours=5))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["offset_seconds"] == 5 * 3600
    assert clock.clock_offset() == timedelta(hours=5)


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (timedelta(seconds=20), "less than a minute"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=2, hours=3), "2 days and 3 hours"),
        (timedelta(days=25, hours=1, minutes=4), "25 days, 1 hour and 4 minutes"),
    ],
)
def test_offsets_in_words(offset: timedelta, text: str) -> None:
    assert local_clock.describe_offset(offset) == text
