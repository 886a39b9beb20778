"""The local stack's staff sign-in: the Cognito user pool of ``template.yaml`` on the
embedded AWS (moto's cognito-idp), with one demo user per role.

The pool, its app client and its groups are made from the template's ``StaffUserPool``,
``StaffUserPoolClient`` and ``AWS::Cognito::UserPoolGroup`` resources (MFA required, the
password policy), so the console signs in locally as it does deployed: password, then the
code from an authenticator app. moto checks TOTP codes when
``MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true`` (set here) against one fixed secret for
every user: ``.local/stack.json`` has it as ``totp_secret``, and ``complaints staff code
--local`` prints the code of the moment.

Each start makes new demo passwords (random, written to ``.local/stack.json`` only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

TOTP_ENV = "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP"
DEMO_USERS: tuple[tuple[str, str, str], ...] = (
    # username, name, role
    ("olivia.officer", "Olivia Officer", "officer"),
    ("max.manager", "Max Manager", "manager"),
    ("frankie.frontdoor", "Frankie Front Door", "front_door"),
    ("ali.auditor", "Ali Auditor", "auditor"),
)
DEMO_DOMAIN = "example.gov.uk"


def totp_code(secret: str, at: float | None = None) -> str:
    """The 6-digit TOTP code (RFC 6238: SHA-1, 30 s) for a base32 ``secret``."""
    padded = secret.upper() + "=" * (-len(secret) % 8)
    key = base64.b32decode(padded)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def fresh_code(secret: str) -> str:
    """A code with at least 5 seconds of its 30 left (waits for the next one if needed)."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.2)
    return totp_code(secret)


def demo_password() -> str:
    """Random and meeting the pool's policy (14+, upper, lower, digit, symbol)."""
    return f"Demo-{secrets.token_urlsafe(12)}-9a!"


@dataclass(frozen=True)
class StaffPool:
    pool_id: str
    client_id: str
    users: list[dict[str, Any]]
    totp_secret: str | None


def _resource(template: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    return [
        r.get("Properties") or {}
        for r in (template.get("Resources") or {}).values()
        if r.get("Type") == kind
    ]


def create_pool(
    idp: Any, template: Mapping[str, Any], stack_name: str, *, users: bool = True
) -> StaffPool:
    """The pool, client and groups of the template, and the demo users (MFA set up)."""
    from moto.cognitoidp.models import COGNITO_TOTP_MFA_SECRET

    os.environ[TOTP_ENV] = "true"
    pools = _resource(template, "AWS::Cognito::UserPool")
    if not pools:
        raise RuntimeError("template.yaml has no AWS::Cognito::UserPool")
    pool = pools[0]
    policies = pool.get("Policies") or {}
    pool_id = idp.create_user_pool(
        PoolName=f"{stack_name}-staff",
        Policies=policies,
        MfaConfiguration=str(pool.get("MfaConfiguration", "OFF")),
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
    )["UserPool"]["Id"]
    if pool.get("MfaConfiguration") == "ON":
        idp.set_user_pool_mfa_config(
            UserPoolId=pool_id,
            SoftwareTokenMfaConfiguration={"Enabled": True},
            MfaConfiguration="ON",
        )
    client_props = _resource(template, "AWS::Cognito::UserPoolClient")[0]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=str(client_props.get("ClientName", "console")),
        GenerateSecret=False,
        ExplicitAuthFlows=list(client_props.get("ExplicitAuthFlows") or []),
        ReadAttributes=list(client_props.get("ReadAttributes") or ["email", "name"]),
    )["UserPoolClient"]["ClientId"]
    for group in _resource(template, "AWS::Cognito::UserPoolGroup"):
        idp.create_group(UserPoolId=pool_id, GroupName=str(group["GroupName"]))
    made: list[dict[str, Any]] = []
    if users:
        for username, name, role in DEMO_USERS:
            password = demo_password()
            add_user(idp, pool_id, client_id, username, name, password, [role])
            made.append(
                {
                    "username": username,
                    "password": password,
                    "groups": [role],
                    "name": name,
                    "email": f"{username}@{DEMO_DOMAIN}",
                }
            )
    return StaffPool(pool_id, client_id, made, COGNITO_TOTP_MFA_SECRET)


def add_user(
    idp: Any,
    pool_id: str,
    client_id: str,
    username: str,
    name: str,
    password: str,
    groups: list[str],
    *,
    mfa: bool = True,
) -> None:
    """A confirmed user with a permanent password, in ``groups``, their authenticator set
    up (moto's one secret) and required at sign-in."""
    from moto.cognitoidp.models import COGNITO_TOTP_MFA_SECRET

    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": f"{username}@{DEMO_DOMAIN}"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": name},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=password, Permanent=True
    )
    for group in groups:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
    if not mfa:
        return
    tokens = idp.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]
    idp.associate_software_token(AccessToken=tokens["AccessToken"])
    idp.verify_software_token(
        AccessToken=tokens["AccessToken"], UserCode=fresh_code(COGNITO_TOTP_MFA_SECRET)
    )
    idp.admin_set_user_mfa_preference(
        UserPoolId=pool_id,
        Username=username,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )


def environment(pool: StaffPool) -> dict[str, str]:
    return {"USER_POOL_ID": pool.pool_id, "USER_POOL_CLIENT_ID": pool.client_id}


Clients = Callable[[str], Any]
