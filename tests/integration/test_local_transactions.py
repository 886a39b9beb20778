"""The local stack's TransactWriteItems: all or nothing, at the cost of what it touches."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from complaints.local.transactions import install

TABLE = "cases"


@pytest.fixture
def dynamodb(aws: None) -> Any:
    install()
    client = boto3.client("dynamodb")
    client.create_table(
        TableName=TABLE,
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return client


def _put(pk: str, sk: str, **extra: str) -> dict[str, Any]:
    item = {"PK": {"S": pk}, "SK": {"S": sk}, **{k: {"S": v} for k, v in extra.items()}}
    return {
        "Put": {"TableName": TABLE, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}
    }


def _bump(pk: str, sk: str, status: str) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": TABLE,
            "Key": {"PK": {"S": pk}, "SK": {"S": sk}},
            "UpdateExpression": "SET #s = :s",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":s": {"S": status}},
        }
    }


def _everything(client: Any) -> list[dict[str, Any]]:
    return sorted(client.scan(TableName=TABLE)["Items"], key=lambda i: (i["PK"]["S"], i["SK"]["S"]))


def _stream_records(client: Any) -> list[dict[str, Any]]:
    arn = client.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    streams = boto3.client("dynamodbstreams")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return list(streams.get_records(ShardIterator=iterator)["Records"])


def test_a_committed_transaction_writes_every_item_with_one_stream_record_each(
    dynamodb: Any,
) -> None:
    dynamodb.transact_write_items(
        TransactItems=[_put("CASE#A", "CASE"), _put("CASE#A", "OUTBOX#1")]
    )
    assert [i["SK"]["S"] for i in _everything(dynamodb)] == ["CASE", "OUTBOX#1"]
    assert [r["eventName"] for r in _stream_records(dynamodb)] == ["INSERT", "INSERT"]


def test_a_cancelled_transaction_leaves_the_items_and_the_stream_as_they_were(
    dynamodb: Any,
) -> None:
    dynamodb.transact_write_items(
        TransactItems=[_put("CASE#A", "CASE", status="open"), _put("CASE#A", "EVENT#0")]
    )
    before, records_before = _everything(dynamodb), len(_stream_records(dynamodb))
    with pytest.raises(ClientError) as cancelled:
        dynamodb.transact_write_items(
            TransactItems=[
                _bump("CASE#A", "CASE", "closed"),  # applied by moto, then rolled back
                _put("CASE#A", "OUTBOX#2"),  # applied by moto, then rolled back
                _put("CASE#A", "EVENT#0"),  # already there: cancels the lot
            ]
        )
    assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
    reasons = [r["Code"] for r in cancelled.value.response["CancellationReasons"]]
    assert reasons == ["None", "None", "ConditionalCheckFailed"]
    assert _everything(dynamodb) == before
    assert len(_stream_records(dynamodb)) == records_before


def test_a_transaction_naming_one_item_twice_writes_nothing(dynamodb: Any) -> None:
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(
            TransactItems=[_put("CASE#B", "CASE"), _bump("CASE#B", "CASE", "open")]
        )
    assert _everything(dynamodb) == []


def test_no_table_is_copied(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole point: cost follows the transaction, not the size of the table."""
    from moto.dynamodb.models.table import Table

    def refuse(self: Any, memo: Any) -> Any:
        raise AssertionError("a whole table was copied")

    monkeypatch.setattr(Table, "__deepcopy__", refuse, raising=False)
    dynamodb.transact_write_items(TransactItems=[_put("CASE#C", "CASE"), _put("CASE#C", "EVENT#0")])
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(TransactItems=[_put("CASE#C", "CASE")])
    assert len(_everything(dynamodb)) == 2
