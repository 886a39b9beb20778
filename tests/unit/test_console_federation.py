"""Federated sign-in (deployed only: moto has no hosted sign-in or token endpoint), with a
fake token endpoint: the state and PKCE verifier are kept server-side, the code is exchanged
once, and the session is made from a verified ID token."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from complaints.console.tokens import IdClaims, TokenError
from complaints.console.web import Request, cookie_name


@dataclass
class Store:
    sessions: dict[str, Any] = field(default_factory=dict)
    sign_ins: dict[str, Any] = field(default_factory=dict)

    def save_sign_in(self, s: Any) -> None:
        self.sign_ins[s.key] = s

    def get_sign_in(self, key: str) -> Any:
        return self.sign_ins.get(key)

    def end_sign_in(self, key: str) -> None:
        self.sign_ins.pop(key, None)

    def save_session(self, s: Any, expires: datetime) -> None:
        self.sessions[s.key] = s


NOW = datetime(2025, 3, 3, 9, tzinfo=UTC)


def verify(token: str) -> IdClaims:
    if token != "good-id-token":
        raise TokenError("signature")
    return IdClaims(
        "jo", "Jo Adams", "jo@example.gov.uk", ("officer",), NOW + timedelta(hours=1), "iss"
    )


@pytest.fixture
def console(monkeypatch: pytest.MonkeyPatch) -> Any:
    from complaints.console.app import Console
    from complaints.console.auth import Auth
    from complaints.service.staff.sessions import Timeouts

    for name, value in {
        "STAFF_AUTH_DOMAIN": "council.auth.eu-west-2.amazoncognito.com",
        "STAFF_IDENTITY_PROVIDER": "Council",
        "USER_POOL_CLIENT_ID": "client-1",
        "PUBLIC_BASE_URL": "https://complaints.example.gov.uk",
    }.items():
        monkeypatch.setenv(name, value)
    store = Store()
    timeouts = Timeouts(timedelta(minutes=30), timedelta(hours=8))
    auth = Auth(store, None, verify, timeouts, now=lambda: NOW)  # type: ignore[arg-type]
    return Console(store=store, auth=auth, cognito=None, business_now=lambda: NOW, federated=True)


def request(
    path: str, cookies: Mapping[str, str], query: Mapping[str, str] | None = None
) -> Request:
    return Request("GET", path, dict(query or {}), {}, dict(cookies))


def test_the_code_flow_with_pkce_makes_a_session(console: Any) -> None:
    from complaints.console.federation import page

    start = page(console, request("/staff/sign-in/federated", {}), "/staff/sign-in/federated")
    location = urlsplit(start.headers["Location"])
    assert location.netloc == "council.auth.eu-west-2.amazoncognito.com"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["identity_provider"] == "Council"
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == "https://complaints.example.gov.uk/staff/auth/callback"
    cookie = start.cookies[0].split(";")[0].split("=", 1)[1]
    posted: list[Mapping[str, str]] = []

    def token_endpoint(url: str, fields: Mapping[str, str]) -> Mapping[str, Any]:
        assert url == "https://council.auth.eu-west-2.amazoncognito.com/oauth2/token"
        posted.append(fields)
        return {"id_token": "good-id-token", "refresh_token": "r", "expires_in": 3600}

    cookies = {cookie_name("staff_signin"): cookie}
    done = page(
        console,
        request("/staff/auth/callback", cookies, {"code": "abc", "state": query["state"]}),
        "/staff/auth/callback",
        post=token_endpoint,
    )
    assert done.headers["Location"] == "/staff/"
    assert any(c.startswith("__Host-staff_session=") for c in done.cookies)
    verifier = posted[0]["code_verifier"]
    digest = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    )
    assert digest == query["code_challenge"]  # the verifier matches the challenge sent first
    assert len(console.store.sessions) == 1
    again = page(
        console,
        request("/staff/auth/callback", cookies, {"code": "abc", "state": query["state"]}),
        "/staff/auth/callback",
        post=token_endpoint,
    )
    assert again.headers["Location"] == "/staff/sign-in"  # a code is used once
    assert len(posted) == 1


def test_a_wrong_state_or_an_unverifiable_token_makes_no_session(console: Any) -> None:
    from complaints.console.federation import page

    start = page(console, request("/staff/sign-in/federated", {}), "/staff/sign-in/federated")
    cookie = start.cookies[0].split(";")[0].split("=", 1)[1]
    cookies = {cookie_name("staff_signin"): cookie}
    wrong = page(
        console,
        request("/staff/auth/callback", cookies, {"code": "abc", "state": "forged"}),
        "/staff/auth/callback",
        post=lambda u, f: {},
    )
    assert wrong.headers["Location"] == "/staff/sign-in"
    start = page(console, request("/staff/sign-in/federated", {}), "/staff/sign-in/federated")
    cookie = start.cookies[0].split(";")[0].split("=", 1)[1]
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    bad = page(
        console,
        request(
            "/staff/auth/callback",
            {cookie_name("staff_signin"): cookie},
            {"code": "abc", "state": state},
        ),
        "/staff/auth/callback",
        post=lambda u, f: {"id_token": "forged", "refresh_token": "r"},
    )
    assert bad.headers["Location"] == "/staff/sign-in"
    assert console.store.sessions == {}
