"""The console's casework pages (issue 16), each a thin page over the service layer:

- record a complaint received another way (``service.recording``);
- the letters to send, each printable, and marking one posted (``service.staffwork``);
- the respond form's draft and preview of the response letter (``service.staffwork``);
- the case file export (``service.casefile``), recorded on the case and in the access log;
- the backlog and annual reports on screen and as CSV (``service.reports``).

Roles come from the action table, checked in ``service.staff.permissions`` (deny by default).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from complaints.console.web import Request, Response, redirect

if TYPE_CHECKING:
    from complaints.console.app import Console
    from complaints.console.auth import Signed
    from complaints.models import Case

LETTER_PATH = re.compile(r"^/staff/letters/([A-Z0-9-]{4,20})/([^/]{1,200}?)(/posted)?$")


def _page(status: int, template: str, signed: Signed, **context: Any) -> Response:
    from complaints.console.pages import _page as page

    return page(status, template, signed, **context)


def _log(console: Console, signed: Signed, reference: str, kind: str, what: str) -> None:
    from complaints.console.pages import _log as log

    log(console, signed, reference, kind, what)


def _errors(errors: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"text": message, "href": f"#{field}"} for field, message in errors]


def download(body: str, filename: str, content_type: str) -> Response:
    """A file to save (the console's headers, never cached)."""
    return Response(
        200,
        body,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


# ---- 1. record a complaint received another way -------------------------------------------


def record(console: Console, request: Request, signed: Signed) -> Response:
    from uuid import uuid4

    from complaints.clock import add_working_days, received_on
    from complaints.console.record_form import (
        CHANNELS,
        CONTACT_BY,
        field_id,
        merge_errors,
        read_record,
    )
    from complaints.service.lifecycle.table import StaffAction
    from complaints.service.recording import RecordingError, record_complaint
    from complaints.service.staff.permissions import role_for
    from complaints.settings import load_settings
    from complaints.submission import RELATIONSHIP_LABELS, parse_recorded

    role = role_for(signed.staff, StaffAction.RECORD)  # refuses (404) a role that may not
    settings = load_settings()
    posted = request.form if request.method == "POST" else {}
    context: dict[str, Any] = {
        "nav": "record",
        "posted": posted,
        "submission_id": (posted.get("submission_id") or [str(uuid4())])[0],
        "channels": CHANNELS,
        "contact_by": CONTACT_BY,
        "relationships": [(r.value, label) for r, label in RELATIONSHIP_LABELS.items()],
        "service_areas": [(a.id, a.label) for a in settings.service_areas],
        "ack_days": settings.acknowledgement_working_days,
        "field_errors": {},
        "errors": [],
        "ask_confirm_late": False,
    }
    if request.method != "POST":
        return _page(200, "record.html", signed, **context)
    read = read_record(request.form)
    errors: list[tuple[str, str]] = []
    now = console.business_now()
    if read.errors:  # something unreadable: check the rest too, write nothing
        found = parse_recorded(read.answers)
        service = [(e.field, e.message) for e in found] if isinstance(found, list) else []
        errors = merge_errors(read.errors, service)
    else:
        try:
            result = record_complaint(
                read.answers, console.store, actor=signed.staff.name, role=role, now=now
            )
        except RecordingError as error:
            errors = [(e.field, e.message) for e in error.errors]
    if errors:
        today = received_on(now)
        late = (
            read.received is not None
            and read.received < today
            and add_working_days(read.received, settings.acknowledgement_working_days) < today
        )
        context["ask_confirm_late"] = late
        context["field_errors"] = {field_id(f): m for f, m in errors}
        context["errors"] = _errors([(field_id(f), m) for f, m in errors])
        return _page(200, "record.html", signed, **context)
    reference = result.receipt.reference
    _log(console, signed, reference, "acted", "record (a complaint received another way)")
    return redirect(f"/staff/cases/{reference}?" + urlencode({"done": "recorded"}))


# ---- 2. letters to send -------------------------------------------------------------------


def letters(console: Console, request: Request, signed: Signed) -> Response:
    from complaints.console.views import when
    from complaints.service.lifecycle.table import StaffAction
    from complaints.service.staff.permissions import role_for, visible_letters
    from complaints.service.staffwork import letters_to_send

    role = role_for(signed.staff, StaffAction.LETTERS)
    found = visible_letters(
        signed.staff, letters_to_send(console.store, role=role), console.store.get_case
    )
    rows = [
        {
            "reference": letter.reference,
            "subject": letter.subject,
            "what": letter.kind.replace("notice_", "").replace("_", " ").capitalize(),
            "send_by": "Read out by phone, or post" if letter.send_by == "phone" else "Post",
            "created": when(letter.created_at),
            "created_iso": letter.created_at.isoformat(),
            "href": letter_href(letter.reference, letter.letter_id),
        }
        for letter in found
    ]
    done = request.query.get("done", "")
    shown_done = done if re.fullmatch(r"[A-Z0-9-]{4,20}", done) else None
    return _page(200, "letters.html", signed, nav="letters", rows=rows, done=shown_done)


def letter_href(reference: str, letter_id: str) -> str:
    return f"/staff/letters/{reference}/{quote(letter_id, safe='')}"


def letter_route(console: Console, request: Request, signed: Signed, path: str) -> Response | None:
    from urllib.parse import unquote

    found = LETTER_PATH.match(path)
    if not found:
        return None
    reference, letter_id = found.group(1), unquote(found.group(2))
    if found.group(3):
        return letter_posted(console, request, signed, reference, letter_id)
    if request.method != "GET":
        return None
    return letter_page(console, signed, reference, letter_id)


def _letter_case(console: Console, signed: Signed, reference: str, letter_id: str) -> Any:
    from complaints.console.pages import _load
    from complaints.service.lifecycle.table import StaffAction
    from complaints.service.staff.permissions import NotAllowedError, role_for

    role_for(signed.staff, StaffAction.LETTERS)
    case = _load(console, signed, reference)  # the case must be one they may see
    letter = console.store.get_letter(case.reference, letter_id)
    if letter is None:
        raise NotAllowedError("no such letter")
    return case, letter


def letter_page(console: Console, signed: Signed, reference: str, letter_id: str) -> Response:
    """The letter as printed (A4, print CSS), with the console's headers; its one inline
    stylesheet is allowed by its hash, nothing else."""
    import base64
    import hashlib

    from complaints.console.web import PAGE_HEADERS
    from complaints.service.staffwork import letter_page as printable

    case, letter = _letter_case(console, signed, reference, letter_id)
    html = printable(console.store, case.reference, letter.letter_id)
    _log(console, signed, case.reference, "printed", f"letter {letter.letter_id}")
    styles = re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in styles
    )
    policy = PAGE_HEADERS["Content-Security-Policy"].replace(
        "style-src 'self'", f"style-src 'self' {hashes}".rstrip()
    )
    return Response(200, html, headers={"Content-Security-Policy": policy})


def letter_posted(
    console: Console, request: Request, signed: Signed, reference: str, letter_id: str
) -> Response:
    from complaints.console.forms import FORMS, AnswerError, Shown, read_answers
    from complaints.service.casework import CaseNotFoundError, StaleCaseError
    from complaints.service.lifecycle import Action, TransitionError
    from complaints.service.staff.permissions import require_action, role_for
    from complaints.service.staffwork import mark_letter_posted

    case, letter = _letter_case(console, signed, reference, letter_id)
    require_action(signed.staff, case, Action.MARK_LETTER_POSTED)
    form = FORMS[Action.MARK_LETTER_POSTED]
    shown = Shown(form, case, request.form if request.method == "POST" else {})
    context: dict[str, Any] = {
        "case": case,
        "label": "Mark as posted",
        "caption": letter.subject,
        "button": form.button,
        "action_href": letter_href(case.reference, letter.letter_id) + "/posted",
        "back_href": "/staff/letters",
        "back_text": "Letters to send",
        "shown": shown,
        "errors": [],
        "nav": "letters",
    }
    if letter.status != "to_send":
        context["errors"] = [{"text": "That letter was already marked posted.", "href": "#on-day"}]
    if request.method != "POST":
        return _page(200, "action.html", signed, **context)
    try:
        values = read_answers(form, case, request.form)
        mark_letter_posted(
            console.store,
            case.reference,
            letter.letter_id,
            actor=signed.staff.name,
            role=role_for(signed.staff, Action.MARK_LETTER_POSTED),
            on=values["on"],
            how=values["how"] or "post",
            now=console.business_now(),
        )
    except AnswerError as error:
        shown.errors = error.errors
        context["errors"] = _errors(error.errors)
        return _page(200, "action.html", signed, **context)
    except (TransitionError, CaseNotFoundError, StaleCaseError) as error:
        context["errors"] = [{"text": str(error), "href": "#on-day"}]
        return _page(200, "action.html", signed, **context)
    _log(console, signed, case.reference, "acted", f"mark-letter-posted {letter.letter_id}")
    return redirect("/staff/letters?" + urlencode({"done": case.reference}))


def case_letters(console: Console, signed: Signed, case: Case) -> Response:
    """``/staff/cases/{reference}/mark-letter-posted``: the case's letters to send, each with
    its own form."""
    from complaints.console.views import when

    waiting = [
        {
            "subject": letter.subject,
            "created": when(letter.created_at),
            "href": letter_href(case.reference, letter.letter_id),
        }
        for letter in console.store.case_letters(case.reference)
        if letter.status == "to_send"
    ]
    _log(console, signed, case.reference, "viewed", "letters to send")
    return _page(200, "case_letters.html", signed, nav="letters", case=case, letters=waiting)


# ---- 3. respond with the letter -----------------------------------------------------------


SHEET = re.compile(r'<div class="sheet">.*</div>', re.DOTALL)


def letter_preview(console: Console, case: Case, text: str) -> Any:
    """The letter as ``service.staffwork`` renders it (its autoescaped letter layout: the
    officer's words are escaped there), its sheet shown inside the page."""
    from markupsafe import Markup

    from complaints.service.staffwork import preview_response_letter

    html = preview_response_letter(console.store, case.reference, text=text)
    found = SHEET.search(html)
    return Markup(found.group(0)) if found else None  # noqa: S704 (escaped by its template)


def respond_extras(
    console: Console, request: Request, case: Case, context: dict[str, Any]
) -> dict[str, Any] | None:
    """What the respond form adds: a draft letter for the chosen outcome (``?outcome=``), a
    preview (nothing saved). ``None``: send the response (the ordinary path)."""
    from complaints.console.forms import AnswerError, read_answers
    from complaints.service.staffwork import draft_response_letter

    outcomes = [v for v, _ in context["shown"].options(context["shown"].form.questions[0])]
    context["extra_buttons"] = [{"text": "Preview the letter", "name": "preview", "value": "yes"}]
    if request.method != "POST":
        outcome = request.query.get("outcome") or ""
        if outcome in outcomes:
            context["shown"].posted = {
                "outcome": [outcome],
                "letter": [draft_response_letter(console.store, case.reference, outcome=outcome)],
            }
        else:
            context["draft_step"] = True
            context["outcomes"] = outcomes
        return context
    if request.value("preview") != "yes":
        return None
    try:
        values = read_answers(context["shown"].form, case, request.form)
    except AnswerError as error:
        context["shown"].errors = error.errors
        context["errors"] = _errors(error.errors)
        return context
    context["preview"] = letter_preview(console, case, values["letter"])
    return context


# ---- 6. export the case file --------------------------------------------------------------


def export(console: Console, request: Request, signed: Signed, case: Case) -> Response:
    """The export form's POST: the file to save (HTML, or JSON with ``format=json``)."""
    import json

    from complaints.service.casefile import export_case
    from complaints.service.lifecycle import Action
    from complaints.service.staff.permissions import require_action, role_for
    from complaints.text import plain_text

    require_action(signed.staff, case, Action.EXPORT)
    kind = "json" if request.value("format") == "json" else "html"
    purpose = plain_text(request.value("purpose")).strip() or None
    exported = export_case(
        console.store,
        case.reference,
        actor=signed.staff.name,
        role=role_for(signed.staff, Action.EXPORT),
        purpose=purpose,
        now=console.business_now(),
    )
    _log(console, signed, case.reference, "acted", f"export (case file, {kind})")
    if kind == "json":
        body = json.dumps(exported.data, indent=2, ensure_ascii=False)
        return download(body, f"case-{case.reference}.json", "application/json; charset=utf-8")
    return download(exported.html, f"case-{case.reference}.html", "text/html; charset=utf-8")


# ---- 5. reports ---------------------------------------------------------------------------


def _bars(rows: list[Any]) -> list[dict[str, Any]]:
    """A breakdown's rows with a bar each (a whole percentage of the largest, for a CSS
    class: the page's CSP allows no inline style)."""
    largest = max((row.count for row in rows), default=0)
    return [
        {
            "label": row.label,
            "count": row.count,
            "percent": row.percent,
            "bar": round(100 * row.count / largest) if largest else 0,
        }
        for row in rows
    ]


def backlog_report(console: Console, request: Request, signed: Signed) -> Response:
    from complaints.adapters.report_reads import cases_not_closed
    from complaints.clock import received_on
    from complaints.service.lifecycle.table import StaffAction
    from complaints.service.reports import backlog
    from complaints.service.reports.csv import report_csv
    from complaints.service.staff.permissions import role_for

    role_for(signed.staff, StaffAction.REPORTS)
    today = received_on(console.business_now())
    report = backlog(cases_not_closed(console.store), today)
    if request.query.get("format") == "csv":
        return download(report_csv(report), f"backlog-{today}.csv", "text/csv; charset=utf-8")
    return _page(
        200,
        "report_backlog.html",
        signed,
        nav="reports",
        report=report,
        ageing=_bars(report.ageing),
        by_channel=_bars(report.by_channel),
        csv_href="/staff/reports/backlog?format=csv",
    )


def annual(console: Console, request: Request, signed: Signed) -> Response:
    from complaints.clock import financial_year, received_on
    from complaints.service.lifecycle.table import StaffAction
    from complaints.service.reports import annual_report
    from complaints.service.reports.csv import report_csv
    from complaints.service.staff.permissions import role_for

    role_for(signed.staff, StaffAction.REPORTS)
    today = received_on(console.business_now())
    this_year = financial_year(today)
    years = list(range(this_year, this_year - 8, -1))
    try:
        year = int(request.query.get("year") or this_year)
    except ValueError:
        year = this_year
    if year not in years:
        year = this_year
    report = annual_report(console.store.cases_received_in(year), year, as_of=today)
    if request.query.get("format") == "csv":
        return download(
            report_csv(report), f"annual-report-{report.label}.csv", "text/csv; charset=utf-8"
        )
    return _page(
        200,
        "report_annual.html",
        signed,
        nav="annual",
        report=report,
        year_items=[
            {"value": str(y), "text": f"{y}-{str(y + 1)[2:]}", "selected": y == year} for y in years
        ],
        by_month=_bars(report.by_month),
        by_channel=_bars(report.by_channel),
        complainants=_bars(report.complainants),
        themes=_bars(report.themes),
        outcomes=[(s.number, _bars(s.outcomes)) for s in report.stages if s.responded],
        csv_href=f"/staff/reports/annual?year={year}&format=csv",
        today=date.isoformat(today),
    )
