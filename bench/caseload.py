"""The staff caseload's reads with 10,000 stored cases: one page of 50 for each view, the
next page by its cursor, and the counts, read by DynamoDB's own answers (``ScannedCount`` of
each Query, the items of each BatchGetItem), not by the console's report.

The cases are spread over 20 owners (a tenth unassigned), a tenth on hold, one in a hundred
urgent, received over the last year; they are written in batches and counted as the demo's
seed counts them (``add_to_counts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.sweep import ReadCounter, _moto, _submission

OWNERS = 20
PAGE = 50


@dataclass(frozen=True)
class ViewFigures:
    view: str
    shown: int
    queries: int
    items_read: int
    next_page_items_read: int


@dataclass(frozen=True)
class CaseloadFigures:
    stored: int
    views: list[ViewFigures]
    count_calls: int
    count_items: int
    scans: int
    seconds: float

    @property
    def worst_page(self) -> int:
        return max(max(v.items_read, v.next_page_items_read) for v in self.views)

    @property
    def meets_goal(self) -> bool:
        """A page reads at most its index pages (4 of 50) and the counts a fixed few keys,
        whatever the table holds; nothing is scanned."""
        from complaints.service.staff.caseload import MAX_READS

        return self.scans == 0 and self.worst_page <= MAX_READS * PAGE and self.count_items <= 200


def _store(repository: Any, count: int, now: datetime) -> None:
    from complaints.adapters.dynamo import case_item
    from complaints.models import CaseStatus, Hold
    from complaints.service.intake import build_case
    from complaints.service.references import new_reference
    from complaints.service.triage import triage
    from complaints.settings import load_settings
    from complaints_tools.local.seed import write_items

    settings = load_settings()
    cases = []
    for n in range(count):
        submission = _submission(20_000 + n)
        received = now - timedelta(hours=n % (365 * 24))
        new = build_case(
            submission,
            triage(submission, settings),
            reference=new_reference(),
            token=f"bench-token-{n}",
            now=received,
            channel="json",
        )
        case = new.case
        if n % 10:
            case.owner = f"officer{n % OWNERS}@example.gov.uk"
        if n % 10 == 3:
            case.status = CaseStatus.ON_HOLD
            case.stage.holds.append(Hold(started_on=case.received_on, reason="bench"))
        case.urgent = n % 100 == 7
        cases.append(case)
    write_items(repository, [case_item(c) for c in cases])
    repository.add_to_counts(cases)


def run(stored: int = 10_000) -> CaseloadFigures:
    import time

    from complaints.adapters.clients import client
    from complaints.adapters.dynamo import Repository
    from complaints.adapters.dynamo.caseload import view_read
    from complaints.clock import add_working_days, received_on
    from complaints.service.staff.caseload import VIEWS, Filters, page_count_keys

    with _moto():
        repository = Repository()
        now = datetime.now(UTC)
        _store(repository, stored, now)
        today = received_on(now)
        soon = add_working_days(today, 5)
        counter = ReadCounter()
        client("dynamodb").meta.events.register("after-call.dynamodb.*", counter)
        started = time.perf_counter()
        views = []
        for view in VIEWS:
            read = view_read(view, Filters(), "officer1@example.gov.uk", today, soon)
            before = counter.items
            page = repository.caseload_page(read, None, PAGE)
            first = counter.items - before
            before = counter.items
            if page.cursor:
                repository.caseload_page(read, page.cursor, PAGE)
            views.append(
                ViewFigures(view, len(page.cases), page.queries, first, counter.items - before)
            )
        before_items, before_calls = counter.items, counter.calls.get("BatchGetItem", 0)
        repository.caseload_counts(
            page_count_keys(
                "officer1@example.gov.uk", ["children-act-1989", "corporate"], (1, 2, 3)
            )
        )
        seconds = time.perf_counter() - started
        return CaseloadFigures(
            stored=stored,
            views=views,
            count_calls=counter.calls.get("BatchGetItem", 0) - before_calls,
            count_items=counter.items - before_items,
            scans=counter.calls.get("Scan", 0),
            seconds=seconds,
        )
