"""Signing in through the council's identity provider (SAML or OIDC, e.g. Microsoft Entra
ID), federated by the Cognito pool (deployed only: ``FederationMetadataUrl`` or
``FederationOidcIssuer`` in template.yaml; moto has no hosted sign-in or token endpoint).

The authorisation code flow with PKCE: ``/staff/sign-in/federated`` sends the person to the
pool's ``/oauth2/authorize`` for the provider, with a random ``state`` and a code challenge
kept server-side behind the ``staff_signin`` cookie; ``/staff/auth/callback`` checks the state,
exchanges the code at ``/oauth2/token`` and makes the session as a password sign-in does (the
ID token verified the same way). Roles are still the pool's groups.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from complaints.console.web import (
    SIGN_IN_COOKIE,
    Request,
    Response,
    clear_cookie,
    redirect,
    set_cookie,
)

if TYPE_CHECKING:
    from complaints.console.app import Console

TOKEN_TIMEOUT = 5.0
CALLBACK = "/staff/auth/callback"

Post = Callable[[str, Mapping[str, str]], Mapping[str, Any]]


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _settings() -> tuple[str, str, str, str]:
    from complaints.environment import environment

    env = environment()
    domain = env.required(env.auth_domain, "STAFF_AUTH_DOMAIN")
    provider = env.required(env.identity_provider, "STAFF_IDENTITY_PROVIDER")
    client_id = env.required(env.user_pool_client_id, "USER_POOL_CLIENT_ID")
    base = env.required(env.public_base_url, "PUBLIC_BASE_URL").rstrip("/")
    return domain, provider, client_id, base + CALLBACK


def post_form(url: str, fields: Mapping[str, str]) -> Mapping[str, Any]:
    import urllib.request

    if not url.startswith("https://"):
        raise ValueError("token endpoint must be https")
    request = urllib.request.Request(  # noqa: S310 (https only, checked above)
        url,
        data=urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TOKEN_TIMEOUT) as answer:  # noqa: S310
        return dict(json.loads(answer.read()))


def page(console: Console, request: Request, path: str, post: Post = post_form) -> Response:
    from complaints.adapters.cognito import Tokens
    from complaints.console.auth import SignInError
    from complaints.service.staff.sessions import SignIn, new_secret, same_secret, session_key

    domain, provider, client_id, callback = _settings()
    if path == "/staff/sign-in/federated":
        sign_in_id, verifier, state = new_secret(), new_secret(), new_secret()
        console.store.save_sign_in(
            SignIn(
                key=session_key(sign_in_id),
                username="",
                challenge="FEDERATED",
                cognito_session=verifier,
                csrf=state,
                started_at=console.auth.now(),
            )
        )
        query = urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": callback,
                "identity_provider": provider,
                "scope": "openid email profile",
                "state": state,
                "code_challenge": _challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        response = redirect(f"https://{domain}/oauth2/authorize?{query}")
        response.cookies.append(set_cookie(SIGN_IN_COOKIE, sign_in_id, max_age=180))
        return response
    sign_in = console.auth.sign_in_under_way(request)
    code = request.query.get("code", "")
    if (
        sign_in is None
        or sign_in.challenge != "FEDERATED"
        or not code
        or not same_secret(request.query.get("state"), sign_in.csrf)
    ):
        return redirect("/staff/sign-in")
    console.store.end_sign_in(sign_in.key)
    try:
        found = post(
            f"https://{domain}/oauth2/token",
            {
                "grant_type": "authorization_code",
                "client_id": client_id,
                "code": code,
                "redirect_uri": callback,
                "code_verifier": sign_in.cognito_session,
            },
        )
        tokens = Tokens(
            id_token=str(found["id_token"]),
            refresh_token=str(found["refresh_token"]),
            expires_in=int(found.get("expires_in", 3600)),
        )
        cookies = console.auth.start_session(tokens)
    except (SignInError, KeyError, ValueError, OSError):
        return redirect("/staff/sign-in")
    response = redirect("/staff/")
    response.cookies.extend([*cookies, clear_cookie(SIGN_IN_COOKIE)])
    return response
