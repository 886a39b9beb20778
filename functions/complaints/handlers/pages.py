"""The API's own HTML answers to a form posted without JavaScript.

A static site cannot show server-side errors, so an invalid form post gets a small page with a
GOV.UK-style error summary. Each message links to the field on the form page
(``/make-a-complaint/#<field>``; the form gives each input the field's name as its ``id``).
The page never repeats what was typed: the browser's Back button returns to the answers.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from typing import Any

from complaints.templating import TEMPLATES, render

FORM_PAGE = "/make-a-complaint/"
CONFIRMATION_PAGE = "/complaint-received/"


@cache
def _css() -> tuple[str, str]:
    css = (TEMPLATES / "page.css").read_text(encoding="utf-8").strip()
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    return css, f"'sha256-{digest}'"


def html_headers() -> dict[str, str]:
    """Security headers for the API's HTML: nothing runs, nothing loads, no framing."""
    _, style_hash = _css()
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src {style_hash}; form-action 'self'; "
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


def form_errors_page(errors: Sequence[Any], safety_advice: str | None = None) -> str:
    """``errors``: items with ``field`` and ``message`` (``FieldError``)."""
    return render("form_errors.html", errors=errors, **_common(safety_advice))


def problem_page(heading: str, message: str) -> str:
    return render("problem.html", heading=heading, message=message, **_common(None))
