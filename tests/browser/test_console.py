"""The staff console in the system Chromium, on the real local stack (``make run``): sign in
as each demo role (password, then the authenticator code); a new complaint on the caseload;
acknowledge it through its form and see it in the timeline and in ``complaints show --json``
with the officer as the actor; a refused action's sentence in the error summary; stage 1 to a
response in the browser alone, without JavaScript too; the auditor's access log; a family not
reached (the simulator's bounce) tagged and then recorded; and zero axe violations on every
staff page at 1280 and 375 pixels."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from complaints_tools.local.staff import fresh_code
from tests.browser.conftest import WIDTHS, Tab, axe_violations
from tests.localstack import Stack

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def staff(stack: Stack) -> dict[str, Any]:
    state = json.loads((stack.state / "stack.json").read_text(encoding="utf-8"))
    users = {user["groups"][0]: user for user in state["staff_users"]}
    assert set(users) >= {"officer", "manager", "front_door", "auditor"}
    return {"users": users, "secret": state["totp_secret"]}


def file_complaint(stack: Stack, **changes: str) -> str:
    fields = {
        "complainant_name": "Sam Parent",
        "email": "sam@example.com",
        "relationship": "parent",
        "child_name": "Alex",
        "details": f"No social worker has visited Alex since March. ({uuid.uuid4().hex[:8]})",
        **changes,
    }
    request = urllib.request.Request(  # noqa: S310 (the local stack on 127.0.0.1)
        f"{stack.url}/api/complaints",
        json.dumps(fields).encode(),
        {"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (127.0.0.1)
        return str(json.load(answer)["reference"])


def sign_in(
    page: Page, base: str, user: dict[str, Any], secret: str, path: str = "/staff/"
) -> None:
    page.goto(base + path)
    page.get_by_label("Username").fill(user["username"])
    page.get_by_label("Password", exact=True).fill(user["password"])
    page.get_by_role("button", name="Continue").click()
    for _ in range(2):  # a code can lapse between reading and sending it: one more try
        page.get_by_label("Enter the 6-digit code").fill(fresh_code(secret))
        page.get_by_role("button", name="Continue").click()
        if "/sign-in" not in page.url:
            return
    raise AssertionError(f"could not sign in as {user['username']}")


@pytest.fixture
def signed_in(open_tab: Callable[..., Tab], staff: dict[str, Any]) -> Callable[..., Tab]:
    def make(role: str, width: int = 1280, javascript: bool = True) -> Tab:
        tab = open_tab(width=width, javascript=javascript)
        sign_in(tab.page, tab.base, staff["users"][role], staff["secret"])
        return tab

    return make


@pytest.mark.parametrize("role", ["officer", "manager", "front_door", "auditor"])
def test_each_demo_role_signs_in(
    signed_in: Callable[..., Tab], staff: dict[str, Any], role: str
) -> None:
    tab = signed_in(role)
    expect(tab.page.get_by_role("heading", name="Caseload", level=1)).to_be_visible()
    expect(tab.page.get_by_text(f"Signed in as {staff['users'][role]['name']}")).to_be_visible()
    assert tab.unexpected_problems() == []


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_an_officer_acknowledges_a_new_complaint_through_its_form(
    signed_in: Callable[..., Tab], stack: Stack, javascript: bool
) -> None:
    reference = file_complaint(stack)
    tab = signed_in("officer", javascript=javascript)
    page = tab.page
    page.goto(tab.base + "/staff/?view=team")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name=f"Case {reference}")).to_be_visible()
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("What do you understand the complaint to be?").fill("No visits since March")
    page.get_by_label("Phone").check()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Done: Acknowledge.")).to_be_visible()
    timeline = page.locator(".moj-timeline")
    expect(timeline.locator(".moj-timeline__item").first).to_contain_text("Acknowledged")
    expect(timeline.locator(".moj-timeline__item").first).to_contain_text("Olivia Officer")
    shown = stack.cli("show", reference)
    acknowledged = [e for e in shown["events"] if e["type"] == "acknowledged"]
    assert acknowledged[0]["by"] == "Olivia Officer"
    assert tab.unexpected_problems() == []


def test_a_refused_action_shows_the_refusal_in_the_error_summary(
    signed_in: Callable[..., Tab], stack: Stack
) -> None:
    reference = file_complaint(stack)
    tab = signed_in("officer")
    page = tab.page
    for summary in ("Visits", "Visits again"):  # the second is refused: already acknowledged
        page.goto(f"{tab.base}/staff/cases/{reference}/acknowledge")
        page.get_by_label("What do you understand the complaint to be?").fill(summary)
        page.get_by_label("Phone").check()
        page.get_by_role("button", name="Acknowledge").click()
    summary_box = page.locator(".govuk-error-summary")
    expect(summary_box).to_contain_text("Stage 1 was already acknowledged on")
    expect(summary_box).to_be_focused()  # GOV.UK Frontend moves focus to it (with JavaScript)


def test_stage_1_to_a_response_in_the_browser_alone_then_the_auditor_sees_every_view(
    signed_in: Callable[..., Tab], stack: Stack
) -> None:
    reference = file_complaint(stack)
    officer = signed_in("officer", javascript=False)
    page = officer.page
    page.goto(f"{officer.base}/staff/cases/{reference}")
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("What do you understand the complaint to be?").fill("Visits")
    page.get_by_label("Email", exact=True).check()
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_role("button", name="Respond").click()
    page.get_by_label("Partly upheld").check()
    page.get_by_role("button", name="Draft the letter").click()  # the council's draft
    assert "partly upheld" in page.get_by_label("The response letter").input_value()
    page.get_by_label("Communication").check()
    page.get_by_label("Payment offered, in pounds").fill("250")
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_text("Done: Respond.")).to_be_visible()
    expect(page.locator(".govuk-tag").first).to_contain_text("Responded")
    assert stack.cli("show", reference)["stages"][0]["outcome"] == "partly_upheld"
    auditor = signed_in("auditor")
    auditor.page.goto(f"{auditor.base}/staff/cases/{reference}")
    auditor.page.get_by_role("link", name="access log").click()
    rows = auditor.page.locator("tbody tr")
    expect(rows.first).to_contain_text("Olivia Officer")
    texts = rows.all_inner_texts()
    assert sum("viewed: case page" in t and "Olivia Officer" in t for t in texts) >= 3
    assert any("acted: respond" in t for t in texts)
    assert any("complaints show" in t for t in texts)  # the command line's read too
    assert not auditor.page.get_by_role("button", name="Acknowledge").count()


def test_the_front_door_opens_an_urgent_case_from_the_alert_within_two_clicks(
    open_tab: Callable[..., Tab], stack: Stack, staff: dict[str, Any]
) -> None:
    reference = file_complaint(stack, child_in_danger="yes")
    tab = open_tab()
    link = f"/staff/cases/{reference}"  # the alert's link: sign-in brings them back to it
    sign_in(tab.page, tab.base, staff["users"]["front_door"], staff["secret"], link)
    expect(tab.page.get_by_role("heading", name=f"Case {reference}")).to_be_visible()
    expect(tab.page.get_by_text("No social worker has visited Alex since March.")).to_be_visible()
    expect(tab.page.get_by_role("button", name="Acknowledge")).to_have_count(0)
    tab.page.goto(tab.base + "/staff/")  # or from the caseload: one click
    tab.page.get_by_role("link", name=reference).click()
    expect(tab.page.get_by_role("button", name="Record the safeguarding referral")).to_be_visible()


def _until_not_reached(stack: Stack, reference: str, seconds: float = 60) -> None:
    """Until the local stack's SES simulator has bounced the acknowledgement onto the case."""
    import time

    deadline = time.monotonic() + seconds
    while not stack.cli("show", reference)["needs_contact"]:
        assert time.monotonic() < deadline, "the bounce never reached the case"
        time.sleep(0.5)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_family_not_reached_is_tagged_and_the_officer_records_how_they_were_told(
    signed_in: Callable[..., Tab], stack: Stack, width: int
) -> None:
    reference = file_complaint(stack, email="bounce@simulator.amazonses.com")
    _until_not_reached(stack, reference)
    tab = signed_in("officer", width=width)
    page = tab.page
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        found[name] = axe_violations(page)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:  # WCAG 1.4.10 reflow
            found[name].append(f"the page is {wide} px wide at {width} px")

    page.goto(tab.base + "/staff/?view=team")
    row = page.locator("tbody tr", has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Family not reached")
    check("caseload")
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_text("Family not reached: an email to them did not arrive")).to_be_visible()
    check("case")
    page.get_by_role("button", name="Record how the family was told").click()
    page.get_by_label("Phone").check()
    page.get_by_label("What was said, or to whom").fill("Rang them with the acknowledgement")
    check("form")
    page.get_by_role("button", name="Record how the family was told").click()
    expect(page.get_by_text("Done: Record how the family was told.")).to_be_visible()
    expect(page.get_by_text("Family not reached")).to_have_count(0)
    assert not stack.cli("show", reference)["needs_contact"]
    assert {name: v for name, v in found.items() if v} == {}
    assert tab.unexpected_problems() == []


