"""The daily escalation sweep's reads with 10,000 stored cases, of which 10 are due.

Runs in-process on moto with the template's table. The 10 due cases are filed through the
real intake 60 days ago (so each has its stage 1 reminder and deadline due); the other 9,990
were received today (their checks are pending but not yet due). Reads are counted from
DynamoDB's own answers (``ScannedCount`` of each Query/Scan, one per ``GetItem`` found), not
from the sweep's report.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any


@dataclass
class ReadCounter:
    items: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    items_by_call: dict[str, int] = field(default_factory=dict)

    def __call__(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        name = model.name
        self.calls[name] = self.calls.get(name, 0) + 1
        read = 0
        if name in {"Query", "Scan"}:
            read = int(parsed.get("ScannedCount", 0))
        elif name == "GetItem" and "Item" in parsed:
            read = 1
        elif name == "BatchGetItem":
            read = sum(len(found) for found in parsed.get("Responses", {}).values())
        self.items += read
        if read:
            self.items_by_call[name] = self.items_by_call.get(name, 0) + read


@dataclass(frozen=True)
class SweepFigures:
    stored: int
    due_cases: int
    due_checks: int
    checks_ran: int
    items_read: int
    index_items_read: int
    scans: int
    seconds: float
    reads: dict[str, str]  # operation -> "items in calls"

    @property
    def meets_goal(self) -> bool:
        """Only the due items are read: the index answer is exactly the due checks, the rest
        is a small fixed amount per due check (the case, its checks), and nothing is
        scanned."""
        per_check = (self.items_read - self.index_items_read) / max(self.due_checks, 1)
        return self.scans == 0 and self.index_items_read == self.due_checks and per_check <= 5


@contextmanager
def _moto() -> Iterator[None]:
    from moto import mock_aws

    from complaints.adapters import clients
    from complaints_tools.local import fast_tables
    from complaints_tools.local.resources import prepare
    from complaints_tools.local.state import LOCAL_CREDENTIALS, REGION

    fast_tables.install()  # as in the local stack
    saved = dict(os.environ)
    os.environ.update(LOCAL_CREDENTIALS)
    os.environ.pop(clients.ENDPOINT_ENV, None)
    clients.reset()
    try:
        with mock_aws():
            _resources, env, _notes = prepare(
                clients.client, stack_name="bench", region=REGION, site_url="http://127.0.0.1"
            )
            os.environ.update(env)
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        clients.reset()


def _submission(n: int) -> Any:
    from complaints.submission import parse_submission

    parsed = parse_submission(
        {
            "complainant_name": f"Sweep Person {n}",
            "email": f"sweep.person{n}@example.org",
            "relationship": "parent",
            "child_name": f"Sweep Child {n}",
            "details": f"Sweep benchmark complaint {n}.",
        }
    )
    assert not isinstance(parsed, list)
    return parsed


def _store_not_due(repository: Any, count: int, now: datetime) -> None:
    """Cases received today, written in batches (as if filed one by one, without emails)."""
    from complaints.adapters.dynamo import case_item, check_item, event_item
    from complaints.service.intake import build_case
    from complaints.service.triage import triage
    from complaints.settings import load_settings
    from complaints_tools.local.seed import write_items

    settings = load_settings()
    items: list[dict[str, Any]] = []
    for n in range(count):
        submission = _submission(10_000 + n)
        new = build_case(
            submission,
            triage(submission, settings),
            reference=f"N{n:05d}",
            token=f"bench-token-{n}",
            now=now,
            channel="json",
        )
        items += [case_item(new.case), event_item(new.event)]
        items += [check_item(new.case.reference, check) for check in new.checks]
    write_items(repository, items)


def run(stored: int = 10_000, due: int = 10) -> SweepFigures:
    import time

    from complaints.adapters.clients import client
    from complaints.adapters.dynamo import Repository
    from complaints.adapters.mailer import Mailer
    from complaints.adapters.scheduler import Scheduler
    from complaints.service.casework import sender
    from complaints.service.checks.sweep import sweep
    from complaints.service.intake import receive

    with _moto():
        repository = Repository()
        now = datetime.now(UTC)
        # moto copies the table on every transaction: file the due ones while it is empty
        filed_at = now - timedelta(days=60)
        deliver_then = sender(repository, Mailer(), Scheduler(), filed_at)
        for n in range(due):
            reference = receive(_submission(n), repository, now=filed_at).receipt.reference
            deliver_then(repository.outbox_items(reference))  # the stream worker, at the time
        _store_not_due(repository, stored - due, now)
        counter = ReadCounter()
        client("dynamodb").meta.events.register("after-call.dynamodb.*", counter)
        started = time.perf_counter()
        report = sweep(
            repository,
            now,
            deliver=sender(repository, Mailer(), Scheduler(), now),
            schedules=Scheduler(),
            horizon=timedelta(0),
        )
        seconds = time.perf_counter() - started
        return SweepFigures(
            stored=stored,
            due_cases=due,
            due_checks=report.due,
            checks_ran=len(report.ran),
            items_read=counter.items,
            index_items_read=report.read,
            scans=counter.calls.get("Scan", 0),
            seconds=seconds,
            reads={
                name: f"{counter.items_by_call.get(name, 0)} items in {calls} calls"
                for name, calls in sorted(counter.calls.items())
                if name in {"Query", "Scan", "GetItem", "BatchGetItem"}
            },
        )
