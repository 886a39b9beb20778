"""Amazon Cognito for the staff console: signing in (password, then the TOTP code, or the
first sign-in's new password and authenticator setup), renewing tokens, and managing staff.

The admin flows (``AdminInitiateAuth``) need the console's IAM role, so the pool's password
sign-in cannot be driven from anywhere else. Locally the same calls reach moto's cognito-idp.
Errors come back as ``CognitoError`` with a code the console turns into plain words; no
password, code or token is ever logged or put in an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from complaints.adapters.clients import client
from complaints.environment import environment

POOL_ENV = "USER_POOL_ID"
CLIENT_ENV = "USER_POOL_CLIENT_ID"
ROLE_GROUPS = ("officer", "manager", "front_door", "auditor")


class CognitoError(Exception):
    """A refusal from Cognito: ``code`` is its error code (never the message, which can
    echo what was typed)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Tokens:
    id_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_in: int = 3600


@dataclass(frozen=True)
class Challenge:
    name: str  # SOFTWARE_TOKEN_MFA, MFA_SETUP, NEW_PASSWORD_REQUIRED, ...
    session: str = field(repr=False)


@dataclass(frozen=True)
class StaffMember:
    username: str
    name: str
    email: str
    enabled: bool
    groups: tuple[str, ...]


def _answer(result: dict[str, Any]) -> Tokens | Challenge:
    if "AuthenticationResult" in result:
        found = result["AuthenticationResult"]
        return Tokens(
            id_token=found["IdToken"],
            refresh_token=found.get("RefreshToken"),
            expires_in=int(found.get("ExpiresIn", 3600)),
        )
    return Challenge(result["ChallengeName"], result["Session"])


class Cognito:
    def __init__(self, pool_id: str | None = None, client_id: str | None = None) -> None:
        settings = environment()
        self.pool_id = pool_id or settings.required(settings.user_pool_id, POOL_ENV)
        self.client_id = client_id or settings.required(settings.user_pool_client_id, CLIENT_ENV)
        self._idp: Any = None

    @property
    def idp(self) -> Any:
        if self._idp is None:
            self._idp = client("cognito-idp")
        return self._idp

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        from botocore.exceptions import ClientError

        try:
            return dict(getattr(self.idp, operation)(**kwargs))
        except ClientError as error:
            raise CognitoError(error.response.get("Error", {}).get("Code", "Unknown")) from None

    # ---- signing in ----------------------------------------------------------------------

    def sign_in(self, username: str, password: str) -> Tokens | Challenge:
        return _answer(
            self._call(
                "admin_initiate_auth",
                UserPoolId=self.pool_id,
                ClientId=self.client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": password},
            )
        )

    def respond(
        self, challenge: str, session: str, username: str, **answers: str
    ) -> Tokens | Challenge:
        return _answer(
            self._call(
                "admin_respond_to_auth_challenge",
                UserPoolId=self.pool_id,
                ClientId=self.client_id,
                ChallengeName=challenge,
                Session=session,
                ChallengeResponses={"USERNAME": username, **answers},
            )
        )

    def answer_code(self, session: str, username: str, code: str) -> Tokens | Challenge:
        return self.respond("SOFTWARE_TOKEN_MFA", session, username, SOFTWARE_TOKEN_MFA_CODE=code)

    def new_password(self, session: str, username: str, password: str) -> Tokens | Challenge:
        return self.respond("NEW_PASSWORD_REQUIRED", session, username, NEW_PASSWORD=password)

    def authenticator_secret(self, session: str) -> tuple[str, str]:
        """First sign-in: the key to add to an authenticator app, and the next session."""
        found = self._call("associate_software_token", Session=session)
        return str(found["SecretCode"]), str(found.get("Session") or session)

    def finish_authenticator(self, session: str, username: str, code: str) -> Tokens | Challenge:
        found = self._call(
            "verify_software_token", Session=session, UserCode=code, FriendlyDeviceName="console"
        )
        return self.respond("MFA_SETUP", str(found.get("Session") or session), username)

    def refresh(self, refresh_token: str) -> Tokens:
        """New tokens (and so the person's current groups); refused for a disabled user."""
        found = _answer(
            self._call(
                "admin_initiate_auth",
                UserPoolId=self.pool_id,
                ClientId=self.client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token},
            )
        )
        if not isinstance(found, Tokens):
            raise CognitoError("ChallengeOnRefresh")
        return found

    # ---- staff ---------------------------------------------------------------------------

    def staff(self) -> list[StaffMember]:
        """Everyone in a role group, with their groups (one call per role)."""
        people: dict[str, dict[str, Any]] = {}
        groups: dict[str, list[str]] = {}
        for group in ROLE_GROUPS:
            token: str | None = None
            while True:
                request: dict[str, Any] = {"UserPoolId": self.pool_id, "GroupName": group}
                if token:
                    request["NextToken"] = token
                found = self._call("list_users_in_group", **request)
                for user in found.get("Users", []):
                    people[user["Username"]] = user
                    groups.setdefault(user["Username"], []).append(group)
                token = found.get("NextToken")
                if not token:
                    break
        members = []
        for username, user in people.items():
            attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
            members.append(
                StaffMember(
                    username=username,
                    name=attributes.get("name", username),
                    email=attributes.get("email", ""),
                    enabled=bool(user.get("Enabled", True)),
                    groups=tuple(groups[username]),
                )
            )
        return sorted(members, key=lambda m: m.name.casefold())

    def add_staff(self, username: str, name: str, email: str, role: str) -> None:
        """A new member of staff: Cognito emails them a temporary password; at their first
        sign-in they choose their own and set up their authenticator."""
        self._call(
            "admin_create_user",
            UserPoolId=self.pool_id,
            Username=username,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": name},
            ],
            DesiredDeliveryMediums=["EMAIL"],
        )
        self.set_role(username, role, True)

    def set_role(self, username: str, role: str, member: bool) -> None:
        operation = "admin_add_user_to_group" if member else "admin_remove_user_from_group"
        self._call(operation, UserPoolId=self.pool_id, Username=username, GroupName=role)

    def remove_staff(self, username: str) -> None:
        """A leaver: their account is disabled (kept for the audit trail, never deleted) and
        signed out everywhere, so their refresh token stops working at once."""
        self._call("admin_disable_user", UserPoolId=self.pool_id, Username=username)
        self._call("admin_user_global_sign_out", UserPoolId=self.pool_id, Username=username)
