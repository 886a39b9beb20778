"""The local stack and the tests create the complaints table from template.yaml, so the table
they use is the one AWS gets: same keys, indexes, stream and TTL as adapters/keys.py expects."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from complaints.adapters import keys
from complaints_tools.infra_template import table_create_kwargs, table_ttl_attribute

pytestmark = pytest.mark.infra


def _key_schema(schema: list[dict[str, str]]) -> tuple[str, str]:
    by_type = {item["KeyType"]: item["AttributeName"] for item in schema}
    return by_type["HASH"], by_type["RANGE"]


# Every index of the single-table design (adapters/keys.py), with its key attributes.
INDEXES = {
    keys.INDEX_BY_DUE_DATE: ("GSI1PK", "GSI1SK"),
    keys.INDEX_BY_RECEIVED: ("GSI2PK", "GSI2SK"),
    keys.INDEX_BY_STATUS: ("GSI3PK", "GSI3SK"),
    keys.INDEX_BY_OWNER: ("GSI4PK", "GSI4SK"),
    keys.INDEX_BY_DUE: ("GSI5PK", "GSI5SK"),
    keys.INDEX_BY_URGENT: ("GSI6PK", "GSI6SK"),
}


def test_kwargs_match_the_single_table_design() -> None:
    kwargs = table_create_kwargs("complaints-test")
    assert kwargs["TableName"] == "complaints-test"
    assert kwargs["BillingMode"] == "PAY_PER_REQUEST"
    assert _key_schema(kwargs["KeySchema"]) == ("PK", "SK")
    indexes = {index["IndexName"]: index for index in kwargs["GlobalSecondaryIndexes"]}
    assert set(indexes) == set(INDEXES)
    for index, (pk, sk) in INDEXES.items():
        assert _key_schema(indexes[index]["KeySchema"]) == (pk, sk)
    for index in indexes.values():
        assert index["Projection"] == {"ProjectionType": "ALL"}
    defined = {
        item["AttributeName"]: item["AttributeType"] for item in kwargs["AttributeDefinitions"]
    }
    names = ("PK", "SK", *(name for pair in INDEXES.values() for name in pair))
    assert defined == dict.fromkeys(names, "S")
    # The outbox worker filters on the new image: the stream must carry it.
    assert kwargs["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    assert table_ttl_attribute() == keys.TTL_ATTRIBUTE


def test_the_template_table_is_the_deployed_table(resources: dict[str, Any]) -> None:
    deployed = resources["ComplaintsTable"]["Properties"]
    local = table_create_kwargs("ignored")
    for field in ("KeySchema", "AttributeDefinitions", "GlobalSecondaryIndexes", "BillingMode"):
        assert local[field] == deployed[field], field
    assert (
        deployed["StreamSpecification"]["StreamViewType"]
        == local["StreamSpecification"]["StreamViewType"]
    )


def test_boto3_creates_the_table_from_the_kwargs() -> None:
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="eu-west-2")
        dynamodb.create_table(**table_create_kwargs("complaints-local"))
        dynamodb.update_time_to_live(
            TableName="complaints-local",
            TimeToLiveSpecification={"Enabled": True, "AttributeName": table_ttl_attribute()},
        )
        table = dynamodb.describe_table(TableName="complaints-local")["Table"]
        ttl = dynamodb.describe_time_to_live(TableName="complaints-local")
    assert {index["IndexName"] for index in table["GlobalSecondaryIndexes"]} == set(INDEXES)
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert table["LatestStreamArn"]
    assert ttl["TimeToLiveDescription"]["AttributeName"] == keys.TTL_ATTRIBUTE


def test_the_local_stack_and_the_integration_tests_build_this_table(
    aws: boto3.session.Session,
) -> None:
    """``complaints_tools.local.resources.prepare`` (``make run`` and tests/integration) makes the
    table the template defines, and gives the handlers the template's environment names."""
    from complaints_tools.local.resources import prepare

    resources, env, _ = prepare(
        aws.client, stack_name="t", region="eu-west-2", site_url="http://127.0.0.1:1"
    )
    dynamodb = aws.client("dynamodb")
    table = dynamodb.describe_table(TableName=resources.table_name)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=resources.table_name)
    expected = table_create_kwargs(resources.table_name)
    assert table["KeySchema"] == expected["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(
        expected["AttributeDefinitions"], key=str
    )
    created = {
        index["IndexName"]: (index["KeySchema"], index["Projection"])
        for index in table["GlobalSecondaryIndexes"]
    }
    assert created == {
        index["IndexName"]: (index["KeySchema"], index["Projection"])
        for index in expected["GlobalSecondaryIndexes"]
    }
    assert table["StreamSpecification"] == expected["StreamSpecification"]
    assert ttl["TimeToLiveDescription"]["AttributeName"] == table_ttl_attribute()
    assert {"TABLE_NAME", "SCHEDULE_GROUP", "SENDER_EMAIL", "SCHEDULER_DLQ_ARN"} <= set(env)
