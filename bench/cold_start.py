"""Cold start of every Lambda handler in ``template.yaml``, against the floor every handler
pays: ``import boto3, pydantic`` and the Powertools HTTP resolver.

Two figures per handler, each timed in a fresh interpreter (interpreter start-up excluded)
and measured alternately with the floor in the same rounds, so machine load affects both:

- **import**: ``import complaints.handlers.<name>``, what Lambda's init phase runs;
- **first request**: that import plus every module the handler's first real request loaded
  (found by running the request against a moto server in a fresh interpreter,
  ``bench.first_request``), i.e. the import work a cold invocation pays in total, against the
  same for a bare handler with the same libraries making one DynamoDB call
  (``bench.bare_handler``): what our code adds to what the libraries cost anyway.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

GOAL = 1.25  # each handler's import, against FLOOR
FIRST_REQUEST_GOAL = 1.3  # each handler's first request, against the bare one (BARE)
BARE = "bench.bare_handler.handler"
FLOOR = (
    "import boto3, pydantic\nfrom aws_lambda_powertools.event_handler import APIGatewayHttpResolver"
)
_TIMER = """\
import time
_start = time.perf_counter()
{code}
print(time.perf_counter() - _start)
"""
_REPLAY = """\
import importlib, sys
import {module}
for _name in {modules!r}:
    if _name not in sys.modules:
        try:
            importlib.import_module(_name)
        except Exception:
            pass
"""


@dataclass(frozen=True)
class HandlerFigures:
    handler: str
    import_ms: float
    first_request_ms: float
    modules: int
    floor_ms: float
    bare_first_request_ms: float

    @property
    def import_ratio(self) -> float:
        return self.import_ms / self.floor_ms

    @property
    def first_request_ratio(self) -> float:
        return self.first_request_ms / self.bare_first_request_ms

    @property
    def meets_goal(self) -> bool:
        """Issue #8: every handler's cold import at most 1.25x the floor."""
        return self.import_ratio <= GOAL


def template_handlers() -> list[str]:
    """Every ``Handler`` of a function in ``template.yaml`` (``module.function``)."""
    from complaints_tools.infra_template import load_template

    resources = load_template()["Resources"]
    return sorted(
        str(resource["Properties"]["Handler"])
        for resource in resources.values()
        if resource.get("Type") == "AWS::Serverless::Function"
    )


def _seconds(code: str, env: Mapping[str, str]) -> float:
    answer = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", _TIMER.format(code=code)],
        capture_output=True,
        text=True,
        env=dict(env),
        check=True,
    )
    return float(answer.stdout.strip().splitlines()[-1])


def _quiet_env() -> dict[str, str]:
    """No AWS endpoint, no credentials: an import must not need either."""
    keep = ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV", "TZ")
    return {name: os.environ[name] for name in keep if name in os.environ}


