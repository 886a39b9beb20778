"""Abuse and bad input: whatever arrives, the API answers with a plain message (never a 5xx),
stores nothing it cannot keep safely, injects nothing into an email's headers, runs no markup
anyone typed, and gives a link-guesser nothing to go on."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from complaints.handlers.api import MAX_BODY_BYTES, MAX_FORM_FIELDS
from complaints.service.selfservice import FREE_WRONG_TRIES, backoff_seconds
from tests.integration.conftest import Stack, table_items
from tests.integration.helpers import (
    CONTEXT,
    api_event,
    body_json,
    deliver,
    post_form,
    post_json,
    stream_event,
)
from tests.security import person
from tests.unit.lifecycle_fixtures import LETTER

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def _post(body: bytes, content_type: str = JSON, path: str = "/api/complaints") -> dict[str, Any]:
    from complaints.handlers.api import handler

    return handler(api_event("POST", path, body, content_type), CONTEXT)


def _get(path: str) -> dict[str, Any]:
    from complaints.handlers.api import handler

    return handler(api_event("GET", path), CONTEXT)


def _post_exactly(body: bytes, content_type: str = JSON) -> dict[str, Any]:
    """Post these very bytes: base64-encoded, as API Gateway passes a body that is not text
    (``api_event`` would decode it as UTF-8, replacing what is not)."""
    from complaints.handlers.api import handler

    event = api_event("POST", "/api/complaints", b"", content_type)
    encoded = {"body": base64.b64encode(body).decode(), "isBase64Encoded": True}
    return handler({**event, **encoded}, CONTEXT)


def _plain_refusal(response: dict[str, Any], status: int) -> str:
    """The refusal's message: the status asked for, one short plain sentence or more, no
    stack trace, nothing technical."""
    assert response["statusCode"] == status, response["body"][:300]
    if response["headers"]["Content-Type"].startswith("text/html"):
        text = re.sub(r"<[^>]+>", " ", response["body"])
    else:
        answer = body_json(response)
        text = answer.get("message") or " ".join(e["message"] for e in answer["errors"])
    for technical in ("Traceback", "Error:", "Exception", "pydantic", "json.", "line ", "char "):
        assert technical not in text, text
    return str(text)


def _stored_cases(stack: Stack) -> list[dict[str, Any]]:
    return [item for item in table_items(stack) if item["item_type"] == "case"]


# --- size -------------------------------------------------------------------------------------


def _just_over_the_limit(content_type: str) -> bytes:
    filler = "x" * (MAX_BODY_BYTES + 1)
    if content_type == JSON:
        return json.dumps(person.fields(details=filler)).encode()
    return urlencode(person.fields(details=filler)).encode()


@pytest.mark.parametrize("content_type", [JSON, FORM])
def test_a_body_just_over_256_kb_is_refused_plainly(stack: Stack, content_type: str) -> None:
    body = _just_over_the_limit(content_type)
    assert MAX_BODY_BYTES < len(body) < MAX_BODY_BYTES + 1024
    message = _plain_refusal(_post(body, content_type), 413)
    assert "too long" in message
    assert "256 KB" in message
    assert _stored_cases(stack) == []


def test_a_base64_encoded_body_is_read_and_held_to_the_same_limit(stack: Stack) -> None:
    from complaints.handlers.api import handler

    assert _post_exactly(json.dumps(person.fields()).encode())["statusCode"] == 201
    assert "too long" in _plain_refusal(_post_exactly(_just_over_the_limit(JSON)), 413)
    event = api_event("POST", "/api/complaints", b"", JSON)
    not_base64 = {**event, "body": "%%% not base64 %%%", "isBase64Encoded": True}
    assert "could not be read" in _plain_refusal(handler(not_base64, CONTEXT), 400)
    assert len(_stored_cases(stack)) == 1


def test_a_form_with_thousands_of_fields_is_refused_plainly(stack: Stack) -> None:
    body = "&".join(f"f{n}=1" for n in range(20_000)).encode()
    assert len(body) < MAX_BODY_BYTES
    message = _plain_refusal(_post(body, FORM), 400)
    assert "too many fields" in message
    # a real form is far below the limit
    assert len(person.fields()) + 3 < MAX_FORM_FIELDS


def test_json_with_tens_of_thousands_of_keys_is_answered_quickly_without_them(
    stack: Stack,
) -> None:
    import time

    extra = {f"k{n}": 0 for n in range(20_000)}
    body = json.dumps({**extra, **person.fields()}, separators=(",", ":")).encode()
    assert len(body) < MAX_BODY_BYTES
    started = time.monotonic()
    response = _post(body)
    assert response["statusCode"] == 201
    assert time.monotonic() - started < 5
    (case,) = _stored_cases(stack)
    assert not any(key.startswith("k1") for key in case)  # unknown fields are never stored


# --- odd JSON ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/complaints", "/api/complaints/HJKM-NPQR/escalation"])
def test_json_nested_ten_thousand_deep_is_a_plain_400_not_a_crash(stack: Stack, path: str) -> None:
    deep = b"[" * 10_000 + b"]" * 10_000
    assert "nested too deeply" in _plain_refusal(_post(deep, path=path), 400)
    inside = json.dumps(person.fields()).encode()[:-1] + b', "x": ' + deep + b"}"
    assert "nested too deeply" in _plain_refusal(_post(inside, path=path), 400)


def test_json_nested_in_a_field_but_not_too_deep_is_a_plain_422(stack: Stack) -> None:
    body = json.dumps(person.fields()).replace(
        json.dumps(person.DETAILS), "[" * 500 + "1" + "]" * 500
    )
    response = _post(body.encode())
    assert _plain_refusal(response, 422) == "Tell us what your complaint is about"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"[1, 2]", 400),
        (b'"a complaint"', 400),
        (b"42", 400),
        (b"null", 400),
        (b"", 400),
        (b"\xef\xbb\xbf" + json.dumps(person.fields()).encode(), 400),  # a byte order mark
        (b'{"details": "caf\xe9"}', 400),  # Latin-1, not UTF-8
        (b'{"details": "\xed\xa0\x80"}', 400),  # a surrogate written as UTF-8 bytes
        (b'{"details": ' + b"9" * 5000 + b"}", 400),  # a number too long to read
    ],
)
def test_json_that_is_not_an_object_of_fields_is_refused_plainly(
    stack: Stack, body: bytes, status: int
) -> None:
    _plain_refusal(_post_exactly(body), status)
    assert _stored_cases(stack) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("details", float("nan")),
        ("details", float("inf")),
        ("complainant_name", 12345),
        ("email", True),
        ("details", None),
        ("details", ["a", "list"]),
        ("details", {"an": "object"}),
        ("phone", 7700900461),
        ("relationship", ["parent"]),
        ("wants_advocate", 1),
        ("child_date_of_birth", 0),  # would be read as 1 January 1970
        ("child_date_of_birth", 1331683200),  # 14 March 2012 as a timestamp
        ("child_date_of_birth", float("-inf")),
        ("submission_id", 12345),
    ],
)
def test_a_field_of_the_wrong_json_type_gets_a_plain_error_naming_it(
    stack: Stack, field: str, value: Any
) -> None:
    body = json.dumps(person.fields(**{field: None}) | {field: value})
    response = _post(body.encode())
    assert response["statusCode"] == 422
    assert [e["field"] for e in body_json(response)["errors"]] == [field]
    _plain_refusal(response, 422)
    assert _stored_cases(stack) == []


def test_with_a_key_twice_the_last_one_counts_as_json_says(stack: Stack) -> None:
    body = json.dumps(person.fields())[:-1] + ', "details": "The second telling."}'
    response = _post(body.encode())
    assert response["statusCode"] == 201
    (case,) = _stored_cases(stack)
    assert case["details"] == "The second telling."
    form = urlencode([("details", "First."), *person.fields().items()]).encode()
    assert _post(form, FORM)["statusCode"] == 303  # a form keeps the first


@pytest.mark.parametrize(
    "field", ["complainant_name", "child_name", "details", "outcome_sought", "phone", "email"]
)
def test_lone_surrogates_are_dropped_and_the_rest_is_stored(stack: Stack, field: str) -> None:
    body = json.dumps(person.fields())
    value = json.dumps(person.fields()[field])
    body = body.replace(value, value[:4] + "\\ud800" + value[4:-1] + '\\udfff"', 1)
    response = _post(body.encode())
    assert response["statusCode"] == 201, response["body"]
    (case,) = _stored_cases(stack)
    stored = json.dumps(case, ensure_ascii=False)
    assert "\\ud800" not in stored
    assert "\\udfff" not in stored
    deliver(stream_event(stack))  # the emails are rendered and sent as well


@pytest.mark.parametrize(
    "body",
    [
        b'{"token": "\\ud800"}',
        b'{"token": ["a"], "reason": {"a": 1}}',
        b'{"token": 12345}',
        b'{"token": null, "reason": "\\udfff"}',
    ],
)
def test_an_odd_token_is_simply_not_the_right_one(stack: Stack, body: bytes) -> None:
    reference = body_json(post_json(person.fields()))["reference"]
    answer = _post(body, path=f"/api/complaints/{reference}/escalation")
    assert "could not find" in _plain_refusal(answer, 404)


def test_the_reason_for_the_next_stage_is_cleaned_like_the_complaint(stack: Stack) -> None:
    from complaints_tools.cli import _register, app

    reference = body_json(post_json(person.fields()))["reference"]
    (ack,) = [i for i in stack.repository.outbox_items(reference) if i["kind"] == "acknowledgement"]
    _register()
    from typer.testing import CliRunner

    assert (
        CliRunner()
        .invoke(app, ["respond", reference, "--outcome", "upheld", "--use-draft"])
        .exit_code
        == 0
    )
    reason = "Not \\u202eright\\u0000 at all\\ud800"
    body = f'{{"token": "{ack["token"]}", "reason": "{reason}"}}'.encode()
    answer = _post(body, path=f"/api/complaints/{reference}/escalation")
    assert answer["statusCode"] == 200
    events = [e for e in stack.repository.events(reference) if e.type == "next_stage_requested"]
    assert [e.reason for e in events] == ["Not right at all"]


# --- email headers ----------------------------------------------------------------------------

INJECTED = "\r\nBcc: x@evil.test"


@pytest.mark.parametrize("post", [post_json, post_form])
def test_cr_lf_in_a_name_becomes_a_space_and_reaches_no_header(
    stack: Stack, ses_requests: list[dict[str, Any]], post: Any
) -> None:
    response = post(
        person.fields(
            complainant_name=person.NAME + INJECTED,
            child_name=person.CHILD + "\r\nSubject: hi",
            wants_advocate="yes",
            child_in_danger="yes",
        )
    )
    assert response["statusCode"] in {201, 303}
    (case,) = _stored_cases(stack)
    assert case["complainant"]["name"] == f"{person.NAME} Bcc: x@evil.test"
    deliver(stream_event(stack))
    assert len(ses_requests) == 4  # acknowledgement, team, advocacy, safeguarding
    for request in ses_requests:
        _no_injection(request)


@pytest.mark.parametrize("post", [post_json, post_form])
@pytest.mark.parametrize(
    "email",
    [
        person.EMAIL + INJECTED,
        person.EMAIL + "\nBcc: x@evil.test",
        person.EMAIL + "\rCc:x@evil.test",
        f"{person.EMAIL}, x@evil.test",
        f"{person.EMAIL};x@evil.test",
        f"Zephyrine <{person.EMAIL}>",
        f'"x@evil.test\\r\\n"@{person.EMAIL.split("@")[1]}',
        f"{person.EMAIL}%0d%0aBcc:x@evil.test",
    ],
)
def test_an_email_address_carrying_headers_is_refused_plainly(
    stack: Stack, post: Any, email: str
) -> None:
    response = post(person.fields(email=email))
    if response["statusCode"] == 200:  # the form again, with the error
        assert "Enter your email address in the correct format" in response["body"]
    else:
        errors = body_json(response)["errors"]
        assert errors == [
            {
                "field": "email",
                "message": "Enter your email address in the correct format, like name@example.com",
            }
        ]
    assert _stored_cases(stack) == []


def _no_injection(request: dict[str, Any]) -> None:
    assert request["operation"] == "sesv2:SendEmail"
    assert "evil.test" not in json.dumps(request["Destination"])
    assert set(request["Destination"]) == {"ToAddresses"}
    for address in [request["FromEmailAddress"], *request["Destination"]["ToAddresses"]]:
        assert re.fullmatch(r"[^\s,;<>\"]+@[^\s,;<>\"]+", address), address
    subject = request["Content"]["Simple"]["Subject"]["Data"]
    assert not re.search(r"[\r\n]|Bcc|Subject:", subject), subject


def test_an_address_with_a_non_ascii_domain_is_sent_as_punycode(
    stack: Stack, ses_requests: list[dict[str, Any]]
) -> None:
    """SES has no SMTPUTF8: addresses must be 7-bit ASCII, a domain as Punycode."""
    response = post_json(person.fields(email="zephyrine@exämple.org"))
    assert response["statusCode"] == 201
    (case,) = _stored_cases(stack)
    assert case["complainant"]["email"] == "zephyrine@exämple.org"  # as the person wrote it
    deliver(stream_event(stack))
    (ack,) = [r for r in ses_requests if "received" in r["Content"]["Simple"]["Subject"]["Data"]]
    assert ack["Destination"]["ToAddresses"] == ["zephyrine@xn--exmple-cua.org"]


def test_an_address_with_letters_ses_cannot_carry_before_the_at_is_refused_plainly(
    stack: Stack,
) -> None:
    response = post_json(person.fields(email="zéphyrine@example.org"))
    assert body_json(response)["errors"] == [
        {
            "field": "email",
            "message": "Enter an email address that uses only the letters a to z, numbers and "
            "symbols before the @, like name@example.com",
        }
    ]


# --- markup -----------------------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'
MARKUP = {
    "complainant_name": f"Zephyrine {SCRIPT}",
    "child_name": '<img src=x onerror="alert(1)">',
    "details": f'</textarea>{SCRIPT}<a href="javascript:alert(2)">click</a>',
    "outcome_sought": "</p><iframe src=//evil.test></iframe>",
    "phone": PHONE if (PHONE := person.PHONE) else "",
}
RAW_TAGS = re.compile(r"<\s*(script|img|iframe|a\s+href=\"javascript)", re.IGNORECASE)


def test_markup_typed_into_the_complaint_is_escaped_in_every_html_email(
    stack: Stack, ses_requests: list[dict[str, Any]]
) -> None:
    response = post_json(person.fields(**MARKUP, wants_advocate="yes", child_in_danger="yes"))
    assert response["statusCode"] == 201
    deliver(stream_event(stack))
    assert len(ses_requests) == 4
    named = 0
    for request in ses_requests:
        body = request["Content"]["Simple"]["Body"]
        html, text = body["Html"]["Data"], body["Text"]["Data"]
        assert not RAW_TAGS.search(html), request["Content"]["Simple"]["Subject"]
        # the safeguarding alert carries what they wrote: as escaped text, never a link
        assert "javascript:" not in html.replace("&#34;javascript:", "")
        if "Zephyrine" in html:
            named += 1
            assert "Zephyrine &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
            # the text part is text/plain: shown as typed, never interpreted as markup
            assert f"Zephyrine {SCRIPT}" in text
        assert "<" not in request["Content"]["Simple"]["Subject"]["Data"]
    assert named >= 3  # the acknowledgement, the advocacy referral, the safeguarding alert


def test_markup_typed_into_the_form_comes_back_escaped_on_the_error_page(stack: Stack) -> None:
    response = post_form(person.fields(**MARKUP, email="not an email"))
    assert response["statusCode"] == 200
    page = response["body"]
    assert not RAW_TAGS.search(page)
    assert "javascript:alert" not in page.replace("&#34;javascript:alert", "")
    assert "Zephyrine &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "&lt;/textarea&gt;&lt;script&gt;" in page
    assert response["headers"]["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_form_again_keeps_the_answers_exactly_as_typed(stack: Stack) -> None:
    """Blank lines between paragraphs, and characters that some code counts as line breaks
    (U+2028, NEL), come back as they were sent, not run together."""
    import html

    details = "First paragraph.\n\nSecond\u2028line\x85here.\r\n\r\nThird."
    page = post_form(person.fields(details=details, email="not an email"))["body"]
    box = re.search(r'<textarea [^>]*id="details"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert box is not None
    assert html.unescape(box.group(1)) == details


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (_just_over_the_limit(FORM), FORM, 413),
        (f"details={SCRIPT}".encode(), "text/html", 415),
        ("&".join(f"f{n}={SCRIPT}" for n in range(100)).encode(), FORM, 400),
    ],
)
def test_problem_pages_never_show_what_was_sent(
    stack: Stack, body: bytes, content_type: str, status: int
) -> None:
    from complaints.handlers.api import handler

    event = api_event("POST", "/api/complaints", body, content_type)
    event["headers"]["accept"] = "text/html"
    response = handler(event, CONTEXT)
    assert response["statusCode"] == status
    # (the page's own "description" meta tag spells "script" too)
    assert "<script" not in response["body"].lower()
    assert "alert(" not in response["body"]
    assert "xxxx" not in response["body"]


# --- very long words --------------------------------------------------------------------------


def test_a_twenty_thousand_letter_word_is_accepted_and_every_email_still_renders(
    stack: Stack, ses_requests: list[dict[str, Any]]
) -> None:
    word = "quinceberry" * 1820  # 20,020 letters, no space
    response = post_json(
        person.fields(details=word, outcome_sought=word[:9000], complainant_name="Z" * 200)
    )
    assert response["statusCode"] == 201
    assert deliver(stream_event(stack)) == {"batchItemFailures": []}
    assert len(ses_requests) == 2
    form = post_form(person.fields(details=word, email="not an email"))
    assert form["statusCode"] == 200
    assert word in form["body"]  # the owner's own answer, back in its box


# --- guessing the self-service link -----------------------------------------------------------


def _filed(stack: Stack) -> tuple[str, str]:
    reference = body_json(post_json(person.fields(submission_id=None)))["reference"]
    (ack,) = [i for i in stack.repository.outbox_items(reference) if i["kind"] == "acknowledgement"]
    return reference, str(ack["token"])


def _ask(reference: str, token: str, how: str) -> dict[str, Any]:
    """Look at the case, or ask for the next stage by JSON or by form, with this token."""
    if how == "status":
        return _get(f"/api/complaints/{reference}?{urlencode({'token': token})}")
    path = f"/api/complaints/{reference}/escalation"
    if how == "json":
        return _post(json.dumps({"token": token}).encode(), JSON, path)
    return _post(urlencode({"token": token}).encode(), FORM, path)


def _outside(response: dict[str, Any]) -> tuple[Any, ...]:
    """All a caller can see of an answer."""
    return (
        response["statusCode"],
        response["body"],
        sorted(response["headers"].items()),
        sorted((response.get("multiValueHeaders") or {}).items()),
        response.get("isBase64Encoded"),
        response.get("cookies"),
    )


@pytest.mark.parametrize("how", ["status", "json", "form"])
def test_an_unknown_reference_and_a_wrong_token_look_exactly_the_same(
    stack: Stack, how: str
) -> None:
    reference, token = _filed(stack)
    wrong = _ask(reference, "x" * len(token), how)
    unknown = _ask("HJKM-NPQR", token, how)
    missing = _ask(reference, "", how)
    assert wrong["statusCode"] == 404
    assert _outside(wrong) == _outside(unknown) == _outside(missing)


@pytest.mark.parametrize("how", ["status", "json", "form"])
def test_guessing_slows_down_alike_for_real_and_unknown_references(stack: Stack, how: str) -> None:
    reference, _token = _filed(stack)
    for _ in range(FREE_WRONG_TRIES):
        assert _ask(reference, "guess", how)["statusCode"] == 404
        assert _ask("HJKM-NPQR", "guess", how)["statusCode"] == 404
    waits = []
    for _ in range(4):
        slowed = _ask(reference, "guess", how)
        assert slowed["statusCode"] == 429
        assert "Too many tries" in _plain_refusal(slowed, 429)
        # an unknown reference after as many tries looks exactly the same
        assert _outside(slowed) == _outside(_ask("HJKM-NPQR", "guess", how))
        waits.append(int(slowed["headers"]["Retry-After"]))
    assert waits == [backoff_seconds(FREE_WRONG_TRIES + n) for n in range(1, 5)] == [1, 2, 4, 8]


@pytest.mark.parametrize("how", ["status", "json", "form"])
def test_twenty_wrong_tokens_never_lock_the_complainant_out(stack: Stack, how: str) -> None:
    """Knowing a reference is not enough to stop its complainant reading or escalating their
    own complaint: the right token always works, and is never slowed down."""
    from complaints.service import lifecycle as lc
    from complaints.service.casework import change_case

    reference, token = _filed(stack)
    if how != "status":  # so that asking for stage 2 is allowed
        now = datetime.now(UTC)
        change_case(
            stack.repository,
            reference,
            lambda c: lc.respond(
                c,
                "upheld",
                lc.Act("staff", now, now),
                letter=LETTER,
            ),
            now,
        )
    for _ in range(20):
        assert _ask(reference, "x" * len(token), how)["statusCode"] in (404, 429)
    right = _ask(reference, token, how)
    assert right["statusCode"] == {"status": 200, "json": 200, "form": 303}[how]
    assert "Retry-After" not in right["headers"]
    assert _ask(reference, "wrong", how)["statusCode"] == 429  # still slow for the guesser


def test_tokens_are_compared_in_constant_time_whether_or_not_the_case_exists(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a timing measurement (that would be flaky): the comparison is
    ``hmac.compare_digest``, and it runs for an unknown reference as for a real one."""
    import hmac
    import sys

    from complaints.service import tokens

    compared: list[tuple[str, str]] = []

    def spying(a: str, b: str) -> bool:
        if sys._getframe(1).f_globals["__name__"] == tokens.__name__:  # not botocore's, moto's
            compared.append((a, b))
        return original(a, b)

    original = hmac.compare_digest

    reference, token = _filed(stack)
    monkeypatch.setattr(tokens.hmac, "compare_digest", spying)
    _ask(reference, "wrong", "status")
    _ask("HJKM-NPQR", "wrong", "status")
    _ask(reference, token, "status")
    assert len(compared) == 3
    assert all(len(a) == len(b) == 64 for a, b in compared)  # hashes: equal length always


def test_a_token_that_is_not_valid_unicode_text_never_matches_and_never_crashes() -> None:
    from complaints.service.tokens import hash_token, new_token, token_matches

    token = new_token()
    assert token_matches(token, hash_token(token))
    assert not token_matches("\ud800", hash_token(token))
    assert not token_matches(token + "\udfff", hash_token(token))
