"""HTTP API Lambda (API Gateway HTTP API, payload v2): ``/api/*``.

``POST /api/complaints`` takes JSON or a plain HTML form post:

- JSON: ``201`` with the receipt; ``422 {"errors": [{"field", "message"}]}`` when answers
  need changing.
- Form: ``303`` to ``/complaint/received?reference=...&respond_by=...`` (``&urgent=yes`` when a
  child may be in danger now); when answers need changing, ``200`` with the form again, filled
  in with the answers, an error summary linking to each field and inline errors (never a bare
  422; ``handlers.pages``).
- Bodies over 256 KB get ``413``, other content types ``415``, broken JSON ``400``: each with a
  plain message (JSON, or HTML for a form post).
- When the table is busy or unreachable (after the SDK's retries): ``503`` with ``Retry-After``
  and a plain "not sent, try again" message (JSON; a form post gets the form again with its
  answers kept). Sending the same submission again is safe: it is stored once.
- The same ``submission_id`` with other answers: ``409`` with a plain message giving the first
  complaint's reference (a form post gets a page saying the complaint was already sent).

Every ``POST`` a browser sends from another site (``Sec-Fetch-Site: cross-site``) gets a plain
``403`` (a page for a form post, ``{"message"}`` otherwise) before anything is read: another
site cannot make a visitor's browser file a complaint (and set off a safeguarding alert) or
ask for the next stage. Requests without the header (API clients, older browsers) are
answered as before. ``Origin`` is not used: our own no-JS pages are sent with
``Referrer-Policy: no-referrer``, which makes browsers send ``Origin: null`` from them.

Complainant self-service, with the token from the acknowledgement email (``service.selfservice``):

- ``GET /api/complaints/{reference}?token=...``: ``200`` with stage, status, dates, what happens
  next and ``can_escalate``; an unknown reference and a wrong or missing token get the same
  ``404``; after repeated wrong tries, ``429`` with a growing ``Retry-After``. The right token
  always works, however many wrong ones came before (``service.selfservice``).
- ``POST /api/complaints/{reference}/escalation`` (JSON or form: ``token``, optional
  ``reason``): asks for the next stage. JSON ``200`` with the new status; form ``303`` back to
  ``/complaint/progress?reference=...&token=...&asked=1`` (``handlers.selfservice_pages``);
  ``409`` with a plain reason when it cannot be asked for now.

The handler only parses and shapes; ``service.intake`` and ``service.lifecycle`` decide. Heavy
modules (pydantic models, boto3) load on the first request, not at import. Nothing a person
sends is logged.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from complaints.handlers import journey, routes

logger = Logger(service="complaints-api")
app = APIGatewayHttpResolver()
app.include_router(journey.router)  # the question pages and the complainant's pages

MAX_BODY_BYTES = 256 * 1024
MAX_FORM_FIELDS = 50
JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
HTML_TYPE = "text/html; charset=utf-8"
YES_NO_FIELDS = ("wants_advocate", "child_in_danger")
RETRY_AFTER_UNAVAILABLE = 120  # seconds: "try again in a few minutes"
NOT_SENT = "Your complaint has not been sent. Try again in a few minutes."


def _case_store() -> Any:
    """The repository, made on the first request that needs it (``complaints.wiring``), so
    boto3 stays out of the cold import."""
    from complaints import wiring

    return wiring.store()


class RequestError(Exception):
    def __init__(self, status: int, heading: str, message: str) -> None:
        super().__init__(heading)
        self.status, self.heading, self.message = status, heading, message


def _json(
    status: int, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
) -> Response[str]:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(body),
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def _html(status: int, page: str) -> Response[str]:
    from complaints.handlers.pages import html_headers

    return Response(status_code=status, content_type=HTML_TYPE, body=page, headers=html_headers())


def _problem(error: RequestError, as_html: bool) -> Response[str]:
    if as_html:
        from complaints.handlers.pages import problem_page

        return _html(error.status, problem_page(error.heading, error.message))
    return _json(error.status, {"message": error.message})


def _raw_body(event: Mapping[str, Any]) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise RequestError(
                400, "Something went wrong", "The request could not be read."
            ) from None
    return body.encode("utf-8")


TOO_LONG = RequestError(
    413,
    "Your complaint is too long to send",
    "Your complaint is too long to send in one go (the limit is 256 KB). Shorten it, "
    "or send the rest to the complaints team by email afterwards.",
)
CUT_SHORT = RequestError(
    400, "Something went wrong", "The request did not arrive in full. Send it again."
)


def refused_unread(error: RequestError, headers: Mapping[str, str]) -> dict[str, Any]:
    """This function's answer to a body a front end refuses without reading it (the local
    server: over ``MAX_BODY_BYTES``, or shorter than its ``Content-Length``), as the Lambda
    result the handler would return: the same plain message, a page for a form post."""
    lower = {name.lower(): value for name, value in headers.items()}
    content_type = lower.get("content-type", "").split(";")[0].strip().lower()
    as_html = content_type == FORM_TYPE or "text/html" in lower.get("accept", "")
    answer = _problem(error, as_html)
    return {
        "statusCode": answer.status_code,
        "headers": {"Content-Type": answer.content_type, **answer.headers},
        "body": answer.body,
    }


def _fields(content_type: str, raw: bytes) -> dict[str, Any]:
    """The submitted fields, from JSON or a urlencoded form."""
    if len(raw) > MAX_BODY_BYTES:
        raise TOO_LONG
    if content_type not in (JSON_TYPE, FORM_TYPE):
        raise RequestError(
            415,
            "Something went wrong",
            "Send the complaint as JSON (application/json) or as a form "
            "(application/x-www-form-urlencoded).",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError(400, "Something went wrong", "The request is not UTF-8 text.") from None
    if content_type == FORM_TYPE:
        try:
            pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
        except ValueError:
            message = "The form has too many fields."
            raise RequestError(400, "Something went wrong", message) from None
        fields: dict[str, Any] = {}
        for name, value in pairs:
            fields.setdefault(name, value)
        return fields
    try:
        data = json.loads(text)
    except ValueError:
        raise RequestError(
            400, "Something went wrong", "The request body is not valid JSON."
        ) from None
    except RecursionError:  # e.g. [[[[...]]]] thousands deep: the parser gives up
        raise RequestError(
            400, "Something went wrong", "The request body is nested too deeply to read."
        ) from None
    if not isinstance(data, dict):
        raise RequestError(
            400, "Something went wrong", "Send the complaint as a JSON object of named fields."
        )
    for name in YES_NO_FIELDS:  # be generous: true/false mean yes/no
        if isinstance(data.get(name), bool):
            data[name] = "yes" if data[name] else "no"
    return data


CROSS_SITE = (
    "This form can only be sent from the council's own website. Nothing was sent: open the "
    "form on our website and send it from there."
)


def _refused_cross_site(as_html: bool, heading: str) -> Response[str] | None:
    """``403`` when a browser says the request came from another site (``Sec-Fetch-Site``:
    the fetch metadata browsers add and pages cannot forge); ``None`` otherwise. A page for a
    form post or any other navigation (``Sec-Fetch-Mode: navigate``), JSON otherwise."""
    headers = app.current_event.headers
    site = (headers.get("sec-fetch-site") or "").strip().lower()
    if site != "cross-site":
        return None
    logger.info("cross-site post refused")
    navigation = (headers.get("sec-fetch-mode") or "").strip().lower() == "navigate"
    return _problem(RequestError(403, heading, CROSS_SITE), as_html or navigation)


def _already_sent(reference: str, as_html: bool) -> Response[str]:
    """``409``: the submission id already sent a complaint, with other answers."""
    if as_html:
        from complaints.handlers.pages import already_sent_page

        return _html(409, already_sent_page(reference))
    from complaints.settings import load_settings

    team = load_settings().complaints_team
    return _json(
        409,
        {
            "message": (
                f"This form already sent a complaint, with reference {reference}, and these "
                f"answers are different: we have not saved them, so to add to your complaint "
                f"or change it, call the {team.name} on {team.phone} and give the reference."
            )
        },
    )


def _safety_advice_if_danger(fields: Mapping[str, Any]) -> str | None:
    if str(fields.get("child_in_danger", "")).strip().lower() != "yes":
        return None
    from complaints.service.triage import safety_advice
    from complaints.settings import load_settings

    return safety_advice(load_settings())


@app.post("/api/complaints", **routes.SUBMIT)
def post_complaint() -> Response[str]:
    event = app.current_event
    content_type = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    as_html = content_type == FORM_TYPE or "text/html" in (event.headers.get("accept") or "")
    refused = _refused_cross_site(as_html, "Your complaint has not been sent")
    if refused is not None:
        return refused
    try:
        fields = _fields(content_type, _raw_body(event.raw_event))
    except RequestError as error:
        logger.info("complaint refused", extra={"status": error.status})
        return _problem(error, as_html)

    from complaints.submission import parse_submission

    parsed = parse_submission(fields)
    if isinstance(parsed, list):
        advice = _safety_advice_if_danger(fields)
        logger.info("complaint needs changes", extra={"fields": [e.field for e in parsed]})
        if content_type == FORM_TYPE:
            from complaints.handlers.pages import form_errors_page

            return _html(200, form_errors_page(fields, parsed, advice))
        body: dict[str, Any] = {"errors": [error.as_dict() for error in parsed]}
        if advice:
            body["advice"] = advice
        return _json(422, body)

    from complaints.service.intake import (
        Channel,
        IntakeUnavailableError,
        SubmissionReusedError,
        receive,
    )

    channel: Channel = "form" if content_type == FORM_TYPE else "json"
    try:
        result = receive(parsed, _case_store(), channel=channel)
    except SubmissionReusedError as reused:
        logger.info(
            "submission id reused with other answers", extra={"reference": reused.first.reference}
        )
        return _already_sent(reused.first.reference, content_type == FORM_TYPE)
    except IntakeUnavailableError:
        logger.warning("complaint not stored")
        unavailable = RequestError(503, "Sorry, there is a problem with the service", NOT_SENT)
        if content_type == FORM_TYPE:  # the form again, answers kept: nothing typed is lost
            from complaints.handlers.pages import form_errors_page

            busy = _html(503, form_errors_page(fields, [], not_sent=NOT_SENT))
        else:
            busy = _problem(unavailable, as_html)
        busy.headers["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
        return busy
    receipt = result.receipt
    if result.stored:
        logger.info(
            "complaint received",
            extra={"reference": receipt.reference, "repeat": result.repeat, "channel": channel},
        )
    else:
        logger.info("honeypot filled: nothing stored")
    if content_type == FORM_TYPE:
        query = {"reference": receipt.reference, "respond_by": receipt.respond_by.isoformat()}
        if receipt.urgent:
            query["urgent"] = "yes"
        from complaints.handlers.pages import CONFIRMATION_PAGE

        return Response(
            status_code=303,
            headers={
                "Location": f"{CONFIRMATION_PAGE}?{urlencode(query)}",
                "Cache-Control": "no-store",
            },
        )
    answer: dict[str, Any] = receipt.model_dump(mode="json")
    advice = _safety_advice_if_danger(fields) if receipt.urgent else None
    if advice:
        answer["advice"] = advice
    return _json(201, answer, {"Idempotent-Replayed": "true"} if result.repeat else None)


# --- complainant self-service (the link in the acknowledgement email) ----------------------

NOT_FOUND = (
    "We could not find a complaint with that reference and link. Use the whole link from the "
    "email we sent you, or contact the complaints team."
)
TOO_MANY = (
    "Too many tries with a wrong link. Wait a few minutes, then open the whole link from the "
    "email we sent you."
)
MAX_REASON = 5000


def _text(value: Any) -> str:
    """A free-text answer, cleaned like the complaint's own text (``submission.clean_text``:
    no control or format characters, no lone surrogates); anything not text counts as empty."""
    from complaints.submission import clean_text

    return str(clean_text(value)) if isinstance(value, str) else ""


def _not_found(as_html: bool) -> Response[str]:
    return _problem(RequestError(404, "We could not find your complaint", NOT_FOUND), as_html)


def _throttled(as_html: bool, retry_after: int) -> Response[str]:
    response = _problem(RequestError(429, "Please wait and try again", TOO_MANY), as_html)
    response.headers["Retry-After"] = str(retry_after)
    return response


@app.get("/api/complaints/<reference>", **routes.STATUS)
def complaint_status(reference: str) -> Response[str]:
    """Where the complaint is: stage, status, dates, what happens next, can_escalate."""
    from complaints.clock import london_today
    from complaints.clock import now as clock_now
    from complaints.service.selfservice import complainant_view, open_case

    now = clock_now()
    token = app.current_event.get_query_string_value("token")
    access = open_case(_case_store(), reference, token)
    if access.throttled:
        logger.info("self-service throttled")
        return _throttled(False, access.retry_after)
    if access.case is None:
        logger.info("self-service: no match")
        return _not_found(False)
    logger.info("self-service status", extra={"reference": access.case.reference})
    return _json(200, complainant_view(access.case, london_today(now)))


@app.post("/api/complaints/<reference>/escalation", **routes.ESCALATE)
def ask_for_next_stage(reference: str) -> Response[str]:
    """The complainant asks for the next stage (JSON or a form post; optional reason). A late
    request is recorded and waits for a staff decision: it is never refused here."""
    from complaints.clock import london_today
    from complaints.clock import now as clock_now
    from complaints.service.casework import change_case
    from complaints.service.lifecycle import (
        COMPLAINANT,
        Act,
        TransitionError,
        request_next_stage,
    )
    from complaints.service.selfservice import complainant_view, open_case

    event = app.current_event
    content_type = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    as_html = content_type == FORM_TYPE
    refused = _refused_cross_site(as_html, "Your request has not been sent")
    if refused is not None:
        return refused
    try:
        fields = _fields(content_type, _raw_body(event.raw_event))
    except RequestError as error:
        return _problem(error, as_html)
    token = _text(fields.get("token")) or event.get_query_string_value("token") or ""
    reason = _text(fields.get("reason"))[:MAX_REASON] or None
    now = clock_now()
    store = _case_store()
    access = open_case(store, reference, token)
    if access.throttled:
        return _throttled(as_html, access.retry_after)
    if access.case is None:
        logger.info("self-service escalation: no match")
        return _not_found(as_html)
    ref = access.case.reference
    try:
        applied = change_case(
            store,
            ref,
            lambda case: request_next_stage(case, Act.now(COMPLAINANT, now), reason=reason),
            now,
        )
    except TransitionError as error:  # plain words, no personal data
        logger.info("self-service escalation refused", extra={"reference": ref})
        return _problem(
            RequestError(409, "You cannot ask for the next stage now", str(error)), as_html
        )
    case = applied.transition.case
    logger.info(
        "self-service escalation",
        extra={"reference": ref, "stage": case.stage_number(), "status": case.status.value},
    )
    if as_html:
        from complaints.service.messages.render import SELF_SERVICE_PATH

        query = urlencode({"reference": ref, "token": token, "asked": "1"})
        return Response(
            status_code=303,
            headers={"Location": f"{SELF_SERVICE_PATH}?{query}", "Cache-Control": "no-store"},
        )
    return _json(200, {**complainant_view(case, london_today(now)), "asked": True})


@app.get("/api/health", **routes.HEALTH)
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.not_found
def _no_such_route(error: Exception) -> Response[str]:
    return _json(404, {"message": "There is nothing at this address."})


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]
def _unexpected(error: Exception) -> Response[str]:
    # The type only: messages can quote what was sent (personal data).
    logger.error("unexpected error", extra={"error": type(error).__name__})
    return _json(500, {"message": "Sorry, something went wrong. Try again later."})


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
