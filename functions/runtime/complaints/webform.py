"""The complaint form's HTML, made from the data: one template for the guide and the API.

The guide's build (``complaints_tools.sitegen``) renders the form empty into a snippet that the
"Make a complaint" page includes. The API can render the same form again, with what the person
typed and the plain-English errors, for a form post without JavaScript. The relationship
choices come from ``complaints.submission``, the service areas from ``council.yaml``, and every
error message the browser shows is the server's own message (``parse_submission``), so the page
and the API never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from complaints.submission import (
    MAX_CONNECTION,
    MAX_DETAILS,
    MAX_NAME,
    MAX_OUTCOME,
    MAX_PHONE,
    RELATIONSHIP_LABELS,
    FieldError,
    Relationship,
    Submission,
    parse_submission,
)

TEMPLATES = Path(__file__).parent / "templates"
FORM_TEMPLATE = "complaint_form.html"
FORM_ACTION = "/api/complaints"
# Where a sent complaint lands: the API's 303 (no JavaScript) and the page's script both go
# here with ?reference=...&respond_by=YYYY-MM-DD.
RECEIPT_PATH = "/complaint/received"

# Longest answer the server accepts, per field, so the page can say so before sending.
MAX_LENGTHS: Mapping[str, int] = {
    "complainant_name": MAX_NAME,
    "child_name": MAX_NAME,
    "details": MAX_DETAILS,
    "outcome_sought": MAX_OUTCOME,
    "phone": MAX_PHONE,
    "connection": MAX_CONNECTION,
}

# A complaint the server accepts; each probe below breaks one answer of it.
_VALID: Mapping[str, str] = {
    "complainant_name": "A Person",
    "email": "person@example.com",
    "relationship": Relationship.PARENT.value,
    "child_name": "A Child",
    "details": "What happened.",
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FieldRules:
    """What the browser checks for one field, with the server's words for each problem."""

    required: bool = False
    messages: Mapping[str, str] = field(default_factory=dict)
    max_length: int | None = None


def _message_for(name: str, changes: Mapping[str, Any], drop: Sequence[str] = ()) -> str:
    data = {k: v for k, v in {**_VALID, **changes}.items() if k not in drop}
    result = parse_submission(data)
    if isinstance(result, Submission):
        raise ValueError(f"probe for {name} was accepted: the form rules are out of date")
    for error in result:
        if error.field == name:
            return error.message
    raise ValueError(f"probe for {name} gave no error for that field")


@lru_cache(maxsize=1)
def field_rules() -> Mapping[str, FieldRules]:
    """Per field: required or not, the longest answer, and the server's message for each kind
    of problem (``required``, ``invalid``, ``too_long``, ``future``, ``too_old``)."""
    from complaints.clock import london_today

    required = {name for name, info in Submission.model_fields.items() if info.is_required()}
    rules: dict[str, FieldRules] = {}
    for name in Submission.model_fields:
        messages: dict[str, str] = {}
        if name in required or name == "child_name":
            messages["required"] = _message_for(name, {}, drop=[name])
        invalid = {
            "email": "not an email address",
            "phone": "not a phone number",
            "child_date_of_birth": "not a date",
            "relationship": "not a relationship",
            "service_area": "not a service area",
            "wants_advocate": "maybe",
            "child_in_danger": "maybe",
            "happened_month": "13",
            "happened_year": "1800",
        }.get(name)
        if invalid is not None:
            messages["invalid"] = _message_for(name, {name: invalid})
        if name in MAX_LENGTHS:
            filler = "1" if name == "phone" else "a"
            too_long = filler * (MAX_LENGTHS[name] + 1)
            messages["too_long"] = _message_for(name, {name: too_long})
        if name == "child_date_of_birth":
            tomorrow = london_today() + timedelta(days=1)
            messages["future"] = _message_for(name, {name: tomorrow.isoformat()})
            messages["too_old"] = _message_for(name, {name: "1899-12-31"})
        if messages:
            rules[name] = FieldRules(
                required=name in required,
                messages=messages,
                max_length=MAX_LENGTHS.get(name),
            )
    return rules


def relationship_choices() -> list[Choice]:
    return [Choice(r.value, label) for r, label in RELATIONSHIP_LABELS.items()]


def service_area_choices() -> list[Choice]:
    from complaints.settings import load_settings

    return [Choice(a.id, a.label) for a in load_settings().service_areas]


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _answer(value: Any) -> Markup:
    """An answer, HTML-escaped, its new lines as character references (``&#10;``): the same
    text in the browser, but the blank-line removal below can no longer change it (the
    paragraphs of a complaint came back run together)."""
    text = "" if value is None else str(value)
    escaped = str(escape(text)).replace("\r", "&#13;").replace("\n", "&#10;")
    return Markup(escaped)  # noqa: S704  (escaped above)


def render_form(
    values: Mapping[str, Any] | None = None,
    errors: Sequence[FieldError] = (),
    *,
    action: str = FORM_ACTION,
) -> str:
    """The form as HTML: empty for the guide, or filled in again with errors (no JavaScript).

    The error summary comes first, as the GOV.UK Design System asks; each message links to
    its field. The honeypot is never filled in again.
    """
    shown = {k: _answer(v) for k, v in (values or {}).items()}
    shown.pop("website", None)
    html = (
        _environment()
        .get_template(FORM_TEMPLATE)
        .render(
            action=action,
            receipt_path=RECEIPT_PATH,
            values=shown,
            errors={e.field: e.message for e in errors},
            error_list=list(errors),
            rules=field_rules(),
            relationships=relationship_choices(),
            service_areas=service_area_choices(),
            child_relationship=Relationship.CHILD_OR_YOUNG_PERSON.value,
        )
    )
    # No blank lines, so Markdown (MkDocs and Zensical) keeps the snippet as one HTML block.
    # Split at "\n" only: str.splitlines would also split at characters an answer may hold
    # (U+2028, NEL, ...), and change it.
    return "\n".join(line for line in html.split("\n") if line.strip()) + "\n"


__all__ = ["FORM_ACTION", "RECEIPT_PATH", "Choice", "FieldRules", "field_rules", "render_form"]
