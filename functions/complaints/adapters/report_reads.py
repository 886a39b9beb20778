"""The reports' reads and the demo's writes, on the complaints table (layout in ``keys.py``).

Reads use an index, never a Scan:
- the annual report: ``Repository.cases_received_in`` (``ByReceived``, ``GSI2PK = FY#<year>``):
  one financial year only;
- the backlog: ``Repository.list_cases`` (``ByStatus``), one partition per status not closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from complaints.adapters.dynamo import Repository, case_item, event_item, to_attributes
from complaints.models import Case, CaseStatus, Event

NOT_CLOSED = (
    CaseStatus.OPEN,
    CaseStatus.ON_HOLD,
    CaseStatus.AWAITING_DECISION,
    CaseStatus.RESPONDED,
)
BATCH = 25  # BatchWriteItem's limit


def cases_not_closed(repository: Repository) -> list[Case]:
    """Every case whose status is not closed (``ByStatus``)."""
    return repository.list_cases(statuses=list(NOT_CLOSED))


def _write_all(repository: Repository, items: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(items), BATCH):
        requests: list[dict[str, Any]] = [
            {"PutRequest": {"Item": to_attributes(item)}} for item in items[start : start + BATCH]
        ]
        while requests:
            answer = repository.dynamodb.batch_write_item(
                RequestItems={repository.table_name: requests}
            )
            requests = answer.get("UnprocessedItems", {}).get(repository.table_name, [])


def put_cases_quietly(repository: Repository, cases: Iterable[tuple[Case, Sequence[Event]]]) -> int:
    """Write cases and their events directly: no outbox items and no checks, so nothing is
    emailed or scheduled. For demo data only (``complaints demo seed``); an existing item with
    the same key is replaced."""
    items: list[dict[str, Any]] = []
    count = 0
    for case, events in cases:
        items.append(case_item(case))
        items.extend(event_item(event, seq) for seq, event in enumerate(events))
        count += 1
    _write_all(repository, items)
    return count
