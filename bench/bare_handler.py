"""The library floor of a first request: a handler with the same libraries (boto3, pydantic,
the Powertools HTTP resolver) whose first request validates one pydantic model and makes one
DynamoDB call, and nothing else.
Its modules, replayed, are what any handler of ours must pay; ours are measured against it."""

from __future__ import annotations

import os
from typing import Any

import pydantic
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver()


class Request(pydantic.BaseModel):
    """A model, as any handler validating its input has."""

    reference: str
    details: str = ""


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    import boto3

    Request.model_validate({"reference": "BARE", "details": "x"})
    dynamodb = boto3.session.Session().client(
        "dynamodb", endpoint_url=os.environ.get("COMPLAINTS_AWS_ENDPOINT") or None
    )
    dynamodb.get_item(
        TableName=os.environ["TABLE_NAME"], Key={"PK": {"S": "BARE"}, "SK": {"S": "BARE"}}
    )
    return {"ran": True}
