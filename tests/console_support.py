"""Drive the staff console's real handler in-process (on moto): a browser-like client that
keeps cookies, follows redirects and reads the CSRF token from each page; and the console
wired to the in-process Cognito pool (its JWKS read from moto's own key file, since the
in-process AWS has no HTTP endpoint)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def moto_jwks(_url: str) -> Mapping[str, Any]:
    from moto.utilities.utils import load_resource

    return dict(load_resource("cognitoidp/resources/jwks-public.json"))


def console_for_tests(now: Any = None) -> Any:
    """The console as ``complaints.wiring.console`` makes it, with moto's JWKS."""
    from complaints import clock, wiring
    from complaints.adapters.cognito import Cognito
    from complaints.clock import wall_now
    from complaints.console.app import Console
    from complaints.console.auth import Auth
    from complaints.console.tokens import verify_id_token

    store = wiring.store()
    cognito = Cognito()

    def verify(token: str) -> Any:
        return verify_id_token(
            token,
            pool_id=cognito.pool_id,
            client_id=cognito.client_id,
            fetch=moto_jwks,
            now=(now or wall_now)(),
        )

    return Console(
        store=store,
        auth=Auth(store, cognito, verify, now=now or wall_now),
        cognito=cognito,
        business_now=clock.now,
    )


def event(
    method: str,
    path: str,
    cookies: Mapping[str, str],
    form: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    url = urlsplit(path)
    body = urlencode(form or {}, doseq=True) if form is not None else None
    return {
        "version": "2.0",
        "rawPath": url.path,
        "rawQueryString": url.query,
        "queryStringParameters": dict(parse_qsl(url.query, keep_blank_values=True)) or None,
        "cookies": [f"{k}={v}" for k, v in cookies.items()],
        "headers": {
            "content-type": "application/x-www-form-urlencoded",
            **{k.lower(): v for k, v in (headers or {}).items()},
        },
        "requestContext": {"http": {"method": method, "path": url.path}},
        "body": body,
        "isBase64Encoded": False,
    }


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    path: str

    @property
    def csrf(self) -> str:
        found = CSRF.search(self.body)
        assert found, f"no CSRF token on {self.path}"
        return found.group(1)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", self.body))


@dataclass
class Browser:
    """Cookies kept between requests, as a browser keeps them."""

    handler: Any
    cookies: dict[str, str] = field(default_factory=dict)

    def send(
        self,
        method: str,
        path: str,
        form: Mapping[str, Any] | None = None,
        *,
        follow: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        result = self.handler(event(method, path, self.cookies, form, headers), None)
        for cookie in result.get("cookies") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";")[0]
            if "Max-Age=0" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        answer = Answer(
            result["statusCode"], dict(result.get("headers") or {}), result.get("body") or "", path
        )
        if follow and answer.status in (301, 302, 303) and "Location" in answer.headers:
            return self.send("GET", answer.headers["Location"])
        return answer

    def get(self, path: str, **kw: Any) -> Answer:
        return self.send("GET", path, **kw)

    def post(self, path: str, form: Mapping[str, Any], **kw: Any) -> Answer:
        return self.send("POST", path, form, **kw)

    def sign_in(self, username: str, password: str, secret: str) -> Answer:
        from complaints_tools.local.staff import fresh_code

        page = self.post("/staff/sign-in", {"username": username, "password": password})
        assert "/staff/sign-in/code" in page.path or page.status == 200, page.text[:300]
        code_page = page
        return self.post(code_page.path, {"code": fresh_code(secret), "csrf_token": code_page.csrf})


def staff_json(users: list[dict[str, Any]]) -> str:
    return json.dumps(users)
