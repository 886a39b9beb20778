"""A person files a complaint through the real local stack: with JavaScript, with the keyboard
only, and with JavaScript turned off, and sees a reference each time."""

from __future__ import annotations

import html
import json
import re
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page

from complaints.submission import parse_submission
from tests.browser.conftest import Stack, Tab, axe_violations

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"^[A-Za-z0-9-]{4,40}$")


def _fill(page: Page, name: str) -> None:
    page.check("#child_in_danger-2")  # no
    page.check("#relationship-2")  # parent
    page.fill("#complainant_name", name)
    page.fill("#email", "parent@example.com")
    page.fill("#child_name", "Alex Example")
    page.check("#service_area")  # children's social care
    page.fill("#details", "The social worker has not visited since March, as the plan says.")


def _receipt(page: Page) -> dict[str, str]:
    page.wait_for_url(re.compile(r"/complaint-received/\?"))
    query = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    assert REFERENCE.match(query["reference"])
    assert date.fromisoformat(query["respond_by"]) > date(2020, 1, 1)
    return query


def test_with_javascript_a_double_click_files_one_complaint(
    open_tab: Callable[..., Tab], stack: Stack
) -> None:
    tab = open_tab()
    page = tab.goto("/make-a-complaint/")
    _fill(page, "Jordan Doubleclick")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.dblclick("[data-submit]")
    query = _receipt(page)
    assert posts == [f"{stack.url}/api/complaints"]
    panel = page.locator("[data-receipt]")
    assert panel.is_visible()
    assert page.locator("[data-reference]").inner_text() == query["reference"]
    shown = page.locator("[data-respond-by-date]").inner_text()
    assert f"{date.fromisoformat(query['respond_by']):%B %Y}" in shown
    assert not page.locator("[data-receipt-fallback]").is_visible()
    case = stack.cli("show", query["reference"])
    assert case["reference"] == query["reference"]
    assert case["procedure"] == "children-act-1989"
    assert tab.problems == []


def test_the_api_refusing_answers_shows_its_messages(
    open_tab: Callable[..., Tab],
) -> None:
    """A 422 from the server lands in the same error summary, focus on it."""
    tab = open_tab()
    page = tab.goto("/make-a-complaint/")
    _fill(page, "Casey Refused")
    # Past the browser's simple check, refused by the server's stricter one.
    page.fill("#email", "casey@example..com")
    page.click("[data-submit]")
    page.locator("[data-error-summary]").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    server = parse_submission({"email": "casey@example..com"})
    assert isinstance(server, list)
    message = next(e.message for e in server if e.field == "email")
    assert page.locator("[data-error-list] a", has_text=message).is_visible()
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert [p for p in tab.problems if "422" not in p] == []


def _tab_to(page: Page, element_id: str, limit: int = 120) -> None:
    for _ in range(limit):
        if page.evaluate("document.activeElement.id") == element_id:
            outline = page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return s.outlineStyle + ' ' + s.boxShadow; })()"
            )
            assert outline != "none none", f"no visible focus on #{element_id}"
            return
        page.keyboard.press("Tab")
    pytest.fail(f"could not reach #{element_id} with the Tab key")


def test_keyboard_only_journey(open_tab: Callable[..., Tab], stack: Stack) -> None:
    tab = open_tab()
    page = tab.goto("/make-a-complaint/")
    _tab_to(page, "child_in_danger")
    page.keyboard.press("ArrowRight")  # to "No", which selects it
    assert page.is_checked("#child_in_danger-2")
    _tab_to(page, "relationship")
    page.keyboard.press("ArrowDown")  # "Parent"
    assert page.is_checked("#relationship-2")
    _tab_to(page, "complainant_name")
    page.keyboard.type("Kim Keyboard")
    _tab_to(page, "email")
    page.keyboard.type("kim@example.com")
    _tab_to(page, "child_name")
    page.keyboard.type("Robin Keyboard")
    _tab_to(page, "details")
    page.keyboard.type("Nobody told me about the review meeting until the day after it.")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-submit')"):
            break
    else:
        pytest.fail("could not reach the send button with the Tab key")
    page.keyboard.press("Enter")
    query = _receipt(page)
    assert page.locator("[data-reference]").inner_text() == query["reference"]
    assert tab.problems == []


