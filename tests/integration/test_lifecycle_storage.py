"""Lifecycle changes stored on moto: version checks, events, check items, schedules, emails."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from complaints.adapters import keys
from complaints.adapters.dynamo import Repository
from complaints.adapters.mailer import Mailer
from complaints.adapters.scheduler import Scheduler
from complaints.clock import LONDON
from complaints.models import Case, CaseStatus
from complaints.service import lifecycle as lc
from complaints.service.casework import (
    Applied,
    CaseNotFoundError,
    StaleCaseError,
    change_case,
    sender,
)
from complaints.service.intake import receive
from complaints.service.outbox import act_on
from tests.integration.conftest import Stack
from tests.integration.helpers import schedules, sent_emails
from tests.integration.test_intake_storage import submission
from tests.unit.lifecycle_fixtures import LETTER

STAFF = "jo.adams@example.gov.uk"
RECEIVED = datetime(2025, 1, 6, 10, 0, tzinfo=LONDON)  # Monday; stage 1 due 20 January


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def _act(when: datetime) -> lc.Act:
    return lc.Act(STAFF, when, when)


def _new_case(received: datetime = RECEIVED, n: int = 0) -> str:
    filed = submission(email=f"person{n}@example.com")
    return receive(filed, Repository(), now=received.astimezone(UTC)).receipt.reference


def _pending(repository: Repository, reference: str) -> list[dict[str, Any]]:
    return [i for i in repository.check_items(reference) if i.get("status") == "pending"]


def _pending_ids(repository: Repository, reference: str) -> set[str]:
    return {str(item["check"]) for item in _pending(repository, reference)}


def _apply(reference: str, change: Any, when: datetime, deliver: bool = False) -> Applied:
    repository = Repository()
    send = sender(repository, Mailer(), Scheduler(), when) if deliver else None
    return change_case(repository, reference, lambda case: change(case, when), when, deliver=send)


def test_a_change_is_saved_with_its_event_and_a_new_version(stack: Stack) -> None:
    reference = _new_case()
    applied = _apply(
        reference, lambda c, at: lc.acknowledge(c, _act(at), summary="x"), _at(date(2025, 1, 7))
    )
    stored = stack.repository.get_case(reference)
    assert stored is not None
    assert stored.version == 1 == applied.transition.case.version
    assert stored.stage.acknowledged_on == date(2025, 1, 7)
    assert [e.type for e in stack.repository.events(reference)] == ["received", "acknowledged"]
    assert stack.repository.events(reference)[1].by == STAFF


def test_a_stale_save_is_refused_and_change_case_works_it_out_again(stack: Stack) -> None:
    reference = _new_case()
    repository = stack.repository
    before = repository.get_case(reference)
    assert before is not None
    repository.save_transition(
        before,
        lc.hold(before, _act(_at(date(2025, 1, 7))), grounds="other", reason="Police"),
        _at(date(2025, 1, 7)),
    )
    with pytest.raises(StaleCaseError):
        repository.save_transition(
            before,
            lc.extend(before, 15, "complex", _act(_at(date(2025, 1, 7)))),
            _at(date(2025, 1, 7)),
        )

    class Racing(Repository):
        """Hands out the stale copy once, as if someone saved in between."""

        stale: Case | None = before

        def get_case(self, ref: str) -> Case | None:
            if self.stale is not None:
                copy, self.stale = self.stale, None
                return copy
            return super().get_case(ref)

    with pytest.raises(lc.TransitionError, match="on hold"):
        # worked out again on the fresh case, the extension meets the hold and is refused
        change_case(
            Racing(),
            reference,
            lambda c: lc.respond(
                c,
                "upheld",
                _act(_at(date(2025, 1, 8))),
                letter=LETTER,
            ),
            _at(date(2025, 1, 8)),
        )
    stored = repository.get_case(reference)
    assert stored is not None
    assert stored.status == CaseStatus.ON_HOLD
    assert stored.version == 1


def test_an_unknown_case_is_reported_plainly(stack: Stack) -> None:
    with pytest.raises(CaseNotFoundError, match="no case ABCD-EFGH"):
        _apply(
            "ABCD-EFGH",
            lambda c, at: lc.acknowledge(c, _act(at), summary="x"),
            _at(date(2025, 1, 7)),
        )


def test_check_items_and_schedules_follow_every_change(stack: Stack) -> None:
    reference = _new_case()
    repository, scheduler = stack.repository, Scheduler()
    group = stack.env[_group_env()]
    for item in repository.outbox_items(reference):  # intake's schedules
        if item["kind"] == "schedule_checks":
            act_on(item, repository, Mailer(), scheduler, now=RECEIVED)
    assert len(schedules(group)) == 3  # acknowledgement, reminder, deadline
    first = _pending_ids(repository, reference)

    applied = _apply(
        reference,
        lambda c, at: lc.extend(c, 15, "Arranging an advocate", _act(at)),
        _at(date(2025, 1, 8)),
        deliver=True,
    )
    moved = _pending_ids(repository, reference)
    response = {check_id for check_id in moved if "#response#" in check_id}
    assert response.isdisjoint(first)  # both response checks moved with the deadline
    assert moved - response == {"1#acknowledgement#acknowledgement#2025-01-09"}  # not this one
    assert {c.id for c in applied.transition.checks} == moved
    assert all(i["GSI1PK"] == keys.DUE_PARTITION for i in _pending(repository, reference))
    # 15 working days from 6 January: due 27 January, reminder 23 January
    assert {check_id.rsplit("#", 1)[1] for check_id in response} == {"2025-01-23", "2025-01-27"}
    assert len(schedules(group)) == 3  # the old two deleted, the new two made

    _apply(
        reference,
        lambda c, at: lc.respond(c, "upheld", _act(at), letter=LETTER),
        _at(date(2025, 1, 9)),
        deliver=True,
    )
    assert _pending(repository, reference) == []
    assert schedules(group) == []
    emails = [m for m in sent_emails() if reference in m.subject]
    assert any("more time" in m.subject for m in emails)
    assert any("Our answer" in m.subject for m in emails)


def _group_env() -> str:
    from complaints.adapters.scheduler import GROUP_ENV

    return GROUP_ENV


def test_emails_of_a_change_are_sent_once_however_often_the_outbox_is_run(stack: Stack) -> None:
    from tests.integration.helpers import deliver, stream_event

    reference = _new_case()
    deliver(stream_event(stack))  # intake's own emails
    before = len(sent_emails())
    applied = _apply(
        reference,
        lambda c, at: lc.hold(c, _act(at), grounds="court_proceedings", reason="x"),
        _at(date(2025, 1, 8)),
        deliver=True,
    )
    assert applied.sent >= 1
    assert len(sent_emails()) == before + 1
    deliver(stream_event(stack))  # the stream worker sees the same outbox item: nothing new
    deliver(stream_event(stack))
    assert len(sent_emails()) == before + 1
    (held,) = sent_emails()[before:]
    assert "on hold" in held.subject
    assert "Court" not in held.body  # the reason stays with staff


def test_closing_sets_the_ttl_attribute(stack: Stack) -> None:
    reference = _new_case()
    _apply(
        reference,
        lambda c, at: lc.respond(
            c,
            "resolved",
            _act(at),
            letter=LETTER,
        ),
        _at(date(2025, 1, 9)),
    )
    _apply(reference, lambda c, at: lc.close(c, _act(at)), _at(date(2025, 1, 10)))
    item = stack.repository.get_item(reference, keys.CASE_SK)
    assert item is not None
    assert item[keys.TTL_ATTRIBUTE] == int(datetime(2031, 1, 10, tzinfo=UTC).timestamp())
    assert item["GSI3PK"] == keys.status_partition("closed")


def test_sweep_recreates_a_missing_schedule_for_a_check_due_soon(stack: Stack) -> None:
    from complaints.service.checks.sweep import sweep

    reference = _new_case()
    group = stack.env[_group_env()]
    assert schedules(group) == []  # intake's schedule item was never carried out
    # 19 January 2025 at 12:00: the deadline check (00:00 on the 21st) is more than a day away,
    # the reminder (16 January, 09:00) is already due.
    report = sweep(stack.repository, _at(date(2025, 1, 19), 12), schedules=Scheduler())
    assert report.due == 2  # the acknowledgement (9 January) and the reminder
    assert report.schedules_recreated == 0
    report = sweep(stack.repository, _at(date(2025, 1, 20), 6), schedules=Scheduler())
    assert report.due == 0
    assert report.schedules_recreated == 1
    (created,) = schedules(group)
    assert reference in created["Name"]
    again = sweep(stack.repository, _at(date(2025, 1, 20), 7), schedules=Scheduler())
    assert again.schedules_recreated == 0  # it exists now


def test_the_sweep_reads_only_what_is_due(stack: Stack, aws_calls: list[tuple[str, str]]) -> None:
    """2,000 closed cases and 5 due: the sweep's cost follows the 5, not the table."""
    from complaints.adapters.clients import client
    from complaints.adapters.dynamo import to_attributes
    from complaints.service.checks.sweep import sweep

    # moto copies the whole table for every transaction: file the 5 first, then the 2,000
    due = [_new_case(RECEIVED + timedelta(minutes=n), n) for n in range(5)]
    for reference in due:  # the stream worker sent their emails and schedules at the time
        sender(stack.repository, Mailer(), Scheduler(), RECEIVED)(
            stack.repository.outbox_items(reference)
        )
    closed = [_closed_case_items(n) for n in range(2000)]
    dynamodb = client("dynamodb")
    flat = [item for items in closed for item in items]
    for start in range(0, len(flat), 25):
        dynamodb.batch_write_item(
            RequestItems={
                stack.resources.table_name: [
                    {"PutRequest": {"Item": to_attributes(i)}} for i in flat[start : start + 25]
                ]
            }
        )
    assert len(stack.repository.list_cases([CaseStatus.CLOSED])) == 2000
    aws_calls.clear()
    report = sweep(stack.repository, _at(date(2025, 1, 21), 1))
    assert report.due == 15  # each: the acknowledgement, the reminder and the deadline
    assert report.read == 15
    assert sorted({line.split()[0] for line in report.ran}) == sorted(due)
    dynamodb_calls = [op for service, op in aws_calls if service == "dynamodb"]
    assert "Scan" not in dynamodb_calls
    assert dynamodb_calls.count("Query") <= 1 + 2 * len(due)  # the index, then each case's checks
    for reference in due:
        assert [e.type for e in stack.repository.events(reference)][-1] == "overdue"
    assert sweep(stack.repository, _at(date(2025, 1, 22), 1)).due == 0


def _closed_case_items(n: int) -> list[dict[str, Any]]:
    """A closed case as the lifecycle leaves it (its checks long run and retired)."""
    from complaints.adapters.dynamo import case_item

    return [case_item(_CLOSED.model_copy(update={"reference": f"CLSD-{n:04d}"}))]


def _closed() -> Case:
    from tests.unit.lifecycle_fixtures import new_case

    case = lc.respond(
        new_case(date(2024, 5, 1)),
        "upheld",
        _act(_at(date(2024, 5, 3))),
        letter=LETTER,
    ).case
    return lc.close(case, _act(_at(date(2024, 5, 7)))).case


_CLOSED = _closed()
