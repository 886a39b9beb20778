"""The complaint form's question pages, and the complainant's own pages, drawn by the API at
``/complaint/{page}`` (CloudFront sends ``/complaint/*`` here), in the guide's own frame.

Each page is the same with or without JavaScript (it has none): a plain HTML form posted to its
own address, answered with ``303`` to the next page, or ``200`` and the same page with the GOV.UK
error summary at the top. The pages are data (``complaints.questions``); the answers are kept in a
draft (``service.drafts``) found through one strictly necessary cookie (``HttpOnly``,
``SameSite=Lax``; ``Secure`` with the ``__Host-`` prefix over https), never in an address.

- ``GET /complaint/<question>``; ``POST`` saves its answers ("Save and come back later" saves
  them as typed and asks for an email address instead).
- ``/complaint/urgent``: the urgent route, straight after "yes, a child is in danger now".
- ``/complaint/check-your-answers``: every answer with a Change link; ``POST`` sends the
  complaint (``service.intake``: durable once this answers ``303``).
- ``/complaint/confirmation``: the reference and the dates (from the draft, this browser only);
  ``/complaint/received``: where a one-page form post to ``POST /api/complaints`` lands.
- ``/complaint/save-for-later``, ``/complaint/saved``, ``/complaint/resume?token=...``: the
  "come back later" link.
- ``/complaint/progress?reference=...&token=...`` and ``/complaint/next-stage?...``: the
  complainant's status page and the "ask for the next stage" form (it posts to
  ``/api/complaints/{reference}/escalation``).

Nothing a person typed is logged; pages with answers are ``no-store``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from complaints.handlers import routes

if TYPE_CHECKING:
    from complaints.service.drafts import Draft
    from complaints.submission import FieldError

logger = Logger(service="complaints-api")
router = APIGatewayHttpRouter()  # type: ignore[no-untyped-call]

BASE = "/complaint/"
COOKIE = "complaint-form"  # over https: "__Host-complaint-form"
MAX_ANSWER = 60_000  # characters kept of any one answer (the longest allowed is 50,000)
DESCRIPTION = "Make a complaint about children's social care, or another council service."

TITLES: Mapping[str, str] = {
    "child-in-danger": "Is a child in danger right now?",
    "who-you-are": "Who are you?",
    "connection": "How do you know the child?",
    "about-the-child": "About the child",
    "what-happened": "What happened?",
    "when-it-happened": "When did it happen?",
    "which-service": "Which service is your complaint about?",
    "what-you-want": "What would you like to happen?",
    "advocate": "Help from an advocate",
    "contact-details": "Your contact details",
    "check-your-answers": "Check your answers",
    "urgent": "If a child is in danger now, call 999",
    "confirmation": "Complaint sent",
    "save-for-later": "Save your answers and come back later",
    "saved": "We have emailed you a link",
}


def _path(page: str, **query: str) -> str:
    return f"{BASE}{page}" + (f"?{urlencode(query)}" if query else "")


# --- the request --------------------------------------------------------------------------


def _secure() -> bool:
    """Over https (API Gateway says so), the cookie is ``Secure`` and ``__Host-``."""
    headers = router.current_event.headers
    return (headers.get("x-forwarded-proto") or "").lower() == "https"


def _cookie_name() -> str:
    return f"__Host-{COOKIE}" if _secure() else COOKIE


def _cookie_value() -> str | None:
    name = _cookie_name()
    for pair in router.current_event.cookies or []:
        key, _, value = str(pair).partition("=")
        if key.strip() == name:
            return value.strip()
    return None


def _draft_cookie(value: str, days: int) -> Cookie:
    return Cookie(
        name=_cookie_name(),
        value=value,
        path="/",
        secure=_secure(),
        http_only=True,
        max_age=days * 24 * 3600,
        same_site=SameSite.LAX_MODE,
    )


def _now() -> datetime:
    from complaints.clock import wall_now

    return wall_now()


def _store() -> Any:
    from complaints.handlers.api import _case_store

    return _case_store()


def _days() -> int:
    from complaints.settings import load_settings

    return load_settings().saved_answers_days


def _form() -> dict[str, str]:
    """The posted form's fields (a form post only; any other body is refused by the API's own
    rules), each cleaned like the complaint's text and cut to ``MAX_ANSWER``."""
    from complaints.handlers.api import FORM_TYPE, RequestError, _fields, _raw_body
    from complaints.submission import clean_text

    event = router.current_event
    content_type = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != FORM_TYPE:
        raise RequestError(415, "Something went wrong", "Send the page's form as it is.")
    fields = _fields(content_type, _raw_body(event.raw_event))
    return {
        str(k): str(clean_text(v))[:MAX_ANSWER] for k, v in fields.items() if isinstance(v, str)
    }


