"""No message retried forever, and once as far as each sender allows: an email SES keeps
refusing is given up after the council's attempts and the case says so; GOV.UK Notify down,
then up, sends once; a send whose answer (or whose "done") was lost is not sent again through
Notify; a bounce that arrives before the send is marked done is recorded all the same."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from complaints.clock import now as clock_now
from complaints.models import EventType
from complaints.settings import load_settings
from complaints_tools.local.fake_notify import FakeNotify
from tests.faults.injector import Faults
from tests.faults.test_outbox_faults import ACK, COMPLAINANT, TEAM, redeliver, to_complainant
from tests.integration.conftest import Stack
from tests.integration.delivery_helpers import (
    delivery_for,
    events_of,
    fake_notify,  # noqa: F401  (a fixture)
    no_pauses,
    notify_council,
)
from tests.integration.helpers import body_json, deliver, post_json, stream_event, valid_fields
from tests.integration.test_outbox import emails_to, failed_keys


def _cap(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, attempts: int) -> None:
    from complaints.settings import COUNCIL_FILE

    council = tmp_path / "council-cap.yaml"
    council.write_text(
        COUNCIL_FILE.read_text(encoding="utf-8").replace(
            "outbox_max_attempts: 10", f"outbox_max_attempts: {attempts}"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("COMPLAINTS_COUNCIL_FILE", str(council))
    load_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_settings() -> Any:
    yield
    load_settings.cache_clear()


def test_an_email_ses_keeps_refusing_is_given_up_after_the_councils_attempts(
    stack: Stack, faults: Faults, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from complaints.service.casework import sender
    from complaints.service.checks.sweep import sweep
    from complaints.wiring import adapters

    _cap(monkeypatch, tmp_path, 3)
    reference = body_json(post_json(valid_fields()))["reference"]
    refused = faults.fail("sesv2", "SendEmail", "MessageRejected", times=99, when=to_complainant)
    event = stream_event(stack)
    answer = deliver(event)
    for _ in range(2):  # the stream's retries
        assert failed_keys(answer, event) == [ACK]
        event = redeliver(event, answer)
        answer = deliver(event)
    assert answer == {"batchItemFailures": []}  # the third attempt gave up: nothing to retry
    assert refused.injected == 3

    item = stack.repository.get_item(reference, ACK)
    assert item is not None
    assert (item["status"], item["attempts"], item["last_error"]) == (
        "failed",
        3,
        "MessageRejected",
    )
    assert "token" not in item  # the secret is gone
    assert "GSI1PK" not in item  # out of the sweep's index
    (failed,) = events_of(stack, reference, EventType.DELIVERY_FAILED)
    assert (failed.reason, failed.data["provider"]) == ("not_sent", "outbox")
    case = stack.repository.get_case(reference)
    assert case is not None
    assert case.needs_contact

    deliver(stream_event(stack))  # the alert, through the outbox like any email
    assert [m for m in emails_to(TEAM) if "Reach the family another way" in m.subject]

    made = adapters()
    later = clock_now() + timedelta(days=2)  # every daily sweep after it: never tried again
    sweep(made.store, later, deliver=sender(made.store, made.mail, made.schedules, later))
    assert refused.injected == 3
    assert len(events_of(stack, reference, EventType.DELIVERY_FAILED)) == 1


def test_a_worker_that_died_holding_the_last_attempt_gives_up_without_sending(
    stack: Stack, faults: Faults, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from complaints.adapters.dynamo.outbox import OUTBOX_LEASE
    from complaints.clock import wall_now

    _cap(monkeypatch, tmp_path, 2)
    reference = body_json(post_json(valid_fields()))["reference"]
    crashed = wall_now() - OUTBOX_LEASE * 3
    for _ in range(2):  # two workers took it and died (their leases ran out)
        stack.repository.claim_outbox(reference, ACK, now=crashed)
        crashed += OUTBOX_LEASE * 1.5
    deliver(stream_event(stack))
    assert emails_to(COMPLAINANT) == []
    item = stack.repository.get_item(reference, ACK)
    assert item is not None
    assert item["status"] == "failed"
    assert len(events_of(stack, reference, EventType.DELIVERY_FAILED)) == 1


def test_a_bounce_that_arrives_before_the_send_is_marked_done_is_recorded(
    stack: Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    delivery = delivery_for(stack, tmp_path)
    publish = delivery.simulator.after_send

    def bounce_at_once(*args: Any) -> int:
        """SES's event is handled while the outbox has not yet marked the send done."""
        queued = publish(*args)
        delivery.drain()
        return queued

    monkeypatch.setattr(delivery.simulator, "after_send", bounce_at_once)
    reference = body_json(post_json(valid_fields(email="bounce@simulator.amazonses.com")))[
        "reference"
    ]
    assert deliver(stream_event(stack)) == {"batchItemFailures": []}
    (failed,) = events_of(stack, reference, EventType.DELIVERY_FAILED)
    assert failed.reason == "bounce"
    item = stack.repository.get_item(reference, ACK)
    assert item is not None
    assert item["status"] == "done"  # the send finished after the bounce was recorded
    case = stack.repository.get_case(reference)
    assert case is not None
    assert case.needs_contact
    deliver(stream_event(stack))  # the stream again: nothing is sent twice
    assert len(emails_to("bounce@simulator.amazonses.com")) == 1


