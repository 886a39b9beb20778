"""The delivery path on the in-process moto stack: SES's mailbox simulator, the delivery queue
and its poller feeding the real delivery handler, and GOV.UK Notify as the sender (its fake)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from complaints.adapters.clients import client
from complaints.models import Event, EventType
from complaints_tools.local import mailbox
from complaints_tools.local.fake_notify import FakeNotify
from complaints_tools.local.queues import QueuePoller
from complaints_tools.local.simulator import SesSimulator
from tests.integration.conftest import Stack
from tests.integration.helpers import CONTEXT, deliver, stream_event

QUEUE = "DeliveryQueue"
DEAD_LETTERS = "DeliveryDeadLetterQueue"


@dataclass
class Delivery:
    stack: Stack
    poller: QueuePoller
    simulator: SesSimulator

    @property
    def queue_url(self) -> str:
        return self.stack.resources.queues[QUEUE]

    def drain(self) -> int:
        """Hand every queued delivery event to the delivery handler; how many batches ran."""
        batches = 0
        while self.poller.poll_once():
            batches += 1
        return batches

    def queued(self) -> list[dict[str, Any]]:
        """What is on the delivery queue now (read, then left there)."""
        sqs = client("sqs")
        found = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10)
        bodies = []
        for message in found.get("Messages") or []:
            bodies.append(json.loads(message["Body"]))
            sqs.change_message_visibility(
                QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
        return bodies

    def put(self, body: dict[str, Any]) -> None:
        client("sqs").send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(body))

    def send_outbox(self) -> dict[str, Any]:
        """The outbox worker on every outbox record so far (the stream's)."""
        return deliver(stream_event(self.stack))


def delivery_for(stack: Stack, tmp_path: Path) -> Delivery:
    """The simulator on the stack's SES client, and a poller on its delivery queue."""
    from complaints.handlers.delivery import handler

    resources = stack.resources
    (rule,) = resources.event_rules
    simulator = SesSimulator(client("sqs"), resources.event_rules)
    mailbox.install(client("sesv2"), tmp_path / "emails.jsonl", simulator=simulator)
    sqs = client("sqs")
    arn = sqs.get_queue_attributes(QueueUrl=rule.queue_url, AttributeNames=["QueueArn"])
    poller = QueuePoller(
        sqs, rule.queue_url, arn["Attributes"]["QueueArn"], lambda e, c: handler(e, CONTEXT)
    )
    return Delivery(stack, poller, simulator)


def events_of(stack: Stack, reference: str, *kinds: EventType) -> list[Event]:
    return [e for e in stack.repository.events(reference) if not kinds or e.type in kinds]


def notify_council(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeNotify) -> None:
    """council.yaml with ``sender: notify`` and the fake's template, the fake's key in the
    stack's Notify secret, and the sender pointed at the fake."""
    from complaints import wiring
    from complaints.settings import COUNCIL_FILE, load_settings

    council = tmp_path / "council.yaml"
    council.write_text(
        COUNCIL_FILE.read_text(encoding="utf-8").replace(
            "sender: ses", f"sender: notify\nnotify:\n  email_template_id: {fake.template_id}"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("COMPLAINTS_COUNCIL_FILE", str(council))
    monkeypatch.setenv("NOTIFY_API_URL", fake.url)
    load_settings.cache_clear()
    client("secretsmanager").put_secret_value(
        SecretId=__import__("os").environ["NOTIFY_API_KEY_SECRET"], SecretString=fake.api_key
    )
    wiring.reset()


@pytest.fixture
def fake_notify() -> Iterator[FakeNotify]:
    from complaints.settings import load_settings

    fake = FakeNotify(callback_delay=60.0).start()  # receipts are sent by the tests themselves
    yield fake
    fake.stop()
    load_settings.cache_clear()


def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Notify sender's pauses between tries, skipped."""
    import complaints.adapters.notify as notify

    monkeypatch.setattr(notify, "PAUSE_SECONDS", 0.0)
