"""Every message reaches its person, or someone knows it did not: SES's events (its mailbox
simulator, through the template's rule and the delivery queue) and GOV.UK Notify's receipts
(through its callback route) become events on the case, once, with the family-not-reached
flag and an alert to reach them another way."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from complaints.adapters.clients import client
from complaints.clock import london_today
from complaints.models import SYSTEM_EVENTS, EventType
from complaints.service.case_view import detail, summary
from tests.integration.conftest import Stack
from tests.integration.delivery_helpers import Delivery, delivery_for, events_of
from tests.integration.helpers import CONTEXT, body_json, post_json, valid_fields
from tests.integration.test_outbox import emails_to

BOUNCE = "bounce@simulator.amazonses.com"
SUCCESS = "success@simulator.amazonses.com"
COMPLAINT = "complaint@simulator.amazonses.com"
TEAM = "childrens.complaints@example.gov.uk"


@pytest.fixture
def delivery(stack: Stack, tmp_path: Path) -> Delivery:
    return delivery_for(stack, tmp_path)


def _file(email: str) -> str:
    return str(body_json(post_json(valid_fields(email=email)))["reference"])


def test_a_complaint_from_an_address_that_bounces_flags_the_case_and_alerts_the_team(
    stack: Stack, delivery: Delivery
) -> None:
    reference = _file(BOUNCE)
    delivery.send_outbox()  # the acknowledgement (it bounces) and the team alert
    assert delivery.drain() == 1
    (failed,) = events_of(stack, reference, EventType.DELIVERY_FAILED)
    assert failed.type in SYSTEM_EVENTS
    assert (failed.reason, failed.data["email"], failed.data["to"]) == (
        "bounce",
        "acknowledgement",
        "complainant",
    )
    case = stack.repository.get_case(reference)
    assert case is not None
    assert case.needs_contact
    assert summary(case, london_today())["needs_contact"] is True
    assert detail(case, [], london_today())["undelivered"][0]["reason"] == "bounce"

    delivery.send_outbox()  # the alert to reach the family another way, through the outbox
    (alert,) = [m for m in emails_to(TEAM) if "Reach the family another way" in m.subject]
    assert reference in alert.subject
    assert BOUNCE not in alert.body  # the address that bounced is personal data
    assert "Sam Parent" not in alert.body


def test_a_complaint_from_an_address_that_delivers_records_delivered(
    stack: Stack, delivery: Delivery
) -> None:
    reference = _file(SUCCESS)
    delivery.send_outbox()
    delivery.drain()
    (delivered,) = events_of(stack, reference, EventType.DELIVERED)
    assert delivered.data["email"] == "acknowledgement"
    assert delivered.type in SYSTEM_EVENTS
    assert events_of(stack, reference, EventType.DELIVERY_FAILED) == []
    case = stack.repository.get_case(reference)
    assert case is not None
    assert not case.needs_contact


def test_an_email_marked_as_spam_is_delivered_and_then_needs_contact(
    stack: Stack, delivery: Delivery
) -> None:
    reference = _file(COMPLAINT)
    delivery.send_outbox()
    delivery.drain()
    kinds = [
        e.type for e in events_of(stack, reference, EventType.DELIVERED, EventType.DELIVERY_FAILED)
    ]
    assert kinds == [EventType.DELIVERED, EventType.DELIVERY_FAILED]
    (failed,) = events_of(stack, reference, EventType.DELIVERY_FAILED)
    assert failed.reason == "complaint"


def test_only_email_through_the_configuration_set_draws_events(delivery: Delivery) -> None:
    from complaints.adapters.mailer import Mailer
    from complaints.service.messages.render import Email

    email = Email((BOUNCE,), "s", "t", "<p>t</p>", "acknowledgement", "KX7F-3QTM")
    Mailer().send(email)
    assert len(delivery.queued()) == 1  # the stack's configuration set: SES publishes
    without = Mailer()
    without.configuration_set = None
    without.send(email)
    assert len(delivery.queued()) == 1


def test_the_same_event_twice_is_recorded_once(stack: Stack, delivery: Delivery) -> None:
    reference = _file(BOUNCE)
    delivery.send_outbox()
    (event,) = delivery.queued()
    delivery.put(event)  # SQS delivers at least once; EventBridge may publish twice
    delivery.drain()
    assert len(events_of(stack, reference, EventType.DELIVERY_FAILED)) == 1
    case = stack.repository.get_case(reference)
    assert case is not None
    assert len(case.undelivered) == 1
    alerts = [
        i
        for i in stack.repository.outbox_items(reference)
        if i.get("template") == "notice_delivery_failed"
    ]
    assert len(alerts) == 1


def test_a_record_that_cannot_be_read_fails_alone(stack: Stack, delivery: Delivery) -> None:
    from complaints.handlers.delivery import handler

    reference = _file(BOUNCE)
    delivery.send_outbox()
    (event,) = delivery.queued()
    records = [
        {"messageId": "bad", "body": "{not json", "receiptHandle": "x", "attributes": {}},
        {"messageId": "good", "body": json.dumps(event), "receiptHandle": "y", "attributes": {}},
        {"messageId": "other", "body": '{"source": "else", "detail": {}}', "attributes": {}},
    ]
    for record in records:
        record.update(eventSource="aws:sqs", messageAttributes={}, md5OfBody="")
    answer = handler({"Records": records}, CONTEXT)
    assert {f["itemIdentifier"] for f in answer["batchItemFailures"]} == {"bad", "other"}
    assert len(events_of(stack, reference, EventType.DELIVERY_FAILED)) == 1


def test_events_of_email_the_system_did_not_send_are_left_alone(
    stack: Stack, delivery: Delivery
) -> None:
    reference = _file(SUCCESS)
    delivery.send_outbox()
    (event,) = delivery.queued()
    delivery.drain()
    before = len(stack.repository.events(reference))
    for tags in ({}, {"message": ["GONE-CASE.acknowledgement_23s1"]}):
        stranger = json.loads(json.dumps(event))
        stranger["detail"]["mail"]["tags"] = tags
        stranger["detail"]["mail"]["messageId"] = "another"
        delivery.put(stranger)
    delivery.drain()
    assert len(stack.repository.events(reference)) == before
    assert delivery.poller.failed == 0


# --- GOV.UK Notify's callback ------------------------------------------------------------


def _callback(token: str | None, body: Any, *, encoded: bool = False) -> dict[str, Any]:
    from complaints.handlers.notify_callback import handler

    raw = json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    return handler(
        {
            "version": "2.0",
            "routeKey": "POST /api/delivery/notify",
            "rawPath": "/api/delivery/notify",
            "headers": headers,
            "body": base64.b64encode(raw).decode() if encoded else raw.decode(),
            "isBase64Encoded": encoded,
            "requestContext": {"http": {"method": "POST", "path": "/api/delivery/notify"}},
        },
        CONTEXT,
    )


def _token() -> str:
    import os

    secret = os.environ["NOTIFY_CALLBACK_SECRET"]
    return str(client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"])


def _receipt(reference: str, status: str = "permanent-failure") -> dict[str, Any]:
    return {
        "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
        "reference": f"{reference}.acknowledgement_23s1",
        "to": "sam.private@example.org",
        "status": status,
        "created_at": "2026-11-26T10:00:00.000000Z",
        "completed_at": "2026-11-26T10:00:05.000000Z",
        "sent_at": "2026-11-26T10:00:01.000000Z",
        "notification_type": "email",
        "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
        "template_version": 1,
    }


def test_a_notify_receipt_with_the_token_is_queued_without_the_address_and_recorded(
    stack: Stack, delivery: Delivery
) -> None:
    reference = _file("sam@example.org")
    answer = _callback(_token(), _receipt(reference), encoded=True)
    assert answer["statusCode"] == 202
    (queued,) = delivery.queued()
    assert "sam.private" not in json.dumps(queued)  # never the recipient's address
    delivery.drain()
    (failed,) = events_of(stack, reference, EventType.DELIVERY_FAILED)
    assert (failed.reason, failed.data["provider"]) == ("permanent_failure", "notify")
    # Notify retries a callback it thinks failed: the same receipt again records nothing new
    assert _callback(_token(), _receipt(reference))["statusCode"] == 202
    delivery.drain()
    assert len(events_of(stack, reference, EventType.DELIVERY_FAILED)) == 1


@pytest.mark.parametrize("token", [None, "", "wrong", "Bearer", "x" * 48])
def test_a_receipt_without_the_right_token_changes_nothing(
    stack: Stack, delivery: Delivery, token: str | None
) -> None:
    reference = _file("sam@example.org")
    answer = _callback(token, _receipt(reference))
    assert answer["statusCode"] == 401
    assert delivery.queued() == []


def test_the_token_is_compared_in_constant_time() -> None:
    import inspect

    from complaints.handlers import notify_callback

    source = inspect.getsource(notify_callback.authorised)
    assert "hmac.compare_digest" in source
    assert notify_callback.authorised("Bearer abc", "abc")
    assert not notify_callback.authorised("Bearer abd", "abc")
    assert not notify_callback.authorised("Bearer ", "")  # no secret: nobody in


@pytest.mark.parametrize(
    "body", [[], {"id": "x"}, {"status": "delivered"}, {"id": 1, "status": "delivered"}, "x"]
)
def test_what_is_not_a_receipt_is_refused(delivery: Delivery, body: Any) -> None:
    assert _callback(_token(), body)["statusCode"] == 400
    assert delivery.queued() == []
