"""Checks of our own, added to schemathesis' response checks for every generated request."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from complaints_tools.openapi import bodies
from complaints_tools.openapi.__main__ import DOCUMENT

FORM = "application/x-www-form-urlencoded"
SHORTEST_ECHO = 8  # shorter sent values can appear in a message by chance


def _sent_values(case: Any) -> list[str]:
    """Every text value the request carried: path, query and body."""
    values: list[Any] = [*(case.path_parameters or {}).values(), *(case.query or {}).values()]
    if isinstance(case.body, dict):
        values.extend(case.body.values())
    elif isinstance(case.body, str):
        values.append(case.body)
    return [v.strip() for v in values if isinstance(v, str) and len(v.strip()) >= SHORTEST_ECHO]


@cache
def _document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return document


def _documented_model(case: Any, status: int) -> type[BaseModel]:
    """The error model the document names for this operation and status. A method the path
    does not have gets the API's "nothing at this address" 404 (API Gateway's answer too)."""
    if case.method.upper() != case.operation.method.upper():
        if status != 404:
            raise AssertionError(f"{case.method} {case.operation.path} answered {status}")
        return bodies.Problem
    responses = _document()["paths"][case.operation.path][case.operation.method.lower()]
    responses = responses["responses"]
    if str(status) not in responses:
        raise AssertionError(f"{case.operation.label} answered {status}, which is not documented")
    ref = responses[str(status)]["content"]["application/json"]["schema"]["$ref"]
    model: type[BaseModel] = getattr(bodies, ref.rsplit("/", 1)[-1])
    return model


def _is_page(case: Any) -> bool:
    """The complaint form's pages (tag ``pages``) answer with pages, whatever was asked."""
    operation = _document()["paths"].get(case.operation.path, {})
    return "pages" in operation.get(case.operation.method.lower(), {}).get("tags", [])


def refusals_in_documented_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx is the documented error for its status: JSON ``Problem`` or ``ValidationErrors``
    (a page only for a form post or a client that asks for HTML), and never repeats what was
    sent (it may be personal data)."""
    if not 400 <= response.status_code < 500:
        return None
    headers = {name.lower(): values for name, values in response.headers.items()}
    content_type = (headers.get("content-type") or [""])[0].split(";")[0].strip()
    text = response.content.decode("utf-8", "replace")
    for value in _sent_values(case):
        if value in text:
            raise AssertionError(f"the {response.status_code} answer repeats a value it was sent")
    if content_type == "text/html" and (case.media_type == FORM or _is_page(case)):
        return True
    if content_type != "application/json":
        raise AssertionError(f"a {response.status_code} answer to JSON came as {content_type!r}")
    model = _documented_model(case, response.status_code)
    try:
        model.model_validate(json.loads(text))
    except (ValueError, ValidationError) as error:
        raise AssertionError(
            f"the {response.status_code} answer is not a {model.__name__}: {error}"
        ) from None
    return True
