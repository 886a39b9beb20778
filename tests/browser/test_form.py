"""The complaint form with JavaScript, before anything is sent: the GOV.UK error summary, focus
moved to it, inline errors wired to their fields, and the server's own messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from complaints.clock import london_today
from complaints.submission import parse_submission
from complaints.webform import field_rules
from tests.browser.conftest import Tab

pytestmark = pytest.mark.browser


def _summary(tab: Tab) -> list[str]:
    return [t.strip() for t in tab.page.locator("[data-error-list] li").all_inner_texts()]


def test_an_empty_form_shows_the_summary_and_moves_focus_to_it(
    open_tab: Callable[..., Tab],
) -> None:
    tab = open_tab()
    page = tab.goto("/make-a-complaint/")
    title = page.title()
    page.click("[data-submit]")
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.title() == f"Error: {title}"
    missing = parse_submission({})
    assert isinstance(missing, list)
    expected = [e.message for e in missing]
    expected.insert(3, field_rules()["child_name"].messages["required"])  # after email
    assert _summary(tab) == expected
    assert page.locator("[role=alert]").filter(has_text="There is a problem").is_visible()
    assert tab.problems == []


def test_inline_errors_are_tied_to_their_fields(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.goto("/make-a-complaint/")
    page.fill("#email", "sam.example.com")
    page.click("[data-submit]")
    email = page.locator("#email")
    assert email.get_attribute("aria-invalid") == "true"
    assert email.get_attribute("aria-describedby") == "email-hint email-error"
    message = field_rules()["email"].messages["invalid"]
    assert page.locator("#email-error").text_content() == f"Error: {message}"
    relationship = page.locator("fieldset:has(#relationship)")
    assert relationship.get_attribute("aria-describedby") == "relationship-error"
    assert page.locator("#relationship").get_attribute("aria-invalid") == "true"
    # The summary link takes you to the answer.
    page.locator("[data-error-list] a", has_text=message).click()
    assert page.evaluate("document.activeElement.id") == "email"
    # Put right, the error goes; the others stay.
    page.fill("#email", "sam@example.com")
    page.click("[data-submit]")
    assert page.locator("#email-error").count() == 0
    assert email.get_attribute("aria-invalid") is None
    assert email.get_attribute("aria-describedby") == "email-hint"
    assert message not in _summary(tab)
    assert field_rules()["details"].messages["required"] in _summary(tab)


def test_a_child_complaining_does_not_need_to_give_the_childs_name(
    open_tab: Callable[..., Tab],
) -> None:
    tab = open_tab()
    page = tab.goto("/make-a-complaint/")
    page.check("#relationship")  # "I am the child or young person"
    page.click("[data-submit]")
    assert field_rules()["child_name"].messages["required"] not in _summary(tab)
    page.check("#relationship-2")  # a parent
    page.click("[data-submit]")
    assert field_rules()["child_name"].messages["required"] in _summary(tab)


def test_a_date_of_birth_in_the_future_is_refused_with_the_servers_words(
    open_tab: Callable[..., Tab],
) -> None:
    tab = open_tab()
    page = tab.goto("/make-a-complaint/")
    tomorrow = (london_today() + timedelta(days=1)).isoformat()
    page.fill("#child_date_of_birth", tomorrow)
    page.click("[data-submit]")
    server = parse_submission({"child_date_of_birth": tomorrow})
    assert isinstance(server, list)
    expected = next(e.message for e in server if e.field == "child_date_of_birth")
    assert expected in _summary(tab)


def test_a_submission_id_is_made_once_per_page(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.goto("/make-a-complaint/")
    first = page.locator("[data-submission-id]").input_value()
    assert len(first) == 36
    page.click("[data-submit]")
    assert page.locator("[data-submission-id]").input_value() == first
    page.reload()
    assert page.locator("[data-submission-id]").input_value() != first


def test_the_honeypot_cannot_be_reached(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.goto("/make-a-complaint/")
    assert not page.locator("#website").is_visible()
    assert "Leave this box empty" not in page.locator("body").aria_snapshot()
    for _ in range(80):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") != "website"