def test_without_javascript_a_complaint_is_filed_and_the_reference_shown(
    open_tab: Callable[..., Tab], stack: Stack
) -> None:
    tab = open_tab(javascript=False)
    page = tab.goto("/make-a-complaint/")
    assert page.locator("[data-submission-id]").input_value() == ""
    _fill(page, "Sam Noscript")
    page.click("[data-submit]")
    query = _receipt(page)
    assert page.get_by_text("Thank you. We have your complaint.").is_visible()
    assert page.get_by_text('the code after "reference="').is_visible()
    assert not page.locator("[data-receipt]").is_visible()
    case = stack.cli("show", query["reference"])
    assert case["reference"] == query["reference"]
    assert tab.problems == []


def test_without_javascript_bad_answers_are_fixed_on_the_page_and_sent(
    open_tab: Callable[..., Tab], stack: Stack
) -> None:
    """The API answers with the form again: the answers kept, the error summary linking to each
    field on the same page, inline messages; the person fixes them there and sends it."""
    tab = open_tab(javascript=False)
    page = tab.goto("/make-a-complaint/")
    page.check("#child_in_danger-2")  # no
    page.fill("#complainant_name", "Lee Nojs")
    page.fill("#details", "Nobody <b>answered</b> my calls.")
    page.click("[data-submit]")
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/api/complaints"
    assert page.title().startswith("Error:")
    assert page.get_by_text("There is a problem").is_visible()
    typed = {
        "child_in_danger": "no",
        "complainant_name": "Lee Nojs",
        "details": "Nobody <b>answered</b> my calls.",
    }
    expected = parse_submission(typed)
    assert isinstance(expected, list)
    links = page.locator(".cf-error-summary a")
    assert links.count() == len(expected)
    for error in expected:
        link = links.filter(has_text=error.message)
        assert link.count() == 1, error.message
        assert link.get_attribute("href", timeout=1000) == f"#{error.field}"
        message = page.locator(f"#{error.field}-error")
        assert error.message in message.inner_text()
        assert page.locator(f"#{error.field}").get_attribute("aria-invalid") == "true"
        # The message is read with the field (radios: with their fieldset, as GOV.UK does).
        described = page.locator(f"[aria-describedby~='{error.field}-error']")
        assert described.count() == 1
        inside = described.locator(f"#{error.field}").count() == 1
        assert inside or described.get_attribute("id") == error.field
    # The answers are still there, as typed.
    assert page.locator("#complainant_name").input_value() == "Lee Nojs"
    assert page.locator("#details").input_value() == "Nobody <b>answered</b> my calls."
    assert page.locator("#child_in_danger-2").is_checked()
    # A summary link moves to its field on this page.
    links.first.click()
    assert urlsplit(page.url).path == "/api/complaints"
    assert page.locator(f"#{urlsplit(page.url).fragment}").count() == 1
    # Fix the answers here and send.
    _fill(page, "Lee Nojs")
    page.click("[data-submit]")
    query = _receipt(page)
    case = stack.cli("show", query["reference"])
    assert case["reference"] == query["reference"]
    assert tab.problems == []


