"""The complainant's own pages, through the private link in our emails, drawn by the API (so they
work without JavaScript): ``/complaint/progress?reference=...&token=...`` (where the complaint
is, the dates, what happens next) and ``/complaint/next-stage?...`` (the "ask for the next
stage" form, posted to ``POST /api/complaints/{reference}/escalation``, which answers ``303``
back to the progress page).

The link is the key, as for the JSON route (``service.selfservice.open_case``): an unknown
reference and a wrong token look the same (``404``), repeated wrong tries are slowed down
(``429``). The pages show no complaint text and no names, and are ``noindex``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response

logger = Logger(service="complaints-api")

PROGRESS = "/complaint/progress"
NEXT_STAGE = "/complaint/next-stage"


def _case() -> tuple[Any, str, str] | Response[str]:
    """The case behind the link in the address, or the answer to give instead."""
    from complaints.handlers.api import _case_store, _not_found, _throttled
    from complaints.handlers.journey import router
    from complaints.service.selfservice import open_case

    event = router.current_event
    reference = event.get_query_string_value("reference") or ""
    token = event.get_query_string_value("token") or ""
    access = open_case(_case_store(), reference, token)
    if access.throttled:
        return _throttled(True, access.retry_after)
    if access.case is None:
        logger.info("self-service page: no match")
        return _not_found(True)
    return access.case, access.case.reference, token


def _respond(template: str, title: str, **context: Any) -> Response[str]:
    from complaints.handlers.pages import html_headers, journey_page

    body = journey_page(template, title, title, noindex=True, **context)
    return Response(
        status_code=200, content_type="text/html; charset=utf-8", body=body, headers=html_headers()
    )


def progress_page() -> Response[str]:
    from datetime import date

    from complaints.clock import london_today
    from complaints.dates import day_and_date
    from complaints.handlers.journey import router
    from complaints.models import CaseStatus
    from complaints.service.selfservice import complainant_view, status_label

    found = _case()
    if isinstance(found, Response):
        return found
    case, reference, token = found
    view = complainant_view(case, london_today())

    def words(iso: str | None) -> str | None:
        return day_and_date(date.fromisoformat(iso)) if iso else None

    replied = bool(view["responded_on"]) or case.status == CaseStatus.CLOSED
    logger.info("self-service page", extra={"reference": reference})
    return _respond(
        "journey/progress.html",
        "Your complaint",
        view=view,
        status_label=status_label(case.status),
        respond_by=None if replied else words(view["respond_by"]),
        received_on=words(view["received_on"]),
        ask_by=words(view["ask_next_stage_by"]),
        asked=router.current_event.get_query_string_value("asked") == "1",
        next_stage_link=f"{NEXT_STAGE}?{urlencode({'reference': reference, 'token': token})}",
    )


def next_stage_page() -> Response[str]:
    from complaints.clock import london_today
    from complaints.procedures import get_procedure
    from complaints.service.lifecycle import can_request_next_stage, next_stage_deadline

    found = _case()
    if isinstance(found, Response):
        return found
    case, reference, token = found
    query = urlencode({"reference": reference, "token": token})
    today = london_today()
    if not can_request_next_stage(case, today):
        return Response(status_code=303, headers={"Location": f"{PROGRESS}?{query}"})
    procedure = get_procedure(case.procedure)
    ask_by = next_stage_deadline(case)
    return _respond(
        "journey/next-stage.html",
        f"Ask for stage {case.stage_number() + 1}",
        stage=procedure.stage(case.stage_number() + 1),
        late=ask_by is not None and today > ask_by,
        token=token,
        action=f"/api/complaints/{reference}/escalation",
        back=f"{PROGRESS}?{query}",
    )
