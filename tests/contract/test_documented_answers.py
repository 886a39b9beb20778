"""The answers generated requests cannot reach (a stored complaint, the self-service link, the
throttle), made on purpose against the real local stack and checked against the committed
OpenAPI document with schemathesis' conformance checks."""

from __future__ import annotations

import html
import re
import time
import uuid
from typing import Any

import pytest

from complaints.service.selfservice import FREE_WRONG_TRIES
from complaints_tools.openapi.document import ESCALATION_EXAMPLE, SUBMISSION_EXAMPLE
from tests.contract.checks import FORM, refusals_in_documented_shape
from tests.contract.schema import schema
from tests.localstack import Stack

JSON = "application/json"
SUBMIT = schema["/api/complaints"]["POST"]
STATUS = schema["/api/complaints/{reference}"]["GET"]
ESCALATE = schema["/api/complaints/{reference}/escalation"]["POST"]


def _call(stack: Stack, operation: Any, **case: Any) -> Any:
    """Send one request and check the answer against the document; return the answer."""
    return operation.Case(**case).call_and_validate(
        base_url=stack.url,
        allow_redirects=False,
        timeout=30,
        additional_checks=[refusals_in_documented_shape],
    )


def _header(answer: Any, name: str) -> str:
    values = {key.lower(): value for key, value in answer.headers.items()}[name.lower()]
    return str(values[0])


def _complaint(stack: Stack, email: str) -> str:
    answer = _call(stack, SUBMIT, body={**SUBMISSION_EXAMPLE, "email": email}, media_type=JSON)
    assert answer.status_code == 201
    return str(answer.json()["reference"])


def _token(stack: Stack, email: str, reference: str) -> str:
    """The token in the acknowledgement email's self-service link."""
    link = re.compile(rf"reference={re.escape(reference)}&(?:amp;)?token=([A-Za-z0-9_\-]+)")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for sent in stack.cli("emails"):
            if email in str(sent.get("to")):
                found = link.search(html.unescape(str(sent.get("body") or "")))
                if found:
                    return found.group(1)
        time.sleep(0.5)
    pytest.fail("no acknowledgement email with a self-service link")


def test_a_json_complaint_and_its_self_service_link(api_stack: Stack) -> None:
    email = "contract.json@example.com"
    reference = _complaint(api_stack, email)
    repeat = _call(api_stack, SUBMIT, body={**SUBMISSION_EXAMPLE, "email": email}, media_type=JSON)
    assert (repeat.status_code, repeat.json()["reference"]) == (201, reference)
    assert _header(repeat, "Idempotent-Replayed") == "true"

    token = _token(api_stack, email, reference)
    where = {"reference": reference}
    status = _call(api_stack, STATUS, path_parameters=where, query={"token": token})
    assert (status.status_code, status.json()["can_escalate"]) == (200, False)

    too_soon = _call(
        api_stack, ESCALATE, path_parameters=where, body={"token": token}, media_type=JSON
    )
    assert too_soon.status_code == 409

    api_stack.cli("respond", reference, "--outcome", "not_upheld", "--use-draft")
    asked = _call(
        api_stack,
        ESCALATE,
        path_parameters=where,
        body={**ESCALATION_EXAMPLE, "token": token},
        media_type=JSON,
    )
    assert asked.status_code == 200
    assert asked.json()["asked"] is True


def test_form_posts_get_a_page_or_a_redirect(api_stack: Stack) -> None:
    sent = _call(
        api_stack, SUBMIT, body={**SUBMISSION_EXAMPLE, "email": "form@example.com"}, media_type=FORM
    )
    assert sent.status_code == 303
    assert _header(sent, "Location").startswith("/complaint/received?reference=")

    again = _call(api_stack, SUBMIT, body={"email": "not an address"}, media_type=FORM)
    assert again.status_code == 200
    assert _header(again, "Content-Type").startswith("text/html")


