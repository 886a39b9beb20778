"""Verifying Cognito's ID tokens: the RS256 signature against the pool's JWKS, the issuer,
the audience (this app client), the expiry and ``token_use``. A token from another pool, for
another client, expired, or of another use is refused with ``TokenError``.

The JWKS is fetched once per process (and again when a token names a key it does not have:
Cognito rotates keys). Deployed, from ``https://cognito-idp.<region>.amazonaws.com/<pool>``;
locally from the embedded AWS (moto serves the pool's JWKS at the same path).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from complaints.clock import wall_now
from complaints.environment import environment

JWKS_TIMEOUT = 3.0
ALGORITHMS = ["RS256"]


class TokenError(Exception):
    """The token cannot be trusted (the reason is a short code, never the token)."""


@dataclass(frozen=True)
class IdClaims:
    username: str
    name: str
    email: str
    groups: tuple[str, ...]
    expires_at: datetime
    issuer: str = field(repr=False)


def issuer_for(pool_id: str, region: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"


def jwks_url(pool_id: str) -> str:
    settings = environment()
    base = (settings.aws_endpoint or "").rstrip(
        "/"
    ) or f"https://cognito-idp.{settings.region}.amazonaws.com"
    return f"{base}/{pool_id}/.well-known/jwks.json"


def fetch_jwks(url: str) -> Mapping[str, Any]:
    import urllib.request

    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise TokenError("jwks-url")
    with urllib.request.urlopen(url, timeout=JWKS_TIMEOUT) as answer:  # noqa: S310 (checked above)
        return dict(json.loads(answer.read()))


_keys: dict[str, Any] = {}


def forget_keys() -> None:
    _keys.clear()


def _key_set(url: str, fetch: Callable[[str], Mapping[str, Any]], again: bool = False) -> Any:
    from joserfc.jwk import KeySet

    if again or url not in _keys:
        _keys[url] = KeySet.import_key_set(fetch(url))  # type: ignore[arg-type]
    return _keys[url]


def verify_id_token(
    token: str,
    *,
    pool_id: str,
    client_id: str,
    region: str | None = None,
    now: datetime | None = None,
    fetch: Callable[[str], Mapping[str, Any]] = fetch_jwks,
    url: str | None = None,
) -> IdClaims:
    """The token's claims, once every check has passed."""
    from joserfc import jwt
    from joserfc.errors import JoseError

    issuer = issuer_for(pool_id, region or environment().region)
    url = url or jwks_url(pool_id)
    moment = now or wall_now()  # security time: never the movable business clock
    try:
        try:
            found = jwt.decode(token, _key_set(url, fetch), algorithms=ALGORITHMS)
        except JoseError:
            # perhaps a key the cached set does not have yet (rotation): fetch once more
            found = jwt.decode(token, _key_set(url, fetch, again=True), algorithms=ALGORITHMS)
        registry = jwt.JWTClaimsRegistry(
            now=int(moment.timestamp()),
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": client_id},
            token_use={"essential": True, "value": "id"},
            exp={"essential": True},
            sub={"essential": True},
        )
        registry.validate(found.claims)
    except JoseError as error:
        raise TokenError(type(error).__name__) from None
    except (ValueError, TypeError, KeyError):
        raise TokenError("malformed") from None
    claims = found.claims
    username = str(claims.get("cognito:username") or claims["sub"])
    groups = claims.get("cognito:groups") or []
    return IdClaims(
        username=username,
        name=str(claims.get("name") or username),
        email=str(claims.get("email") or ""),
        groups=tuple(str(g) for g in groups) if isinstance(groups, list) else (),
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        issuer=issuer,
    )