# --- answers ------------------------------------------------------------------------------


def _page(
    template: str,
    title: str,
    *,
    status: int = 200,
    cookies: list[Cookie] | None = None,
    errors: Sequence[FieldError] = (),
    **context: Any,
) -> Response[str]:
    from complaints.handlers.pages import html_headers, journey_page

    body = journey_page(template, title, DESCRIPTION, errors=errors, **context)
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=body,
        headers=html_headers(),
        cookies=cookies,
    )


def _redirect(location: str, cookies: list[Cookie] | None = None) -> Response[str]:
    return Response(
        status_code=303,
        headers={"Location": location, "Cache-Control": "no-store"},
        cookies=cookies,
    )


def _open() -> Draft | None:
    from complaints.service.drafts import open_draft

    return open_draft(_store(), _cookie_value(), _now())


def _unsent() -> Draft | None:
    """This browser's answers while they are not sent yet (otherwise the person starts again)."""
    draft = _open()
    return None if draft is None or draft.sent else draft


def _next_unanswered(draft: Draft) -> str:
    """The first question still to answer, or check your answers when none is left."""
    from complaints.questions import CHECK, first_incomplete

    return first_incomplete(draft.answers, draft.seen) or CHECK


def _choices(answers: Mapping[str, str]) -> dict[str, Any]:
    from complaints.questions import DATE_PARTS, DOB, NOT_SURE, by_child
    from complaints.settings import load_settings
    from complaints.submission import RELATIONSHIP_LABELS
    from complaints.webform import Choice

    areas = [Choice(a.id, a.label) for a in load_settings().service_areas]
    widths = {"day": "4", "month": "4", "year": "6"}
    return {
        "yes_no": [Choice("yes", "Yes"), Choice("no", "No")],
        "relationships": [Choice(r.value, label) for r, label in RELATIONSHIP_LABELS.items()],
        "service_areas": [*areas, Choice(NOT_SURE, "I am not sure")],
        "not_sure": NOT_SURE,
        "date_parts": [
            {"id": f"{DOB}-{part}", "label": part.capitalize(), "width": widths[part]}
            for part in DATE_PARTS
        ],
        "month_year_parts": [
            {"id": "happened_month", "label": "Month", "width": "4"},
            {"id": "happened_year", "label": "Year", "width": "6"},
        ],
        "by_child": by_child(answers),
    }


def _question(
    slug: str,
    answers: Mapping[str, str],
    *,
    change: bool,
    errors: Sequence[FieldError] = (),
    cookies: list[Cookie] | None = None,
) -> Response[str]:
    from complaints.questions import CHECK, error_anchor, previous_slug

    shown = {e.field: e.message for e in errors}
    for error in errors:  # the month-and-year boxes share one message
        if error.field.startswith("happened_"):
            shown.setdefault("happened", error.message)
    back = previous_slug(slug, answers)
    return _page(
        f"journey/{slug}.html",
        TITLES[slug],
        errors=errors,
        cookies=cookies,
        values=answers,
        anchors={e.field: error_anchor(e.field, answers) for e in errors},
        shown_errors=shown,
        back=_path(CHECK) if change else (_path(back) if back else "/make-a-complaint/"),
        action=_path(slug, change="1") if change else _path(slug),
        **_choices(answers),
    )


def _start_again() -> Response[str]:
    from complaints.questions import FIRST

    return _redirect(_path(FIRST))


def _show_question(slug: str) -> Response[str]:
    from complaints.questions import BY_SLUG, FIRST, next_slug

    draft = _open()
    answers = draft.answers if draft and not draft.sent else {}
    if slug != FIRST and not answers:
        return _start_again()
    if not BY_SLUG[slug].applies(answers):
        return _redirect(_path(next_slug(slug, answers)))
    change = router.current_event.get_query_string_value("change") == "1"
    return _question(slug, answers, change=change)


