"""Small helpers shared by the integration tests."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from complaints.local.apigw import to_event

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
