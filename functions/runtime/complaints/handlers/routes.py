"""The API's routes and what each answers: passed to the route decorators in
``complaints.handlers.api`` (``@app.post(..., **routes.SUBMIT)``), and read by the OpenAPI
builder (``complaints_tools.openapi``) from ``ROUTES`` without importing the handler.

Plain dicts and no imports at run time, so the handler's cold import stays small. The schemas
named here (``#/components/schemas/...``) are added by the builder; the request bodies and the
``token`` query parameter too (the resolver runs without request validation, so it cannot see
them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.openapi.types import (
        OpenAPIResponse,
        OpenAPIResponseContentSchema,
        OpenAPIResponseHeader,
    )

JSON = "application/json"
HTML = "text/html"


class RouteDoc(TypedDict):
    """The route decorator's OpenAPI keyword arguments."""

    summary: str
    description: str
    operation_id: str
    tags: list[str]
    responses: dict[int, OpenAPIResponse]


def _schema(name: str) -> OpenAPIResponseContentSchema:
    return {"schema": {"$ref": f"#/components/schemas/{name}"}}


def _html_page() -> OpenAPIResponseContentSchema:
    return {"schema": {"type": "string", "description": "A page of the guide (HTML)."}}


def _json(
    description: str, schema: str, headers: dict[str, OpenAPIResponseHeader] | None = None
) -> OpenAPIResponse:
    response: OpenAPIResponse = {"description": description, "content": {JSON: _schema(schema)}}
    if headers:
        response["headers"] = headers
    return response


def _problem(description: str, *, html: bool) -> OpenAPIResponse:
    """A refusal: ``Problem`` JSON; for a form post (or ``Accept: text/html``), a page."""
    response: OpenAPIResponse = {"description": description, "content": {JSON: _schema("Problem")}}
    if html:
        response["content"][HTML] = _html_page()
    return response


def _redirect(description: str) -> OpenAPIResponse:
    location: OpenAPIResponseHeader = {
        "description": "The page to show next (same origin).",
        "schema": {"type": "string"},
    }
    # No body. An empty ``content`` stops powertools describing one from the return type;
    # ``complaints_tools.openapi.document`` drops it.
    return {"description": description, "headers": {"Location": location}, "content": {}}


def _cross_site(what: str) -> OpenAPIResponse:
    return _problem(
        f"A browser sent this from another site (`Sec-Fetch-Site: cross-site`): {what} "
        "Requests without the header are answered as usual.",
        html=True,
    )


def _throttled(*, html: bool) -> OpenAPIResponse:
    response = _problem(
        "Too many wrong tries for this reference: wait, then try again (the right link "
        "always works).",
        html=html,
    )
    response["headers"] = {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer"},
        }
    }
    return response


SUBMIT: RouteDoc = {
    "summary": "Make a complaint",
    "description": (
        "JSON (`application/json`) or a plain HTML form post "
        "(`application/x-www-form-urlencoded`), with the same flat fields. JSON gets `201` and "
        "the receipt, or `422` and one plain-English message per field to change. A form post "
        "gets `303` to the confirmation page, or `200` and the form again with an error "
        "summary (never a bare `422`). A repeat of the same submission (same `submission_id` "
        "and answers, or the same answers within minutes) gets the first receipt again; the "
        "same `submission_id` with other answers gets `409` and the first reference. A "
        "browser post from another site (`Sec-Fetch-Site: cross-site`) gets `403`."
    ),
    "operation_id": "submitComplaint",
    "tags": ["complaints"],
    "responses": {
        201: _json(
            "Complaint received (JSON): the reference and the dates that apply.",
            "SubmissionReceipt",
            headers={
                "Idempotent-Replayed": {
                    "description": "`true` when this is the receipt of an earlier submission.",
                    "schema": {"type": "string", "enum": ["true"]},
                }
            },
        ),
        200: {
            "description": (
                "Form post with answers to change: the form again, filled in, with an error "
                "summary and inline errors."
            ),
            "content": {HTML: _html_page()},
        },
        303: _redirect(
            "Form post received: go to the confirmation page "
            "(`/complaint/received?reference=...&respond_by=...`)."
        ),
        400: _problem(
            "The body could not be read (not UTF-8, not JSON, not an object, too many form "
            "fields).",
            html=True,
        ),
        403: _cross_site("nothing is stored."),
        409: _problem(
            "This `submission_id` already sent a complaint with other answers: nothing new is "
            "stored, and the message (or, for a form post, the page) gives that complaint's "
            "reference.",
            html=True,
        ),
        413: _problem("The body is over 256 KB.", html=True),
        415: _problem(
            "Not JSON (`application/json`) nor a form (`application/x-www-form-urlencoded`).",
            html=True,
        ),
        422: _json("JSON answers to change: one message per field.", "ValidationErrors"),
        503: _problem("The complaint could not be stored: try again in a few minutes.", html=True),
    },
}

