"""Escalation checks failing part of the way: run again, every step happens exactly once.

At a stage's deadline the check marks the case overdue, records an ``overdue`` event, alerts
the escalation contacts and writes to the complainant. The case, the event and one outbox item
per email are saved in one transaction; the emails then go at once, or through the stream
worker when sending fails. So a failure leaves either nothing (run again) or a saved change
whose emails are still owed (the outbox sends each once).

In production a check that raises is retried by Lambda (Scheduler invokes asynchronously: two
more tries), then lands in the checks dead-letter queue; its check item stays in the
``ByDueDate`` index, so the daily sweep runs it anyway.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from complaints.adapters.dynamo import Repository
from complaints.adapters.mailer import Mailer
from complaints.adapters.scheduler import Scheduler
from complaints.clock import LONDON, london_today
from complaints.service.casework import sender
from complaints.service.checks.sweep import sweep
from complaints.service.deadlines import is_overdue
from complaints.service.intake import receive
from complaints.settings import load_settings
from tests.faults.injector import Faults
from tests.integration.conftest import Stack
from tests.integration.helpers import CONTEXT, deliver, schedules, sent_emails, stream_event
from tests.integration.test_intake_storage import submission

RECEIVED = datetime(2025, 1, 6, 10, 0, tzinfo=LONDON)  # long past: every check is due
COMPLAINANT = "sam.parent@example.com"


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    from complaints.handlers.checks import handler

    return handler(event, CONTEXT)


def new_case(email: str = COMPLAINANT, received: datetime = RECEIVED) -> str:
    filed = submission(email=email)
    return receive(filed, Repository(), now=received.astimezone(UTC)).receipt.reference


def contact() -> str:
    return str(load_settings().escalation_contacts[0].email)


def emails(to: str, subject_has: str = "") -> list[Any]:
    return [
        m for m in sent_emails() if to in m.destinations["ToAddresses"] and subject_has in m.subject
    ]


def overdue_events(stack: Stack, reference: str) -> int:
    return sum(1 for e in stack.repository.events(reference) if e.type == "overdue")


def deadline_payload(stack: Stack, reference: str) -> dict[str, Any]:
    (check,) = [c for c in stack.repository.check_items(reference) if c["kind"] == "deadline"]
    return dict(check["payload"])


def assert_done_exactly_once(stack: Stack, reference: str, complainant: str = COMPLAINANT) -> None:
    case = stack.repository.get_case(reference)
    assert case is not None
    assert is_overdue(case, london_today())
    assert overdue_events(stack, reference) == 1
    alerts = [
        m for m in emails(contact()) if m.subject.startswith(f"OVERDUE: complaint {reference}")
    ]
    assert len(alerts) == 1
    assert len(emails(complainant, "late")) == 1


def test_a_deadline_check_whose_save_is_throttled_leaves_nothing_and_runs_once_later(
    stack: Stack, faults: Faults
) -> None:
    reference = new_case()
    deliver(stream_event(stack))  # intake's acknowledgement and team alert
    payload = deadline_payload(stack, reference)
    sent_before = len(sent_emails())
    faults.fail("dynamodb", "TransactWriteItems", "ProvisionedThroughputExceededException")

    with pytest.raises(ClientError):  # the function fails: Lambda will invoke it again
        invoke(payload)

    assert [e.type for e in stack.repository.events(reference)] == ["received"]
    assert {i["kind"] for i in stack.repository.outbox_items(reference)} == {
        "acknowledgement",
        "team_alert",
        "schedule_checks",
    }
    assert len(sent_emails()) == sent_before
    deadline = next(c for c in stack.repository.check_items(reference) if c["kind"] == "deadline")
    assert deadline["status"] == "pending"  # still in the index for the daily sweep

    assert invoke(payload)["ran"] is True  # Lambda's retry
    deliver(stream_event(stack))  # the stream worker sees the same outbox items
    assert invoke(payload)["ran"] is False  # the schedule firing late, once more
    assert invoke({"sweep": True})["ran"] == 2  # the acknowledgement and reminder were left
    assert invoke({"sweep": True})["due"] == 0
    deliver(stream_event(stack))
    assert_done_exactly_once(stack, reference)


def test_the_complainants_letter_failing_is_sent_once_by_the_stream_worker(
    stack: Stack, faults: Faults
) -> None:
    reference = new_case()
    deliver(stream_event(stack))
    payload = deadline_payload(stack, reference)
    faults.fail(
        "sesv2",
        "SendEmail",
        "TooManyRequestsException",
        when=lambda params: COMPLAINANT in params["Destination"]["ToAddresses"],
    )

    assert invoke(payload)["ran"] is True  # saved; the alert went, the letter is owed

    assert overdue_events(stack, reference) == 1
    assert len(emails(COMPLAINANT, "late")) == 0
    owed = stack.repository.outbox_items(reference)
    (letter,) = [i for i in owed if i.get("template") == "notice_council_late"]
    assert (letter["status"], letter["last_error"]) == ("pending", "TooManyRequestsException")

    assert deliver(stream_event(stack)) == {"batchItemFailures": []}
    assert invoke(payload)["ran"] is False
    invoke({"sweep": True})
    assert invoke({"sweep": True})["due"] == 0
    deliver(stream_event(stack))
    assert_done_exactly_once(stack, reference)


def test_one_case_failing_in_the_sweep_does_not_stop_the_others(
    stack: Stack, faults: Faults
) -> None:
    references = [new_case(f"p{n}@example.com") for n in range(3)]
    faults.fail("dynamodb", "TransactWriteItems", "ProvisionedThroughputExceededException")

    first = invoke({"sweep": True})

    assert (first["due"], first["ran"], first["failed"]) == (9, 6, 1)
    late = [r for r in references if overdue_events(stack, r) == 0]
    assert len(late) == 1  # its checks stay due; the sweep-failures alarm counts it
    second = invoke({"sweep": True})
    assert (second["due"], second["ran"], second["failed"]) == (3, 3, 0)
    assert invoke({"sweep": True})["due"] == 0
    deliver(stream_event(stack))
    for n, reference in enumerate(references):
        assert_done_exactly_once(stack, reference, f"p{n}@example.com")


def test_scheduler_down_does_not_hold_up_the_checks_that_are_due(
    stack: Stack, faults: Faults
) -> None:
    overdue = new_case("late@example.com")
    soon = new_case("soon@example.com", received=datetime(2025, 3, 3, 10, 0, tzinfo=LONDON))
    (reminder,) = [c for c in stack.repository.check_items(soon) if c["kind"] == "reminder"]
    now = datetime.fromisoformat(str(reminder["due_at"])) - timedelta(hours=1)
    faults.fail("scheduler", "CreateSchedule", "ThrottlingException", times=99)
    repository = Repository()

    def run() -> Any:
        deliver_now = sender(repository, Mailer(), Scheduler(), now)
        return sweep(repository, now, deliver=deliver_now, schedules=Scheduler())

    report = run()

    due_then = [
        f"{ref} {c['check']}"
        for ref in (overdue, soon)
        for c in stack.repository.check_items(ref)
        if datetime.fromisoformat(str(c["due_at"])) <= now
    ]
    assert sorted(report.ran) == sorted(due_then)
    assert f"{soon} {reminder['check']}" not in report.ran
    assert report.failed == [soon]  # its schedule could not be made: counted, tried again
    assert overdue_events(stack, overdue) == 1

    faults.faults.clear()  # Scheduler is back
    again = run()
    assert (again.ran, again.failed) == ([], [])
    # The case's own schedules item, which the stream never finished, is done now: one
    # schedule for each of its pending checks, the reminder among them, none twice.
    names = sorted(s["Name"] for s in schedules(stack.env["SCHEDULE_GROUP"]))
    pending = [c for c in stack.repository.check_items(soon) if c["status"] == "pending"]
    assert names == sorted(str(c["schedule_name"]) for c in pending)
    assert reminder["schedule_name"] in names
    assert overdue_events(stack, overdue) == 1
