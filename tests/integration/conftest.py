"""Integration fixtures: an in-process moto AWS with the resources of ``template.yaml``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws

from complaints.adapters import clients
from complaints.adapters.dynamo import Repository
from complaints_tools.local import fast_tables
from complaints_tools.local.resources import prepare
from complaints_tools.local.template import LocalResources

REGION = "eu-west-2"


@dataclass
class Stack:
    resources: LocalResources
    env: dict[str, str]

    @property
    def repository(self) -> Repository:
        return Repository(self.resources.table_name)


def _forget_handler_state() -> None:
    from complaints import wiring

    wiring.reset()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        # moto routes DynamoDB Streams reads only without account-based endpoints
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(clients.ENDPOINT_ENV, raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    _forget_handler_state()
    fast_tables.install()  # as in the local stack
    with mock_aws():
        yield
    _forget_handler_state()


@pytest.fixture
def stack(aws: None, monkeypatch: pytest.MonkeyPatch) -> Stack:
    resources, env, _notes = prepare(
        clients.client, stack_name="test", region=REGION, site_url="https://guide.example.test"
    )
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _forget_handler_state()  # the adapters read the stack's environment from here on
    return Stack(resources, env)


@pytest.fixture
def aws_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every AWS API call any boto3 client makes from now on: (service, operation)."""
    import botocore.client

    calls: list[tuple[str, str]] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation_name: str, api_params: Any) -> Any:
        calls.append((self.meta.service_model.service_name, operation_name))
        return original(self, operation_name, api_params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    return calls


def table_items(stack: Stack) -> list[dict[str, Any]]:
    """Everything in the table (a test may scan; the system never does)."""
    from complaints.adapters.dynamo import from_attributes

    dynamodb = clients.client("dynamodb")
    found = dynamodb.scan(TableName=stack.resources.table_name, ConsistentRead=True)["Items"]
    return [from_attributes(item) for item in found]
