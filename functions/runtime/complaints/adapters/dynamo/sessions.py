"""Staff sessions and sign-ins under way: one item each, keyed by the hash of the id in the
person's cookie, gone at sign-out (and by TTL after the absolute timeout).

A session holds the person's Cognito refresh token (the table is encrypted with the stack's
key; the token never reaches the browser) so that their tokens can be renewed, and their
groups checked again, after the ID token expires.
"""

from __future__ import annotations

from datetime import datetime

from complaints.adapters import keys
from complaints.adapters.dynamo.items import epoch, to_attributes
from complaints.adapters.dynamo.table import Table
from complaints.service.staff.sessions import SIGN_IN_LASTS, Session, SignIn


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


class SessionTable(Table):
    def save_session(self, session: Session, expires: datetime) -> None:
        item = {
            "PK": keys.session_pk(session.key),
            "SK": keys.SESSION_SK,
            "item_type": keys.SESSION_ITEM,
            "username": session.username,
            "name": session.name,
            "email": session.email,
            "groups": list(session.groups),
            "csrf": session.csrf,
            "created_at": session.created_at.isoformat(),
            "last_seen": session.last_seen.isoformat(),
            "tokens_expire_at": session.tokens_expire_at.isoformat(),
            "refresh_token": session.refresh_token,
            keys.TTL_ATTRIBUTE: epoch(expires),
        }
        self.dynamodb.put_item(TableName=self.table_name, Item=to_attributes(item))

    def get_session(self, key: str) -> Session | None:
        item = self._get(keys.session_pk(key), keys.SESSION_SK)
        if item is None:
            return None
        return Session(
            key=key,
            username=str(item["username"]),
            name=str(item["name"]),
            email=str(item["email"]),
            groups=tuple(str(g) for g in item.get("groups") or ()),
            csrf=str(item["csrf"]),
            created_at=_instant(str(item["created_at"])),
            last_seen=_instant(str(item["last_seen"])),
            tokens_expire_at=_instant(str(item["tokens_expire_at"])),
            refresh_token=str(item["refresh_token"]),
        )

    def touch_session(self, key: str, now: datetime) -> None:
        """Record that the session was used (its idle timeout starts again)."""
        from botocore.exceptions import ClientError

        try:
            self.dynamodb.update_item(
                TableName=self.table_name,
                Key={"PK": {"S": keys.session_pk(key)}, "SK": {"S": keys.SESSION_SK}},
                UpdateExpression="SET last_seen = :now",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":now": {"S": now.isoformat()}},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def end_session(self, key: str) -> None:
        """Sign-out: the session is gone (its refresh token with it)."""
        self.dynamodb.delete_item(
            TableName=self.table_name,
            Key={"PK": {"S": keys.session_pk(key)}, "SK": {"S": keys.SESSION_SK}},
        )

    def save_sign_in(self, sign_in: SignIn) -> None:
        item = {
            "PK": keys.signin_pk(sign_in.key),
            "SK": keys.SIGNIN_SK,
            "item_type": keys.SIGNIN_ITEM,
            "username": sign_in.username,
            "challenge": sign_in.challenge,
            "cognito_session": sign_in.cognito_session,
            "csrf": sign_in.csrf,
            "started_at": sign_in.started_at.isoformat(),
            "secret_code": sign_in.secret_code,
            keys.TTL_ATTRIBUTE: epoch(sign_in.started_at + SIGN_IN_LASTS),
        }
        self.dynamodb.put_item(TableName=self.table_name, Item=to_attributes(item))

    def get_sign_in(self, key: str) -> SignIn | None:
        item = self._get(keys.signin_pk(key), keys.SIGNIN_SK)
        if item is None:
            return None
        return SignIn(
            key=key,
            username=str(item["username"]),
            challenge=str(item["challenge"]),
            cognito_session=str(item["cognito_session"]),
            csrf=str(item["csrf"]),
            started_at=_instant(str(item["started_at"])),
            secret_code=str(item["secret_code"]) if item.get("secret_code") else None,
        )

    def end_sign_in(self, key: str) -> None:
        self.dynamodb.delete_item(
            TableName=self.table_name,
            Key={"PK": {"S": keys.signin_pk(key)}, "SK": {"S": keys.SIGNIN_SK}},
        )
