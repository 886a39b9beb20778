"""Every unicode general category in every text field: the API answers 201 (or 303) or a plain
refusal, never a 5xx; what it stores is what it parsed, keeps as UTF-8, and renders safely in
every email and page.

Two ways in: a deterministic sweep putting characters of each of the 30 general categories
(control, format such as RIGHT-TO-LEFT OVERRIDE U+202E and ZERO WIDTH JOINER U+200D, private
use, surrogates as JSON ``\\ud800`` escapes, unassigned, line and paragraph separators,
combining marks, ...) into every field; and a Hypothesis property over random mixtures,
derandomised and bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import html
import json
import re
import sys
import unicodedata
from functools import cache
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from complaints.models import Case
from complaints.submission import Submission, parse_submission
from tests.integration.conftest import Stack
from tests.integration.helpers import CONTEXT, api_event, body_json
from tests.security import person

CATEGORIES = (
    "Cc", "Cf", "Cn", "Co", "Cs",
    "Ll", "Lm", "Lo", "Lt", "Lu",
    "Mc", "Me", "Mn",
    "Nd", "Nl", "No",
    "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps",
    "Sc", "Sk", "Sm", "So",
    "Zl", "Zp", "Zs",
)  # fmt: skip
TEXT_FIELDS = ("complainant_name", "child_name", "details", "outcome_sought", "phone")
NEVER_STORED = {"Cc", "Cf", "Cs"}  # apart from new lines and tabs in the long answers


@cache
def _samples() -> dict[str, str]:
    """Up to 12 characters of each category, spread over the code space (with the awkward
    ones named in the brief first)."""
    found: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for wanted in "\u202e\u200d\u200b\ufeff\u2028\u2029\x00\r\n\x1b\u0301\ud800\ue000":
        found[unicodedata.category(wanted)].append(wanted)
    seen: dict[str, int] = dict.fromkeys(CATEGORIES, 0)
    for code in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        seen[category] += 1
        if len(found[category]) < 12 and seen[category] % 97 == 1:  # spread, not the first 12
            found[category].append(chr(code))
    assert all(found.values())
    return {c: "".join(dict.fromkeys(chars)) for c, chars in found.items()}


def _post(fields: dict[str, Any], form: bool) -> dict[str, Any]:
    from complaints.handlers.api import handler

    if form:  # what a browser sends: UTF-8 percent-escapes, lone surrogates as their bytes
        body = urlencode(fields, encoding="utf-8", errors="surrogatepass").encode("ascii")
        content_type = "application/x-www-form-urlencoded"
    else:  # ensure_ascii: lone surrogates travel as \ud800 escapes
        body = json.dumps(fields, ensure_ascii=True).encode("ascii")
        content_type = "application/json"
    return handler(api_event("POST", "/api/complaints", body, content_type), CONTEXT)


def _as_the_api_read_it(fields: dict[str, Any], form: bool) -> dict[str, Any]:
    """The fields as the handler saw them (a form's bytes that are not UTF-8 become U+FFFD)."""
    if not form:
        return fields
    from urllib.parse import parse_qsl

    body = urlencode(fields, encoding="utf-8", errors="surrogatepass")
    return dict(parse_qsl(body, keep_blank_values=True))


def _utf8(value: str) -> str:
    value.encode("utf-8")  # strict: raises on a lone surrogate
    return value


def _check_answer(stack: Stack, fields: dict[str, Any], form: bool) -> int:
    response = _post(fields, form)
    status = response["statusCode"]
    assert status in {200, 201, 303, 400, 422}, (status, response["body"][:300])
    _utf8(response.get("body") or "")
    parsed = parse_submission(_as_the_api_read_it(fields, form))
    if status == 422:
        assert isinstance(parsed, list)
        errors = body_json(response)["errors"]
        for error in errors:  # the field and the problem, never the value
            assert error["field"] in Submission.model_fields
            for value in fields.values():
                if isinstance(value, str) and len(value.strip()) > 3:
                    assert value.strip() not in error["message"]
        return status
    if status == 200:  # the form again, with the person's own answers, escaped
        assert form
        assert isinstance(parsed, list)
        page = response["body"]
        assert not re.search(r"<(script|img|iframe)", page)
        shown = html.unescape(page)
        read = _as_the_api_read_it(fields, form)
        for name in TEXT_FIELDS:
            assert str(read[name]) in shown, name
        return status
    assert isinstance(parsed, Submission), parsed
    if form:
        reference = response["headers"]["Location"].split("reference=")[1].split("&")[0]
    else:
        reference = body_json(response)["reference"]
    case = stack.repository.get_case(reference)
    assert case is not None
    _stored_as_parsed(case, parsed)
    _renders_safely(case)
    _empty_the_table(stack)
    return status


def _empty_the_table(stack: Stack) -> None:
    """Start each example from an empty table: moto deep-copies the whole table, stream
    records included, for every item of a transactional write, so a full one would make
    this file slow, not more thorough. Nothing here reads the stream."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from complaints.adapters.clients import client

    dynamodb = client("dynamodb")
    name = stack.resources.table_name
    for item in dynamodb.scan(TableName=name, ProjectionExpression="PK, SK")["Items"]:
        dynamodb.delete_item(TableName=name, Key=item)
    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][dynamodb.meta.region_name].tables[name]
    table.stream_shard.items.clear()


def _stored_as_parsed(case: Case, parsed: Submission) -> None:
    """Round trip: what DynamoDB gives back is what was parsed, and holds no character that
    could hide text, reverse it, or fail to encode."""
    if case.complainant.name != parsed.complainant_name:  # a repeat: the first one's receipt
        return
    assert case.child.name == parsed.child_name
    assert case.details == parsed.details
    assert case.outcome_sought == parsed.outcome_sought
    assert case.complainant.phone == parsed.phone
    assert case.complainant.email == parsed.email
    for value in (case.complainant.name, case.child.name or "", case.details):
        for ch in _utf8(value):
            assert ch in "\n\t" or unicodedata.category(ch) not in NEVER_STORED, repr(ch)
    assert "\n" not in case.complainant.name
    assert "\n" not in (case.child.name or "")


def _renders_safely(case: Case) -> None:
    """Every intake email: text and HTML encode as UTF-8, the HTML shows the name escaped,
    the subject is one line, and the address is one SES can send to."""
    from complaints.adapters.mailer import Mailer
    from complaints.service.messages import render as messages
    from complaints.settings import load_settings

    settings_ = load_settings()
    sent: list[dict[str, Any]] = []

    class FakeSes:
        def send_email(self, **request: Any) -> dict[str, str]:
            sent.append(request)
            return {"MessageId": "1"}

    mailer = Mailer(sender="council@example.gov.uk", sesv2=FakeSes())
    for email in (
        messages.acknowledgement(case, "token", settings_),
        messages.team_alert(case, settings_, "team@example.gov.uk"),
        messages.advocacy_referral(case, settings_),
        messages.safeguarding_alert(case, settings_),
    ):
        mailer.send(email)
        _utf8(email.text)
        _utf8(email.html)
        assert not any(ch in email.subject for ch in "\r\n\u2028\u2029\x85")
        if "Dear" in email.text or "Name:" in email.text:
            assert str(escape(case.complainant.name)) in email.html
    for request in sent:
        json.dumps(request, ensure_ascii=False).encode("utf-8")
        assert all(to.isascii() for to in request["Destination"]["ToAddresses"])


# --- every category, every field --------------------------------------------------------------


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_every_unicode_category_in_every_text_field(stack: Stack, form: bool) -> None:
    for category, chars in _samples().items():
        # the free-text fields together (each keeps a word, so it is not simply empty), the
        # fields with rules of their own one at a time, then every field holding only these
        text = {f: f"{person.fields()[f]} {chars}" for f in TEXT_FIELDS if f != "phone"}
        for answers in (
            text,
            {"phone": f"{person.PHONE}{chars}"},
            {"email": f"{chars[:3]}@example.org"},
            dict.fromkeys(TEXT_FIELDS, chars),
        ):
            try:
                _check_answer(stack, person.fields(**answers), form)
            except AssertionError as error:
                error.add_note(f"unicode category {category}: {chars!r}")
                raise


# --- random mixtures --------------------------------------------------------------------------

ANY_CHARACTER = st.characters(categories=CATEGORIES, codec=None)
ANY_TEXT = st.text(ANY_CHARACTER, max_size=40)
ONE_CATEGORY_TEXT = st.sampled_from(CATEGORIES).flatmap(
    lambda c: st.text(st.characters(categories=[c], codec=None), min_size=1, max_size=20)
)
FIELD_TEXT = st.one_of(ANY_TEXT, ONE_CATEGORY_TEXT)


def _mostly(valid: str, noisy: bool = True) -> st.SearchStrategy[str]:
    """Usually the valid answer, sometimes with odd characters added, sometimes only those:
    so most complaints are stored (and their storage and emails checked), some refused."""
    branches = [st.just(valid)] * 3
    if noisy:
        branches.append(st.builds(lambda t, u: f"{t}{valid}{u}", FIELD_TEXT, FIELD_TEXT))
    return st.one_of(*branches, FIELD_TEXT)


EMAILS = st.one_of(
    st.just(person.EMAIL),
    st.just(person.EMAIL),
    st.emails(),
    st.builds(
        lambda local, domain: f"{local}@{domain}",
        st.text(ANY_CHARACTER, min_size=1, max_size=12),
        st.sampled_from(["example.org", "exämple.org", "例え.jp", "xn--exmple-cua.org"]),
    ),
    ANY_TEXT,
)
ANSWERS = st.fixed_dictionaries(
    {
        "complainant_name": _mostly(person.NAME),
        "child_name": _mostly(person.CHILD),
        "details": _mostly(person.DETAILS),
        "outcome_sought": _mostly(person.OUTCOME),
        "phone": _mostly(person.PHONE),
        "email": EMAILS,
        "relationship": _mostly("parent", noisy=False),
        "service_area": _mostly("childrens_social_care", noisy=False),
        "child_date_of_birth": _mostly(person.DATE_OF_BIRTH, noisy=False),
        "wants_advocate": st.sampled_from(["yes", "no", "", "\u202eyes"]),
    }
)
BOUNDED = settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one table for all examples is what we want
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@BOUNDED
@given(answers=ANSWERS, form=st.booleans())
def test_any_mixture_of_characters_gets_a_receipt_or_a_plain_refusal(
    stack: Stack, answers: dict[str, Any], form: bool
) -> None:
    event(f"answered {_check_answer(stack, answers, form)}")


FREE_TEXT = st.fixed_dictionaries(
    {
        "complainant_name": _mostly(person.NAME),
        "child_name": _mostly(person.CHILD),
        "details": _mostly(person.DETAILS),
        "outcome_sought": _mostly(person.OUTCOME),
    }
)


@BOUNDED
@given(answers=FREE_TEXT, form=st.booleans())
def test_any_characters_in_the_free_text_of_a_valid_complaint_are_stored_safely(
    stack: Stack, answers: dict[str, Any], form: bool
) -> None:
    event(f"answered {_check_answer(stack, person.fields(**answers), form)}")
