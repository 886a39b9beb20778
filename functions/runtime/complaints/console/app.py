"""The console's routes: each request is parsed (``web``), signed in or sent to sign in
(``auth``), checked against the person's roles (``service.staff.permissions``: deny by
default) and answered by one page function (``pages``).

Refusals: signed out, an ended or expired session: ``303`` to the sign-in page (nothing is
read or written); a page or case the person's role may not see, or that does not exist:
``404`` (a case's existence is not confirmed; CloudFront shows the guide's 404 page for an
origin's 403, so the console never answers 403); a POST without the session's CSRF token, or
sent from another site: ``400`` (nothing is written).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from complaints.console.auth import Auth, Signed
from complaints.console.web import Request, Response, redirect, safe_next

CASE_PATH = re.compile(r"^/staff/cases/([A-Z0-9-]{4,20})(?:/([a-z-]+))?$")
PERSON_PATH = re.compile(r"^/staff/people/([^/]{1,128})/(remove|reassign)$")
PUBLIC = {
    "/staff/sign-in",
    "/staff/sign-in/code",
    "/staff/signed-out",
    "/staff/auth/callback",
    "/staff/sign-in/federated",
}


@dataclass
class Console:
    """What the pages need: the table, Cognito, sessions and the business clock (for acts);
    ``deliver``, a way to send what a change queues at once, is for tools only: the deployed
    console may not email, and the outbox worker sends from the stream."""

    store: Any
    auth: Auth
    cognito: Any
    business_now: Callable[[], datetime]
    deliver: Any = None
    federated: bool = False


def not_found(signed: Signed | None = None) -> Response:
    from complaints.console.render import render

    page = render(
        "message.html",
        heading="Page not found",
        paragraphs=[
            "If you typed the address, check it is correct.",
            "A case you are not allowed to see is not shown.",
        ],
        link={"href": "/staff/", "text": "Go to your caseload"},
        staff=signed.staff if signed else None,
        csrf=signed.session.csrf if signed else "",
    )
    return Response(404, page)


def bad_form(signed: Signed | None, why: str) -> Response:
    from complaints.console.render import render

    page = render(
        "message.html",
        heading="The form could not be sent",
        paragraphs=[why, "Nothing was changed. Go back, reload the page and try again."],
        link={"href": "/staff/", "text": "Go to your caseload"},
        staff=signed.staff if signed else None,
        csrf=signed.session.csrf if signed else "",
    )
    return Response(400, page)


def route(console: Console, request: Request) -> Response:
    from complaints.console import pages
    from complaints.service.staff.permissions import NotAllowedError, can_use_console

    path = request.path.rstrip("/") or "/staff"
    if path == "/staff":
        path = "/staff/"
    if path in PUBLIC or path.startswith("/staff/sign-in"):
        return pages.public(console, request, path)
    signed = console.auth.current(request)
    if signed is None:
        target = request.path if request.method == "GET" else "/staff/"
        query = request.query.get("view")
        if query and request.method == "GET":
            target += f"?view={query}"
        return redirect(f"/staff/sign-in?next={safe_next(target)}")
    if not can_use_console(signed.staff):
        return not_found(signed)  # signed in, but in no role: deny by default
    if request.method == "POST":
        if request.cross_site or not console.auth.csrf_ok(signed, request):
            return bad_form(signed, "It did not carry this page's security token.")
    elif request.method not in ("GET", "HEAD"):
        return not_found(signed)
    try:
        return pages.signed_in(console, request, signed, path)
    except NotAllowedError:
        return not_found(signed)
