"""The console's casework in the system Chromium, on the real local stack (issue 16): a phone
complaint received three working days ago is recorded and its deadline counts from that day;
a stage 1 response is written, previewed and sent, and reaches the complainant's email; a
complaint from someone who wants post (no email) puts a letter on the letters to send, which
is printed and marked posted; zero axe violations on the new pages at 1280 and 375 pixels."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from complaints import clock
from complaints.dates import long_date
from tests.browser.conftest import Tab, axe_violations
from tests.browser.test_console import file_complaint, signed_in, staff  # noqa: F401 (fixtures)
from tests.localstack import Stack

pytestmark = pytest.mark.browser


def stack_today(stack: Stack) -> date:
    """The local stack's day (its clock may have been moved forward by other tests)."""
    return clock.received_on(datetime.fromisoformat(stack.cli("clock")["now"]))


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def record_complaint(page: Page, base: str, received: date, **how: str) -> str:
    """Fill in the record form (a phone complaint unless ``how`` says otherwise) and return
    the new case's reference, from the case page it leads to."""
    page.goto(base + "/staff/")
    page.get_by_role("link", name="Record a complaint received by phone").click()
    page.get_by_label(how.get("channel", "Phone"), exact=True).first.check()
    fill_date(page, "When was it received?", received)
    page.get_by_label("Full name", exact=True).fill(how.get("name", "Pat Caller"))
    page.get_by_label("Parent", exact=True).check()
    if how.get("email"):
        page.get_by_label("Email address").fill(how["email"])
    contact = page.get_by_role("group", name="How do they want to hear from us?")
    contact.get_by_label(how.get("contact_by", "Email"), exact=True).check()
    if how.get("address"):
        page.get_by_label("Postal address").fill(how["address"])
    page.get_by_role("group", name="Is a child in danger now?").get_by_label("No").check()
    page.get_by_label("The child's full name").fill("Robin")
    page.get_by_label("What is the complaint about?").fill(
        f"Nobody returned my calls about contact. ({uuid.uuid4().hex[:8]})"
    )
    page.get_by_role("button", name="Record the complaint").click()
    expect(page.get_by_text("Complaint recorded")).to_be_visible()
    return page.url.split("?")[0].rsplit("/", 1)[-1]


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_phone_complaint_received_three_working_days_ago_counts_from_that_day(
    signed_in: Callable[..., Tab],  # noqa: F811
    stack: Stack,
    javascript: bool,
) -> None:
    tab = signed_in("officer", javascript=javascript)
    received = clock.add_working_days(stack_today(stack), -3)
    reference = record_complaint(tab.page, tab.base, received, email="pat.caller@example.com")
    respond_by = clock.add_working_days(received, 10)
    deadlines = tab.page.get_by_role("region", name="Deadlines")
    expect(deadlines).to_contain_text(long_date(respond_by))
    shown = stack.cli("show", reference)
    assert shown["received_on"] == received.isoformat()
    assert shown["respond_by"] == respond_by.isoformat()
    assert shown["channel"] == "phone"
    assert tab.unexpected_problems() == []


