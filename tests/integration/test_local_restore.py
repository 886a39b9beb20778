"""Saving and restoring the local table against the embedded AWS (moto in-process): what the
stream copy saves is what the table held; restored, the table answers the same queries, its
stream stays empty (nothing is taken for new), and pending checks get their schedules back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from complaints.adapters import clients
from complaints.adapters.dynamo import Repository
from complaints.adapters.scheduler import Scheduler
from complaints.service.intake import SubmissionReusedError, receive
from complaints_tools.local import snapshot
from complaints_tools.local.embedded_scheduler import EmbeddedScheduler, moto_scheduler
from complaints_tools.local.mirror import TableMirror
from complaints_tools.local.restore import (
    moto_table,
    pending_checks,
    recreate_schedules,
    restore_items,
    summarise,
)
from complaints_tools.local.state import REGION
from tests.integration.conftest import Stack
from tests.integration.test_intake_storage import submission


def _scan(stack: Stack) -> list[dict[str, Any]]:
    found = clients.client("dynamodb").scan(TableName=stack.resources.table_name)["Items"]
    return sorted(found, key=lambda item: (item["PK"]["S"], item["SK"]["S"]))


def _schedules(group: str) -> set[str]:
    pages = clients.client("scheduler").get_paginator("list_schedules").paginate(GroupName=group)
    return {item["Name"] for page in pages for item in page["Schedules"]}


def test_saved_then_restored_the_table_is_the_same(stack: Stack, tmp_path: Path) -> None:
    table = moto_table(stack.resources.table_name, REGION)
    path = snapshot.table_path(tmp_path)
    mirror = TableMirror(path, lambda: table.stream_shard.items, {})
    repository = Repository()
    now = datetime.now(UTC)
    first = receive(submission(), repository, now=now - timedelta(days=2)).receipt.reference
    second = receive(submission(email="jo@example.com"), repository, now=now).receipt.reference
    repository.retire_check(first, repository.check_items(first)[0]["SK"], now)  # an update
    mirror.stop()  # applies every record, then saves
    before = _scan(stack)
    saved = snapshot.read(path)
    assert saved is not None
    assert sorted(saved.items, key=lambda i: (i["PK"]["S"], i["SK"]["S"])) == before

    table.items.clear()  # a new embedded AWS: the table is empty
    records = len(table.stream_shard.items)
    restore_items(table, saved.items)
    assert _scan(stack) == before
    assert len(table.stream_shard.items) == records  # no stream record: nothing is "new"
    assert {c.reference for c in repository.list_cases()} == {first, second}
    due, _read = repository.pending_checks(now + timedelta(days=400))  # the ByDueDate index
    assert {item["reference"] for item in due} >= {first, second}
    assert repository.events(first)[0].type == "received"

    group = stack.env["SCHEDULE_GROUP"]
    scheduler = Scheduler(group, scheduler=EmbeddedScheduler(moto_scheduler(group, REGION)))
    waiting = pending_checks(saved.items)
    assert recreate_schedules(saved.items, scheduler) == len(waiting) > 0
    assert recreate_schedules(saved.items, scheduler) == 0  # already there: counted once
    assert _schedules(group) == {item["schedule_name"]["S"] for item in waiting}
    summary = summarise(saved.items, len(waiting))
    assert (summary.cases, summary.pending_checks) == (2, len(waiting))
    assert summary.outbox_waiting == len(repository.outbox_items(first)) + len(
        repository.outbox_items(second)
    )  # nothing has sent them here: `checks run` would


def test_a_cancelled_transaction_is_not_saved(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeat of a submission id with other content is cancelled after its first puts were
    written (and put on the stream). Even if the copy looks twice meanwhile (a slow
    transaction), what it saves is what the table holds."""
    from moto.dynamodb.models.table import StreamShard

    table = moto_table(stack.resources.table_name, REGION)
    path = snapshot.table_path(tmp_path)
    mirror = TableMirror(path, lambda: table.stream_shard.items, {})
    repository = Repository()
    now = datetime.now(UTC)
    submission_id = "4b1f0a56-59a4-4d1a-9a0c-3f5a2b0e7d11"
    receive(submission(submission_id=submission_id), repository, now=now)
    mirror.look()
    mirror.look()
    applied_before = mirror.items

    add = StreamShard.add
    looked: list[int] = []

    def add_and_look(shard: Any, old: Any, new: Any) -> None:
        add(shard, old, new)
        looked.append(mirror.look() + mirror.look())  # the copy takes the record as settled

    monkeypatch.setattr(StreamShard, "add", add_and_look)
    other = submission(submission_id=submission_id, details="Something else entirely.")
    with pytest.raises(SubmissionReusedError):  # answered as a conflict: nothing new kept
        receive(other, repository, now=now)
    monkeypatch.setattr(StreamShard, "add", add)
    assert sum(looked) > 0  # records of the cancelled transaction were applied ...
    mirror.stop()
    saved = snapshot.read(path)
    assert saved is not None
    assert len(saved.items) == applied_before
    assert sorted(saved.items, key=lambda i: (i["PK"]["S"], i["SK"]["S"])) == _scan(stack)


def test_the_scheduler_emulation_fires_through_the_embedded_backend(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process, as over HTTP: a due schedule fires once and deletes itself; one not due
    waits; a schedule that is gone answers as Scheduler does."""
    from botocore.exceptions import ClientError

    from complaints_tools.local import schedules

    group = stack.env["SCHEDULE_GROUP"]
    embedded = EmbeddedScheduler(moto_scheduler(group, REGION))
    scheduler = Scheduler(group, scheduler=embedded)
    now = datetime.now(UTC)
    assert scheduler.create_once("due", now - timedelta(minutes=1), {"n": 1})
    assert scheduler.create_once("later", now + timedelta(days=1), {"n": 2})
    assert not scheduler.create_once("due", now, {"n": 1})  # a conflict, as in AWS
    calls: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        calls.append(event)

    target = stack.env["CHECKS_FUNCTION_ARN"]
    monkeypatch.setattr(schedules, "load_handler", lambda path: handler)
    emulator = schedules.SchedulerEmulator(embedded, group, {target: "x.y"}, clock=lambda: now)
    assert emulator.run_due() == 1
    assert emulator.run_due() == 0
    assert calls == [{"n": 1}]
    assert _schedules(group) == {"later"}  # also what the HTTP API lists
    assert not scheduler.delete("due")
    with pytest.raises(ClientError) as gone:
        embedded.get_schedule(Name="due", GroupName=group)
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"
