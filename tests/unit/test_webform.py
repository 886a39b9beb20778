"""The complaint form's HTML: built from the data, the server's own messages, GOV.UK error
patterns, and a honeypot nobody sees."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from complaints.settings import load_settings
from complaints.submission import (
    RELATIONSHIP_LABELS,
    FieldError,
    Submission,
    parse_submission,
)
from complaints.webform import FORM_ACTION, RECEIPT_PATH, field_rules, render_form

API_FIELDS = {
    "complainant_name",
    "email",
    "relationship",
    "child_name",
    "details",
    "submission_id",
    "phone",
    "outcome_sought",
    "wants_advocate",
    "child_date_of_birth",
    "service_area",
    "website",
    "child_in_danger",
    "happened_month",
    "happened_year",
    "connection",
}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def test_the_form_posts_every_api_field_and_no_other() -> None:
    elements = _elements(render_form())
    form = next(attrs for tag, attrs in elements if tag == "form")
    assert (form["method"], form["action"]) == ("post", FORM_ACTION)
    assert form["data-receipt-path"] == RECEIPT_PATH
    names = {a["name"] for t, a in elements if t in {"input", "textarea"} and a.get("name")}
    assert names == API_FIELDS
    assert names - {"child_in_danger"} <= set(Submission.model_fields) | {"child_in_danger"}


def test_every_relationship_and_service_area_is_a_choice() -> None:
    html = render_form()
    for relationship, label in RELATIONSHIP_LABELS.items():
        assert f'value="{relationship.value}"' in html
        assert label.replace("'", "&#39;") in html
    for area in load_settings().service_areas:
        assert f'value="{area.id}"' in html


def test_every_input_has_a_label_and_ids_are_unique() -> None:
    html = render_form()
    elements = _elements(html)
    ids = [a["id"] for _, a in elements if a.get("id")]
    assert len(ids) == len(set(ids))
    labelled = {a["for"] for t, a in elements if t == "label"}
    for tag, attrs in elements:
        if tag in {"input", "textarea"} and attrs.get("type") != "hidden":
            assert attrs["id"] in labelled, f"{attrs['id']} has no label"


def test_the_error_links_of_the_api_land_on_a_field() -> None:
    """The error summary links each error to #<field> on the same page: that id must exist."""
    ids = {a.get("id") for _, a in _elements(render_form())}
    for field in field_rules():
        assert field in ids


def test_browser_messages_are_the_servers_messages() -> None:
    rules = field_rules()
    missing = parse_submission({})
    assert isinstance(missing, list)
    for error in missing:
        assert rules[error.field].messages["required"] == error.message
        assert rules[error.field].required
    bad_email = parse_submission({"email": "no-at-sign"})
    assert isinstance(bad_email, list)
    email = next(e for e in bad_email if e.field == "email")
    assert rules["email"].messages["invalid"] == email.message
    html = render_form()
    for field, rule in rules.items():
        for kind, message in rule.messages.items():
            attribute = f'data-message-{kind.replace("_", "-")}="{message}"'
            assert attribute.replace("'", "&#39;") in html, (field, kind)


def test_the_honeypot_is_hidden_from_everyone_and_never_autofilled() -> None:
    html = render_form({"website": "http://spam.example"})
    trap = re.search(r'<div class="cf-trap" hidden>(.*?)</div>', html, re.DOTALL)
    assert trap, "the honeypot is not inside a hidden block"
    assert 'name="website"' in trap.group(1)
    assert 'autocomplete="off"' in trap.group(1)
    assert 'tabindex="-1"' in trap.group(1)
    assert "spam.example" not in html


def test_errors_render_the_gov_uk_pattern_with_the_answers_kept() -> None:
    errors = [
        FieldError("relationship", "Select how you are connected to the child"),
        FieldError("email", "Enter your email address in the correct format"),
    ]
    html = render_form({"email": "sam@", "details": "<script>alert(1)</script>"}, errors)
    summary = html.split("</ul>")[0]
    assert "There is a problem" in summary
    assert 'href="#relationship"' in summary
    assert 'href="#email"' in summary
    assert '<div class="cf-error-summary" data-error-summary tabindex="-1">' in summary
    assert 'id="email-error"' in html
    email = next(a for t, a in _elements(html) if a.get("id") == "email")
    assert email["aria-invalid"] == "true"
    assert email["aria-describedby"] == "email-hint email-error"
    assert email["value"] == "sam@"
    fieldset = html.split('data-field="relationship"')[1].split("</fieldset>")[0]
    assert 'aria-describedby="relationship-error"' in fieldset
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_empty_form_has_a_hidden_summary_and_no_errors() -> None:
    html = render_form()
    assert 'data-error-summary tabindex="-1" hidden' in html
    assert "aria-invalid" not in html
    assert "cf-error-message" not in html
    assert "\n\n" not in html  # one HTML block for Markdown