def test_notify_down_then_up_sends_the_acknowledgement_once(
    stack: Stack,
    fake_notify: FakeNotify,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    notify_council(tmp_path, monkeypatch, fake_notify)
    no_pauses(monkeypatch)
    reference = body_json(post_json(valid_fields()))["reference"]
    event = stream_event(stack)
    fake_notify.outage = True
    answer = deliver(event)
    failed = failed_keys(answer, event)
    assert ACK in failed
    item = stack.repository.get_item(reference, ACK)
    assert item is not None
    assert (item["status"], item["last_error"]) == ("pending", "Notify503")

    fake_notify.outage = False
    assert deliver(redeliver(event, answer)) == {"batchItemFailures": []}
    assert len(fake_notify.sent_to(COMPLAINANT)) == 1
    assert len(fake_notify.sent_to(TEAM)) == 1
    (sent,) = fake_notify.sent_to(COMPLAINANT)
    assert sent["reference"] == f"{reference}.acknowledgement_23s1"


def test_notify_sent_it_but_the_outbox_could_not_mark_it_done_and_the_retry_sends_nothing(
    stack: Stack,
    faults: Faults,
    fake_notify: FakeNotify,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from complaints.adapters.dynamo.outbox import OUTBOX_LEASE
    from complaints.clock import wall_now

    notify_council(tmp_path, monkeypatch, fake_notify)
    no_pauses(monkeypatch)
    reference = body_json(post_json(valid_fields()))["reference"]

    def marks_the_acknowledgement_done(params: Any) -> bool:
        return bool(
            params["Key"]["SK"]["S"] == ACK and ":done" in params["ExpressionAttributeValues"]
        )

    faults.fail(
        "dynamodb", "UpdateItem", "InternalServerError", when=marks_the_acknowledgement_done
    )
    event = stream_event(stack)
    deliver(event)  # sent, but "done" fails: the item stays leased to the worker that sent it
    assert len(fake_notify.sent_to(COMPLAINANT)) == 1
    later = wall_now() + OUTBOX_LEASE * 2
    monkeypatch.setattr("complaints.adapters.dynamo.outbox.wall_now", lambda: later)
    assert deliver(event) == {"batchItemFailures": []}  # the lease ran out: a retry
    assert len(fake_notify.sent_to(COMPLAINANT)) == 1  # looked up by its reference: not again
    assert "GET /v2/notifications" in fake_notify.requests
    item = stack.repository.get_item(reference, ACK)
    assert item is not None
    assert (item["status"], item["attempts"]) == ("done", 2)


def test_a_400_from_notify_is_given_up_at_once_and_the_case_says_so(
    stack: Stack,
    fake_notify: FakeNotify,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    notify_council(tmp_path, monkeypatch, fake_notify)
    no_pauses(monkeypatch)
    reference = body_json(post_json(valid_fields()))["reference"]
    fake_notify.faults = [400]  # the first request: the acknowledgement (urgent alerts aside)
    assert deliver(stream_event(stack)) == {"batchItemFailures": []}
    item = stack.repository.get_item(reference, ACK)
    assert item is not None
    assert (item["status"], item["attempts"]) == ("failed", 1)
    (failed,) = events_of(stack, reference, EventType.DELIVERY_FAILED)
    assert failed.reason == "not_sent"
    assert fake_notify.sent_to(COMPLAINANT) == []
