"""The HTTP API: JSON and form posts, errors people can act on, and clear refusals."""

from __future__ import annotations

import io
import json
import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from complaints.handlers.api import handler
from tests.integration.conftest import Stack, table_items
from tests.integration.helpers import (
    CONTEXT,
    api_event,
    body_json,
    post_form,
    post_json,
    valid_fields,
)

REQUIRED = ["complainant_name", "email", "relationship", "child_name", "details"]


def test_health(stack: Stack) -> None:
    response = handler(api_event("GET", "/api/health"), CONTEXT)
    assert response["statusCode"] == 200
    assert body_json(response) == {"status": "ok"}


def test_an_unknown_api_address_is_not_found_not_an_error(stack: Stack) -> None:
    response = handler(api_event("GET", "/api/no-such-thing"), CONTEXT)
    assert response["statusCode"] == 404
    assert body_json(response) == {"message": "There is nothing at this address."}


def test_json_complaint_is_stored_and_gets_a_receipt(stack: Stack) -> None:
    response = post_json(valid_fields())
    assert response["statusCode"] == 201
    receipt = body_json(response)
    assert set(receipt) >= {"reference", "procedure", "stage", "received_on", "respond_by"}
    assert receipt["procedure"] == "children-act-1989"
    assert receipt["stage"] == 1
    case = stack.repository.get_case(receipt["reference"])
    assert case is not None
    assert case.complainant.email == "sam.parent@example.com"
    assert case.stage.respond_by.isoformat() == receipt["respond_by"]
    assert [event.type for event in stack.repository.events(case.reference)] == ["received"]


def test_form_post_is_stored_and_redirected_to_the_confirmation_page(stack: Stack) -> None:
    response = post_form(valid_fields())
    assert response["statusCode"] == 303
    location = urlsplit(response["headers"]["Location"])
    assert location.path == "/complaint/received"
    query = parse_qs(location.query)
    reference = query["reference"][0]
    case = stack.repository.get_case(reference)
    assert case is not None
    assert query["respond_by"] == [case.stage.respond_by.isoformat()]
    assert "urgent" not in query


@pytest.mark.parametrize("field", REQUIRED)
def test_each_required_field_missing_gets_a_plain_error(stack: Stack, field: str) -> None:
    response = post_json(valid_fields(**{field: None}))
    assert response["statusCode"] == 422
    errors = body_json(response)["errors"]
    assert [error["field"] for error in errors] == [field]
    assert errors[0]["message"].split()[0] in {"Enter", "Select", "Tell"}
    assert table_items(stack) == []


