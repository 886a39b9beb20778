"""A poison record: a stream record the outbox worker can never process.

The local stand-in for the event source mapping (``local/streams.py``) runs with the
template's settings (batch size, ``MaximumRetryAttempts``, the on-failure SQS queue). After the
retries it gives the record up to that queue, as Lambda does, which is the queue the
dead-letter alarm watches (``AWS/SQS ApproximateNumberOfMessagesVisible``). The other records
of the same batch are done once each; the dead letter says where the record is, never what it
holds.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from complaints.adapters import keys
from complaints.adapters.clients import client
from complaints.adapters.dynamo import to_attributes
from complaints_tools.infra_template import load_template
from complaints_tools.local.streams import StreamPoller
from tests.faults.injector import Faults
from tests.integration.conftest import Stack
from tests.integration.helpers import (
    body_json,
    deliver,
    post_json,
    sent_emails,
    stream_event,
    valid_fields,
)
from tests.integration.test_outbox import emails_to

PERSONAL = ("Sam Parent", "sam.parent@example.com", "Alex", "care plan review", "Robin Carer")


def poller(stack: Stack, dead_letters: Path) -> StreamPoller:
    from complaints.handlers.outbox import handler

    resources = stack.resources
    assert resources.stream_arn is not None
    return StreamPoller(
        client("dynamodbstreams"),
        resources.stream_arn,
        handler,
        resources.stream_patterns,
        dead_letters=dead_letters,
        sqs=client("sqs"),
        failure_queue_url=resources.stream_failure_queue,
        function_arn=resources.stream_function_arn,
        batch_size=resources.stream_batch_size,
        max_retries=resources.stream_max_retries,
        retry_delay=0,  # no waiting between tries in a test
        on_error=lambda message: None,
    )


def run_until_idle(worker: StreamPoller, rounds: int = 50) -> int:
    for used in range(rounds):
        if not worker.poll_once() and worker.idle():
            return used
    raise AssertionError("the stream never drained")


def put(stack: Stack, item: dict[str, Any]) -> None:
    client("dynamodb").put_item(TableName=stack.resources.table_name, Item=to_attributes(item))


def poison_items(reference: str) -> list[dict[str, Any]]:
    now = datetime.now(UTC).isoformat()
    pk = keys.case_pk(reference)
    unknown_kind = {
        "PK": pk,
        "SK": "OUTBOX#carrier_pigeon#s1",
        "item_type": keys.OUTBOX_ITEM,
        "kind": "carrier_pigeon",  # no code knows how to do this
        "reference": reference,
        "stage": 1,
        "status": "pending",
        "created_at": now,
    }
    no_kind = {"PK": pk, "SK": "OUTBOX#broken", "item_type": keys.OUTBOX_ITEM}
    return [unknown_kind, no_kind]


def queue_messages(url: str) -> list[dict[str, Any]]:
    sqs = client("sqs")
    found = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in found]


def test_the_mapping_settings_come_from_the_template(stack: Stack) -> None:
    template = load_template()
    mapping = template["Resources"]["OutboxFunction"]["Properties"]["Events"]["OutboxItems"]
    properties = mapping["Properties"]
    assert stack.resources.stream_max_retries == properties["MaximumRetryAttempts"] == 5
    assert stack.resources.stream_batch_size == properties["BatchSize"]
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    destination = properties["DestinationConfig"]["OnFailure"]
    queue_arn = {"Fn::GetAtt": ["OutboxDeadLetterQueue", "Arn"]}
    assert destination == {"Type": "SQS", "Destination": queue_arn}
    # ... and the alarm watches that same queue's depth.
    alarm = template["Resources"]["OutboxDeadLetterAlarm"]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == (
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
    )
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["OutboxDeadLetterQueue", "QueueName"]}}
    ]
    assert stack.resources.stream_failure_queue == stack.resources.queues["OutboxDeadLetterQueue"]


def test_a_poison_record_goes_to_the_dead_letter_queue_and_the_rest_are_done_once(
    stack: Stack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = body_json(post_json(valid_fields()))["reference"]
    for item in poison_items(first):
        put(stack, item)
    second = body_json(
        post_json(valid_fields(email="robin@example.com", complainant_name="Robin Carer"))
    )["reference"]
    worker = poller(stack, tmp_path / "dead-letters.jsonl")

    run_until_idle(worker)

    # Every good record of the batch was done, once.
    assert len(emails_to("sam.parent@example.com")) == 1
    assert len(emails_to("robin@example.com")) == 1
    assert len(emails_to("childrens.complaints@example.gov.uk")) == 2
    assert len(sent_emails()) == 4
    for reference in (first, second):
        good = [i for i in stack.repository.outbox_items(reference) if "kind" in i]
        good = [i for i in good if i["kind"] != "carrier_pigeon"]
        assert {i["status"] for i in good} == {"done"}
    # The two poison records were given up, after 1 try and the template's 5 retries each.
    assert worker.given_up == 2
    letters = queue_messages(stack.resources.stream_failure_queue or "")
    assert len(letters) == 2
    poison_sequences = _sequences(stack, {"OUTBOX#carrier_pigeon#s1", "OUTBOX#broken"})
    for letter in letters:
        batch = letter["DDBStreamBatchInfo"]
        assert batch["streamArn"] == stack.resources.stream_arn
        assert batch["startSequenceNumber"] in poison_sequences
        assert batch["shardId"]
        assert letter["requestContext"]["condition"] == "RetryAttemptsExhausted"
        assert letter["requestContext"]["approximateInvokeCount"] == 6
    pigeon = stack.repository.get_item(first, "OUTBOX#carrier_pigeon#s1")
    assert pigeon is not None
    assert pigeon["status"] == "pending"
    assert (pigeon["last_error"], pigeon["attempts"]) == ("ValueError", 6)
    # What is left behind names no one: not the queue, the local file, nor the logs.
    left_behind = [
        json.dumps(letters),
        (tmp_path / "dead-letters.jsonl").read_text(encoding="utf-8"),
        capsys.readouterr().out,
    ]
    for text in left_behind:
        for personal in PERSONAL:
            assert personal not in text
    assert "NewImage" not in left_behind[0]


def test_the_dead_letter_alarm_metric_source_shows_the_message(
    stack: Stack, tmp_path: Path
) -> None:
    """ApproximateNumberOfMessagesVisible, the alarm's metric, is the queue's visible depth."""
    reference = body_json(post_json(valid_fields()))["reference"]
    put(stack, poison_items(reference)[0])
    run_until_idle(poller(stack, tmp_path / "letters.jsonl"))
    url = stack.resources.queues["OutboxDeadLetterQueue"]
    attributes = client("sqs").get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "QueueArn"]
    )["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "1"
    assert url.endswith("/test-OutboxDeadLetterQueue")


def test_when_the_whole_batch_fails_the_error_lambda_logs_names_no_one(
    stack: Stack, faults: Faults
) -> None:
    """A batch whose every record fails makes the function fail (Lambda's Errors metric, the
    outbox-errors alarm); Lambda logs that error's message. SES's refusal quotes the addresses
    it refused, so the error must carry codes only."""
    post_json(valid_fields())
    event = stream_event(stack)
    ack = [r for r in event["Records"] if r["dynamodb"]["Keys"]["SK"]["S"].startswith("OUTBOX#ack")]
    faults.fail(
        "sesv2",
        "SendEmail",
        "MessageRejected",
        message=(
            "Email address is not verified. The following identities failed the check in "
            "region EU-WEST-2: sam.parent@example.com"
        ),
    )

    with pytest.raises(Exception) as raised:  # noqa: PT011  (whatever Powertools raises)
        deliver({"Records": ack})

    error = str(raised.value)
    assert "MessageRejected" in error
    assert "acknowledgement" in error
    assert "sam.parent@example.com" not in error


def _sequences(stack: Stack, sort_keys: set[str]) -> set[str]:
    from complaints_tools.local.streams import accepted

    records = stream_event(stack)["Records"]
    assert all(accepted(r, stack.resources.stream_patterns) for r in records)
    return {
        r["dynamodb"]["SequenceNumber"]
        for r in records
        if r["dynamodb"]["Keys"]["SK"]["S"] in sort_keys
    }
