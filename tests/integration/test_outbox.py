"""The outbox worker: each email and schedule once, whatever the stream or AWS does."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from complaints.adapters.clients import client
from complaints.adapters.dynamo import Repository
from complaints.adapters.mailer import Mailer
from complaints.adapters.scheduler import Scheduler
from complaints.service.outbox import act_on
from complaints.service.tokens import hash_token
from tests.integration.conftest import Stack
from tests.integration.helpers import (
    body_json,
    deliver,
    post_json,
    schedules,
    sent_emails,
    stream_event,
    valid_fields,
)

LONDON = ZoneInfo("Europe/London")


def emails_to(address: str) -> list[object]:
    return [m for m in sent_emails() if address in m.destinations["ToAddresses"]]


def failed_keys(answer: dict[str, list[dict[str, str]]], event: dict[str, object]) -> list[str]:
    failed = {f["itemIdentifier"] for f in answer["batchItemFailures"]}
    return [
        r["dynamodb"]["Keys"]["SK"]["S"]  # type: ignore[index]
        for r in event["Records"]  # type: ignore[attr-defined]
        if r["dynamodb"]["SequenceNumber"] in failed  # type: ignore[index]
    ]


def test_a_new_case_sends_one_acknowledgement_and_one_team_alert(stack: Stack) -> None:
    reference = body_json(post_json(valid_fields()))["reference"]
    answer = deliver(stream_event(stack))
    assert answer == {"batchItemFailures": []}
    (ack,) = emails_to("sam.parent@example.com")
    (alert,) = emails_to("childrens.complaints@example.gov.uk")
    assert reference in ack.subject
    assert reference in alert.subject
    items = stack.repository.outbox_items(reference)
    assert {item["status"] for item in items} == {"done"}
    assert all("token" not in item for item in items)  # the secret is gone once sent
    assert len(schedules(stack.env["SCHEDULE_GROUP"])) == 3  # acknowledgement, reminder, deadline


def test_the_acknowledgement_link_carries_the_token_whose_hash_is_stored(stack: Stack) -> None:
    reference = body_json(post_json(valid_fields()))["reference"]
    deliver(stream_event(stack))
    (ack,) = emails_to("sam.parent@example.com")
    link = next(w for w in ack.body.split('"') if "/complaint/progress?" in w)
    token = link.split("token=")[1]
    assert link.startswith(f"https://guide.example.test/complaint/progress?reference={reference}")
    case = stack.repository.get_case(reference)
    assert case is not None
    assert case.token_hash == hash_token(token)


def test_corporate_complaints_alert_the_corporate_team(stack: Stack) -> None:
    post_json(valid_fields(service_area="education_send"))
    deliver(stream_event(stack))
    assert len(emails_to("complaints@example.gov.uk")) == 1
    assert emails_to("childrens.complaints@example.gov.uk") == []


def test_advocate_asked_for_sends_a_referral_without_the_complaint(stack: Stack) -> None:
    post_json(valid_fields(wants_advocate="yes", details="Private details of the complaint"))
    deliver(stream_event(stack))
    (referral,) = emails_to("referrals@advocacy.example.org")
    assert "Private details" not in referral.body
    assert "sam.parent@example.com" in referral.body  # how to make contact


def test_child_in_danger_alerts_the_safeguarding_contact(stack: Stack) -> None:
    reference = body_json(post_json(valid_fields(child_in_danger="yes")))["reference"]
    deliver(stream_event(stack))
    (alert,) = emails_to("front.door@example.gov.uk")
    assert reference in alert.subject
    assert "URGENT" in alert.subject
    (ack,) = emails_to("sam.parent@example.com")
    assert "999" in ack.body


def test_ses_failing_first_then_succeeding_sends_one_acknowledgement(stack: Stack) -> None:
    sender = stack.env["SENDER_EMAIL"]
    sesv2 = client("sesv2")
    sesv2.delete_email_identity(EmailIdentity=sender)  # SES now rejects the sender
    reference = body_json(post_json(valid_fields()))["reference"]
    event = stream_event(stack)

    first = deliver(event)
    assert sorted(failed_keys(first, event)) == [
        "OUTBOX#acknowledgement#s1",
        "OUTBOX#team_alert#s1",
    ]
    assert sent_emails() == []
    ack_item = stack.repository.get_item(reference, "OUTBOX#acknowledgement#s1")
    assert ack_item is not None
    assert ack_item["status"] == "pending"
    assert ack_item["last_error"] == "MessageRejected"

    sesv2.create_email_identity(EmailIdentity=sender)
    second = deliver(event)  # Lambda retries the batch from the failed record
    assert second == {"batchItemFailures": []}
    assert len(emails_to("sam.parent@example.com")) == 1
    deliver(event)  # and once more for good measure: nothing new
    assert len(emails_to("sam.parent@example.com")) == 1
    assert len(emails_to("childrens.complaints@example.gov.uk")) == 1


def test_scheduler_failing_is_retried(stack: Stack) -> None:
    group = stack.env["SCHEDULE_GROUP"]
    scheduler = client("scheduler")
    scheduler.delete_schedule_group(Name=group)  # creating schedules now fails
    body_json(post_json(valid_fields()))
    event = stream_event(stack)
    first = deliver(event)
    assert failed_keys(first, event) == ["OUTBOX#schedule_checks#s1"]

    scheduler.create_schedule_group(Name=group)
    assert deliver(event) == {"batchItemFailures": []}
    assert len(schedules(group)) == 3
    assert len(sent_emails()) == 2  # the emails went once, on the first delivery


def test_the_same_stream_record_twice_sends_one_email(stack: Stack) -> None:
    post_json(valid_fields())
    event = stream_event(stack)
    doubled = {"Records": event["Records"] + event["Records"]}
    assert deliver(doubled) == {"batchItemFailures": []}
    assert deliver(event) == {"batchItemFailures": []}
    assert len(emails_to("sam.parent@example.com")) == 1
    assert len(emails_to("childrens.complaints@example.gov.uk")) == 1


def test_records_that_are_not_new_outbox_items_are_ignored(stack: Stack) -> None:
    post_json(valid_fields())
    event = stream_event(stack)
    deliver(event)
    modified = [
        {**record, "eventName": "MODIFY"} for record in event["Records"]
    ]  # e.g. the worker's own "done" updates
    before = len(sent_emails())
    assert deliver({"Records": modified}) == {"batchItemFailures": []}
    assert len(sent_emails()) == before


def test_schedules_for_a_friday_before_a_bank_holiday_monday(stack: Stack) -> None:
    # Received Friday 23 May 2025, 16:30 in London; Monday 26 May 2025 is a bank holiday.
    from complaints.service.intake import receive
    from tests.integration.test_intake_storage import submission

    received = datetime(2025, 5, 23, 16, 30, tzinfo=LONDON)
    repository = Repository()
    receipt = receive(submission(), repository, now=received.astimezone(UTC)).receipt
    assert receipt.received_on.isoformat() == "2025-05-23"
    assert receipt.acknowledge_by.isoformat() == "2025-05-29"
    assert receipt.respond_by.isoformat() == "2025-06-09"  # 10 working days, not counting 26 May

    item = repository.get_item(receipt.reference, "OUTBOX#schedule_checks#s1")
    assert item is not None
    act_on(item, repository, Mailer(), Scheduler(), now=received)

    found = schedules(stack.env["SCHEDULE_GROUP"])
    ref = receipt.reference
    assert [s["Name"] for s in found] == [
        f"{ref}-1-acknowledgement-acknowledgement-2025-05-29",
        f"{ref}-1-response-deadline-2025-06-09",
        f"{ref}-1-response-reminder-2025-06-05",
    ]
    assert [s["ScheduleExpression"] for s in found] == [
        "at(2025-05-29T09:00:00)",  # on the acknowledgement deadline, at the start of the day
        "at(2025-06-10T00:00:00)",  # the first moment it is late
        "at(2025-06-05T09:00:00)",  # two working days before, at the start of office hours
    ]
    assert {s["ScheduleExpressionTimezone"] for s in found} == {"Europe/London"}
    assert {s["ActionAfterCompletion"] for s in found} == {"DELETE"}
    assert {s["FlexibleTimeWindow"]["Mode"] for s in found} == {"OFF"}
    assert {s["Target"]["Arn"] for s in found} == {stack.env["CHECKS_FUNCTION_ARN"]}
    assert json.loads(found[2]["Target"]["Input"]) == {
        "reference": ref,
        "check": "1#response#reminder#2025-06-05",
        "kind": "reminder",
        "stage": 1,
        "due_at": "2025-06-05T08:00:00+00:00",
    }
    due = repository.check_items(ref)
    assert sorted(i["GSI1SK"][:20] for i in due) == [
        "2025-05-29T08:00:00.",
        "2025-06-05T08:00:00.",
        "2025-06-09T23:00:00.",
    ]


def test_checks_already_due_are_left_to_the_daily_sweep(stack: Stack) -> None:
    from complaints.service.intake import receive
    from tests.integration.test_intake_storage import submission

    repository = Repository()
    receipt = receive(submission(), repository, now=datetime(2025, 5, 23, 15, 30, tzinfo=UTC))
    item = repository.get_item(receipt.receipt.reference, "OUTBOX#schedule_checks#s1")
    assert item is not None
    act_on(item, repository, Mailer(), Scheduler(), now=datetime(2025, 6, 7, tzinfo=UTC))
    names = [s["Name"] for s in schedules(stack.env["SCHEDULE_GROUP"])]
    assert names == [f"{receipt.receipt.reference}-1-response-deadline-2025-06-09"]


def test_a_claim_left_by_a_crashed_attempt_is_retried_after_its_lease(stack: Stack) -> None:
    import time

    from complaints.adapters.dynamo import OUTBOX_LEASE

    reference = body_json(post_json(valid_fields()))["reference"]
    event = stream_event(stack)
    repository = stack.repository
    sk = "OUTBOX#acknowledgement#s1"
    # A claim whose lease runs out in 2 seconds of wall-clock time; then it "crashed".
    crashed_at = datetime.now(UTC) - OUTBOX_LEASE + timedelta(seconds=2)
    assert repository.claim_outbox(reference, sk, crashed_at) == "claimed"

    answer = deliver(event)
    assert failed_keys(answer, event) == [sk]  # not silently skipped: the stream will retry
    assert emails_to("sam.parent@example.com") == []

    item = repository.get_item(reference, sk)
    assert item is not None
    time.sleep(2.5)  # the lease runs on the wall clock, whatever business time is used
    assert act_on(item, repository, Mailer(), Scheduler()) == "done"
    assert act_on(item, repository, Mailer(), Scheduler()) == "skipped"
    assert len(emails_to("sam.parent@example.com")) == 1


def test_a_notice_outbox_item_is_rendered_and_sent_once(stack: Stack) -> None:
    """Other parts (lifecycle, checks) queue emails as notice items: template, to, context."""
    from complaints.adapters.dynamo import notice_item, to_attributes

    reference = body_json(post_json(valid_fields()))["reference"]
    deliver(stream_event(stack))
    item = notice_item(
        reference,
        "reminder-1",
        "team_alert",
        ("owner@example.gov.uk",),
        {"subject": f"Reminder: {reference} is due soon", "staff_link": None},
        datetime.now(UTC),
        stage=1,
    )
    client("dynamodb").put_item(TableName=stack.resources.table_name, Item=to_attributes(item))
    event = stream_event(stack)
    assert deliver(event) == {"batchItemFailures": []}
    assert deliver(event) == {"batchItemFailures": []}
    (sent,) = emails_to("owner@example.gov.uk")
    assert sent.subject == f"Reminder: {reference} is due soon"
    assert reference in sent.body


def test_a_simulated_future_never_takes_over_a_live_claim(stack: Stack) -> None:
    """``complaints checks run --now <next month>`` sends notices at once while the stream
    worker may hold the same item: the lease is wall-clock time, so the item is not sent twice."""
    import pytest

    from complaints.service.outbox import OutboxBusyError

    reference = body_json(post_json(valid_fields()))["reference"]
    repository = stack.repository
    sk = "OUTBOX#acknowledgement#s1"
    assert repository.claim_outbox(reference, sk) == "claimed"  # the stream worker, sending
    item = repository.get_item(reference, sk)
    assert item is not None
    next_month = datetime.now(UTC) + timedelta(days=30)
    with pytest.raises(OutboxBusyError):
        act_on(item, repository, Mailer(), Scheduler(), now=next_month)
    assert emails_to("sam.parent@example.com") == []