def _alternating(codes: Mapping[str, str], rounds: int, env: Mapping[str, str]) -> dict[str, float]:
    """Median milliseconds per code, each round running every code once in a rotated order."""
    samples: dict[str, list[float]] = {name: [] for name in codes}
    names = list(codes)
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(_seconds(codes[name], env) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


# --- first requests -----------------------------------------------------------------------


@contextmanager
def _embedded_aws() -> Iterator[dict[str, str]]:
    """A moto server on 127.0.0.1 with the template's resources; yields the handlers' env."""
    import logging

    from moto.server import ThreadedMotoServer

    from complaints.adapters import clients
    from complaints_tools.local.resources import prepare
    from complaints_tools.local.state import LOCAL_CREDENTIALS, REGION

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    saved = dict(os.environ)
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        os.environ.update(LOCAL_CREDENTIALS)
        os.environ[clients.ENDPOINT_ENV] = endpoint
        clients.reset()
        _resources, env, _notes = prepare(
            clients.client,
            stack_name="bench",
            region=REGION,
            site_url="http://127.0.0.1",
        )
        os.environ.update(env)
        yield {**_quiet_env(), **LOCAL_CREDENTIALS, **env, clients.ENDPOINT_ENV: endpoint}
    finally:
        os.environ.clear()
        os.environ.update(saved)
        clients.reset()
        server.stop()


def _submission(n: int) -> dict[str, str]:
    return {
        "complainant_name": f"Bench Person {n}",
        "email": f"bench.person{n}@example.org",
        "relationship": "parent",
        "child_name": f"Bench Child {n}",
        "details": f"Benchmark complaint number {n}: contact visits keep being cancelled.",
        "wants_advocate": "no",
    }


def _api_event() -> dict[str, Any]:
    from complaints_tools.local.apigw import to_event

    body = json.dumps(_submission(0)).encode()
    headers = {"content-type": "application/json", "host": "127.0.0.1"}
    return to_event("POST", "/api/complaints", headers, body, "127.0.0.1")


def _outbox_event(reference: str) -> dict[str, Any]:
    """The stream record of the new complaint's acknowledgement, as Lambda delivers it."""
    from complaints.adapters.dynamo import Repository, to_attributes

    (item,) = [i for i in Repository().outbox_items(reference) if i["kind"] == "acknowledgement"]
    image = to_attributes(item)
    record = {
        "eventID": "1",
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-2",
        "dynamodb": {
            "Keys": {"PK": image["PK"], "SK": image["SK"]},
            "NewImage": image,
            "SequenceNumber": "1",
            "StreamViewType": "NEW_IMAGE",
        },
    }
    return {"Records": [record]}


def _checks_event() -> dict[str, Any]:
    """The schedule payload of a complaint's stage 1 deadline, received 60 days ago."""
    from complaints.adapters.dynamo import Repository
    from complaints.service.intake import receive
    from complaints.submission import parse_submission

    submission = parse_submission(_submission(1))
    assert not isinstance(submission, list)
    store = Repository()
    receipt = receive(submission, store, now=datetime.now(UTC) - timedelta(days=60)).receipt
    checks = sorted(store.check_items(receipt.reference), key=lambda item: str(item["due_at"]))
    return dict(checks[-1]["payload"])


def _console_event() -> dict[str, Any]:
    """A signed-in person's first caseload page: their session is already in the table (as
    after signing in), so the request reads it, the counts and a page of the caseload, and
    renders the page."""
    from complaints.adapters.dynamo import Repository
    from complaints.clock import wall_now
    from complaints.service.staff.sessions import Session, session_key
    from complaints_tools.local.apigw import to_event

    now = wall_now()
    session = Session(
        key=session_key("bench-session"),
        username="bench.officer",
        name="Bench Officer",
        email="bench.officer@example.gov.uk",
        groups=("officer",),
        csrf="bench-csrf",
        created_at=now,
        last_seen=now,
        tokens_expire_at=now + timedelta(hours=1),
        refresh_token="bench-refresh",  # noqa: S106 (a benchmark's made-up session)
    )
    Repository().save_session(session, now + timedelta(hours=8))
    cookie = "staff_session=bench-session; __Host-staff_session=bench-session"
    return to_event("GET", "/staff/", {"host": "127.0.0.1", "cookie": cookie}, b"", "127.0.0.1")


CONSOLE_ENV = {"USER_POOL_ID": "eu-west-2_bench", "USER_POOL_CLIENT_ID": "bench"}


def _delivery_event(reference: str) -> dict[str, Any]:
    """SES's bounce of the newest complaint's acknowledgement, as the delivery queue hands it
    to the function (the EventBridge event in an SQS record)."""
    from complaints.service.delivery import message_key
    from complaints_tools.local.simulator import ses_events

    params = {
        "ConfigurationSetName": os.environ.get("SES_CONFIGURATION_SET", "bench"),
        "FromEmailAddress": "complaints@example.gov.uk",
        "Destination": {"ToAddresses": ["bounce@simulator.amazonses.com"]},
        "EmailTags": [
            {"Name": "message", "Value": message_key(reference, "OUTBOX#acknowledgement#s1")}
        ],
    }
    (event,) = ses_events(params, "bench-message", datetime.now(UTC))
    record = {
        "messageId": "1",
        "receiptHandle": "1",
        "body": json.dumps(event),
        "attributes": {},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-2:123456789012:bench-DeliveryQueue",
        "awsRegion": "eu-west-2",
    }
    return {"Records": [record]}


def _notify_callback_event(reference: str) -> dict[str, Any]:
    """GOV.UK Notify's receipt for it, with the stack's bearer token."""
    from complaints.adapters.clients import client
    from complaints_tools.local.apigw import to_event

    secret = os.environ["NOTIFY_CALLBACK_SECRET"]
    token = client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"]
    receipt = {
        "id": "7a1d0c1e-0000-4000-8000-000000000001",
        "reference": f"{reference}.acknowledgement_23s1",
        "status": "delivered",
        "notification_type": "email",
    }
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    return to_event("POST", "/api/delivery/notify", headers, json.dumps(receipt).encode(), "")


def _run_first_request(handler: str, event: Mapping[str, Any], env: Mapping[str, str]) -> Any:
    with tempfile.TemporaryDirectory() as scratch:
        event_file, out_file = Path(scratch, "event.json"), Path(scratch, "out.json")
        event_file.write_text(json.dumps(event), encoding="utf-8")
        subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "bench.first_request", handler, str(event_file), str(out_file)],
            capture_output=True,
            env=dict(env),
            check=True,
        )
        return json.loads(out_file.read_text(encoding="utf-8"))


