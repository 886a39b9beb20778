"""Submitting a complaint while DynamoDB is throttling: a plain "try again", nothing half
written, and the same submission sent again is stored once.

Each injected error is what our code sees after the SDK's own retries (``injector.py``): in
production DynamoDB refused the write on all four of the SDK's tries.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from markupsafe import escape

from complaints.adapters import keys
from tests.faults.injector import Faults
from tests.integration.conftest import Stack, table_items
from tests.integration.helpers import body_json, post_form, post_json, valid_fields

NOT_SENT = "Your complaint has not been sent. Try again in a few minutes."


def cases(stack: Stack) -> list[str]:
    return sorted(i["reference"] for i in table_items(stack) if i["item_type"] == "case")


def test_a_throttled_write_answers_503_and_stores_nothing(stack: Stack, faults: Faults) -> None:
    faults.fail("dynamodb", "TransactWriteItems", "ProvisionedThroughputExceededException")
    submission_id = str(uuid.uuid4())

    answer = post_json(valid_fields(submission_id=submission_id))

    # One write was tried, and only one: the submit path makes one synchronous AWS write.
    assert faults.calls == [("dynamodb", "TransactWriteItems")]
    assert answer["statusCode"] == 503
    assert body_json(answer) == {"message": NOT_SENT}
    assert answer["headers"]["Retry-After"] == "120"
    assert answer["headers"]["Cache-Control"] == "no-store"
    # No case, event, outbox item, check, submission or content record: nothing at all.
    assert table_items(stack) == []


def test_the_same_submission_sent_again_is_stored_once(stack: Stack, faults: Faults) -> None:
    faults.fail("dynamodb", "TransactWriteItems", "ThrottlingException")
    fields = valid_fields(submission_id=str(uuid.uuid4()))
    assert post_json(fields)["statusCode"] == 503

    again = post_json(fields)
    assert again["statusCode"] == 201
    reference = body_json(again)["reference"]
    assert cases(stack) == [reference]
    outbox = sorted(item["kind"] for item in stack.repository.outbox_items(reference))
    assert outbox == ["acknowledgement", "schedule_checks", "team_alert"]
    assert len(stack.repository.check_items(reference)) == 3  # acknowledgement, reminder, deadline
    assert [event.type for event in stack.repository.events(reference)] == ["received"]

    third = post_json(fields)  # and once more: the first receipt, no second case
    assert third["statusCode"] == 201
    assert body_json(third)["reference"] == reference
    assert cases(stack) == [reference]


def test_a_form_post_gets_the_form_again_with_its_answers_and_try_again(
    stack: Stack, faults: Faults
) -> None:
    faults.fail("dynamodb", "TransactWriteItems", "ProvisionedThroughputExceededException")
    fields = valid_fields()

    answer = post_form(fields)

    assert answer["statusCode"] == 503
    assert answer["headers"]["Content-Type"].startswith("text/html")
    assert answer["headers"]["Retry-After"] == "120"
    assert NOT_SENT in answer["body"]
    assert "Sorry, there is a problem with the service" in answer["body"]
    assert escape(fields["details"]) in answer["body"]  # nothing typed is lost
    assert f'value="{escape(fields["complainant_name"])}"' in answer["body"]
    assert 'method="post"' in answer["body"]
    assert table_items(stack) == []

    again = post_form(valid_fields())  # the person sends the form again a little later
    assert again["statusCode"] == 303
    assert len(cases(stack)) == 1


def test_a_transaction_cancelled_for_throttling_is_not_tried_again_at_once(
    stack: Stack, faults: Faults
) -> None:
    """DynamoDB can also cancel the transaction because one item's partition was throttled.
    Trying again at once would only add load (and a second write to the submit path)."""
    reasons = [{"Code": "None"}, {"Code": "ThrottlingError", "Message": "Throughput exceeds"}]
    faults.fail(
        "dynamodb",
        "TransactWriteItems",
        "TransactionCanceledException",
        CancellationReasons=reasons,
    )

    answer = post_json(valid_fields())

    assert answer["statusCode"] == 503
    assert faults.count("dynamodb", "TransactWriteItems") == 1
    assert table_items(stack) == []


def test_a_throttled_read_of_the_first_receipt_answers_503_then_the_repeat_finds_it(
    stack: Stack, faults: Faults
) -> None:
    """A repeat whose submission record's condition failed without the old item attached
    reads the first receipt back: a throttle on that read is a "try again", not a 500."""
    fields = valid_fields(submission_id=str(uuid.uuid4()))
    first = body_json(post_json(fields))
    # the case, its event, 3 outbox items and 3 checks come before the submission record
    reasons: list[dict[str, Any]] = [{"Code": "None"}] * 8 + [
        {"Code": "ConditionalCheckFailed"},  # the submission record (no Item attached)
        {"Code": "None"},
    ]
    faults.fail(
        "dynamodb",
        "TransactWriteItems",
        "TransactionCanceledException",
        CancellationReasons=reasons,
    )
    faults.fail("dynamodb", "GetItem", "ProvisionedThroughputExceededException")

    answer = post_json(fields)
    assert answer["statusCode"] == 503
    assert cases(stack) == [first["reference"]]

    again = post_json(fields)
    assert again["statusCode"] == 201
    assert body_json(again) == first
    assert cases(stack) == [first["reference"]]


def test_a_reference_clash_then_a_throttle_leaves_only_the_first_case(
    stack: Stack, faults: Faults, monkeypatch: pytest.MonkeyPatch
) -> None:
    from complaints.service import intake

    taken = body_json(post_json(valid_fields(email="first@example.com")))["reference"]
    draws = iter([taken])  # the next reference drawn is already in use, then fresh ones
    fresh = intake.new_reference
    monkeypatch.setattr(intake, "new_reference", lambda: next(draws, None) or fresh())
    throttle = faults.fail(
        "dynamodb", "TransactWriteItems", "ProvisionedThroughputExceededException", skip=1
    )  # the clash goes through to moto (cancelled), the fresh attempt is throttled

    answer = post_json(valid_fields())
    assert answer["statusCode"] == 503
    assert (throttle.seen, throttle.injected) == (2, 1)  # two writes at most, as designed
    assert cases(stack) == [taken]
    first_case = [i for i in table_items(stack) if i["PK"] == keys.case_pk(taken)]
    assert {i["item_type"] for i in first_case} == {"case", "event", "outbox", "check"}
    assert next(i for i in first_case if i["SK"] == "CASE")["complainant"]["email"] == (
        "first@example.com"  # the clash overwrote nothing
    )

    again = post_json(valid_fields())
    assert again["statusCode"] == 201
    assert sorted(cases(stack)) == sorted([taken, body_json(again)["reference"]])
