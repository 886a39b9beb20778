"""The complaint form's question pages through the real API handler on moto: answers kept in a
draft behind one cookie (its id hashed in the table, never in an address), pages skipped and
added as answers change, check your answers, sending once, and "save and come back later"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from complaints.adapters import keys
from complaints.service.drafts import open_draft
from complaints.service.tokens import hash_token
from tests.integration.conftest import Stack, table_items
from tests.integration.helpers import CONTEXT, deliver, sent_emails, stream_event

FORM = "application/x-www-form-urlencoded"


@dataclass
class Browser:
    """A browser without JavaScript: it follows no redirects itself, and keeps one cookie."""

    cookies: dict[str, str] = field(default_factory=dict)
    https: bool = False

    def _call(self, method: str, path: str, body: bytes = b"") -> dict[str, Any]:
        from complaints.handlers.api import handler
        from complaints_tools.local.apigw import to_event

        headers = {"host": "127.0.0.1", "accept": "text/html"}
        if body or method == "POST":
            headers["content-type"] = FORM
        if self.cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.https:
            headers["x-forwarded-proto"] = "https"
        answer = handler(to_event(method, path, headers, body, "127.0.0.1"), CONTEXT)
        for cookie in answer.get("cookies") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return answer

    def get(self, path: str) -> dict[str, Any]:
        return self._call("GET", path)

    def post(self, path: str, **fields: str) -> dict[str, Any]:
        return self._call("POST", path, urlencode(fields).encode())


def _next(answer: dict[str, Any]) -> str:
    assert answer["statusCode"] == 303, answer.get("body", "")[:300]
    return str(answer["headers"]["Location"])


PARENT = [
    ("child-in-danger", {"child_in_danger": "no"}),
    ("who-you-are", {"relationship": "parent"}),
    (
        "about-the-child",
        {
            "child_name": "Alex Example",
            "child_date_of_birth-day": "27",
            "child_date_of_birth-month": "3",
            "child_date_of_birth-year": "2012",
        },
    ),
    ("what-happened", {"details": "No visits since March."}),
    ("when-it-happened", {"happened_month": "3", "happened_year": "2025"}),
    ("which-service", {"service_area": "childrens_social_care"}),
    ("what-you-want", {"outcome_sought": "Regular visits."}),
    ("advocate", {"wants_advocate": "no"}),
    ("contact-details", {"complainant_name": "Sam Parent", "email": "sam@example.com"}),
]


def _answer_all(browser: Browser, pages: list[tuple[str, dict[str, str]]]) -> list[str]:
    went = []
    for slug, fields in pages:
        went.append(_next(browser.post(f"/complaint/{slug}", **fields)))
    return went


def test_a_parent_answers_one_page_at_a_time_and_sends(stack: Stack) -> None:
    browser = Browser()
    went = _answer_all(browser, PARENT)
    assert went == [f"/complaint/{slug}" for slug, _ in PARENT[1:]] + [
        "/complaint/check-your-answers"
    ]
    check = browser.get("/complaint/check-your-answers")
    assert check["statusCode"] == 200
    assert "27 March 2012" in check["body"]
    assert check["body"].count('?change=1">Change') == 12
    assert _next(browser.post("/complaint/check-your-answers")) == "/complaint/confirmation"
    done = browser.get("/complaint/confirmation")
    reference = re.search(r'cf-panel__reference">([A-Z0-9-]+)<', done["body"])
    assert reference is not None
    case = stack.repository.get_case(reference.group(1))
    assert case is not None
    assert (case.child.name, str(case.child.date_of_birth)) == ("Alex Example", "2012-03-27")
    assert case.happened_in == "2025-03"
    # Sent again (a second press, or back and send): the same complaint, not another.
    browser.post("/complaint/check-your-answers")
    assert len([i for i in table_items(stack) if i.get("item_type") == "case"]) == 1


def test_the_draft_is_kept_under_the_hash_of_the_cookie_and_the_answers_go_when_sent(
    stack: Stack,
) -> None:
    browser = Browser()
    _answer_all(browser, PARENT[:4])
    (draft_id,) = browser.cookies.values()
    (item,) = [i for i in table_items(stack) if i.get("item_type") == "draft"]
    assert item["PK"] == keys.draft_pk(hash_token(draft_id))
    assert draft_id not in str(table_items(stack))
    assert item["answers"]["details"] == "No visits since March."
    lifetime = item[keys.TTL_ATTRIBUTE] - int(datetime.now(UTC).timestamp())
    assert timedelta(days=27, hours=23) < timedelta(seconds=lifetime) <= timedelta(days=28)
    _answer_all(browser, PARENT[4:])
    browser.post("/complaint/check-your-answers")
    (item,) = [i for i in table_items(stack) if i.get("item_type") == "draft"]
    assert item["answers"] == {}
    assert item["receipt"]["reference"]


def test_the_cookie_is_strictly_necessary_and_secure_over_https(stack: Stack) -> None:
    from complaints.handlers.api import handler
    from complaints_tools.local.apigw import to_event

    headers = {"host": "x", "content-type": FORM, "x-forwarded-proto": "https"}
    body = urlencode({"child_in_danger": "no"}).encode()
    answer = handler(
        to_event("POST", "/complaint/child-in-danger", headers, body, "127.0.0.1"), CONTEXT
    )
    (cookie,) = answer["cookies"]
    assert cookie.startswith("__Host-complaint-form=")
    for part in ("Path=/", "HttpOnly", "Secure", "SameSite=Lax", "Max-Age=2419200"):
        assert part in cookie
    assert "complaint-form" not in answer["headers"]["Location"]


def test_a_child_is_never_asked_the_childs_name(stack: Stack) -> None:
    browser = Browser()
    browser.post("/complaint/child-in-danger", child_in_danger="no")
    assert (
        _next(browser.post("/complaint/who-you-are", relationship="child_or_young_person"))
        == "/complaint/what-happened"
    )
    assert _next(browser.get("/complaint/about-the-child")) == "/complaint/what-happened"
    assert "back" in browser.get("/complaint/what-happened")["body"].lower()


def test_yes_a_child_is_in_danger_goes_straight_to_the_phone_numbers(stack: Stack) -> None:
    browser = Browser()
    assert (
        _next(browser.post("/complaint/child-in-danger", child_in_danger="yes"))
        == "/complaint/urgent"
    )
    page = browser.get("/complaint/urgent")["body"]
    main = page.split('id="main-content"', 1)[1]
    assert main.index('href="tel:999"') < main.index("<h2")
    assert 'href="tel:03001234567"' in main


def test_an_answer_changed_from_check_your_answers_comes_back_there(stack: Stack) -> None:
    browser = Browser()
    _answer_all(browser, PARENT)
    page = browser.get("/complaint/what-happened?change=1")["body"]
    assert 'action="/complaint/what-happened?change=1"' in page
    assert 'href="/complaint/check-your-answers"' in page
    went = _next(browser.post("/complaint/what-happened?change=1", details="Changed."))
    assert went == "/complaint/check-your-answers"
    # A change that makes a new page apply goes there first.
    went = _next(browser.post("/complaint/who-you-are?change=1", relationship="other"))
    assert went == "/complaint/connection"


def test_errors_come_back_on_the_same_page_with_the_summary_first(stack: Stack) -> None:
    browser = Browser()
    browser.post("/complaint/child-in-danger", child_in_danger="no")
    browser.post("/complaint/who-you-are", relationship="parent")
    answer = browser.post(
        "/complaint/about-the-child",
        **{"child_name": "", "child_date_of_birth-day": "3", "child_date_of_birth-year": "2012"},
    )
    assert answer["statusCode"] == 200
    body = answer["body"]
    assert "<title>Error: About the child" in body
    main = body.split('id="main-content"', 1)[1]
    assert main.index("There is a problem") < main.index("<h1")
    assert 'href="#child_name">Enter the child&#39;s name' in main
    assert (
        'href="#child_date_of_birth-month">The child&#39;s date of birth must include a month'
        in main
    )
    assert 'value="3"' in main  # what was typed is kept


def test_save_and_come_back_later_by_email(stack: Stack) -> None:
    browser = Browser()
    _answer_all(browser, PARENT[:3])
    saved = browser.post("/complaint/what-happened", details="Half written", save="1")
    assert _next(saved) == "/complaint/save-for-later"
    assert _next(browser.post("/complaint/save-for-later", email="sam@example.com")) == (
        "/complaint/saved"
    )
    deliver(stream_event(stack))
    (email,) = [m for m in sent_emails() if "sam@example.com" in str(m.destinations)]
    link = re.search(r"https?://[^\s\"<]+/complaint/resume\?token=([\w-]+)", email.body)
    assert link is not None
    token = link.group(1)
    assert token not in str(table_items(stack))  # sent, and gone from the outbox item
    # Another browser (or device) opens the link: the answers are there.
    other = Browser()
    assert _next(other.get(f"/complaint/resume?token={token}")) == "/complaint/what-happened"
    assert "Half written" in other.get("/complaint/what-happened")["body"]
    assert other.get("/complaint/resume?token=not-the-token")["statusCode"] == 404


def test_a_draft_is_not_opened_after_its_time(stack: Stack) -> None:
    browser = Browser()
    browser.post("/complaint/child-in-danger", child_in_danger="no")
    (draft_id,) = browser.cookies.values()
    now = datetime.now(UTC)
    assert open_draft(stack.repository, draft_id, now) is not None
    assert open_draft(stack.repository, draft_id, now + timedelta(days=28, minutes=1)) is None


@pytest.mark.parametrize("page", ["who-you-are", "check-your-answers", "contact-details"])
def test_a_later_page_without_answers_starts_at_the_first(stack: Stack, page: str) -> None:
    assert urlsplit(_next(Browser().get(f"/complaint/{page}"))).path == (
        "/complaint/child-in-danger"
    )


def test_the_status_page_works_without_javascript(stack: Stack) -> None:
    from complaints.adapters.dynamo import Repository
    from complaints.service.intake import receive
    from tests.integration.test_intake_storage import submission

    repository = Repository()
    reference = receive(submission(email="pat@example.com"), repository).receipt.reference
    (ack,) = [i for i in repository.outbox_items(reference) if i["kind"] == "acknowledgement"]
    query = urlencode({"reference": reference, "token": ack["token"]})
    page = Browser().get(f"/complaint/progress?{query}")
    assert page["statusCode"] == 200
    assert reference in page["body"]
    assert "noindex" in page["body"]
    wrong = Browser().get(f"/complaint/progress?reference={reference}&token=wrong")
    assert wrong["statusCode"] == 404