# ---- accessibility: every staff page, 1280 and 375 pixels -------------------------------


def _pages(stack: Stack, reference: str, urgent: str) -> Iterator[tuple[str, str]]:
    """(role, path) of every staff page: what each role sees."""
    from complaints.service.lifecycle import Action

    yield "manager", "/staff/"
    yield "manager", "/staff/?view=team"
    yield "manager", f"/staff/cases/{reference}"
    for action in Action:
        if action not in (
            Action.ANSWER_RECOMMENDATION,
            Action.COMPLETE_RECOMMENDATION,
            Action.DECIDE_LATE_REQUEST,
            Action.RECORD_MILESTONE,
        ):
            yield "manager", f"/staff/cases/{reference}/{action.value}"
    yield "manager", "/staff/people"
    yield "manager", "/staff/people/add"
    yield "manager", "/staff/people/olivia.officer/reassign"
    yield "manager", "/staff/people/olivia.officer/remove"
    yield "manager", "/staff/no-such-page"
    yield "auditor", f"/staff/cases/{reference}/access"
    yield "front_door", "/staff/"
    yield "front_door", f"/staff/cases/{urgent}"


def loaded_violations(page: Page, heading: str) -> list[str]:
    """axe on the page a click led to, once it (and its stylesheet) has loaded."""
    expect(page.get_by_text(heading).first).to_be_visible()
    page.wait_for_load_state("load")
    return axe_violations(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_staff_page_has_no_accessibility_violations(
    signed_in: Callable[..., Tab],
    open_tab: Callable[..., Tab],
    stack: Stack,
    staff: dict[str, Any],
    width: int,
) -> None:
    reference, urgent = file_complaint(stack), file_complaint(stack, child_in_danger="yes")
    found: dict[str, list[str]] = {}
    tabs: dict[str, Tab] = {}
    for role, path in _pages(stack, reference, urgent):
        if role not in tabs:
            tabs[role] = signed_in(role, width=width)
        page = tabs[role].page
        page.goto(tabs[role].base + path)
        found[f"{role} {path}"] = axe_violations(page)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > width:  # WCAG 1.4.10 reflow: wide tables scroll in their own region
            found[f"{role} {path}"].append(f"the page is {wide} px wide at {width} px")
    manager = tabs["manager"].page  # a form with errors: the error summary and messages
    manager.goto(f"{tabs['manager'].base}/staff/cases/{reference}/acknowledge")
    manager.get_by_role("button", name="Acknowledge").click()
    found["form with errors"] = loaded_violations(manager, "There is a problem")
    manager.get_by_role("button", name="Sign out").click()
    found["signed out"] = loaded_violations(manager, "You have signed out")
    tab = open_tab(width=width)
    tab.goto("/staff/sign-in")
    found["sign in"] = axe_violations(tab.page)
    tab.page.get_by_role("button", name="Continue").click()
    found["sign in with errors"] = loaded_violations(tab.page, "There is a problem")
    tab.page.get_by_label("Username").fill(staff["users"]["officer"]["username"])
    tab.page.get_by_label("Password", exact=True).fill(staff["users"]["officer"]["password"])
    tab.page.get_by_role("button", name="Continue").click()
    found["code"] = loaded_violations(tab.page, "Enter the code from your authenticator app")
    assert {page: v for page, v in found.items() if v} == {}
    for opened in tabs.values():
        assert opened.unexpected_problems(lambda p: "status of 404" in p) == []  # no-such-page


def test_staff_pages_are_never_cached_or_indexed_and_allow_no_inline_code(stack: Stack) -> None:
    with urllib.request.urlopen(f"{stack.url}/staff/sign-in", timeout=10) as answer:  # noqa: S310
        headers = answer.headers
    assert headers["Cache-Control"] == "no-store"
    assert "noindex" in headers["X-Robots-Tag"]
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
