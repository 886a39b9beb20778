"""Every page the API draws (the question pages empty and with errors, the urgent route, check
your answers, the confirmation, save and come back later, the complainant's status and
next-stage pages, a refusal): zero axe-core violations at 1280, 375 and 320 pixels, no sideways
scrolling, nothing from another origin, no console error, in the guide's own frame."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from complaints.questions import QUESTIONS
from tests.browser.api_pages import ANSWERS, WRONG, email_link
from tests.browser.conftest import WIDTHS, Stack, Tab, axe_violations, sideways_scroll

pytestmark = pytest.mark.browser


def _check(page: Page, where: str, found: dict[str, list[str]]) -> None:
    problems = axe_violations(page)
    overflow = sideways_scroll(page)
    if overflow:
        problems.append(f"scrolls sideways by {overflow}px")
    if not page.locator(".md-header").count():
        problems.append("not in the guide's frame")
    if problems:
        found[where] = problems


def _post(tab: Tab, path: str, fields: dict[str, str]) -> None:
    """Post a page's form as the browser would (its own form, filled in)."""
    page = tab.goto(path)
    form = page.locator("main form")
    for name, value in fields.items():
        box = form.locator(f"[name='{name}']")
        if box.first.get_attribute("type") == "radio":
            form.locator(f"[name='{name}'][value='{value}']").check()
        else:
            box.fill(value)
    with page.expect_navigation():
        form.get_by_role("button").first.click()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_the_api_draws_is_accessible(
    open_tab: Callable[..., Tab], stack: Stack, width: int
) -> None:
    tab = open_tab(width=width, javascript=True)
    page = tab.page
    found: dict[str, list[str]] = {}
    for question in QUESTIONS:
        slug = question.slug
        if slug in WRONG:
            _post(tab, f"/complaint/{slug}", WRONG[slug])
            assert page.locator(".cf-error-summary").count() == 1, slug
            _check(page, f"{slug} with errors", found)
        tab.goto(f"/complaint/{slug}")
        _check(page, slug, found)
        _post(tab, f"/complaint/{slug}", ANSWERS[slug])
    tab.goto("/complaint/check-your-answers")
    _check(page, "check-your-answers", found)
    tab.goto("/complaint/save-for-later")
    _check(page, "save-for-later", found)
    email = f"axe.{width}@example.com"
    _post(tab, "/complaint/save-for-later", {"email": email})
    _check(page, "saved", found)
    _post(tab, "/complaint/check-your-answers", {})
    _check(page, "confirmation", found)
    urgent = open_tab(width=width, javascript=True)
    _post(urgent, "/complaint/child-in-danger", {"child_in_danger": "yes"})
    _check(urgent.page, "urgent", found)
    tab.goto("/complaint/no-such-page")
    _check(page, "not found", found)

    assert found == {}
    assert tab.unexpected_problems(lambda p: "status of 404" in p) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_complainants_own_pages_are_accessible(
    open_tab: Callable[..., Tab], stack: Stack, width: int
) -> None:
    from tests.browser.test_journeys import _file_by_json

    email = f"axe.status.{width}@example.com"
    reference = _file_by_json(stack, email)
    path = email_link(stack.cli, email, "/complaint/progress")
    stack.cli("respond", reference, "--outcome", "not_upheld", "--use-draft")
    # axe runs as a script, so the tab allows scripts; these pages carry none of their own
    # (their CSP has no script-src), and the journeys test them with JavaScript off.
    tab = open_tab(width=width, javascript=True)
    found: dict[str, list[str]] = {}
    page = tab.goto(path)
    _check(page, "progress", found)
    with page.expect_navigation():
        page.get_by_role("link", name="Ask for stage 2").click()
    _check(page, "next-stage", found)
    tab.goto(f"/complaint/progress?reference={reference}&token=wrong")
    _check(page, "wrong link", found)
    assert found == {}
