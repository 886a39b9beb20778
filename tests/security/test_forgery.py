"""Posts that are not what they seem: a complaint filed by another site through a visitor's
browser (``Sec-Fetch-Site: cross-site`` gets ``403``), and an idempotency key sent again with
other answers (``409`` with the first reference, never silently dropped)."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest

from complaints_tools.local.apigw import to_event
from tests.integration.conftest import Stack, table_items
from tests.integration.helpers import CONTEXT, body_json, deliver, stream_event
from tests.security import person

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def _post(
    fields: dict[str, Any],
    content_type: str = JSON,
    path: str = "/api/complaints",
    **headers: str,
) -> dict[str, Any]:
    from complaints.handlers.api import handler

    body = (json.dumps(fields) if content_type == JSON else urlencode(fields)).encode()
    sent = {"host": "127.0.0.1", "content-type": content_type, **headers}
    return handler(to_event("POST", path, sent, body, "127.0.0.1"), CONTEXT)


def _cases(stack: Stack) -> list[dict[str, Any]]:
    return [item for item in table_items(stack) if item["item_type"] == "case"]


def _page_text(response: dict[str, Any]) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response["body"]).split())


# --- cross-site posts -------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", [JSON, FORM, "text/plain"])
def test_a_post_from_another_site_is_refused_and_nothing_is_stored_or_sent(
    stack: Stack, content_type: str
) -> None:
    fields = person.fields(child_in_danger="yes")  # would alert the front door
    browser = {"sec-fetch-site": "cross-site"}
    if content_type != JSON:  # a form on the other site, posted by the browser
        browser["sec-fetch-mode"] = "navigate"
    answer = _post(fields, content_type, **browser)
    assert answer["statusCode"] == 403
    if content_type == JSON:
        assert answer["headers"]["Content-Type"] == JSON
        (message,) = body_json(answer).values()
        assert "only be sent from the council's own website" in message
    else:
        assert answer["headers"]["Content-Type"].startswith("text/html")
        assert "Your complaint has not been sent" in answer["body"]
        assert "only be sent from the council&#39;s own website" in answer["body"]
        assert answer["headers"]["Content-Security-Policy"].startswith("default-src 'none'")
    assert _cases(stack) == []
    assert stream_event(stack) == {"Records": []}


@pytest.mark.parametrize("site", [None, "same-origin", "same-site", "none"])
def test_posts_from_our_own_pages_api_clients_and_old_browsers_still_work(
    stack: Stack, site: str | None
) -> None:
    headers = {} if site is None else {"sec-fetch-site": site}
    assert _post(person.fields(), JSON, **headers)["statusCode"] == 201
    form = _post(person.fields(details="Another complaint."), FORM, **headers)
    assert form["statusCode"] == 303
    # a form post from our own no-JS page carries Origin: null (Referrer-Policy: no-referrer)
    null_origin = _post(person.fields(details="A third."), FORM, origin="null", **headers)
    assert null_origin["statusCode"] == 303


@pytest.mark.parametrize("content_type", [JSON, FORM])
def test_asking_for_the_next_stage_from_another_site_is_refused(
    stack: Stack, content_type: str
) -> None:
    reference = body_json(_post(person.fields()))["reference"]
    (ack,) = [i for i in stack.repository.outbox_items(reference) if i["kind"] == "acknowledgement"]
    path = f"/api/complaints/{reference}/escalation"
    answer = _post({"token": ack["token"]}, content_type, path, **{"sec-fetch-site": "cross-site"})
    assert answer["statusCode"] == 403
    assert [e.type for e in stack.repository.events(reference)] == ["received"]


# --- a submission id sent again ---------------------------------------------------------------


def test_the_same_submission_id_and_answers_get_the_same_receipt(stack: Stack) -> None:
    fields = person.fields(submission_id=str(uuid.uuid4()))
    first = _post(fields)
    again = _post(fields)
    assert (first["statusCode"], again["statusCode"]) == (201, 201)
    assert body_json(again) == body_json(first)
    assert again["headers"]["Idempotent-Replayed"] == "true"
    assert len(_cases(stack)) == 1


def test_the_same_submission_id_with_other_answers_is_a_409_naming_the_first(
    stack: Stack,
) -> None:
    key = str(uuid.uuid4())
    first = body_json(_post(person.fields(submission_id=key)))
    other = _post(person.fields(submission_id=key, details="Something else entirely."))
    assert other["statusCode"] == 409
    assert other["headers"]["Content-Type"] == JSON
    assert set(body_json(other)) == {"message"}
    message = body_json(other)["message"]
    assert first["reference"] in message
    assert "already sent a complaint" in message
    assert person.NAME not in message
    assert "Something else" not in message
    assert len(_cases(stack)) == 1
    deliver(stream_event(stack))
    stored = stack.repository.get_case(first["reference"])
    assert stored is not None
    assert stored.details == person.DETAILS  # the first answers, untouched


def test_a_form_sent_again_with_other_answers_gets_a_page_with_the_reference(
    stack: Stack,
) -> None:
    key = str(uuid.uuid4())
    first = _post(person.fields(submission_id=key), FORM)
    assert first["statusCode"] == 303
    reference = first["headers"]["Location"].split("reference=")[1].split("&")[0]
    other = _post(person.fields(submission_id=key, outcome_sought="Money back."), FORM)
    assert other["statusCode"] == 409
    assert other["headers"]["Content-Type"].startswith("text/html")
    text = _page_text(other)
    assert "Your complaint was already sent" in text
    assert reference in text
    assert '<link rel="stylesheet" href="/assets/guide.css">' in other["body"]  # the guide's look
    assert "Money back" not in other["body"]
    assert len(_cases(stack)) == 1


def test_a_submission_id_stored_before_answers_were_compared_still_repeats(
    stack: Stack,
) -> None:
    """Items written before the content hash was kept on them: a repeat, as then."""
    from complaints.adapters import keys

    key = str(uuid.uuid4())
    first = body_json(_post(person.fields(submission_id=key)))
    dynamodb = stack.repository.dynamodb
    dynamodb.update_item(
        TableName=stack.repository.table_name,
        Key={"PK": {"S": keys.submission_pk(key)}, "SK": {"S": "SUBMISSION"}},
        UpdateExpression="REMOVE content_hash",
    )
    again = _post(person.fields(submission_id=key, details="Changed."))
    assert (again["statusCode"], body_json(again)["reference"]) == (201, first["reference"])
