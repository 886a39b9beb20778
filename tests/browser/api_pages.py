"""Every page the API draws, fetched from the running local stack as a browser without
JavaScript gets them (one cookie, redirects followed): each question page empty, with errors
and filled in, the urgent route, check your answers, the confirmation, save and come back
later, the complainant's status and next-stage pages, and the refusals. For the checks that
run over every page (``test_valid_html``, ``test_accessibility``)."""

from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from complaints.questions import QUESTIONS

ANSWERS: dict[str, dict[str, str]] = {
    "child-in-danger": {"child_in_danger": "no"},
    "who-you-are": {"relationship": "other"},
    "connection": {"connection": "Grandparent"},
    "about-the-child": {
        "child_name": "Alex Example",
        "child_date_of_birth-day": "27",
        "child_date_of_birth-month": "3",
        "child_date_of_birth-year": "2012",
    },
    "what-happened": {"details": "No visits since March."},
    "when-it-happened": {"happened_month": "3", "happened_year": "2025"},
    "which-service": {"service_area": "childrens_social_care"},
    "what-you-want": {"outcome_sought": "Regular visits."},
    "advocate": {"wants_advocate": "yes"},
    "contact-details": {"complainant_name": "Val Pages", "email": "val.pages@example.com"},
}
# Answers with something wrong on each page that can have errors.
WRONG: dict[str, dict[str, str]] = {
    "child-in-danger": {},
    "who-you-are": {},
    "connection": {},
    "about-the-child": {"child_date_of_birth-day": "31", "child_date_of_birth-month": "2"},
    "what-happened": {},
    "when-it-happened": {"happened_month": "13"},
    "which-service": {},
    "advocate": {},
    "contact-details": {"email": "not an address"},
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Visitor:
    """One browser: a cookie jar, JavaScript off."""

    def __init__(self, base: str, *, follow: bool = True) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handlers: list[Any] = [urllib.request.HTTPCookieProcessor(self.jar)]
        if not follow:
            handlers.append(_NoRedirect())
        self.opener = urllib.request.build_opener(*handlers)

    def open(self, path: str, fields: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, final path, body)."""
        data = urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 (127.0.0.1)
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.url.removeprefix(self.base), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode()


def journey_pages(base: str) -> dict[str, str]:
    """Name -> HTML of every page a person can reach in the form."""
    pages: dict[str, str] = {}
    visitor = Visitor(base)
    for page in QUESTIONS:
        slug = page.slug
        if slug in WRONG:
            status, _, body = visitor.open(f"/complaint/{slug}", WRONG[slug])
            assert status == 200, (slug, status)
            pages[f"{slug} (errors)"] = body
        status, _, body = visitor.open(f"/complaint/{slug}")
        pages[slug] = body
        status, _, _ = visitor.open(f"/complaint/{slug}", ANSWERS[slug])
        assert status == 200, (slug, status)
    pages["check-your-answers"] = visitor.open("/complaint/check-your-answers")[2]
    pages["who-you-are (change)"] = visitor.open("/complaint/who-you-are?change=1")[2]
    pages["save-for-later"] = visitor.open("/complaint/save-for-later")[2]
    pages["save-for-later (errors)"] = visitor.open("/complaint/save-for-later", {"email": "x"})[2]
    status, path, body = visitor.open("/complaint/save-for-later", {"email": "val@example.com"})
    assert path == "/complaint/saved", (status, path)
    pages["saved"] = body
    status, path, body = visitor.open("/complaint/check-your-answers", {})
    assert path == "/complaint/confirmation", (status, path)
    pages["confirmation"] = body
    urgent = Visitor(base)
    status, path, body = urgent.open("/complaint/child-in-danger", {"child_in_danger": "yes"})
    assert path == "/complaint/urgent", (status, path)
    pages["urgent"] = body
    for slug in list(ANSWERS)[1:]:
        urgent.open(f"/complaint/{slug}", ANSWERS[slug])
    pages["confirmation (urgent)"] = urgent.open("/complaint/check-your-answers", {})[2]
    pages["confirmation (nothing sent)"] = Visitor(base).open("/complaint/confirmation")[2]
    pages["received"] = Visitor(base).open(
        "/complaint/received?reference=CDFG-HJKM&respond_by=2026-01-15&urgent=yes"
    )[2]
    pages["not found"] = Visitor(base).open("/complaint/no-such-page")[2]
    pages["link run out"] = Visitor(base).open("/complaint/resume?token=" + "x" * 43)[2]
    return pages


def self_service_pages(
    base: str, link_for: Callable[[str], str], respond: Callable[[str], Any]
) -> dict[str, str]:
    """The status page before and after our answer, the next-stage page, and a wrong link."""
    email = "val.status@example.com"
    body = json.dumps(
        {
            "complainant_name": "Val Status",
            "email": email,
            "relationship": "parent",
            "child_name": "Jo",
            "details": "The plan was changed without asking us.",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (127.0.0.1)
        f"{base}/api/complaints", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        reference = str(json.loads(answer.read())["reference"])
    path = link_for(email)
    visitor = Visitor(base)
    pages = {"progress": visitor.open(path)[2]}
    respond(reference)
    pages["progress (answered)"] = visitor.open(path)[2]
    next_stage = re.search(r'href="(/complaint/next-stage\?[^"]+)"', pages["progress (answered)"])
    assert next_stage is not None
    pages["next-stage"] = visitor.open(next_stage.group(1).replace("&amp;", "&"))[2]
    pages["progress (wrong link)"] = visitor.open(
        f"/complaint/progress?reference={reference}&token=x"
    )[2]
    return pages


def email_link(stack_cli: Callable[..., Any], email: str, pattern: str) -> str:
    """The path of the first link matching ``pattern`` in an email to ``email``."""
    import html

    link = re.compile(r"https?://[^\s\"'<>]+(" + pattern + r"[^\s\"'<>]+)")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for sent in stack_cli("emails"):
            if email not in str(sent.get("to")):
                continue
            for text in (sent.get("body"), sent.get("html")):
                found = link.search(html.unescape(str(text or "")))
                if found:
                    return found.group(1)
        time.sleep(0.5)
    raise AssertionError(f"no email to {email} with a link like {pattern}")
