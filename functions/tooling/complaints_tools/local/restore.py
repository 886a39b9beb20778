"""Putting a saved table back into the embedded AWS before anything else runs.

The embedded AWS (moto) runs in this process, so the table's items go straight into its
DynamoDB backend, as a restored DynamoDB table starts: with the items and an empty stream. No
stream record means the outbox worker never takes a restored item for a new one, so nothing is
sent twice. Then the one-time schedules of pending checks are made again (moto keeps none), so
reminders and deadlines still fire (through ``embedded_scheduler``: in process, quickly).

This leans on moto's internals (``Table.items``, ``Item``); moto's own
``Item.__deepcopy__`` builds items the same way. Local only: the deployed stack never loads
this module.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from complaints.adapters.keys import CASE_ITEM, CHECK_ITEM, OUTBOX_ITEM
from complaints_tools.local.template import ACCOUNT_ID


@dataclass(frozen=True)
class Restored:
    items: int
    cases: int
    pending_checks: int
    schedules: int
    outbox_waiting: int  # outbox items not done: `complaints checks run` carries them out


def moto_table(table_name: str, region: str) -> Any:
    """The embedded AWS's own table object (moto, in this process)."""
    from moto.dynamodb.models import dynamodb_backends

    accounts = [ACCOUNT_ID, *(a for a in dynamodb_backends if a != ACCOUNT_ID)]
    for account in accounts:
        table = dynamodb_backends[account][region].tables.get(table_name)
        if table is not None:
            return table
    raise RuntimeError(f"the embedded AWS has no table {table_name}")


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while a saved table is read and restored (a million small objects
    at once would set it off again and again); afterwards the restored objects are frozen, so
    later collections, while requests wait, never walk through them."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.freeze()
            gc.enable()


def key_names(table: Any) -> tuple[str, ...]:
    return tuple(name for name in (table.hash_key_attr, table.range_key_attr) if name)


def restore_items(table: Any, items: Sequence[Mapping[str, Any]]) -> None:
    """Put ``items`` (DynamoDB JSON) into ``table`` without stream records or validation (they
    were valid when written)."""
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

    hash_name, range_name = table.hash_key_attr, table.range_key_attr
    with collector_paused():
        for attributes in items:
            item: Any = Item.__new__(Item)
            item.hash_key = DynamoType(attributes[hash_name])
            item.range_key = DynamoType(attributes[range_name]) if range_name else None
            values = LimitedSizeDict.__new__(LimitedSizeDict)
            dict.__init__(values, {name: DynamoType(v) for name, v in attributes.items()})
            item.attrs = values
            if range_name:
                table.items[item.hash_key][item.range_key] = item
            else:
                table.items[item.hash_key] = item


def check_the_keys(table: Any, items: Iterable[Mapping[str, Any]]) -> str | None:
    """Why the items cannot go into ``table`` (a key missing), or ``None``."""
    names = key_names(table)
    for number, item in enumerate(items, start=1):
        missing = [name for name in names if name not in item]
        if missing:
            return f"item {number} has no {' or '.join(missing)}"
    return None


def _text(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    return str(value["S"]) if isinstance(value, Mapping) and "S" in value else None


def pending_checks(items: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The check items (DynamoDB JSON) still waiting to run: in the ``ByDueDate`` index."""
    return [
        item
        for item in items
        if _text(item, "item_type") == CHECK_ITEM
        and "GSI1PK" in item
        and _text(item, "status") in (None, "pending")
        and _text(item, "schedule_name")
    ]


def recreate_schedules(items: Iterable[Mapping[str, Any]], scheduler: Any) -> int:
    """A one-time schedule for every pending check in ``items`` (DynamoDB JSON), through
    ``scheduler`` (a ``Scheduler`` adapter); returns how many were made."""
    from complaints.adapters.dynamo import from_attributes

    made = 0
    for item in pending_checks(items):
        payload = from_attributes({"payload": item["payload"]})["payload"]
        due_at = datetime.fromisoformat(str(_text(item, "due_at")))
        if scheduler.create_once(str(_text(item, "schedule_name")), due_at, payload):
            made += 1
    return made


def summarise(items: Sequence[Mapping[str, Any]], schedules: int) -> Restored:
    """What was restored, counted from ``items`` (DynamoDB JSON)."""
    kinds = [_text(item, "item_type") for item in items]
    return Restored(
        items=len(items),
        cases=kinds.count(CASE_ITEM),
        pending_checks=len(pending_checks(items)),
        schedules=schedules,
        outbox_waiting=sum(
            1
            for item, kind in zip(items, kinds, strict=True)
            if kind == OUTBOX_ITEM and "GSI1PK" in item and _text(item, "status") != "done"
        ),
    )