@pytest.mark.parametrize("field", REQUIRED)
def test_form_with_a_missing_field_gets_an_error_summary_page_not_a_bare_422(
    stack: Stack, field: str
) -> None:
    response = post_form(valid_fields(**{field: ""}))
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"].startswith("text/html")
    page = response["body"]
    assert "There is a problem" in page
    assert f'<a href="#{field}">' in page  # the summary links to the field on this page
    assert f'id="{field}-error"' in page
    assert "<title>Error:" in page
    csp = response["headers"]["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp  # falls back to 'none': nothing runs
    assert response["headers"]["Cache-Control"] == "no-store"
    assert table_items(stack) == []


def test_a_child_may_complain_without_giving_a_child_name(stack: Stack) -> None:
    response = post_json(valid_fields(relationship="child_or_young_person", child_name=None))
    assert response["statusCode"] == 201


def test_error_page_shows_the_form_again_with_the_answers_and_inline_errors(
    stack: Stack,
) -> None:
    fields = valid_fields(email="not-an-email", details="", child_in_danger="no")
    page = post_form(fields)["body"]
    assert page.count("<form ") == 1
    assert 'action="/api/complaints"' in page
    assert f'value="{fields["complainant_name"]}"' in page
    assert 'value="not-an-email"' in page
    email = re.search(r"<input [^>]*id=\"email\"[^>]*>", page)
    assert email is not None
    assert 'aria-invalid="true"' in email.group(0)
    assert 'aria-describedby="email-hint email-error"' in email.group(0)
    details = re.search(r"<textarea [^>]*id=\"details\"[^>]*>", page)
    assert details is not None
    assert 'aria-describedby="details-hint details-error"' in details.group(0)
    assert 'id="details-error"' in page
    name = re.search(r"<input [^>]*id=\"complainant_name\"[^>]*>", page)
    assert name is not None
    assert "aria-invalid" not in name.group(0)  # only the answers that need changing
    assert re.search(r'id="child_in_danger-2"[^>]*value="no" checked', page)
    assert table_items(stack) == []


def test_error_page_escapes_what_was_typed_and_never_refills_the_honeypot(
    stack: Stack,
) -> None:
    response = post_form(
        valid_fields(
            email="<script>alert(1)</script>",
            details='</textarea><script>alert("x")</script>',
            website="http://spam.example",
        )
    )
    page = response["body"]
    assert "<script>" not in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</textarea>" in page
    assert "spam.example" not in page
    assert table_items(stack) == []


@pytest.mark.parametrize("post", [post_json, post_form])
def test_honeypot_pretends_success_and_stores_nothing(stack: Stack, post: object) -> None:
    response = post(valid_fields(website="http://spam.example"))  # type: ignore[operator]
    assert response["statusCode"] in {201, 303}
    assert table_items(stack) == []


def test_child_in_danger_is_stored_as_urgent_and_told_to_call_999(stack: Stack) -> None:
    response = post_json(valid_fields(child_in_danger="yes"))
    assert response["statusCode"] == 201
    receipt = body_json(response)
    assert receipt["urgent"] is True
    assert "999" in receipt["advice"]
    assert "0300 123 4567" in receipt["advice"]  # the front door, from council.yaml
    case = stack.repository.get_case(receipt["reference"])
    assert case is not None
    assert case.urgent
    kinds = {item["kind"] for item in stack.repository.outbox_items(case.reference)}
    assert "safeguarding_alert" in kinds


def test_urgent_form_post_redirects_with_urgent_flag(stack: Stack) -> None:
    response = post_form(valid_fields(child_in_danger="yes"))
    assert response["statusCode"] == 303
    assert parse_qs(urlsplit(response["headers"]["Location"]).query)["urgent"] == ["yes"]


def test_invalid_form_saying_a_child_is_in_danger_still_shows_999(stack: Stack) -> None:
    response = post_form(valid_fields(child_in_danger="yes", details=""))
    assert response["statusCode"] == 200
    assert "call 999" in response["body"]
    assert "0300 123 4567" in response["body"]  # the front door, from council.yaml
    assert 'href="#details"' in response["body"]


@pytest.mark.parametrize(
    ("service_area", "procedure"),
    [
        ("childrens_social_care", "children-act-1989"),
        ("education_send", "corporate"),
        ("other_council_service", "corporate"),
        (None, "children-act-1989"),
    ],
)
def test_triage_picks_the_procedure_from_the_service_area(
    stack: Stack, service_area: str | None, procedure: str
) -> None:
    response = post_json(valid_fields(service_area=service_area))
    assert body_json(response)["procedure"] == procedure


def test_body_over_256_kb_is_refused_with_413(stack: Stack) -> None:
    response = post_json(valid_fields(details="x" * (257 * 1024)))
    assert response["statusCode"] == 413
    assert "too long" in body_json(response)["message"]
    assert table_items(stack) == []


def test_oversized_form_gets_an_html_page(stack: Stack) -> None:
    response = post_form(valid_fields(details="x" * (257 * 1024)))
    assert response["statusCode"] == 413
    assert response["headers"]["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("content_type", ["text/plain", "multipart/form-data", ""])
def test_wrong_content_type_is_refused_with_415(stack: Stack, content_type: str) -> None:
    body = json.dumps(valid_fields()).encode()
    response = handler(api_event("POST", "/api/complaints", body, content_type), CONTEXT)
    assert response["statusCode"] == 415
    assert "application/json" in body_json(response)["message"]


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_malformed_json_is_refused_with_400(stack: Stack, body: bytes) -> None:
    event = api_event("POST", "/api/complaints", body, "application/json; charset=utf-8")
    response = handler(event, CONTEXT)
    assert response["statusCode"] == 400
    assert body_json(response)["message"]


def test_json_true_and_false_mean_yes_and_no(stack: Stack) -> None:
    response = post_json(valid_fields(wants_advocate=True))
    case = stack.repository.get_case(body_json(response)["reference"])
    assert case is not None
    assert case.wants_advocate


def test_nothing_personal_is_logged(stack: Stack) -> None:
    from complaints.handlers import api

    buffer = io.StringIO()
    capture = logging.StreamHandler(buffer)
    capture.setFormatter(api.logger.registered_formatter)
    api.logger.addHandler(capture)
    try:
        post_json(valid_fields(details="A very private matter"))
        post_form(valid_fields(email="not-an-email"))
    finally:
        api.logger.removeHandler(capture)
    logged = buffer.getvalue()
    assert "complaint received" in logged  # the log is really captured here
    for secret in (
        "Sam Parent",
        "sam.parent@example.com",
        "A very private matter",
        "Alex",
        "not-an-email",
    ):
        assert secret not in logged