def _answer_question(slug: str) -> Response[str]:
    from complaints.questions import (
        BY_SLUG,
        FIRST,
        URGENT,
        in_danger,
        next_slug,
        page_errors,
    )
    from complaints.service.drafts import new_draft, save_answers

    page = BY_SLUG[slug]
    fields = _form()
    now, days = _now(), _days()
    draft = _open()
    cookies: list[Cookie] = []
    if draft is None or draft.sent:
        if slug != FIRST:
            return _start_again()
        draft_id, draft = new_draft(now, days)
        cookies.append(_draft_cookie(draft_id, days))
    else:
        cookies.append(_draft_cookie(_cookie_value() or "", days))
    typed = {name: fields.get(name, "").strip() for name in page.fields}
    answers = {**draft.answers, **typed}
    change = router.current_event.get_query_string_value("change") == "1"
    if fields.get("save"):
        save_answers(_store(), draft, typed, now, days)
        return _redirect(_path("save-for-later"), cookies)
    errors = page_errors(page, answers)
    if errors:
        logger.info("question page needs changes", extra={"page": slug})
        return _question(slug, answers, change=change, errors=errors, cookies=cookies)
    draft = save_answers(_store(), draft, typed, now, days, page=slug)
    if slug == FIRST and in_danger(answers):
        target = URGENT
    elif change:
        target = _next_unanswered(draft)
    else:
        target = next_slug(slug, draft.answers)
    return _redirect(_path(target), cookies)


def _urgent() -> Response[str]:
    from complaints.questions import CHECK, FIRST

    draft = _unsent()
    if draft is None:
        return _start_again()
    after = _next_unanswered(draft)
    return _page(
        "journey/urgent.html",
        TITLES["urgent"],
        next=_path(after),
        back=_path(FIRST, change="1") if after == CHECK else _path(FIRST),
    )


def _service_areas() -> dict[str, str]:
    from complaints.settings import load_settings

    return {area.id: area.label for area in load_settings().service_areas}


def _check(errors: Sequence[FieldError] = (), status: int = 200) -> Response[str]:
    from complaints.questions import CHECK, first_incomplete, previous_slug, summary

    draft = _unsent()
    if draft is None:
        return _start_again()
    missing = first_incomplete(draft.answers, draft.seen)
    if missing:
        return _redirect(_path(missing))
    back = previous_slug(CHECK, draft.answers)
    return _page(
        "journey/check-your-answers.html",
        TITLES[CHECK],
        status=status,
        errors=errors,
        rows=summary(draft.answers, _service_areas()),
        back=_path(back) if back else _path(CHECK),
        anchors={},
    )


def _send() -> Response[str]:
    from complaints.questions import first_incomplete, to_submission
    from complaints.service.drafts import send
    from complaints.service.intake import IntakeUnavailableError, SubmissionReusedError

    fields = _form()
    if fields.get("save"):
        return _redirect(_path("save-for-later"))
    draft = _unsent()
    if draft is None:
        return _start_again()
    missing = first_incomplete(draft.answers, draft.seen)
    if missing:
        return _redirect(_path(missing))
    submission = to_submission(draft.answers)
    if isinstance(submission, list):  # cannot happen once every page is right; say so plainly
        return _check(submission, status=200)
    store = _store()
    try:
        result = send(draft, submission, store, store, _now())
    except SubmissionReusedError as reused:
        from complaints.handlers.pages import already_sent_page, html_headers

        return Response(
            status_code=409,
            content_type="text/html; charset=utf-8",
            body=already_sent_page(reused.first.reference),
            headers=html_headers(),
        )
    except IntakeUnavailableError:
        from complaints.handlers.api import NOT_SENT

        logger.warning("complaint not stored")
        busy = _page(
            "journey/problem.html",
            "Sorry, there is a problem with the service",
            status=503,
            heading="Sorry, there is a problem with the service",
            message=f"{NOT_SENT} Your answers are saved.",
            link={"href": _path("check-your-answers"), "text": "Go back to your answers"},
        )
        busy.headers["Retry-After"] = "120"
        return busy
    logger.info(
        "complaint received",
        extra={"reference": result.receipt.reference, "repeat": result.repeat, "channel": "pages"},
    )
    return _redirect(_path("confirmation"))


def _confirmation() -> Response[str]:
    from complaints.dates import day_and_date
    from complaints.settings import load_settings

    draft = _open()
    receipt = draft.receipt if draft is not None else None
    team = load_settings().complaints_team
    context: dict[str, Any] = {"receipt": receipt, "team": team}
    if receipt is not None:
        context.update(
            acknowledge_by=day_and_date(receipt.acknowledge_by),
            respond_by=day_and_date(receipt.respond_by),
        )
    return _page(
        "journey/confirmation.html",
        TITLES["confirmation"] if receipt else "We cannot show your reference here",
        **context,
    )