def _file_by_json(stack: Stack, email: str) -> str:
    body = json.dumps(
        {
            "complainant_name": "Pat Selfservice",
            "email": email,
            "relationship": "parent",
            "child_name": "Jo Selfservice",
            "details": "The plan was changed without asking us.",
            "service_area": "childrens_social_care",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (127.0.0.1 only)
        f"{stack.url}/api/complaints",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        assert answer.status == 201
        return str(json.loads(answer.read())["reference"])


def _self_service_link(stack: Stack, email: str) -> str:
    """The private link from the acknowledgement email, as a path on this stack."""
    link = re.compile(r"https?://[^\s\"'<>]+(/check-your-complaint/\?[^\s\"'<>]+)")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for sent in stack.cli("emails"):
            if email not in str(sent.get("to")):
                continue
            for text in (sent.get("body"), sent.get("html")):
                found = link.search(html.unescape(str(text or "")))
                if found:
                    return found.group(1)
        time.sleep(0.5)
    pytest.fail("no acknowledgement email with a self-service link")


def test_self_service_shows_the_complaint_and_asks_for_the_next_stage(
    open_tab: Callable[..., Tab], stack: Stack
) -> None:
    email = "pat.selfservice@example.com"
    reference = _file_by_json(stack, email)
    path = _self_service_link(stack, email)
    assert f"reference={reference}" in path
    tab = open_tab()
    page = tab.goto(path)
    page.locator("[data-check-details]").first.wait_for()
    assert page.locator('[data-value="reference"]').inner_text() == reference
    assert page.locator('[data-value="stage"]').inner_text().startswith("Stage 1")
    assert page.locator('[data-value="what_happens_next"]').inner_text()
    assert page.locator('[data-row="respond_by"]').is_visible()
    assert not page.locator("[data-escalation-form]").is_visible()
    assert axe_violations(page) == []

    stack.cli("respond", reference, "--outcome", "not_upheld")
    page.reload()
    form = page.locator("[data-escalation-form]")
    form.wait_for()
    assert not page.locator('[data-row="respond_by"]').is_visible()  # we have replied
    assert page.get_by_role("heading", name="Ask for stage 2").is_visible()
    assert axe_violations(page) == []
    page.fill("#reason", "The reply did not answer my main point.")
    page.get_by_role("button", name="Ask for stage 2").click()
    page.get_by_text("We have your request").wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-check-message')")
    assert page.locator('[data-value="stage"]').inner_text().startswith("Stage 2")
    case = stack.cli("show", reference)
    assert case["stage"] == 2
    assert tab.problems == []


@pytest.mark.parametrize("width", [1280, 375])
def test_the_apis_error_page_for_a_plain_form_post_is_accessible(
    open_tab: Callable[..., Tab], width: int
) -> None:
    """The page the API answers an invalid form post with (no JavaScript) passes axe too.
    The form is sent natively (``form.submit()`` skips the page's script), as without it."""
    tab = open_tab(width=width)
    page = tab.goto("/make-a-complaint/")
    page.fill("#complainant_name", "Ari Native")
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[data-complaint-form]').submit()")
    assert page.get_by_text("There is a problem").is_visible()
    assert page.locator("#complainant_name").input_value() == "Ari Native"
    # Styled by the guide's own stylesheet (same origin, allowed by the page's CSP).
    button = page.locator(".cf-button")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(0, 112, 60)"
    assert axe_violations(page) == []
    assert tab.problems == []


@pytest.mark.parametrize("width", [1280, 375])
def test_the_form_given_back_when_the_service_is_busy_is_accessible_and_keeps_the_answers(
    open_tab: Callable[..., Tab], width: int
) -> None:
    """When the table cannot take the complaint the API answers a plain form post with the
    form again, answers kept (``handlers.api``). The busy answer is made by the real page
    code here (the local stack is never busy) and served in place of the API's."""
    from complaints.handlers.api import NOT_SENT
    from complaints.handlers.pages import form_errors_page, html_headers

    def busy(route: Any) -> None:
        fields = dict(parse_qsl(route.request.post_data or "", keep_blank_values=True))
        route.fulfill(
            status=503,
            headers={**html_headers(), "Retry-After": "120"},
            content_type="text/html; charset=utf-8",
            body=form_errors_page(fields, [], not_sent=NOT_SENT),
        )

    tab = open_tab(width=width)
    tab.page.route("**/api/complaints", busy)
    page = tab.goto("/make-a-complaint/")
    page.fill("#complainant_name", "Ari Busy")
    page.fill("#details", "The first line.\n\nThe second paragraph.")
    with page.expect_navigation():
        page.evaluate("document.querySelector('form[data-complaint-form]').submit()")
    assert page.get_by_role("alert").filter(has_text="has not been sent").is_visible()
    assert page.locator("#complainant_name").input_value() == "Ari Busy"
    assert page.locator("#details").input_value() == "The first line.\n\nThe second paragraph."
    assert axe_violations(page) == []
    # the browser reports the 503 itself; anything else (CSP, script, other origins) fails
    assert tab.unexpected_problems(lambda problem: "status of 503" in problem) == []
