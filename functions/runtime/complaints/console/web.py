"""Requests and responses of the console (API Gateway HTTP API, payload v2), cookies, and
the headers every staff page carries: never cached, never indexed, a strict CSP (only this
origin's styles, scripts and images; no inline code), no framing."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote

from complaints.environment import environment

MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 200
SESSION_COOKIE = "staff_session"
SIGN_IN_COOKIE = "staff_signin"
HTML = "text/html; charset=utf-8"

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


class BadRequestError(Exception):
    """A request the console cannot read (too big, not a form)."""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: Mapping[str, str]
    headers: Mapping[str, str]
    cookies: Mapping[str, str]
    form: Mapping[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """One form field, as typed (the first, when sent twice); ``""`` when missing."""
        values = self.form.get(name) or [""]
        return values[0]

    def values(self, name: str) -> list[str]:
        return list(self.form.get(name) or [])

    @property
    def cross_site(self) -> bool:
        return self.headers.get("sec-fetch-site", "").lower() == "cross-site"


def _cookies(event: Mapping[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    raw = list(event.get("cookies") or [])
    header = (event.get("headers") or {}).get("cookie")
    if header and not raw:
        raw = [c.strip() for c in str(header).split(";")]
    for pair in raw:
        name, sep, value = pair.partition("=")
        if sep and name.strip() not in found:
            found[name.strip()] = value.strip()
    return found


def parse_event(event: Mapping[str, Any]) -> Request:
    context = event.get("requestContext") or {}
    method = str((context.get("http") or {}).get("method") or "GET").upper()
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    form: dict[str, list[str]] = {}
    if method == "POST":
        body = event.get("body") or ""
        if event.get("isBase64Encoded"):
            try:
                raw = base64.b64decode(body, validate=True)
            except (binascii.Error, ValueError):
                raise BadRequestError("body") from None
        else:
            raw = str(body).encode("utf-8")
        if len(raw) > MAX_BODY_BYTES:
            raise BadRequestError("too long")
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if raw and content_type != "application/x-www-form-urlencoded":
            raise BadRequestError("not a form")
        try:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
        except (UnicodeDecodeError, ValueError):
            raise BadRequestError("form") from None
    query = {k: v for k, v in (event.get("queryStringParameters") or {}).items() if v is not None}
    return Request(
        method=method,
        path=str(event.get("rawPath") or "/staff/"),
        query=query,
        headers=headers,
        cookies=_cookies(event),
        form=form,
    )


@dataclass
class Response:
    status: int
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)

    def result(self) -> dict[str, Any]:
        headers = {"Content-Type": HTML, **PAGE_HEADERS, **self.headers}
        return {
            "statusCode": self.status,
            "headers": headers,
            "cookies": self.cookies,
            "body": self.body,
            "isBase64Encoded": False,
        }


def redirect(location: str, status: int = 303) -> Response:
    return Response(status, headers={"Location": location})


def cookie_name(base: str) -> str:
    return f"__Host-{base}" if environment().secure_cookies else base


def set_cookie(base: str, value: str, max_age: int | None = None) -> str:
    """An opaque value, ``HttpOnly`` and ``SameSite=Lax``; over https also ``Secure`` with
    the ``__Host-`` prefix (this host only, path ``/``)."""
    parts = [f"{cookie_name(base)}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if environment().secure_cookies:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def clear_cookie(base: str) -> str:
    return set_cookie(base, "", max_age=0)


def safe_next(path: str | None) -> str:
    """Where to go after signing in: a console path only (never another site)."""
    if not path or not path.startswith("/staff/") or path.startswith("//") or "\\" in path:
        return "/staff/"
    return quote(path, safe="/?=&-_.~%")