def _received() -> Response[str]:
    """Where a one-page form post (``POST /api/complaints``) lands: the reference and the
    reply date it was sent with (``?reference=...&respond_by=...[&urgent=yes]``), checked for
    their shape and shown as text; nothing is looked up."""
    from datetime import date

    from complaints.dates import day_and_date
    from complaints.service.references import normalise_reference
    from complaints.settings import load_settings

    event = router.current_event
    reference = normalise_reference(event.get_query_string_value("reference") or "")
    try:
        respond_by = date.fromisoformat(event.get_query_string_value("respond_by") or "")
    except ValueError:
        respond_by = None
    urgent = event.get_query_string_value("urgent") == "yes"
    receipt = {"reference": reference, "urgent": urgent} if reference else None
    return _page(
        "journey/confirmation.html",
        TITLES["confirmation"] if receipt else "We cannot show your reference here",
        receipt=receipt,
        team=load_settings().complaints_team,
        acknowledge_by=None,
        respond_by=day_and_date(respond_by) if respond_by and receipt else None,
    )


def _save_for_later(errors: Sequence[FieldError] = (), email: str | None = None) -> Response[str]:
    from complaints.questions import FIRST, first_incomplete

    draft = _unsent()
    if draft is None:
        return _start_again()
    back = first_incomplete(draft.answers, draft.seen) or "check-your-answers"
    return _page(
        "journey/save-for-later.html",
        TITLES["save-for-later"],
        errors=errors,
        values={"email": draft.answers.get("email", "") if email is None else email},
        anchors={},
        days=_days(),
        back=_path(back if draft.answers else FIRST),
    )


def _send_link() -> Response[str]:
    from complaints.questions import BY_SLUG, page_errors
    from complaints.service.drafts import save_answers, save_for_later

    email = _form().get("email", "").strip()
    draft = _unsent()
    if draft is None:
        return _start_again()
    problems = [
        e
        for e in page_errors(BY_SLUG["contact-details"], {"complainant_name": "-", "email": email})
        if e.field == "email"
    ]
    if problems:
        return _save_for_later(problems, email)
    now, days = _now(), _days()
    if not draft.answers.get("email"):
        draft = save_answers(_store(), draft, {"email": email}, now, days)
    save_for_later(_store(), draft, email, now, days)
    logger.info("saved answers link queued")
    return _redirect(_path("saved"))


def _saved() -> Response[str]:
    from complaints.questions import FIRST

    draft = _unsent()
    if draft is None:
        return _start_again()
    after = _next_unanswered(draft)
    return _page(
        "journey/saved.html",
        TITLES["saved"],
        days=_days(),
        next=_path(after if draft.answers else FIRST),
    )


def _resume() -> Response[str]:
    """The "come back later" link: this browser's cookie becomes the link's token, which opens
    the draft until the link runs out."""
    from complaints.questions import FIRST
    from complaints.service.drafts import open_draft

    token = router.current_event.get_query_string_value("token") or ""
    draft = open_draft(_store(), token, _now())
    if draft is None or draft.sent:
        logger.info("saved answers link: no draft")
        return _page(
            "journey/problem.html",
            "Your answers could not be found",
            status=404,
            heading="Your answers could not be found",
            message=(
                "The link may have run out: we keep answers for "
                f"{_days()} days after they were last saved, and delete them when the "
                "complaint is sent. You can start again."
            ),
            link={"href": _path(FIRST), "text": "Start your complaint again"},
        )
    after = _next_unanswered(draft)
    return _redirect(_path(after), [_draft_cookie(token, _days())])


# --- routes -------------------------------------------------------------------------------

SHOWN = {
    "urgent": _urgent,
    "check-your-answers": _check,
    "confirmation": _confirmation,
    "received": _received,
    "save-for-later": _save_for_later,
    "saved": _saved,
    "resume": _resume,
}
ANSWERED = {"check-your-answers": _send, "save-for-later": _send_link}


def _not_found() -> Response[str]:
    return _page(
        "journey/problem.html",
        "Page not found",
        status=404,
        heading="Page not found",
        message="There is no page at this address.",
        link={"href": "/make-a-complaint/", "text": "Make a complaint"},
    )


@router.get("/complaint/<page>", **routes.PAGE)
def show_page(page: str) -> Response[str]:
    from complaints.questions import BY_SLUG

    if page in BY_SLUG:
        return _show_question(page)
    if page in SHOWN:
        return SHOWN[page]()
    if page in ("progress", "next-stage"):
        from complaints.handlers.selfservice_pages import next_stage_page, progress_page

        return progress_page() if page == "progress" else next_stage_page()
    return _not_found()


@router.post("/complaint/<page>", **routes.ANSWER)
def answer_page(page: str) -> Response[str]:
    from complaints.handlers.api import RequestError, _problem, _refused_cross_site
    from complaints.questions import BY_SLUG

    refused = _refused_cross_site(True, "Your answers have not been saved")
    if refused is not None:
        return refused
    try:
        if page in BY_SLUG:
            return _answer_question(page)
        if page in ANSWERED:
            return ANSWERED[page]()
    except RequestError as error:
        return _problem(error, True)
    return _not_found()
