"""Staff console Lambda (API Gateway HTTP API, payload v2): ``/staff/*`` (``complaints.console``).

Its own function, with its own reserved concurrency and alarms, so staff load never starves
the public form; its own role (sessions, the access log, Cognito's admin calls). It imports
little at cold start: the first request loads what it needs. Nothing a person types, no
cookie, token or case detail is ever logged: only the error's type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_console: list[Any] = []


def console() -> Any:
    """The console's adapters, made on the first request (``complaints.wiring``)."""
    if not _console:
        from complaints import clock, wiring
        from complaints.adapters.cognito import Cognito
        from complaints.console.app import Console
        from complaints.console.auth import Auth
        from complaints.console.tokens import verify_id_token
        from complaints.environment import environment
        from complaints.service.casework import sender

        env = environment()
        store = wiring.store()
        cognito = Cognito()

        def verify(token: str) -> Any:
            return verify_id_token(token, pool_id=cognito.pool_id, client_id=cognito.client_id)

        adapters = wiring.adapters()
        _console.append(
            Console(
                store=store,
                auth=Auth(store, cognito, verify),
                cognito=cognito,
                business_now=clock.now,
                deliver=sender(store, adapters.mail, adapters.schedules),
                federated=bool(env.auth_domain and env.identity_provider),
            )
        )
    return _console[0]


def reset() -> None:
    _console.clear()


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    from complaints.console.app import route
    from complaints.console.web import BadRequestError, Response, parse_event

    try:
        request = parse_event(event)
    except BadRequestError:
        return Response(400, "Bad request", {"Content-Type": "text/plain; charset=utf-8"}).result()
    try:
        return route(console(), request).result()
    except Exception as error:
        from aws_lambda_powertools import Logger

        Logger(service="complaints-console").error("unexpected error", error=type(error).__name__)
        return Response(
            500,
            "Something went wrong. Nothing you sent has been lost: go back and try again.",
            {"Content-Type": "text/plain; charset=utf-8"},
        ).result()