def emails_to(stack: Stack, address: str, words: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = [
            sent
            for sent in stack.cli("emails")
            if address in str(sent.get("to")) and words in str(sent.get("body"))
        ]
        if found:
            return found
        time.sleep(0.5)
    return []


def test_an_officer_writes_previews_and_sends_a_stage_1_response_that_reaches_the_family(
    signed_in: Callable[..., Tab],  # noqa: F811
    stack: Stack,
) -> None:
    address = f"family-{uuid.uuid4().hex[:8]}@example.com"
    reference = file_complaint(stack, email=address)
    tab = signed_in("officer")
    page = tab.page
    page.goto(f"{tab.base}/staff/cases/{reference}")
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("What do you understand the complaint to be?").fill("No visits")
    page.get_by_label("Phone").check()
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_role("button", name="Respond").click()
    page.get_by_label("Upheld", exact=True).check()
    page.get_by_role("button", name="Draft the letter").click()
    letter = page.get_by_label("The response letter")
    drafted = letter.input_value()
    assert "We have decided that your complaint is upheld." in drafted
    sentence = f"We are sorry that nobody visited ({uuid.uuid4().hex[:6]})."
    letter.fill(drafted.replace("[Our apology, and any remedy we offer.]", sentence))
    page.get_by_role("button", name="Preview the letter").click()
    preview = page.locator(".staff-letter")
    expect(preview).to_contain_text(sentence)
    expect(preview).to_contain_text("Draft: not sent")
    assert stack.cli("show", reference)["stages"][0].get("responded_on") is None  # not saved
    page.get_by_role("button", name="Send response").click()
    expect(page.get_by_text("Done: Respond.")).to_be_visible()
    assert emails_to(stack, address, sentence), "the response letter reached no email"
    expect(page.get_by_role("button", name="Send the response letter again")).to_be_visible()
    assert tab.unexpected_problems() == []


def test_a_post_preference_complaint_with_no_email_gets_a_letter_that_is_marked_posted(
    signed_in: Callable[..., Tab],  # noqa: F811
    stack: Stack,
) -> None:
    tab = signed_in("officer")
    page = tab.page
    today = stack_today(stack)
    reference = record_complaint(
        page,
        tab.base,
        today,
        channel="Letter",
        contact_by="Post",
        address="2 Mill Lane\nExampletown\nEX2 3CD",
        name="Pat Letter",
    )
    deadline = time.monotonic() + 30
    while True:  # the outbox queues the acknowledgement as a letter, from the table's stream
        page.goto(tab.base + "/staff/letters")
        if page.get_by_role("link", name=reference).count() or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Acknowledgement")
    row.get_by_role("link", name="Print").click()
    expect(page.get_by_text("EX2 3CD")).to_be_visible()
    expect(page.get_by_text(f"Our reference: {reference}")).to_be_visible()
    page.go_back()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    row.get_by_role("link", name="Mark as posted").click()
    fill_date(page, "When was it posted?", today)
    page.get_by_label("Posted", exact=True).check()
    page.get_by_role("button", name="Mark as posted").click()
    expect(page.get_by_text(f"Marked as posted: a letter of case {reference}")).to_be_visible()
    assert not page.get_by_role("link", name=reference).count()
    events = [e["type"] for e in stack.cli("show", reference)["events"]]
    assert "letter_posted" in events
    assert not [e for e in stack.cli("emails") if "Pat Letter" in str(e.get("body"))]
    assert tab.unexpected_problems() == []


@pytest.mark.parametrize("width", [1280, 375])
def test_the_casework_pages_have_no_accessibility_violations(
    signed_in: Callable[..., Tab],  # noqa: F811
    stack: Stack,
    width: int,
) -> None:
    reference = file_complaint(stack)
    found: dict[str, list[str]] = {}
    officer = signed_in("officer", width=width)
    page = officer.page

    def check(name: str, reflow: bool = True) -> None:
        page.wait_for_load_state("load")
        found[name] = axe_violations(page)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if reflow and wide > width:
            found[name].append(f"the page is {wide} px wide at {width} px")

    for path in (
        "/staff/complaints/new",
        "/staff/letters",
        f"/staff/cases/{reference}/note",
        f"/staff/cases/{reference}/record-call",
        f"/staff/cases/{reference}/export",
        f"/staff/cases/{reference}/mark-letter-posted",
        f"/staff/cases/{reference}/respond",
        f"/staff/cases/{reference}/respond?outcome=partly_upheld",
    ):
        page.goto(officer.base + path)
        check(path)
    page.goto(officer.base + "/staff/complaints/new")
    page.get_by_label("Post", exact=True).check()
    page.get_by_role("button", name="Record the complaint").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check("record with errors")
    old = clock.add_working_days(stack_today(stack), -15)
    fill_date(page, "When was it received?", old)
    page.get_by_role("button", name="Record the complaint").click()
    expect(page.get_by_text("The acknowledgement is already late")).to_be_visible()
    check("record asking to confirm a late acknowledgement")
    page.goto(f"{officer.base}/staff/cases/{reference}/note")
    page.get_by_label("Note").fill("Called the school <b>twice</b>")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Internal").first).to_be_visible()
    check("case page with an internal note")
    page.goto(f"{officer.base}/staff/cases/{reference}/respond?outcome=upheld")
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.get_by_text("Preview of the letter")).to_be_visible()
    check("respond with the preview")
    manager = signed_in("manager", width=width)
    page = manager.page
    for path in ("/staff/reports/backlog", "/staff/reports/annual"):
        page.goto(manager.base + path)
        check(path)
    assert {name: v for name, v in found.items() if v} == {}
