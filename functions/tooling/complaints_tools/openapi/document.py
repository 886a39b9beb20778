"""Build the OpenAPI document of the HTTP API from its routes.

The routes (``complaints.handlers.routes.ROUTES``, the same ones the handler registers) are put
on a resolver of their own, never the handler's, and its ``get_openapi_json_schema()`` gives
the paths, the path parameters, the summaries, operation ids and every response.
The resolver runs without request validation (it would answer in its own error shape and load
pydantic models at cold start), so it cannot see what the handler parses by hand. This module
adds it, in one documented post-processing step:

1. the schemas the responses name, from the pydantic models (``model_json_schema``):
   ``Submission`` and ``Receipt`` from the package, the hand-written bodies from ``bodies``;
2. the request bodies: ``POST /api/complaints`` (JSON and form) and the escalation, with an
   example each; a form sends text only, so its schema (``SubmissionForm``) is the JSON one
   with every field a string (an empty one counts as not given);
3. the ``token`` query parameter of the status page, and what ``reference`` looks like; the
   pages' query parameters and form (``/complaint/{page}``: any page's fields, as text);
   redirects lose the empty ``content`` that keeps powertools from giving them a JSON body;
4. less: powertools' ``HTTPValidationError`` schemas, which this API never sends.
"""

from __future__ import annotations

import copy
import inspect
import json
import re
from importlib.metadata import version
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
REF = "#/components/schemas/{model}"

TITLE = "Children's social care complaints API"
DESCRIPTION = (
    "The API behind the complaint form and the complainant's self-service link. Same paths "
    "locally (`make run`) and behind CloudFront (`/api/*`). Refusals are plain English and "
    "never repeat what was sent: `ValidationErrors` (`422`, one message per field) or "
    '`Problem` (`{"message"}`); form posts get pages instead.'
)

# What the Submission model cannot say about the fields (interfaces.md).
FIELD_NOTES = {
    "child_name": "Required unless `relationship` is `child_or_young_person`.",
    "submission_id": "A UUID the page makes: a repeat with the same one gets the same receipt.",
    "wants_advocate": "`yes` if they would like help from an advocate.",
    "child_in_danger": "`yes` when a child is in danger now.",
    "child_date_of_birth": "YYYY-MM-DD, in the past.",
    "service_area": "One of the council's service areas (`council.yaml`).",
    "website": "Leave empty: a trap for robots (nothing is stored when it is filled in).",
}
YES_NO_FIELDS = ("wants_advocate", "child_in_danger")

TOKEN = {
    "name": "token",
    "in": "query",
    "required": True,
    "description": "The token from the link in the acknowledgement email.",
    "schema": {"type": "string"},
}
REFERENCE_NOTE = "The complaint reference, like `KX7F-3QTM` (any case, with or without the hyphen)."
SUBMISSION_EXAMPLE = {
    "complainant_name": "Sam Parent",
    "email": "sam.parent@example.com",
    "relationship": "parent",
    "child_name": "Alex",
    "details": "My son's care plan review has been cancelled three times.",
    "outcome_sought": "A date for the review.",
    "wants_advocate": "no",
}
PAGE_QUERY = (
    ("change", '`1` when the page was opened from a Change link on "check your answers".'),
    ("token", 'The token of a "come back later" link, or of the link in our emails.'),
    ("reference", "The complaint's reference, for `progress` and `next-stage`."),
    ("asked", "`1` back from asking for the next stage."),
)
PAGE_FORM = {
    "type": "object",
    "description": "One page's fields (`complaints.questions`), each as text; `save=1` saves.",
    "additionalProperties": {"type": "string"},
}
PAGE_EXAMPLE = {"relationship": "parent"}
ESCALATION_EXAMPLE = {"token": "the-token-from-the-email-link", "reason": "I am still unhappy."}
POWERTOOLS_VALIDATION_SCHEMAS = (
    "HTTPValidationError",
    "ResponseValidationError",
    "ValidationError",
)


def _resolver() -> Any:
    """A resolver with the API's routes on it (each answering nothing: only described)."""
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    from complaints.handlers.routes import ROUTES

    app = APIGatewayHttpResolver()
    for method, path, doc in ROUTES:
        app.route(path, method, **doc)(_answering_nothing(re.findall(r"<(\w+)>", path)))
    return app


