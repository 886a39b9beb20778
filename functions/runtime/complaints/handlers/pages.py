"""The API's own HTML answers to a form posted without JavaScript.

A static site cannot show server-side errors, so an invalid form post gets the form again, as
the GOV.UK Design System asks: filled in with the person's answers (``complaints.webform.
render_form``; autoescaped, the honeypot never refilled), the error summary at the top linking
to each field on the same page, and the message, ``aria-invalid`` and ``aria-describedby`` on
each field. The page is ``no-store``: what was typed is never cached (nor logged). Nothing runs
on it; it is styled by the guide's own stylesheet (same origin) and a small inline one.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from complaints.templating import TEMPLATES, render

if TYPE_CHECKING:
    from complaints.submission import FieldError

FORM_PAGE = "/make-a-complaint/"
GUIDE_CSS = "/assets/guide.css"
CONFIRMATION_PAGE = "/complaint-received/"


@cache
def _css() -> tuple[str, str]:
    css = (TEMPLATES / "page.css").read_text(encoding="utf-8").strip()
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    return css, f"'sha256-{digest}'"


def html_headers() -> dict[str, str]:
    """Security headers for the API's HTML: no script, no framing; only styles load (the
    guide's stylesheet from this origin and the inline one by hash)."""
    _, style_hash = _css()
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src 'self' {style_hash}; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def _common(safety_advice: str | None) -> dict[str, Any]:
    from complaints.settings import load_settings

    settings = load_settings()
    css, _ = _css()
    return {
        "css": css,
        "council_name": settings.council.name,
        "team_name": settings.complaints_team.name,
        "team_phone": settings.complaints_team.phone,
        "form_page": FORM_PAGE,
        "safety_advice": safety_advice,
    }


def form_errors_page(
    values: Mapping[str, Any],
    errors: Sequence[FieldError],
    safety_advice: str | None = None,
    *,
    not_sent: str | None = None,
) -> str:
    """The form again with ``values`` (what was posted) and ``errors`` from
    ``parse_submission``; with ``safety_advice`` when the person said a child is in danger.

    ``not_sent``: the answers were fine but could not be stored (the service is busy). The
    page says so, with the answers kept, so sending again is one press of the button."""
    from complaints.settings import load_settings
    from complaints.webform import render_form

    return render(
        "form_errors.html",
        form=render_form(values, errors),
        guide_css=GUIDE_CSS,
        front_door=load_settings().council.children_services_front_door,
        not_sent=not_sent,
        **_common(safety_advice),
    )


def problem_page(heading: str, message: str) -> str:
    return render("problem.html", heading=heading, message=message, **_common(None))


def already_sent_page(reference: str) -> str:
    """A form post whose submission id already sent a complaint with other answers: that
    complaint's reference, and how to add to it (nothing new was stored)."""
    return render("already_sent.html", reference=reference, guide_css=GUIDE_CSS, **_common(None))
