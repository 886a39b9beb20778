"""Verifying Cognito ID tokens against a fake JWKS: signature, issuer, audience (the app
client), expiry and ``token_use``; anything else is refused. The tokens are signed by joserfc
(as Cognito would), and checked by the console with the same library behind its own key
filtering and claims checks."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from complaints.console.tokens import TokenError, forget_keys, issuer_for, verify_id_token

POOL = "eu-west-2_Pool1"
CLIENT = "client-1"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})  # same kid, another key


def jwks(_url: str) -> Mapping[str, Any]:
    return KeySet([KEY]).as_dict(private=False)


def token(key: RSAKey = KEY, alg: str = "RS256", **changes: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer_for(POOL, "eu-west-2"),
        "aud": CLIENT,
        "sub": "0000-1111",
        "token_use": "id",
        "exp": now + 3600,
        "iat": now,
        "cognito:username": "olivia.officer",
        "name": "Olivia Officer",
        "email": "olivia.officer@example.gov.uk",
        "cognito:groups": ["officer"],
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode({"alg": alg, "kid": "k1"}, claims, key)


def verify(value: str) -> Any:
    return verify_id_token(
        value,
        pool_id=POOL,
        client_id=CLIENT,
        region="eu-west-2",
        fetch=jwks,
        url="https://jwks.test",
    )


@pytest.fixture(autouse=True)
def _fresh_keys() -> None:
    forget_keys()


def test_a_good_token_gives_the_person_and_their_groups() -> None:
    claims = verify(token())
    assert claims.username == "olivia.officer"
    assert claims.name == "Olivia Officer"
    assert claims.groups == ("officer",)


@pytest.mark.parametrize(
    "changes",
    [
        {"iss": "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other"},  # another pool
        {"aud": "another-client"},
        {"token_use": "access"},
        {"exp": int(time.time()) - 10},  # expired
        {"exp": None},
        {"sub": None},
        {"iss": None},
    ],
    ids=[
        "another pool",
        "another client",
        "an access token",
        "expired",
        "no expiry",
        "no subject",
        "no issuer",
    ],
)
def test_a_token_that_fails_a_check_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(TokenError):
        verify(token(**changes))


def test_a_token_signed_with_another_key_is_refused() -> None:
    with pytest.raises(TokenError):
        verify(token(key=OTHER_KEY))


def test_an_unsigned_or_symmetric_token_is_refused() -> None:
    from joserfc.jwk import OctKey

    with pytest.raises(TokenError):
        verify(jwt.encode({"alg": "HS256", "kid": "k1"}, {"sub": "x"}, OctKey.generate_key(256)))
    with pytest.raises(TokenError):
        verify("not.a.token")


def test_a_new_signing_key_is_fetched_once_when_a_token_names_it() -> None:
    calls: list[str] = []
    rotated = RSAKey.generate_key(2048, parameters={"kid": "k2"})
    keys = [KEY]

    def fetch(url: str) -> Mapping[str, Any]:
        calls.append(url)
        return KeySet(list(keys)).as_dict(private=False)

    verify_id_token(
        token(), pool_id=POOL, client_id=CLIENT, region="eu-west-2", fetch=fetch, url="u"
    )
    keys.append(rotated)
    fresh = jwt.encode({"alg": "RS256", "kid": "k2"}, jwt.decode(token(), KEY).claims, rotated)
    verify_id_token(fresh, pool_id=POOL, client_id=CLIENT, region="eu-west-2", fetch=fetch, url="u")
    assert len(calls) == 2


def _parts(value: str) -> list[str]:
    return value.split(".")


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def test_a_token_whose_claims_were_changed_after_signing_is_refused() -> None:
    import json

    header, _payload, signature = _parts(token())
    forged = _b64(
        json.dumps({**jwt.decode(token(), KEY).claims, "cognito:groups": ["manager"]}).encode()
    )
    with pytest.raises(TokenError):
        verify(f"{header}.{forged}.{signature}")


@pytest.mark.parametrize(
    "signature",
    ["", "AA", "too-short", "!!!!"],
    ids=["empty", "one byte", "short", "not base64url"],
)
def test_a_signature_of_the_wrong_length_or_alphabet_is_refused(signature: str) -> None:
    header, payload, _ = _parts(token())
    with pytest.raises(TokenError):
        verify(f"{header}.{payload}.{signature}")


def test_an_unsigned_token_is_refused_whatever_its_claims() -> None:
    import json

    _, payload, _ = _parts(token())
    header = _b64(json.dumps({"alg": "none", "kid": "k1"}).encode())
    with pytest.raises(TokenError):
        verify(f"{header}.{payload}.")


@pytest.mark.filterwarnings("ignore:Key size should be")
def test_a_weak_or_foreign_key_in_the_key_set_is_never_used() -> None:
    from joserfc.jwk import ECKey

    weak = RSAKey.generate_key(1024, parameters={"kid": "k1"}, private=True, auto_kid=False)
    elliptic = ECKey.generate_key("P-256", parameters={"kid": "k1"})
    for key in (weak, elliptic):
        forget_keys()
        signed = jwt.encode(
            {"alg": "RS256" if key is weak else "ES256", "kid": "k1"},
            jwt.decode(token(), KEY).claims,
            key,
        )
        with pytest.raises(TokenError):
            verify_id_token(
                signed,
                pool_id=POOL,
                client_id=CLIENT,
                region="eu-west-2",
                fetch=lambda _url, key=key: KeySet([key]).as_dict(private=False),
                url="u",
            )


def test_a_token_naming_an_unknown_key_fetches_the_key_set_once_more_only() -> None:
    calls: list[str] = []

    def fetch(url: str) -> Mapping[str, Any]:
        calls.append(url)
        return KeySet([KEY]).as_dict(private=False)

    stranger = RSAKey.generate_key(2048, parameters={"kid": "k9"})
    signed = jwt.encode({"alg": "RS256", "kid": "k9"}, jwt.decode(token(), KEY).claims, stranger)
    with pytest.raises(TokenError):
        verify_id_token(
            signed, pool_id=POOL, client_id=CLIENT, region="eu-west-2", fetch=fetch, url="u"
        )
    assert len(calls) == 2  # the first fetch, and one more for the key it did not have
    with pytest.raises(TokenError):  # a token with a known key but a bad signature: no fetch
        verify_id_token(
            token(key=OTHER_KEY),
            pool_id=POOL,
            client_id=CLIENT,
            region="eu-west-2",
            fetch=fetch,
            url="u",
        )
    assert len(calls) == 2


def test_a_token_issued_in_the_future_is_refused() -> None:
    with pytest.raises(TokenError):
        verify(token(iat=int(time.time()) + 3600))
    with pytest.raises(TokenError):
        verify(token(nbf=int(time.time()) + 3600))