def _answering_nothing(parameters: list[str]) -> Any:
    """A route function taking the path's parameters (text), as the handler's do."""

    def route(**_: str) -> None:
        return None

    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    route.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, kind, annotation=str) for name in parameters]
    )
    return route


def build() -> dict[str, Any]:
    """The whole document, as a dict."""
    app = _resolver()
    document: dict[str, Any] = json.loads(
        app.get_openapi_json_schema(
            title=TITLE, version=version("complaints"), description=DESCRIPTION
        )
    )
    _add_schemas(document.setdefault("components", {}).setdefault("schemas", {}))
    _add_requests(document["paths"])
    return document


def render(document: dict[str, Any]) -> str:
    """Pretty-printed, keys sorted, one trailing new line: stable from run to run."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _add_schemas(schemas: dict[str, Any]) -> None:
    for name in POWERTOOLS_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    schemas.update(_model_schemas())
    _note_submission_fields(schemas["Submission"])
    schemas["SubmissionForm"] = _as_form(schemas["Submission"])
    _json_yes_no(schemas["Submission"])


def _add_requests(paths: dict[str, Any]) -> None:
    paths["/api/complaints"]["post"]["requestBody"] = _body(
        "The complaint.", SUBMISSION_EXAMPLE, as_json="Submission", as_form="SubmissionForm"
    )
    paths["/api/complaints/{reference}/escalation"]["post"]["requestBody"] = _body(
        "The token, and a reason if given.",
        ESCALATION_EXAMPLE,
        as_json="EscalationRequest",
        as_form="EscalationRequest",
    )
    paths["/api/complaints/{reference}"]["get"]["parameters"].append(dict(TOKEN))
    pages = paths["/complaint/{page}"]
    pages["post"]["requestBody"] = {
        "required": True,
        "description": "The page's answers.",
        "content": {FORM: {"schema": PAGE_FORM, "example": PAGE_EXAMPLE}},
    }
    pages["get"]["parameters"] += [
        {"name": name, "in": "query", "required": False, "description": note}
        | {"schema": {"type": "string"}}
        for name, note in PAGE_QUERY
    ]
    for methods in paths.values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "reference":
                    parameter["description"] = REFERENCE_NOTE
            for response in operation["responses"].values():
                if response.get("content") == {}:  # a redirect: no body
                    del response["content"]


def _model_schemas() -> dict[str, Any]:
    from complaints.submission import Submission
    from complaints_tools.openapi.bodies import SCHEMAS, EscalationRequest

    requests: set[type[BaseModel]] = {Submission, EscalationRequest}
    every: tuple[type[BaseModel], ...] = (Submission, *SCHEMAS)
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (model, "validation" if model in requests else "serialization") for model in every
    ]
    _, top = models_json_schema(models, ref_template=REF)
    definitions: dict[str, Any] = top["$defs"]
    return definitions


def _note_submission_fields(submission: dict[str, Any]) -> None:
    properties = submission["properties"]
    for name, note in FIELD_NOTES.items():
        properties[name]["description"] = note


def _json_yes_no(submission: dict[str, Any]) -> None:
    """The handler reads JSON ``true``/``false`` as ``yes``/``no``."""
    for name in YES_NO_FIELDS:
        field = submission["properties"][name]
        field["anyOf"].insert(1, {"type": "boolean"})
        field["description"] += " JSON may send `true` or `false` instead."


def _as_form(submission: dict[str, Any]) -> dict[str, Any]:
    """The form's fields: the same names, each one text (the string branch of each field)."""
    form = copy.deepcopy(submission)
    form["title"] = "SubmissionForm"
    form["description"] = "The complaint as a form post: every field is text."
    for field in form["properties"].values():
        branches = field.pop("anyOf", None)
        if branches:
            texts = [b for b in branches if b.get("type") == "string"]
            # a number field (a month, a year) is posted as its digits
            field.update(texts[0] if texts else {"type": "string", "pattern": "^[0-9]{1,4}$"})
        field.pop("default", None)
    return form


def _body(
    description: str, example: dict[str, str], *, as_json: str, as_form: str
) -> dict[str, Any]:
    def media(schema: str) -> dict[str, Any]:
        return {"schema": {"$ref": REF.format(model=schema)}, "example": example}

    content = {JSON: media(as_json), FORM: media(as_form)}
    return {"required": True, "description": description, "content": content}
