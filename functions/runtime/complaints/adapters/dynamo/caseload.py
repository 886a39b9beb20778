"""The caseload's reads (``service/staff/caseload.py``): every read is one index query a page at
a time (``ByOwner``, ``ByDue``, ``ByStatus`` or ``ByUrgent``), never a scan. The counts beside
each view are the counters' (``counters.py``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from complaints.adapters import keys
from complaints.adapters.dynamo.items import case_from_item
from complaints.adapters.dynamo.table import Table
from complaints.models import Case
from complaints.service.staff.caseload import (
    MAX_READS,
    PAGE_SIZE,
    Filters,
    View,
    owner_key,
)

# view -> (index, its partition key attribute, its sort key attribute)
INDEXES: Mapping[str, tuple[str, str, str]] = {
    keys.INDEX_BY_OWNER: (keys.INDEX_BY_OWNER, "GSI4PK", "GSI4SK"),
    keys.INDEX_BY_DUE: (keys.INDEX_BY_DUE, "GSI5PK", "GSI5SK"),
    keys.INDEX_BY_STATUS: (keys.INDEX_BY_STATUS, "GSI3PK", "GSI3SK"),
    keys.INDEX_BY_URGENT: (keys.INDEX_BY_URGENT, "GSI6PK", "GSI6SK"),
}


class BadCursorError(ValueError):
    """A page cursor that was not made here (tampered with, or for another view)."""


@dataclass(frozen=True)
class IndexRead:
    """One view as one query: which index and partition, an optional sort key range, the
    order, and filters on plain attributes."""

    index: str
    partition: str
    low: str | None = None  # sort key >= low
    high: str | None = None  # sort key < high
    newest_first: bool = False
    filters: Mapping[str, Any] = field(default_factory=dict)  # attribute -> value


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    cursor: str | None  # the next page, or None at the end
    queries: int  # index pages read (the bench's figure)
    items_read: int


def view_read(view: View, filters: Filters, me: str, today: date, soon: date) -> IndexRead:
    """The one query behind a view (``today`` and ``soon`` bound the due ranges)."""
    plain: dict[str, Any] = {}
    if filters.stage is not None:
        plain["stage_number"] = filters.stage
    if filters.procedure is not None:
        plain["procedure"] = filters.procedure
    if filters.status is not None:
        plain["status"] = filters.status.value
    if view == "mine":
        return IndexRead(keys.INDEX_BY_OWNER, keys.owner_partition(owner_key(me)), filters=plain)
    if view == "unassigned":
        return IndexRead(keys.INDEX_BY_OWNER, keys.owner_partition(owner_key(None)), filters=plain)
    if view == "overdue":
        return IndexRead(
            keys.INDEX_BY_DUE,
            keys.ACTIVE_PARTITION,
            high=today.isoformat(),
            filters={**plain, "status": "open"},
        )
    if view == "due_soon":
        return IndexRead(
            keys.INDEX_BY_DUE,
            keys.ACTIVE_PARTITION,
            low=today.isoformat(),
            high=date.fromordinal(soon.toordinal() + 1).isoformat(),
            filters={**plain, "status": "open"},
        )
    if view == "waiting":
        return IndexRead(
            keys.INDEX_BY_DUE, keys.ACTIVE_PARTITION, filters={**plain, "waiting": True}
        )
    if view == "on_hold":
        return IndexRead(keys.INDEX_BY_STATUS, keys.status_partition("on_hold"), filters=plain)
    if view == "closed":
        return IndexRead(
            keys.INDEX_BY_STATUS, keys.status_partition("closed"), newest_first=True, filters=plain
        )
    if view == "urgent":
        return IndexRead(
            keys.INDEX_BY_URGENT, keys.URGENT_PARTITION, newest_first=True, filters=plain
        )
    return IndexRead(keys.INDEX_BY_DUE, keys.ACTIVE_PARTITION, filters=plain)


def _cursor(last: Mapping[str, Any], sort_attribute: str) -> str:
    """The position after ``last`` (a LastEvaluatedKey): only its sort key and reference
    travel; the partition is the view's own."""
    plain = {
        "s": last[sort_attribute]["S"],
        "r": last["PK"]["S"].removeprefix("CASE#"),
    }
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _start_key(cursor: str, read: IndexRead) -> dict[str, Any]:
    from complaints.service.references import normalise_reference

    _, pk_name, sk_name = INDEXES[read.index]
    try:
        plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        sort_value, reference = str(plain["s"]), str(plain["r"])
    except (ValueError, KeyError, TypeError):
        raise BadCursorError(cursor) from None
    if normalise_reference(reference) != reference or not sort_value.endswith(f"#{reference}"):
        raise BadCursorError(cursor)
    return {
        pk_name: {"S": read.partition},
        sk_name: {"S": sort_value},
        "PK": {"S": keys.case_pk(reference)},
        "SK": {"S": keys.CASE_SK},
    }


