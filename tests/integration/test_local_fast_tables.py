"""The local stack's TransactWriteItems: all or nothing, at the cost of what it touches."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from complaints_tools.local.fast_tables import install

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


def _file_three_cases(client: Any) -> None:
    for case in ("A", "B", "C"):
        client.transact_write_items(
            TransactItems=[_put(f"CASE#{case}", sk) for sk in ("CASE", "EVENT#0", "EVENT#1")]
        )


def _query(client: Any, **extra: Any) -> list[str]:
    answer = client.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": "CASE#B"}, ":prefix": {"S": "EVENT#"}},
        **extra,
    )
    return [item["SK"]["S"] for item in answer["Items"]]


def test_a_query_reads_its_partition_in_key_order(dynamodb: Any) -> None:
    _file_three_cases(dynamodb)
    assert _query(dynamodb) == ["EVENT#0", "EVENT#1"]
    assert _query(dynamodb, ScanIndexForward=False) == ["EVENT#1", "EVENT#0"]
    first = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "CASE#C"}},
        Limit=2,
    )
    assert [i["SK"]["S"] for i in first["Items"]] == ["CASE", "EVENT#0"]
    rest = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "CASE#C"}},
        ExclusiveStartKey=first["LastEvaluatedKey"],
    )
    assert [i["SK"]["S"] for i in rest["Items"]] == ["EVENT#1"]
    nothing = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "CASE#Z"}},
    )
    assert nothing["Items"] == []


def test_a_query_never_walks_the_whole_table(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.dynamodb.models import dynamodb_backends

    _file_three_cases(dynamodb)
    table = dynamodb_backends["123456789012"]["eu-west-2"].tables[TABLE]

    class OnePartitionAtATime(dict):  # type: ignore[type-arg]
        def values(self) -> Any:
            raise AssertionError("the whole table was read for one partition")

    monkeypatch.setattr(table, "items", OnePartitionAtATime(table.items))
    assert _query(dynamodb) == ["EVENT#0", "EVENT#1"]
