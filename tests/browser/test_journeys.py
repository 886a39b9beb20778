"""A person makes a complaint through the real local stack, one question a page, with
JavaScript on and off (the same pages, the same words): a parent, a child (never asked the
child's name), the urgent route (the phone numbers first), changing an answer from "check your
answers", saving and coming back by email, the reference on the confirmation page; and the
complainant's status page and "ask for the next stage" without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.api_pages import email_link
from tests.browser.conftest import Stack, Tab, axe_violations, sideways_scroll

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
JAVASCRIPT = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


def _continue(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def _path(page: Page) -> str:
    return urlsplit(page.url).path


def _one_question(page: Page) -> None:
    """A question page: one heading, one form, the error summary (if any) first."""
    assert page.locator("main h1").count() == 1
    assert page.locator("main form").count() == 1


def start(tab: Tab) -> Page:
    page = tab.goto("/make-a-complaint/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    assert _path(page) == "/complaint/child-in-danger"
    return page


def answer_as(page: Page, who: str, *, name: str, email: str, danger: str = "No") -> list[str]:
    """Answer every page as ``who`` (``parent`` or ``child``); the paths seen, in order."""
    seen = [_path(page)]

    def step(fill: Callable[[], None]) -> None:
        _one_question(page)
        fill()
        _continue(page)
        seen.append(_path(page))

    step(lambda: page.get_by_role("radio", name=danger, exact=True).check())
    if danger == "Yes":
        with page.expect_navigation():
            page.get_by_role("link", name="Carry on with your complaint").click()
        seen.append(_path(page))
    label = "I am the child or young person" if who == "child" else "Parent"
    step(lambda: page.get_by_role("radio", name=label, exact=True).check())
    if who != "child":

        def child() -> None:
            page.get_by_label("The child's full name").fill("Alex Example")
            page.get_by_label("Day").fill("27")
            page.get_by_label("Month").fill("3")
            page.get_by_label("Year").fill("2012")

        step(child)
    step(lambda: page.get_by_label("What happened?").fill("Nobody came to the review meeting."))
    step(lambda: None)  # when it happened: optional
    step(lambda: page.get_by_role("radio", name=re.compile("^Children's social care")).check())
    step(lambda: None)  # what you would like to happen: optional
    step(lambda: page.get_by_role("radio", name="No", exact=True).check())

    def contact() -> None:
        page.get_by_label("Your full name").fill(name)
        page.get_by_label("Your email address").fill(email)

    step(contact)
    return seen


def send(page: Page) -> str:
    assert _path(page) == "/complaint/check-your-answers"
    with page.expect_navigation():
        page.get_by_role("button", name="Send complaint").click()
    assert _path(page) == "/complaint/confirmation"
    reference = page.locator(".cf-panel__reference").inner_text()
    assert REFERENCE.match(reference)
    assert page.get_by_role("heading", name="Complaint sent").is_visible()
    return reference


@JAVASCRIPT
def test_a_parent_on_a_phone_answers_one_question_a_page_and_sees_the_reference(
    open_tab: Callable[..., Tab], stack: Stack, javascript: bool
) -> None:
    tab = open_tab(width=375, javascript=javascript)
    page = start(tab)
    seen = answer_as(page, "parent", name="Sam Pages", email="sam.pages@example.com")
    assert "/complaint/about-the-child" in seen
    assert page.get_by_text("27 March 2012").is_visible()
    reference = send(page)
    assert sideways_scroll(page) == 0
    case = stack.cli("show", reference)
    assert case["reference"] == reference
    assert tab.problems == []


@JAVASCRIPT
def test_a_child_is_never_shown_the_childs_name_question(
    open_tab: Callable[..., Tab], stack: Stack, javascript: bool
) -> None:
    tab = open_tab(width=375, javascript=javascript)
    page = start(tab)
    seen = answer_as(page, "child", name="Robin Young", email="robin.young@example.com")
    assert "/complaint/about-the-child" not in seen
    assert not page.get_by_text("The child's name").is_visible()
    reference = send(page)
    assert stack.cli("show", reference)["reference"] == reference
    assert tab.problems == []


@JAVASCRIPT
def test_a_child_in_danger_reaches_the_phone_numbers_in_one_step(
    open_tab: Callable[..., Tab], stack: Stack, javascript: bool
) -> None:
    tab = open_tab(width=375, javascript=javascript)
    page = start(tab)
    page.get_by_role("radio", name="Yes", exact=True).check()
    _continue(page)
    assert _path(page) == "/complaint/urgent"
    main = page.locator("#main-content")
    first_link = main.locator("a").first
    assert first_link.get_attribute("href") == "tel:999"
    assert main.locator("a[href='tel:03001234567']").count() == 1
    assert main.locator("h1").inner_text().startswith("If a child is in danger now, call 999")
    with page.expect_navigation():
        page.get_by_role("link", name="Carry on with your complaint").click()
    page.get_by_role("radio", name="Parent", exact=True).check()
    _continue(page)
    page.get_by_label("The child's full name").fill("Kim Danger")
    _continue(page)
    page.get_by_label("What happened?").fill("The child told me they are scared to go home.")
    _continue(page)
    _continue(page)
    page.get_by_role("radio", name="I am not sure").check()
    _continue(page)
    _continue(page)
    page.get_by_role("radio", name="No", exact=True).check()
    _continue(page)
    page.get_by_label("Your full name").fill("Lee Urgent")
    page.get_by_label("Your email address").fill("lee.urgent@example.com")
    _continue(page)
    reference = send(page)
    confirmation = page.locator("#main-content")
    assert confirmation.locator("a").first.get_attribute("href") == "tel:999"
    assert stack.cli("show", reference)["urgent"] is True
    assert tab.problems == []


@JAVASCRIPT
def test_an_answer_is_changed_from_check_your_answers(
    open_tab: Callable[..., Tab], stack: Stack, javascript: bool
) -> None:
    tab = open_tab(javascript=javascript)
    page = start(tab)
    answer_as(page, "parent", name="Ari Change", email="ari.change@example.com")
    with page.expect_navigation():
        page.get_by_role("link", name="Change what happened").click()
    assert _path(page) == "/complaint/what-happened"
    page.get_by_label("What happened?").fill("The review meeting was cancelled twice.")
    _continue(page)
    assert _path(page) == "/complaint/check-your-answers"
    assert page.get_by_text("The review meeting was cancelled twice.").is_visible()
    reference = send(page)
    assert stack.cli("show", reference)["reference"] == reference
    assert tab.problems == []


@JAVASCRIPT
def test_errors_are_summarised_at_the_top_with_links_to_the_answers(
    open_tab: Callable[..., Tab], javascript: bool
) -> None:
    tab = open_tab(width=375, javascript=javascript)
    page = start(tab)
    page.get_by_role("radio", name="No", exact=True).check()
    _continue(page)
    page.get_by_role("radio", name="Parent", exact=True).check()
    _continue(page)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    _continue(page)
    assert page.title().startswith("Error: ")
    summary = page.locator(".cf-error-summary")
    main_text = page.locator("#main-content").inner_text()
    assert main_text.index("There is a problem") < main_text.index("About the child")
    assert summary.get_by_role("link", name="Enter the child's name").get_attribute("href") == (
        "#child_name"
    )
    assert summary.get_by_role("link", name="The child's date of birth must include a year")
    page.get_by_role("link", name="Enter the child's name").click()
    page.wait_for_url(re.compile("#child_name$"))
    if javascript:  # axe runs as a script in the page
        assert axe_violations(page) == []
    assert tab.problems == []


@JAVASCRIPT
def test_save_and_come_back_later(
    open_tab: Callable[..., Tab], stack: Stack, javascript: bool
) -> None:
    email = f"val.later.{'js' if javascript else 'nojs'}@example.com"
    tab = open_tab(javascript=javascript)
    page = start(tab)
    page.get_by_role("radio", name="No", exact=True).check()
    _continue(page)
    page.get_by_role("radio", name="Parent", exact=True).check()
    _continue(page)
    page.get_by_label("The child's full name").fill("Jo Later")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and come back later").click()
    assert _path(page) == "/complaint/save-for-later"
    page.get_by_label("Your email address").fill(email)
    with page.expect_navigation():
        page.get_by_role("button", name="Email me a link").click()
    assert page.get_by_role("heading", name="We have emailed you a link").is_visible()
    link = email_link(stack.cli, email, "/complaint/resume")
    other = open_tab(javascript=javascript)  # another device: no cookie of its own
    back = other.goto(link)
    assert _path(back) == "/complaint/about-the-child"
    assert back.get_by_label("The child's full name").input_value() == "Jo Later"
    assert tab.problems == []
    assert other.problems == []


def _file_by_json(stack: Stack, email: str) -> str:
    import json
    import urllib.request

    body = json.dumps(
        {
            "complainant_name": "Pat Selfservice",
            "email": email,
            "relationship": "parent",
            "child_name": "Jo Selfservice",
            "details": "The plan was changed without asking us.",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (127.0.0.1 only)
        f"{stack.url}/api/complaints", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return str(json.loads(answer.read())["reference"])


@JAVASCRIPT
def test_the_status_page_and_asking_for_the_next_stage(
    open_tab: Callable[..., Tab], stack: Stack, javascript: bool
) -> None:
    email = f"pat.status.{'js' if javascript else 'nojs'}@example.com"
    reference = _file_by_json(stack, email)
    path = email_link(stack.cli, email, "/complaint/progress")
    tab = open_tab(width=375, javascript=javascript)
    page = tab.goto(path)
    assert page.get_by_role("heading", name="Your complaint").is_visible()
    assert page.get_by_text(reference).is_visible()
    assert page.get_by_text("We will reply by").is_visible()
    assert page.get_by_role("link", name="Ask for stage 2").count() == 0
    stack.cli("respond", reference, "--outcome", "not_upheld", "--use-draft")
    page.reload()
    with page.expect_navigation():
        page.get_by_role("link", name="Ask for stage 2").click()
    assert _path(page) == "/complaint/next-stage"
    page.get_by_label("Why are you still unhappy? (optional)").fill("It did not answer my point.")
    with page.expect_navigation():
        page.get_by_role("button", name="Ask for stage 2").click()
    assert _path(page) == "/complaint/progress"
    assert page.get_by_role("status").get_by_text("We have your request").is_visible()
    assert page.get_by_text("Stage 2:").is_visible()
    assert stack.cli("show", reference)["stage"] == 2
    if javascript:  # axe runs as a script in the page
        assert axe_violations(page) == []
    assert tab.problems == []


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_a_one_page_form_post_with_errors_gets_the_form_in_the_guides_frame(
    open_tab: Callable[..., Tab], width: int
) -> None:
    """``POST /api/complaints`` as a plain form (API clients' own forms): the form again, in
    the guide's header, footer and styles, with the error summary."""
    tab = open_tab(width=width, javascript=True)
    page = tab.goto("/make-a-complaint/")
    with page.expect_navigation():
        page.evaluate(_native_post({"complainant_name": "Ari Native"}))
    assert page.get_by_text("There is a problem").is_visible()
    assert page.locator("#complainant_name").input_value() == "Ari Native"
    assert page.locator(".md-header").is_visible()
    button = page.locator(".cf-button")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(0, 112, 60)"
    assert axe_violations(page) == []
    assert sideways_scroll(page) == 0
    assert tab.problems == []


def _native_post(fields: dict[str, Any]) -> str:
    """Script (run by the test, not the page) that posts ``fields`` as a plain HTML form."""
    import json

    return (
        "(() => { const f = document.createElement('form'); f.method = 'post';"
        " f.action = '/api/complaints';"
        f" for (const [k, v] of Object.entries({json.dumps(fields)})) {{"
        " const i = document.createElement('input'); i.type = 'hidden'; i.name = k;"
        " i.value = v; f.appendChild(i); }"
        " document.body.appendChild(f); f.submit(); })()"
    )


def test_a_one_page_form_post_lands_on_a_page_with_the_reference(
    open_tab: Callable[..., Tab], stack: Stack
) -> None:
    tab = open_tab(javascript=True)  # the script only posts the form, as a page would
    poster = tab.goto("/make-a-complaint/")
    fields = {
        "complainant_name": "Nat Native",
        "email": "nat.native@example.com",
        "relationship": "parent",
        "child_name": "Alex",
        "details": "Nobody called me back.",
    }
    with poster.expect_navigation():
        poster.evaluate(_native_post(fields))
    assert _path(poster) == "/complaint/received"
    reference = poster.locator(".cf-panel__reference").inner_text()
    assert REFERENCE.match(reference)
    assert stack.cli("show", reference)["reference"] == reference
    assert tab.problems == []
