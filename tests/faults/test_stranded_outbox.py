"""An outbox item the stream never finished is carried out by the daily sweep, once.

A worker can die holding an item (a Lambda timeout mid-send), and the stream's retries can
all come while its lease runs, so the record goes to the dead-letter queue with the item
still undone. Every outbox item waits in the ``ByDueDate`` index until it is done; the sweep
takes any still there ``OUTBOX_SWEPT_AFTER`` after it was written.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from complaints.adapters.dynamo import OUTBOX_SWEPT_AFTER, Repository
from complaints.adapters.mailer import Mailer
from complaints.adapters.scheduler import Scheduler
from complaints.service.casework import sender
from complaints.service.checks.sweep import SweepReport, sweep
from tests.faults.injector import Faults
from tests.faults.test_outbox_faults import ACK, COMPLAINANT, to_complainant
from tests.integration.conftest import Stack
from tests.integration.helpers import body_json, deliver, post_json, stream_event, valid_fields
from tests.integration.test_outbox import emails_to, failed_keys


def sweep_at(now: datetime) -> SweepReport:
    store = Repository()
    return sweep(store, now, deliver=sender(store, Mailer(), Scheduler(), now))


def file_complaint_whose_acknowledgement_was_left_undone(stack: Stack) -> str:
    """The worker claimed the acknowledgement 20 minutes ago and died; the stream's retries
    came while its lease ran, found it taken, and gave up (``test_a_held_item_fails_its_record``).
    The team alert and the schedules went through."""
    reference = str(body_json(post_json(valid_fields()))["reference"])
    crashed_at = datetime.now(UTC) - timedelta(minutes=20)
    assert stack.repository.claim_outbox(reference, ACK, now=crashed_at) == "claimed"
    event = stream_event(stack)
    others = [r for r in event["Records"] if r["dynamodb"]["Keys"]["SK"]["S"] != ACK]
    assert deliver({"Records": others}) == {"batchItemFailures": []}
    return reference


def test_a_held_item_fails_its_record(stack: Stack) -> None:
    """While another worker's lease runs, the record fails (and is retried, then dead-lettered)."""
    reference = str(body_json(post_json(valid_fields()))["reference"])
    assert stack.repository.claim_outbox(reference, ACK) == "claimed"
    event = stream_event(stack)
    assert failed_keys(deliver(event), event) == [ACK]
    assert emails_to(COMPLAINANT) == []


def test_the_sweep_sends_an_acknowledgement_a_dead_worker_left_undone(stack: Stack) -> None:
    reference = file_complaint_whose_acknowledgement_was_left_undone(stack)
    assert emails_to(COMPLAINANT) == []

    report = sweep_at(datetime.now(UTC) + OUTBOX_SWEPT_AFTER + timedelta(minutes=1))

    assert (report.outbox_unsent, report.outbox_sent, report.failed) == (1, 1, [])
    assert len(emails_to(COMPLAINANT)) == 1
    item = stack.repository.get_item(reference, ACK)
    assert item is not None
    assert item["status"] == "done"
    assert "GSI1PK" not in item  # out of the index
    assert "token" not in item  # and its secret forgotten
    later = sweep_at(datetime.now(UTC) + timedelta(days=1))
    assert later.outbox_unsent == 0
    assert len(emails_to(COMPLAINANT)) == 1


def test_the_sweep_leaves_new_items_to_the_stream_worker(stack: Stack) -> None:
    post_json(valid_fields())

    report = sweep_at(datetime.now(UTC) + OUTBOX_SWEPT_AFTER - timedelta(minutes=1))

    assert (report.outbox_unsent, report.outbox_sent) == (0, 0)
    assert emails_to(COMPLAINANT) == []


def test_an_item_that_fails_again_is_counted_and_left_for_the_next_sweep(
    stack: Stack, faults: Faults
) -> None:
    reference = file_complaint_whose_acknowledgement_was_left_undone(stack)
    later = datetime.now(UTC) + OUTBOX_SWEPT_AFTER + timedelta(minutes=1)
    faults.fail("sesv2", "SendEmail", "TooManyRequestsException", when=to_complainant)

    report = sweep_at(later)

    assert (report.outbox_unsent, report.outbox_sent, report.failed) == (1, 0, [reference])
    faults.faults.clear()  # SES is back
    assert sweep_at(later + timedelta(days=1)).outbox_sent == 1
    assert len(emails_to(COMPLAINANT)) == 1
