"""Staff console Lambda (API Gateway HTTP API, payload v2): ``/staff/*`` (``complaints.console``).

Its own function, with its own reserved concurrency and alarms, so staff load never starves
the public form; its own role (sessions, the access log, Cognito's admin calls). It imports
little at cold start: the first request loads what it needs and makes the console's adapters,
once (``complaints.wiring.console``). Nothing a person types, no cookie, token or case detail
is ever logged: only the error's type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    from complaints import wiring
    from complaints.console.app import route
    from complaints.console.web import BadRequestError, Response, parse_event

    try:
        request = parse_event(event)
    except BadRequestError:
        return Response(400, "Bad request", {"Content-Type": "text/plain; charset=utf-8"}).result()
    try:
        return route(wiring.console(), request).result()
    except Exception as error:
        from aws_lambda_powertools import Logger

        Logger(service="complaints-console").error("unexpected error", error=type(error).__name__)
        return Response(
            500,
            "Something went wrong. Nothing you sent has been lost: go back and try again.",
            {"Content-Type": "text/plain; charset=utf-8"},
        ).result()
