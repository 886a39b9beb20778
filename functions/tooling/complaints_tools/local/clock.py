"""The local stack's clock file (``.local/clock.json``): moving it forward and reading it.

``complaints.clock.now()`` reads the offset in this file (named by ``COMPLAINTS_CLOCK_FILE``):
the stack of ``make run`` and ``complaints --local`` act on real time plus that offset, so a
person or a test can see deadlines pass. This module is the tooling side that writes it: the
clock only moves forward (a repeat of the last move is allowed, as the clock has run on since),
every write replaces the whole file at once, and the file keeps the clock across a restart.
Security time (sessions, tokens, throttles, leases) never reads this file.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from complaints import clock

CLOCK_FILE = "clock.json"


class ClockRefusedError(Exception):
    """The local clock was asked to go back."""


class ClockFileError(Exception):
    """The clock file cannot be read."""


@dataclass(frozen=True)
class LocalClock:
    """What the clock file says, read at ``real`` (real time)."""

    real: datetime
    offset: timedelta
    moved_to: datetime | None = None  # the last moment it was moved to, if ever

    @property
    def now(self) -> datetime:
        return self.real + self.offset

    @property
    def moved(self) -> bool:
        return self.offset > timedelta(0)


def clock_path(directory: Path) -> Path:
    return directory / CLOCK_FILE


def london_text(moment: datetime) -> str:
    """``Tuesday 3 March 2026, 14:05 (London time)``."""
    local = moment.astimezone(clock.LONDON)
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} (London time)"


def describe_offset(offset: timedelta) -> str:
    """``25 days, 3 hours and 4 minutes`` (whole minutes; ``less than a minute`` below one)."""
    minutes = int(offset.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{value} {name}{'' if value == 1 else 's'}"
        for value, name in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if value
    ]
    if not parts:
        return "less than a minute"
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def read(path: Path) -> LocalClock:
    """The clock in ``path`` (real time when there is no file yet)."""
    real = clock.wall_now()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        offset = timedelta(seconds=max(float(data.get("offset_seconds", 0)), 0.0))
        moved_to = data.get("moved_to")
        last = datetime.fromisoformat(moved_to) if moved_to else None
    except FileNotFoundError:
        return LocalClock(real=real, offset=timedelta(0))
    except (OSError, ValueError, TypeError, AttributeError) as error:
        raise ClockFileError(
            f"The local clock file ({path.name} in the local state folder) cannot be read. "
            "Start again with `make run FRESH=1` (this also empties the local stack)."
        ) from error
    return LocalClock(real=real, offset=offset, moved_to=last)


def move_to(path: Path, target: datetime) -> LocalClock:
    """Move the clock in ``path`` forward to ``target``; refuse to move it back.

    ``target`` equal to the clock's present, or to the moment of the last move (the same
    ``--now`` again), leaves the clock where it is."""
    if target.tzinfo is None or target.utcoffset() is None:
        raise ValueError("move_to needs an aware datetime")
    with _locked(path):
        current = read(path)
        if target < current.now:
            if current.moved_to is not None and target == current.moved_to:
                return current
            raise ClockRefusedError(
                f"The local clock already reads {london_text(current.now)} and never goes "
                f"back, so it cannot be moved to {london_text(target)}."
            )
        offset = target - current.real
        _write(path, {"offset_seconds": offset.total_seconds(), "moved_to": target.isoformat()})
        return LocalClock(real=current.real, offset=offset, moved_to=target)


def reset(path: Path) -> None:
    """Back to real time (``make run FRESH=1``)."""
    with _locked(path):
        path.unlink(missing_ok=True)


def _write(path: Path, data: dict[str, object]) -> None:
    """Replace the file at once: a reader sees the old clock or the new, never half of one."""
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One mover at a time (two ``checks run --now`` at once must not move it back)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name(f".{path.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
