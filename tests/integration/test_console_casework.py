"""The console's casework pages on moto (issue 16): record a complaint received another way,
letters to send and marked posted, the response letter drafted, previewed and sent, notes and
calls internal and escaped, the case file exported (and logged), the reports on screen and as
CSV with the JSON's figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from complaints import clock
from complaints.dates import long_date
from tests.console_support import Browser
from tests.integration.conftest import Stack
from tests.integration.helpers import body_json, deliver, post_json, stream_event, valid_fields
from tests.integration.test_console import signed_in, staff  # noqa: F401 (a fixture)


def _boxes(name: str, day: date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _record(client: Browser, **changes: Any) -> Any:
    form = client.get("/staff/complaints/new")
    assert form.status == 200
    received = clock.add_working_days(clock.london_today(), -3)
    fields = {
        "csrf_token": form.csrf,
        "submission_id": "8c0b5a36-2f4e-4f55-9a51-5d0f4a0c7d11",
        "channel": "phone",
        **_boxes("received", received),
        "complainant_name": "Pat Caller",
        "relationship": "parent",
        "email": "pat.caller@example.com",
        "contact_by": "email",
        "child_in_danger": "no",
        "child_name": "Robin",
        "service_area": "childrens_social_care",
        "details": "Nobody returned my calls about the contact arrangements.",
        "wants_advocate": "no",
    }
    fields.update(changes)
    return client.post("/staff/complaints/new", {k: v for k, v in fields.items() if v is not None})


def test_an_officer_records_a_phone_complaint_and_the_clock_counts_from_the_day_received(
    staff: dict[str, Any],  # noqa: F811
    stack: Stack,
) -> None:
    officer = signed_in(staff, "officer")
    assert "/staff/complaints/new" in officer.get("/staff/").body  # linked from the caseload
    page = _record(officer)
    assert page.status == 200
    assert "Complaint recorded" in page.text
    received = clock.add_working_days(clock.london_today(), -3)
    assert long_date(clock.add_working_days(received, 10)) in page.text
    reference = page.path.split("?")[0].rsplit("/", 1)[-1]
    case = stack.repository.get_case(reference)
    assert case.channel == "phone"
    assert case.received_on == received
    assert stack.repository.events(reference)[0].by == "Olivia Officer"
    assert any(e.what.startswith("record") for e in stack.repository.access_entries(reference))


def test_the_record_form_shows_each_problem_in_the_error_summary_against_its_field(
    staff: dict[str, Any],  # noqa: F811
    stack: Stack,
) -> None:
    officer = signed_in(staff, "officer")
    form = officer.get("/staff/complaints/new")
    page = officer.post(
        "/staff/complaints/new",
        {
            "csrf_token": form.csrf,
            "contact_by": "post",
            "received-day": "31",
            "received-month": "2",
        },
    )
    assert page.status == 200
    assert "govuk-error-summary" in page.body
    for anchor in ("#channel", "#received-day", "#complainant_name", "#relationship"):
        assert f'href="{anchor}"' in page.body, anchor
    assert "Enter a real date" in page.text
    no_address = _record(officer, contact_by="post", email="")
    assert 'href="#address"' in no_address.body
    assert "Enter their postal address" in no_address.text
    assert stack.repository.list_cases() == []


def test_a_date_past_the_acknowledgement_asks_for_confirmation_then_records_it(
    staff: dict[str, Any],  # noqa: F811
    stack: Stack,
) -> None:
    officer = signed_in(staff, "officer")
    old = clock.add_working_days(clock.london_today(), -12)
    page = _record(officer, **_boxes("received", old))
    assert "the council is already late" in page.text
    assert 'name="confirm_late"' in page.body
    done = _record(officer, **_boxes("received", old), confirm_late="yes")
    assert "Complaint recorded" in done.text
    future = _record(officer, **_boxes("received", clock.add_working_days(clock.london_today(), 2)))
    assert "must be today or in the past" in future.text
    assert 'name="confirm_late"' not in future.body


def test_a_post_preference_complaint_has_a_letter_to_print_and_mark_posted(
    staff: dict[str, Any],  # noqa: F811
    stack: Stack,
) -> None:
    officer = signed_in(staff, "officer")
    page = _record(
        officer,
        channel="letter",
        email="",
        contact_by="post",
        address="2 Mill Lane\nExampletown\nEX2 3CD",
        complainant_name="Pat <Letter>",
    )
    reference = page.path.split("?")[0].rsplit("/", 1)[-1]
    deliver(stream_event(stack))
    letters = officer.get("/staff/letters")
    assert reference in letters.text
    href = f"/staff/letters/{reference}/acknowledgement%23s1"
    assert href in letters.body
    printed = officer.get(href)
    assert printed.status == 200
    assert "Exampletown" in printed.text
    assert "&lt;Letter&gt;" in printed.body
    assert printed.headers["Cache-Control"] == "no-store"
    assert "'sha256-" in printed.headers["Content-Security-Policy"]
    form = officer.get(href + "/posted")
    done = officer.post(
        href + "/posted",
        {"csrf_token": form.csrf, **_boxes("on", clock.london_today()), "how": "post"},
    )
    assert "Marked as posted" in done.text
    assert reference not in officer.get("/staff/letters").text
    case = officer.get(f"/staff/cases/{reference}")
    assert "Letter posted" in case.text
    again = officer.post(href + "/posted", {"csrf_token": form.csrf, "how": "post"})
    assert "already marked" in again.text


def _acknowledged(officer: Browser) -> str:
    reference = str(body_json(post_json(valid_fields()))["reference"])
    form = officer.get(f"/staff/cases/{reference}/acknowledge")
    officer.post(
        f"/staff/cases/{reference}/acknowledge",
        {"csrf_token": form.csrf, "summary": "Reviews cancelled", "how": "phone"},
    )
    return reference


def test_the_response_letter_is_drafted_previewed_without_saving_then_sent(
    staff: dict[str, Any],  # noqa: F811
    stack: Stack,
) -> None:
    officer = signed_in(staff, "officer")
    reference = _acknowledged(officer)
    path = f"/staff/cases/{reference}/respond"
    first = officer.get(path)
    assert "Draft the letter" in first.text
    drafted = officer.get(path + "?outcome=upheld")
    assert "upheld" in drafted.text
    letter = "Dear Sam\n\nWe uphold your complaint. <b>Sorry</b>.\n"
    preview = officer.post(
        path, {"csrf_token": drafted.csrf, "outcome": "upheld", "letter": letter, "preview": "yes"}
    )
    assert "Preview of the letter" in preview.text
    assert "Draft: not sent" in preview.text
    assert "&lt;b&gt;Sorry&lt;/b&gt;" in preview.body
    assert stack.repository.get_case(reference).stage.responded_on is None
    missing = officer.post(path, {"csrf_token": drafted.csrf, "outcome": "upheld", "letter": ""})
    assert "Write the response letter" in missing.text
    sent = officer.post(path, {"csrf_token": drafted.csrf, "outcome": "upheld", "letter": letter})
    assert "Done: Respond" in sent.text
    case = stack.repository.get_case(reference)
    assert case.stage.response_letter is not None
    assert "We uphold your complaint" in case.stage.response_letter.text
    again = officer.get(f"/staff/cases/{reference}")
    assert f"/staff/cases/{reference}/send-response-again" in again.body


def test_notes_and_calls_are_internal_and_escaped_on_the_timeline(
    staff: dict[str, Any],  # noqa: F811
    stack: Stack,
) -> None:
    officer = signed_in(staff, "officer")
    reference = str(body_json(post_json(valid_fields()))["reference"])
    form = officer.get(f"/staff/cases/{reference}/note")
    page = officer.post(
        f"/staff/cases/{reference}/note",
        {"csrf_token": form.csrf, "text": "<script>alert(1)</script> spoke to the manager"},
    )
    assert "<script>alert(1)</script>" not in page.body
    assert "&lt;script&gt;" in page.body
    assert "Internal" in page.text
    form = officer.get(f"/staff/cases/{reference}/record-call")
    call = officer.post(
        f"/staff/cases/{reference}/record-call",
        {
            "csrf_token": form.csrf,
            "summary": "Agreed a meeting",
            "kind": "phone_call",
            "with_whom": "the mother",
            "direction": "from_family",
        },
    )
    assert "Call or meeting" in call.text
    assert "Phone call, with the mother, they contacted us" in call.text


def test_the_case_file_export_downloads_and_is_recorded_in_the_access_log(
    staff: dict[str, Any],  # noqa: F811
    stack: Stack,
) -> None:
    manager = signed_in(staff, "manager")
    reference = str(body_json(post_json(valid_fields()))["reference"])
    form = manager.get(f"/staff/cases/{reference}/export")
    assert "Export the case file as JSON" in form.text
    answer = manager.post(
        f"/staff/cases/{reference}/export",
        {"csrf_token": form.csrf, "purpose": "Ombudsman enquiry", "format": "html"},
    )
    assert answer.status == 200
    assert answer.headers["Content-Disposition"] == f'attachment; filename="case-{reference}.html"'
    assert answer.headers["Cache-Control"] == "no-store"
    assert reference in answer.body
    as_json = manager.post(
        f"/staff/cases/{reference}/export", {"csrf_token": form.csrf, "format": "json"}
    )
    assert as_json.headers["Content-Type"].startswith("application/json")
    kinds = [e.type.value for e in stack.repository.events(reference)]
    assert kinds.count("case_file_exported") == 2
    logged = [e.what for e in stack.repository.access_entries(reference) if e.kind == "acted"]
    assert "export (case file, html)" in logged
    assert "export (case file, json)" in logged
    auditor = signed_in(staff, "auditor")
    refused = auditor.post(
        f"/staff/cases/{reference}/export",
        {"csrf_token": auditor.get("/staff/").csrf, "format": "html"},
        follow=False,
    )
    assert refused.status == 404


def test_the_reports_show_the_json_figures_and_download_the_same_as_csv(
    staff: dict[str, Any],  # noqa: F811
    stack: Stack,
) -> None:
    from complaints.adapters.report_reads import cases_not_closed
    from complaints.service.reports import annual_report, backlog
    from complaints.service.reports.csv import report_csv

    for n in range(2):
        post_json(valid_fields(details=f"Complaint number {n}"))
    manager = signed_in(staff, "manager")
    page = manager.get("/staff/reports/backlog")
    assert page.status == 200
    assert "Not closed 2" in page.text
    assert "staff-bar--100" in page.body
    download = manager.get("/staff/reports/backlog?format=csv")
    today = clock.london_today()
    expected = report_csv(backlog(cases_not_closed(stack.repository), today))
    assert download.body == expected
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Type"].startswith("text/csv")
    year = clock.financial_year(today)
    annual = manager.get(f"/staff/reports/annual?year={year}")
    assert "Complaints received 2" in annual.text
    csv = manager.get(f"/staff/reports/annual?year={year}&format=csv")
    report = annual_report(stack.repository.cases_received_in(year), year, as_of=today)
    assert csv.body == report_csv(report)
    assert signed_in(staff, "officer").get("/staff/reports/backlog", follow=False).status == 404