def test_a_submission_id_sent_again_with_other_answers_is_a_409(api_stack: Stack) -> None:
    key = str(uuid.uuid4())
    body = {**SUBMISSION_EXAMPLE, "email": "contract.reused@example.com", "submission_id": key}
    first = _call(api_stack, SUBMIT, body=body, media_type=JSON)
    assert first.status_code == 201
    reference = first.json()["reference"]
    same = _call(api_stack, SUBMIT, body=body, media_type=JSON)
    assert (same.status_code, same.json()["reference"]) == (201, reference)
    other = {**body, "details": "Something else happened."}
    conflict = _call(api_stack, SUBMIT, body=other, media_type=JSON)
    assert conflict.status_code == 409
    assert set(conflict.json()) == {"message"}
    assert reference in conflict.json()["message"]
    page = _call(api_stack, SUBMIT, body=other, media_type=FORM)
    assert page.status_code == 409
    assert _header(page, "Content-Type").startswith("text/html")
    assert reference in page.text


@pytest.mark.parametrize("media_type", [JSON, FORM])
def test_a_browser_post_from_another_site_is_a_403(api_stack: Stack, media_type: str) -> None:
    # a form on another site navigates; its script would fetch (and be refused here too)
    mode = "navigate" if media_type == FORM else "cors"
    cross_site = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": mode}
    body = {**SUBMISSION_EXAMPLE, "email": "contract.cross.site@example.com"}
    refused = _call(api_stack, SUBMIT, body=body, media_type=media_type, headers=cross_site)
    assert refused.status_code == 403
    where = {"reference": "KX7F-3QTM"}
    asked = _call(
        api_stack,
        ESCALATE,
        path_parameters=where,
        body={"token": "x"},
        media_type=media_type,
        headers=cross_site,
    )
    assert asked.status_code == 403
    same_origin = _call(
        api_stack, SUBMIT, body=body, media_type=JSON, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert same_origin.status_code == 201


def test_wrong_links_slow_down_with_retry_after_but_the_right_one_works(
    api_stack: Stack,
) -> None:
    email = "contract.throttle@example.com"
    reference = _complaint(api_stack, email)
    where = {"reference": reference}
    for _ in range(FREE_WRONG_TRIES):
        wrong = _call(api_stack, STATUS, path_parameters=where, query={"token": "wrong-token"})
        assert wrong.status_code == 404
    waits = []
    for answer in (
        _call(api_stack, STATUS, path_parameters=where, query={"token": "wrong-token"}),
        _call(api_stack, ESCALATE, path_parameters=where, body={"token": "x"}, media_type=JSON),
        *(
            _call(api_stack, STATUS, path_parameters=where, query={"token": "wrong-token"})
            for _ in range(18)
        ),
    ):
        assert answer.status_code == 429
        waits.append(int(_header(answer, "Retry-After")))
    assert waits[0] > 0
    assert waits == sorted(waits)  # never shorter, and growing
    assert waits[-1] > waits[0]
    # twenty wrong tokens, then the right one: it works
    token = _token(api_stack, email, reference)
    right = _call(api_stack, STATUS, path_parameters=where, query={"token": token})
    assert right.status_code == 200


@pytest.mark.parametrize(
    ("body", "media_type", "status"),
    [
        (b'{"details": ', JSON, 400),  # broken JSON
        (b'["a list"]', JSON, 400),  # not an object
        (b"\xff\xfe", JSON, 400),  # not UTF-8
        ("A complaint as plain text", "text/plain", 415),
        (b'{"details": "' + b"x" * (256 * 1024) + b'"}', JSON, 413),
    ],
    ids=["broken-json", "not-an-object", "not-utf8", "plain-text", "too-long"],
)
def test_unreadable_bodies_get_a_documented_problem(
    api_stack: Stack, body: Any, media_type: str, status: int
) -> None:
    for operation, where in ((SUBMIT, None), (ESCALATE, {"reference": "KX7F-3QTM"})):
        answer = _call(
            api_stack, operation, path_parameters=where, body=body, media_type=media_type
        )
        assert answer.status_code == status, operation.label
        assert set(answer.json()) == {"message"}
