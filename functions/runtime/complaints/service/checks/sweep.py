"""Running the escalation checks that are due: when a one-time schedule fires, in the daily
sweep, and from ``complaints checks run [--now]``.

The sweep reads pending checks from the ``ByDueDate`` index up to ``now`` plus a horizon, so
its cost grows with the number of checks due, never with the table. Due checks run (each case
in one optimistic-locked save); checks coming up before the next sweep get their one-time
schedule recreated if it is missing. A check that should no longer run leaves the index.

Outbox items wait in the same index until they are done: one still there after its time (the
stream worker died holding it, or gave up after every retry) is carried out here, once (it is
claimed first, as the worker does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from complaints.models import Case
from complaints.service.casework import (
    Applied,
    CaseStore,
    Deliver,
    change_case,
    run_checks_on,
)
from complaints.service.lifecycle import Transition

HORIZON = timedelta(days=1)  # the sweep runs daily: make sure what falls due before it fires
OUTBOX_ITEM = "outbox"  # ``item_type`` of an outbox item (the rest in the index are checks)


class CheckStore(CaseStore, Protocol):
    def pending_checks(self, until: datetime) -> tuple[list[dict[str, Any]], int]:
        """Pending check items due by ``until`` (index query) and how many items were read."""
        ...

    def retire_check(self, reference: str, sk: str, now: datetime) -> None:
        """Take a check item that should not run out of the index."""
        ...


class Schedules(Protocol):
    def create_once(self, name: str, at: datetime, payload: Mapping[str, Any]) -> bool: ...


@dataclass
class SweepReport:
    read: int = 0  # check items the index query returned
    due: int = 0
    ran: list[str] = field(default_factory=list)  # "<reference> <check id>" that acted
    skipped: int = 0  # due items that should not run any more (retired)
    emails: int = 0  # emails queued
    sent: int = 0  # emails sent here (the rest go through the stream worker)
    schedules_recreated: int = 0
    outbox_unsent: int = 0  # outbox items found not done after their time
    outbox_sent: int = 0  # of which carried out here
    failed: list[str] = field(default_factory=list)  # references to retry next time


class _NothingRanError(Exception):
    """No check of the case should run: nothing to save."""


def run_one(
    store: CaseStore, reference: str, check_id: str, now: datetime, deliver: Deliver | None
) -> Applied | None:
    """Run one check (a schedule fired); ``None`` when it should not run (already ran, not
    due, or no longer needed)."""
    return _run_case(store, reference, [check_id], now, deliver)


def _run_case(
    store: CaseStore,
    reference: str,
    check_ids: Sequence[str],
    now: datetime,
    deliver: Deliver | None,
) -> Applied | None:
    def change(case: Case) -> Transition:
        transition, runs = run_checks_on(case, check_ids, now)
        if not any(run.ran for run in runs):
            raise _NothingRanError
        return transition

    try:
        return change_case(store, reference, change, now, deliver=deliver)
    except _NothingRanError:
        return None


def sweep(
    store: CheckStore,
    now: datetime,
    *,
    deliver: Deliver | None = None,
    schedules: Schedules | None = None,
    horizon: timedelta = HORIZON,
) -> SweepReport:
    """Run every check due by ``now``; recreate missing schedules for those due soon.

    One case failing (AWS busy, a case that cannot be read) never stops the others: its
    reference goes in ``failed`` (which the sweep-failures alarm counts) and its checks stay
    due for the next run. Due checks run before any schedule is recreated, so Scheduler
    being down cannot hold up a deadline."""
    report = SweepReport()
    items, report.read = store.pending_checks(now + horizon)
    due: dict[str, list[dict[str, Any]]] = defaultdict(list)
    upcoming: list[dict[str, Any]] = []
    unsent: list[dict[str, Any]] = []
    for item in items:
        is_due = datetime.fromisoformat(str(item["due_at"])) <= now
        if item.get("item_type") == OUTBOX_ITEM:
            if is_due:
                unsent.append(item)
        elif is_due:
            due[str(item["reference"])].append(item)
        else:
            upcoming.append(item)
    for reference, found in due.items():
        report.due += len(found)
        try:
            _sweep_case(store, reference, found, now, deliver, report)
        except Exception:  # any cause: recorded, retried by the next sweep
            _failed(report, reference)
    report.outbox_unsent = len(unsent)
    if deliver is not None:
        for item in unsent:
            if deliver([item]):
                report.outbox_sent += 1
            else:  # failed again (given back): it stays in the index for the next sweep
                _failed(report, str(item["reference"]))
    if schedules is not None:
        for item in upcoming:
            due_at = datetime.fromisoformat(str(item["due_at"]))
            try:
                if schedules.create_once(str(item["schedule_name"]), due_at, item["payload"]):
                    report.schedules_recreated += 1
            except Exception:  # the next sweep tries again; the check stays in the index
                _failed(report, str(item["reference"]))
    return report


def _failed(report: SweepReport, reference: str) -> None:
    if reference not in report.failed:
        report.failed.append(reference)


def _sweep_case(
    store: CheckStore,
    reference: str,
    found: Sequence[Mapping[str, Any]],
    now: datetime,
    deliver: Deliver | None,
    report: SweepReport,
) -> None:
    ids = [str(item["check"]) for item in found]
    applied = _run_case(store, reference, ids, now, deliver)
    if applied is None:
        for item in found:
            store.retire_check(reference, str(item["SK"]), now)
        report.skipped += len(found)
        return
    done = set(applied.transition.case.checks_done)
    report.ran += [f"{reference} {check_id}" for check_id in ids if check_id in done]
    report.skipped += sum(1 for check_id in ids if check_id not in done)
    report.emails += len(applied.transition.notices)
    report.sent += applied.sent
