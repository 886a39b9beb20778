"""The API's own HTML pages, drawn in the guide's frame (``templates/guide_page.html``, made from
the built guide by ``complaints_tools.pageshell``): the same header, navigation, footer and
styles as every page of the guide, so a page the API answers never looks like another site.

- ``journey_page``: the question pages and the complainant's pages (``handlers.journey``);
- ``form_errors_page``: the one-page form posted without JavaScript to ``POST /api/complaints``
  (API clients that post a form), given back filled in with its error summary
  (``complaints.webform.render_form``; autoescaped, the honeypot never refilled);
- ``problem_page``, ``already_sent_page``: plain refusals.

Every page is ``no-store`` (what was typed is never cached, nor logged) and sent with a strict
Content-Security-Policy: nothing runs (no script at all: the pages are plain forms, the same
with or without JavaScript); the guide's own styles and images (same origin); no framing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from complaints.templating import render

if TYPE_CHECKING:
    from complaints.submission import FieldError

FORM_PAGE = "/make-a-complaint/"
START_PAGE = "/complaint/child-in-danger"
CONFIRMATION_PAGE = "/complaint/received"  # a one-page form post lands here (handlers.journey)


def html_headers() -> dict[str, str]:
    """Security headers for the API's HTML: no script; only this origin's styles and images;
    no framing; forms post only here. ``connect-src 'self'`` lets a crawler's own checks
    (Lighthouse fetches ``/robots.txt`` from the page) read this origin; with no script on
    the page, nothing of ours can connect anywhere."""
    return {
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def _common() -> dict[str, Any]:
    from complaints.settings import load_settings

    settings = load_settings()
    return {
        "settings": settings,
        "council_name": settings.council.name,
        "team": settings.complaints_team,
        "team_name": settings.complaints_team.name,
        "team_phone": settings.complaints_team.phone,
        "front_door": settings.council.children_services_front_door,
        "form_page": FORM_PAGE,
        "start_page": START_PAGE,
        "noindex": False,
    }


def journey_page(
    template: str,
    title: str,
    description: str,
    *,
    errors: Sequence[FieldError] = (),
    shown_errors: Mapping[str, str] | None = None,
    **context: Any,
) -> str:
    """A page of ``templates/journey/`` in the guide's frame. ``errors`` go in the error
    summary (in order); ``shown_errors`` are the messages by the fields (by default the same,
    by field name). With errors the title starts "Error: ", as GOV.UK asks."""
    values: dict[str, Any] = {**_common(), **context}
    values.update(
        title=f"Error: {title}" if errors else title,
        description=description,
        error_list=list(errors),
        errors=dict(shown_errors) if shown_errors else {e.field: e.message for e in errors},
    )
    values.setdefault("anchors", {})
    return render(template, **values)


def form_errors_page(
    values: Mapping[str, Any],
    errors: Sequence[FieldError],
    safety_advice: str | None = None,
    *,
    not_sent: str | None = None,
) -> str:
    """The one-page form again with ``values`` (what was posted) and ``errors`` from
    ``parse_submission``; with ``safety_advice`` when the person said a child is in danger.

    ``not_sent``: the answers were fine but could not be stored (the service is busy). The
    page says so, with the answers kept, so sending again is one press of the button."""
    from complaints.webform import render_form

    title = "Not sent yet: Make a complaint" if not_sent else "Error: Make a complaint"
    return render(
        "form_errors.html",
        form=render_form(values, errors),
        not_sent=not_sent,
        safety_advice=safety_advice,
        title=title,
        description="Make a complaint about children's social care.",
        **_common(),
    )


def problem_page(heading: str, message: str) -> str:
    return journey_page(
        "journey/problem.html",
        heading,
        heading,
        heading=heading,
        message=message,
        link={"href": FORM_PAGE, "text": "Make a complaint"},
    )


def already_sent_page(reference: str) -> str:
    """A complaint whose submission id already sent a complaint with other answers: that
    complaint's reference, and how to add to it (nothing new was stored)."""
    title = "Your complaint was already sent"
    return render(
        "already_sent.html",
        reference=reference,
        title=title,
        description=title,
        **_common(),
    )
