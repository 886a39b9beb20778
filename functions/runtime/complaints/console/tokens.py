"""Verifying Cognito's ID tokens: the RS256 signature against the pool's JWKS, the issuer,
the audience (this app client), the expiry and ``token_use``. A token from another pool, for
another client, expired, of another use, or signed any other way is refused with
``TokenError``.

The JWKS is fetched once per process (and again when a token names a key it does not have:
Cognito rotates keys). Deployed, from ``https://cognito-idp.<region>.amazonaws.com/<pool>``;
locally from the embedded AWS (moto serves the pool's JWKS at the same path).

The signature is checked by joserfc (a maintained JOSE library) with RS256 only; the key set
keeps only RSA signing keys of 2048 bits or more, so a symmetric, elliptic, encryption or weak
key published beside Cognito's is never used. The claims are checked here, with no leeway.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeGuard

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


MIN_MODULUS_BITS = 2048  # Cognito's keys are 2048-bit RSA
MAX_TOKEN_CHARS = 16_384
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*$")


def _unbase64(part: str) -> bytes:
    """base64url without padding (RFC 7515, 2), nothing else."""
    if not _BASE64URL.match(part) or len(part) % 4 == 1:
        raise TokenError("malformed")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _json_object(part: str) -> dict[str, Any]:
    return _json_from(_unbase64(part))


def _json_from(raw: bytes) -> dict[str, Any]:
    def refuse(_constant: str) -> None:  # NaN, Infinity: not JSON
        raise TokenError("malformed")

    try:
        found = json.loads(raw, parse_constant=refuse)
    except (ValueError, UnicodeDecodeError):
        raise TokenError("malformed") from None
    if not isinstance(found, dict):
        raise TokenError("malformed")
    return found


def rsa_signing_keys(jwks: Mapping[str, Any]) -> Any:
    """The JWKS's RSA signing keys (a joserfc ``KeySet``, or None if none); any other key
    (symmetric, elliptic, for encryption, or weaker than 2048 bits) is left out."""
    from joserfc.jwk import KeySet

    kept = []
    keys = jwks.get("keys")
    for jwk in keys if isinstance(keys, list) else []:
        if not isinstance(jwk, Mapping) or jwk.get("kty") != "RSA":
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", "RS256") not in ALGORITHMS:
            continue
        try:
            n = int.from_bytes(_unbase64(str(jwk["n"])), "big")
            e = int.from_bytes(_unbase64(str(jwk["e"])), "big")
        except (KeyError, TokenError, ValueError):
            continue
        if n.bit_length() < MIN_MODULUS_BITS or e < 3 or e % 2 == 0:
            continue
        kept.append(dict(jwk))
    return KeySet.import_key_set({"keys": kept}) if kept else None


_keys: dict[str, Any] = {}


def forget_keys() -> None:
    _keys.clear()


def _key_set(url: str, fetch: Callable[[str], Mapping[str, Any]], again: bool = False) -> Any:
    if again or url not in _keys:
        _keys[url] = rsa_signing_keys(fetch(url))
    return _keys[url]


def _names(keys: Any, kid: str) -> bool:
    return keys is not None and any(key.kid == kid for key in keys.keys)


def _kid(token: str) -> str:
    header = _json_object(token.split(".", 1)[0])
    if header.get("alg") not in ALGORITHMS:
        raise TokenError("algorithm")
    return str(header.get("kid", ""))


def _signed_claims(
    token: str, url: str, fetch: Callable[[str], Mapping[str, Any]]
) -> dict[str, Any]:
    """The payload of an RS256 JWS whose signature one of the pool's keys verifies."""
    from joserfc import jws
    from joserfc.errors import JoseError

    if len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        raise TokenError("malformed")
    kid = _kid(token)
    keys = _key_set(url, fetch)
    if not _names(keys, kid):
        keys = _key_set(url, fetch, again=True)  # perhaps a rotated key not cached yet
    if not _names(keys, kid):
        raise TokenError("key")
    try:
        verified = jws.deserialize_compact(token, keys, algorithms=ALGORITHMS)
    except JoseError:
        raise TokenError("signature") from None
    except (ValueError, TypeError):
        raise TokenError("malformed") from None
    payload = verified.payload
    return _json_from(payload if isinstance(payload, bytes) else str(payload).encode())


def _number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_claims(claims: Mapping[str, Any], issuer: str, client_id: str, now: int) -> None:
    """Issuer, audience, ``token_use``, subject and the times (no leeway)."""
    if claims.get("iss") != issuer:
        raise TokenError("issuer")
    audience = claims.get("aud")
    if not (audience == client_id or (isinstance(audience, list) and client_id in audience)):
        raise TokenError("audience")
    if claims.get("token_use") != "id":
        raise TokenError("token_use")
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise TokenError("subject")
    expires = claims.get("exp")
    if not _number(expires):
        raise TokenError("expiry")
    if expires <= now:
        raise TokenError("expired")
    for name in ("nbf", "iat"):  # optional; when present, not in the future
        if name in claims and (not _number(claims[name]) or claims[name] > now):
            raise TokenError(name)


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
    issuer = issuer_for(pool_id, region or environment().region)
    url = url or jwks_url(pool_id)
    moment = now or wall_now()  # security time: never the movable business clock
    claims = _signed_claims(token, url, fetch)
    _check_claims(claims, issuer, client_id, int(moment.timestamp()))
    try:
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
    except (ValueError, TypeError, KeyError, OverflowError, OSError):
        raise TokenError("malformed") from None
