"""Small helpers shared by the integration tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from complaints_tools.local.apigw import to_event

CONTEXT = SimpleNamespace(
    function_name="test",
    memory_limit_in_mb=256,
    invoked_function_arn="arn:aws:lambda:eu-west-2:123456789012:function:test",
    aws_request_id="test",
    get_remaining_time_in_millis=lambda: 30_000,
)


def valid_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "complainant_name": "Sam Parent",
        "email": "sam.parent@example.com",
        "relationship": "parent",
        "child_name": "Alex",
        "details": "My son's care plan review has been cancelled three times.",
        "outcome_sought": "A review date.",
        "wants_advocate": "no",
        "service_area": "childrens_social_care",
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}


def api_event(method: str, path: str, body: bytes = b"", content_type: str = "") -> dict[str, Any]:
    headers = {"host": "127.0.0.1"}
    if content_type:
        headers["content-type"] = content_type
    return to_event(method, path, headers, body, "127.0.0.1")


def post_json(fields: Mapping[str, Any]) -> dict[str, Any]:
    from complaints.handlers.api import handler

    body = json.dumps(dict(fields)).encode()
    return handler(api_event("POST", "/api/complaints", body, "application/json"), CONTEXT)


def post_form(fields: Mapping[str, Any]) -> dict[str, Any]:
    from complaints.handlers.api import handler

    body = urlencode(dict(fields)).encode()
    event = api_event("POST", "/api/complaints", body, "application/x-www-form-urlencoded")
    return handler(event, CONTEXT)


def body_json(response: Mapping[str, Any]) -> Any:
    return json.loads(response["body"])


def stream_event(stack: Any) -> dict[str, Any]:
    """Every outbox record on the table's stream so far, as Lambda would deliver them."""
    from complaints.adapters.clients import client
    from complaints.adapters.keys import OUTBOX_STREAM_FILTER
    from complaints_tools.local.streams import _plain, accepted

    streams = client("dynamodbstreams")
    arn = stack.resources.stream_arn
    records: list[dict[str, Any]] = []
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    for shard in shards:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        for record in streams.get_records(ShardIterator=iterator, Limit=1000)["Records"]:
            record = {**record, "eventSourceARN": arn}
            if accepted(record, [OUTBOX_STREAM_FILTER]):
                records.append(_plain(record))
    return {"Records": records}


def deliver(event: dict[str, Any]) -> dict[str, Any]:
    from complaints.handlers.outbox import handler

    return handler(event, CONTEXT)


def sent_emails() -> list[Any]:
    """What the embedded SES accepted (moto's own record)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-2"].sent_messages)


def schedules(group: str) -> list[dict[str, Any]]:
    from complaints.adapters.clients import client

    scheduler = client("scheduler")
    names = [s["Name"] for s in scheduler.list_schedules(GroupName=group)["Schedules"]]
    return [scheduler.get_schedule(Name=name, GroupName=group) for name in sorted(names)]
