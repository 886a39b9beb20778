"""Writing demo cases straight into the embedded stack's table (``complaints demo seed``).

Local only: the deployed roles are not granted ``BatchWriteItem``, and nothing here runs in
Lambda. Cases and their events are written without outbox items or checks, so nothing is
emailed or scheduled; an existing item with the same key is replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from complaints.adapters.dynamo import Repository, case_item, event_item, to_attributes
from complaints.models import Case, Event

BATCH = 25  # BatchWriteItem's limit


def write_items(repository: Repository, items: Sequence[dict[str, Any]]) -> None:
    """Put ``items`` in batches of 25, retrying what DynamoDB leaves unprocessed."""
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
    """Write demo cases and their events, and count them for the console's caseload;
    returns how many cases were written."""
    items: list[dict[str, Any]] = []
    count = 0
    written: list[Case] = []
    for case, events in cases:
        written.append(case)
        items.append(case_item(case))
        items.extend(event_item(event, seq) for seq, event in enumerate(events))
        count += 1
    write_items(repository, items)
    repository.add_to_counts(written)  # the console's caseload counts them too
    return count
