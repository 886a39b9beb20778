"""The SDK retry behaviour the other fault tests assume, pinned.

Every client the adapters use retries in botocore's standard mode: 3 retries after the first
try (4 tries), with jittered backoff, on throttling, 5xx answers and dropped connections. The
fault injector sits above that loop, so its errors stand for "AWS kept failing on every try".
Here a throttle is answered at the wire instead (the HTTP response moto would have sent), to
show the SDK absorbs brief throttling before our code ever sees it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from complaints.adapters import clients
from tests.integration.conftest import Stack, table_items
from tests.integration.helpers import body_json, post_json, valid_fields

THROTTLED = {
    "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    "message": "The level of configured provisioned throughput for the table was exceeded.",
}


TRIES = 4  # the command line's and the tests' default (complaints.environment.AwsCalls)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


@pytest.mark.parametrize("service", ["dynamodb", "sesv2", "scheduler"])
def test_every_adapter_client_tries_four_times_in_standard_mode_by_default(
    aws: None, service: str
) -> None:
    config = clients.client(service).meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 4}
    assert (config.connect_timeout, config.read_timeout) == (3, 10)


def test_a_function_sets_its_own_call_budget(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API function gives each call 2 tries of 1 s to connect and 2 s to read: the worst
    case fits inside its 10 s (template.yaml; tests/infra/test_call_budgets.py)."""
    for name, value in {
        "AWS_CALL_CONNECT_SECONDS": "1",
        "AWS_CALL_READ_SECONDS": "2",
        "AWS_CALL_TRIES": "2",
    }.items():
        monkeypatch.setenv(name, value)
    clients.reset()
    config = clients.client("dynamodb").meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 2}
    assert (config.connect_timeout, config.read_timeout) == (1, 2)


def _throttle_at_the_wire(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """Answer the next ``times`` TransactWriteItems with DynamoDB's throttling response."""
    import botocore.retries.standard

    # No real waiting between tries: the backoff's length is botocore's business, not ours.
    monkeypatch.setattr(
        botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, ctx: 0
    )
    answered: list[int] = []

    def throttle(request: Any, **_: Any) -> AWSResponse | None:
        if len(answered) >= times:
            return None  # through to moto
        answered.append(1)
        # Every before-send handler runs, moto's too: send this try nowhere moto listens, so
        # the throttled try is not carried out behind the answer (botocore builds each try
        # afresh).
        request.url = "https://throttled.invalid/"
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "wire"}
        body = json.dumps(THROTTLED).encode()
        return AWSResponse(request.url, 400, headers, _Raw(body))

    events = clients.client("dynamodb").meta.events
    events.register_first("before-send.dynamodb.TransactWriteItems", throttle)
    return answered


def test_brief_throttling_is_absorbed_by_the_sdk(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered = _throttle_at_the_wire(monkeypatch, times=TRIES - 1)

    answer = post_json(valid_fields())

    assert len(answered) == 3  # three throttled tries; the fourth reached DynamoDB
    assert answer["statusCode"] == 201
    assert "Idempotent-Replayed" not in answer["headers"]  # stored by the fourth try itself
    cases = [i for i in table_items(stack) if i["item_type"] == "case"]
    assert [c["reference"] for c in cases] == [body_json(answer)["reference"]]


def test_throttling_on_every_try_reaches_our_code_as_a_503(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered = _throttle_at_the_wire(monkeypatch, times=TRIES)

    answer = post_json(valid_fields())

    assert len(answered) == 4
    assert answer["statusCode"] == 503
    assert table_items(stack) == []
