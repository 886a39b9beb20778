"""The reports read the table by index only: the annual report reads one financial year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from complaints.adapters.report_reads import cases_not_closed
from complaints.models import Case, CaseStatus, Event
from complaints.service.reports import annual_report, backlog
from complaints_tools.demo import play_year
from complaints_tools.local.seed import put_cases_quietly
from tests.integration.conftest import Stack

TODAY = date(2026, 11, 26)


class CountingClient:
    """Wraps the DynamoDB client and records every call and what each query read."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.scanned = 0

    def get_paginator(self, name: str) -> Any:
        outer = self
        real = self.inner.get_paginator(name)

        class Paginator:
            def paginate(self, **kwargs: Any) -> Any:
                outer.calls.append((name, kwargs))
                for page in real.paginate(**kwargs):
                    outer.scanned += page.get("ScannedCount", 0)
                    yield page

        return Paginator()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def record(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return method(**kwargs)

        return record


@pytest.fixture
def three_years(stack: Stack) -> dict[int, list[Case]]:
    played = {y: play_year(y, today=TODAY, size=40) for y in (2023, 2024, 2025)}
    written = put_cases_quietly(stack.repository, [d for year in played.values() for d in year])
    assert written == sum(len(year) for year in played.values())
    EVENTS.update({case.reference: events for year in played.values() for case, events in year})
    return {y: [case for case, _ in year] for y, year in played.items()}


EVENTS: dict[str, Sequence[Event]] = {}  # the events each demo case was written with


def test_the_annual_report_reads_only_the_year_asked_for(
    stack: Stack, three_years: dict[int, list[Case]]
) -> None:
    repository = stack.repository
    counting = CountingClient(repository.dynamodb)
    repository._dynamodb = counting

    found = repository.cases_received_in(2024)

    assert sorted(c.reference for c in found) == sorted(c.reference for c in three_years[2024])
    assert [name for name, _ in counting.calls] == ["query"]
    _, query = counting.calls[0]
    assert query["IndexName"] == "ByReceived"
    assert query["ExpressionAttributeValues"] == {":year": {"S": "FY#2024"}}
    assert counting.scanned == len(three_years[2024])  # nothing from 2023 or 2025 was read
    # and the figures from the table equal the figures from the cases written
    assert annual_report(found, 2024, as_of=TODAY) == annual_report(
        three_years[2024], 2024, as_of=TODAY
    )


def test_the_backlog_reads_the_status_index_and_skips_closed_cases(
    stack: Stack, three_years: dict[int, list[Case]]
) -> None:
    repository = stack.repository
    counting = CountingClient(repository.dynamodb)
    repository._dynamodb = counting

    found = cases_not_closed(repository)

    everything = [c for cases in three_years.values() for c in cases]
    assert sorted(c.reference for c in found) == sorted(
        c.reference for c in everything if c.status is not CaseStatus.CLOSED
    )
    assert {name for name, _ in counting.calls} == {"query"}
    assert {q["IndexName"] for _, q in counting.calls} == {"ByStatus"}
    assert counting.scanned == len(found)
    assert backlog(found, TODAY) == backlog(everything, TODAY)


def test_demo_cases_are_written_without_outbox_items_or_checks(
    stack: Stack, three_years: dict[int, list[Case]]
) -> None:
    repository = stack.repository
    case = three_years[2025][0]
    assert repository.get_case(case.reference) == case
    assert repository.outbox_items(case.reference) == []
    assert repository.check_items(case.reference) == []
    assert repository.events(case.reference) == list(EVENTS[case.reference])
    kinds = Counter(
        item["item_type"]["S"]
        for page in repository.dynamodb.get_paginator("query").paginate(
            TableName=repository.table_name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": f"CASE#{case.reference}"}},
        )
        for item in page["Items"]
    )
    assert set(kinds) == {"case", "event"}
