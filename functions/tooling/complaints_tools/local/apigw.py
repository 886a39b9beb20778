"""Turn a local HTTP request into an API Gateway HTTP API (payload v2) event, and the
handler's answer back into an HTTP response, so the real Lambda handler runs unchanged."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from complaints.clock import wall_now

TEXT_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/")


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def to_event(
    method: str, raw_path: str, headers: Mapping[str, str], body: bytes, source_ip: str
) -> dict[str, Any]:
    """Build the API Gateway v2 event AWS would send for this request."""
    url = urlsplit(raw_path)
    lower = {k.lower(): v for k, v in headers.items()}
    content_type = lower.get("content-type", "")
    is_text = not body or content_type.startswith(TEXT_TYPES)
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    now = wall_now().timestamp()
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": url.path,
        "rawQueryString": url.query,
        "cookies": [c.strip() for c in lower.get("cookie", "").split(";") if c.strip()],
        "headers": lower,
        "queryStringParameters": query or None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": lower.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {
                "method": method.upper(),
                "path": url.path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lower.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "body": (body.decode("utf-8", "replace") if is_text else base64.b64encode(body).decode())
        if body
        else None,
        "isBase64Encoded": bool(body) and not is_text,
    }


def from_result(result: Mapping[str, Any]) -> HttpResponse:
    """Turn the handler's return value into status, headers and body bytes."""
    body_text = result.get("body") or ""
    body = base64.b64decode(body_text) if result.get("isBase64Encoded") else body_text.encode()
    headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((name, str(v)) for v in values)
    headers.extend(("Set-Cookie", c) for c in result.get("cookies") or [])
    return HttpResponse(int(result.get("statusCode", 200)), headers, body)