def _worked(handler: str, answer: Any) -> bool:
    if handler == BARE:
        return bool(answer.get("ran"))
    if handler.endswith("api.handler"):
        return bool(answer.get("statusCode") == 201)
    if handler.endswith(("outbox.handler", "delivery.handler")):
        return bool(answer == {"batchItemFailures": []})
    if handler.endswith("console.handler"):
        return bool(answer.get("statusCode") == 200 and "Caseload" in answer.get("body", ""))
    if handler.endswith("notify_callback.handler"):
        return bool(answer.get("statusCode") == 202)
    return bool(answer.get("ran"))


def first_request_modules(handlers: list[str]) -> dict[str, list[str]]:
    """Run each handler's first real request in a fresh interpreter against a moto server."""
    found: dict[str, list[str]] = {}
    with _embedded_aws() as env:
        events: dict[str, Callable[[], dict[str, Any]]] = {
            "api": _api_event,
            "checks": _checks_event,
            "console": _console_event,
        }
        # the ones that need a complaint (the outbox's, the delivery reports) after the API's
        needs_a_case = ("outbox.handler", "delivery.handler", "notify_callback.handler")
        for handler in sorted(handlers, key=lambda h: h.endswith(needs_a_case)):
            name = handler.split(".")[-2]
            if handler == BARE:
                event = {}
            elif name in ("outbox", "delivery", "notify_callback"):
                from complaints.adapters.dynamo import Repository

                newest = Repository().list_cases()[-1].reference
                made = {
                    "outbox": _outbox_event,
                    "delivery": _delivery_event,
                    "notify_callback": _notify_callback_event,
                }
                event = made[name](newest)
            else:
                event = events[name]()
            own = {**env, **CONSOLE_ENV} if name == "console" else env
            result = _run_first_request(handler, event, own)
            if not _worked(handler, result["answer"]):
                raise RuntimeError(f"{handler}: the first request did not do its job")
            found[handler] = result["modules"]
    return found


def measure(rounds: int = 9) -> list[HandlerFigures]:
    handlers = template_handlers()
    modules = first_request_modules([*handlers, BARE])
    bare = BARE.rpartition(".")[0]
    codes = {"floor": FLOOR, "bare": _REPLAY.format(module=bare, modules=modules[BARE])}
    for handler in handlers:
        module = handler.rpartition(".")[0]
        codes[f"{handler}:import"] = f"import {module}"
        codes[f"{handler}:first"] = _REPLAY.format(module=module, modules=modules[handler])
    medians = _alternating(codes, rounds, _quiet_env())
    return [
        HandlerFigures(
            handler=handler,
            import_ms=medians[f"{handler}:import"],
            first_request_ms=medians[f"{handler}:first"],
            modules=len(modules[handler]),
            floor_ms=medians["floor"],
            bare_first_request_ms=medians["bare"],
        )
        for handler in handlers
    ]