STATUS: RouteDoc = {
    "summary": "Where a complaint is (complainant self-service)",
    "description": (
        "With the reference and the token from the acknowledgement email: stage, status, "
        "dates, what happens next and whether the next stage can be asked for. An unknown "
        "reference and a wrong or missing token get the same `404`; after repeated wrong "
        "tries, `429` with a `Retry-After` that grows with each wrong try. The right token "
        "always works."
    ),
    "operation_id": "getComplaintStatus",
    "tags": ["self-service"],
    "responses": {
        200: _json("Where the complaint is.", "ComplaintStatus"),
        404: _problem("No complaint with that reference and token.", html=False),
        429: _throttled(html=False),
    },
}

ESCALATE: RouteDoc = {
    "summary": "Ask for the next stage (complainant self-service)",
    "description": (
        "JSON or a form post with the `token` from the acknowledgement email and an optional "
        "`reason`. JSON gets `200` and the new status; a form post gets `303` back to the "
        "self-service page. A late request is recorded and waits for a staff decision; `409` "
        "says plainly why the next stage cannot be asked for now. A browser post from another "
        "site (`Sec-Fetch-Site: cross-site`) gets `403`."
    ),
    "operation_id": "askForNextStage",
    "tags": ["self-service"],
    "responses": {
        200: _json("Asked (JSON): where the complaint is now.", "EscalationAnswer"),
        303: _redirect("Asked (form post): back to `/complaint/progress`."),
        400: _problem("The body could not be read.", html=True),
        403: _cross_site("nothing is asked for."),
        404: _problem("No complaint with that reference and token.", html=True),
        409: _problem("The next stage cannot be asked for now (the reason, plainly).", html=True),
        413: _problem("The body is over 256 KB.", html=True),
        415: _problem("Not JSON nor a form.", html=True),
        429: _throttled(html=True),
    },
}

PAGE: RouteDoc = {
    "summary": "A page of the complaint form, or the complainant's own page",
    "description": (
        "HTML drawn in the guide's own frame, the same with or without JavaScript. `page` is "
        "a question page (`child-in-danger`, `who-you-are`, `connection`, `about-the-child`, "
        "`what-happened`, `when-it-happened`, `which-service`, `what-you-want`, `advocate`, "
        "`contact-details`), `urgent`, `check-your-answers`, `confirmation`, `received`, "
        '`save-for-later`, `saved`, `resume` (with the `token` of a "come back later" '
        "link), or `progress` and `next-stage` (with `reference` and `token` from an email). "
        "The answers so far are found through the form's cookie, never the address. A page "
        "that needs answers not given yet sends the browser to the first one (`303`)."
    ),
    "operation_id": "showPage",
    "tags": ["pages"],
    "responses": {
        200: {"description": "The page.", "content": {HTML: _html_page()}},
        303: _redirect("Go to another page of the form first (or, from a link, to yours)."),
        404: {
            "description": (
                'No such page; a "come back later" link that has run out; or no complaint '
                "with that reference and token."
            ),
            "content": {HTML: _html_page()},
        },
        429: _throttled(html=True),
    },
}

ANSWER: RouteDoc = {
    "summary": "Answer a page of the complaint form",
    "description": (
        "A plain HTML form post (`application/x-www-form-urlencoded`) of one page's fields. "
        "Answers that need changing get `200` and the same page with the GOV.UK error "
        "summary; good ones are saved (a random id in a `HttpOnly`, `SameSite=Lax` cookie; "
        "the answers in the table) and get `303` to the next page. `save=1` saves the page "
        'as typed and goes to "save and come back later". `check-your-answers` sends the '
        "complaint (`303` to `confirmation`; stored once, however often it is sent); "
        "`save-for-later` emails a link that opens the answers for a council-set number of "
        "days. A browser post from another site (`Sec-Fetch-Site: cross-site`) gets `403`."
    ),
    "operation_id": "answerPage",
    "tags": ["pages"],
    "responses": {
        200: {
            "description": "Answers to change: the page again, with its error summary.",
            "content": {HTML: _html_page()},
        },
        303: _redirect("Saved: go to the next page."),
        400: _problem("The body could not be read.", html=True),
        403: _cross_site("nothing is saved."),
        404: {"description": "No such page.", "content": {HTML: _html_page()}},
        409: _problem(
            "This form already sent a complaint with other answers: the page gives its reference.",
            html=True,
        ),
        413: _problem("The body is over 256 KB.", html=True),
        415: _problem("Not a form post.", html=True),
        503: _problem("The complaint could not be stored: try again in a few minutes.", html=True),
    },
}

HEALTH: RouteDoc = {
    "summary": "Is the API up",
    "description": "Answers without touching the table.",
    "operation_id": "health",
    "tags": ["health"],
    "responses": {200: _json("Up.", "Health")},
}


# Every route: method, path (powertools' ``<name>`` parameters) and what it answers. The
# handler registers exactly these (``tests/unit/test_openapi.py`` checks they agree).
ROUTES: tuple[tuple[str, str, RouteDoc], ...] = (
    ("POST", "/api/complaints", SUBMIT),
    ("GET", "/api/complaints/<reference>", STATUS),
    ("POST", "/api/complaints/<reference>/escalation", ESCALATE),
    ("GET", "/api/health", HEALTH),
    ("GET", "/complaint/<page>", PAGE),
    ("POST", "/complaint/<page>", ANSWER),
)