class CaseloadTable(Table):
    """The caseload's index reads (its counts are ``counters.CounterTable``'s)."""

    def count_in_range(self, read: IndexRead, limit: int = 1000) -> int:
        """How many cases a due range holds (overdue, due soon), counted by the index:
        bounded by ``limit``."""
        total = 0
        request = self._request(read, None)
        request["Select"] = "COUNT"
        while total < limit:
            answer = self.dynamodb.query(**request)
            total += int(answer.get("Count", 0))
            last = answer.get("LastEvaluatedKey")
            if not last:
                break
            request["ExclusiveStartKey"] = last
        return min(total, limit)

    # ---- pages ------------------------------------------------------------------------

    def _request(self, read: IndexRead, limit: int | None) -> dict[str, Any]:
        index, pk_name, sk_name = INDEXES[read.index]
        names = {"#pk": pk_name, "#sk": sk_name}
        values: dict[str, Any] = {":pk": {"S": read.partition}}
        condition = "#pk = :pk"
        if read.low is not None and read.high is not None:
            condition += " AND #sk BETWEEN :low AND :high"
            values[":low"], values[":high"] = {"S": read.low}, {"S": read.high}
        elif read.high is not None:
            condition += " AND #sk < :high"
            values[":high"] = {"S": read.high}
        elif read.low is not None:
            condition += " AND #sk >= :low"
            values[":low"] = {"S": read.low}
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ScanIndexForward": not read.newest_first,
        }
        if limit is not None:
            request["Limit"] = limit
        if read.filters:
            from boto3.dynamodb.types import TypeSerializer

            serialise = TypeSerializer().serialize
            tests = []
            for n, (attribute, value) in enumerate(sorted(read.filters.items())):
                names[f"#f{n}"] = attribute
                values[f":f{n}"] = serialise(value)
                tests.append(f"#f{n} = :f{n}")
            request["FilterExpression"] = " AND ".join(tests)
        if "#sk" not in condition:
            names.pop("#sk")
        request["ExpressionAttributeNames"] = names
        request["ExpressionAttributeValues"] = values
        return request

    def caseload_page(
        self, read: IndexRead, cursor: str | None = None, size: int = PAGE_SIZE
    ) -> Page:
        """Up to ``size`` cases of the view from ``cursor``: at most ``MAX_READS`` index
        pages of ``size`` items each, however many the filters drop."""
        from complaints.adapters.dynamo.items import from_attributes

        _, _, sk_name = INDEXES[read.index]
        request = self._request(read, size)
        if cursor:
            request["ExclusiveStartKey"] = _start_key(cursor, read)
        cases: list[Case] = []
        queries = items_read = 0
        next_cursor: str | None = None
        while queries < MAX_READS:
            answer = self.dynamodb.query(**request)
            queries += 1
            batch = answer.get("Items", [])
            items_read += int(answer.get("ScannedCount", len(batch)))
            last = answer.get("LastEvaluatedKey")
            room = size - len(cases)
            cases += [case_from_item(from_attributes(raw)) for raw in batch[:room]]
            if len(cases) == size:
                more = len(batch) > room or last is not None
                if more:  # the next page starts after the last case shown
                    shown = cases[-1]
                    next_cursor = _cursor(
                        {
                            sk_name: {"S": self._sort_value(read, shown)},
                            "PK": {"S": keys.case_pk(shown.reference)},
                        },
                        sk_name,
                    )
                break
            if not last:
                next_cursor = None
                break
            request["ExclusiveStartKey"] = last
            next_cursor = _cursor(last, sk_name)  # if the reads run out here
        return Page(cases, next_cursor, queries, items_read)

    def _sort_value(self, read: IndexRead, case: Case) -> str:
        from complaints.adapters.dynamo.items import case_item

        item = case_item(case)
        _, _, sk_name = INDEXES[read.index]
        return str(item[sk_name])

    def owned_by(self, owner: str) -> list[Case]:
        """Every case not closed that ``owner`` owns (a leaver's cases to reassign): the
        ``ByOwner`` index, all its pages (the cost follows their cases)."""
        return [
            case_from_item(item)
            for item in self._query(
                IndexName=keys.INDEX_BY_OWNER,
                KeyConditionExpression="GSI4PK = :pk",
                ExpressionAttributeValues={":pk": {"S": keys.owner_partition(owner_key(owner))}},
            )
        ]
