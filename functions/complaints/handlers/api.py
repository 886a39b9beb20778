"""HTTP API Lambda (API Gateway HTTP API, payload v2): ``/api/*``."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="complaints-api")
app = APIGatewayHttpResolver()


@app.get("/api/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
