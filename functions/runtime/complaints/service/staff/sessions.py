"""A signed-in session's rules: an opaque id in the cookie (only its hash is stored), an idle
and an absolute timeout (council settings), and a CSRF token every form posts back.

Sessions run on security time (``clock.wall_now``), never the local stack's movable business
clock: moving the clock forward to test deadlines must not sign anyone out, or in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

SESSION_BYTES = 32
# Write the last-seen time back at most this often (a page view does not cost a write).
TOUCH_EVERY = timedelta(minutes=1)


def new_secret() -> str:
    """256 random bits, URL-safe: a session id or a CSRF token."""
    return secrets.token_urlsafe(SESSION_BYTES)


def session_key(session_id: str) -> str:
    """What the table stores for a session id: its SHA-256 (a copy of the table signs no one
    in)."""
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison; a missing value never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta
    absolute: timedelta

    @classmethod
    def from_settings(cls) -> Timeouts:
        from complaints.settings import load_settings

        console = load_settings().staff_console
        return cls(
            idle=timedelta(minutes=console.idle_minutes),
            absolute=timedelta(hours=console.absolute_hours),
        )


@dataclass(frozen=True)
class Session:
    """What the table holds for a signed-in person (the id itself is only in the cookie)."""

    key: str  # session_key(id)
    username: str
    name: str
    email: str
    groups: tuple[str, ...]
    csrf: str
    created_at: datetime
    last_seen: datetime
    tokens_expire_at: datetime  # the ID token's expiry: refreshed after it
    refresh_token: str = field(repr=False)

    def expired(self, now: datetime, timeouts: Timeouts) -> bool:
        """Past the idle or the absolute timeout."""
        return now - self.last_seen >= timeouts.idle or now - self.created_at >= timeouts.absolute

    def ends_at(self, timeouts: Timeouts) -> datetime:
        """When the session can last no longer (for the table's TTL)."""
        return self.created_at + timeouts.absolute

    def needs_refresh(self, now: datetime) -> bool:
        return now >= self.tokens_expire_at

    def needs_touch(self, now: datetime) -> bool:
        return now - self.last_seen >= TOUCH_EVERY

    def seen(self, now: datetime) -> Session:
        return replace(self, last_seen=now)


@dataclass(frozen=True)
class SignIn:
    """A sign-in under way (between the password and the code): Cognito's challenge session,
    kept server-side behind its own cookie, never in the page."""

    key: str
    username: str
    challenge: str  # SOFTWARE_TOKEN_MFA, MFA_SETUP, NEW_PASSWORD_REQUIRED
    cognito_session: str = field(repr=False)
    csrf: str
    started_at: datetime
    secret_code: str | None = field(default=None, repr=False)  # MFA_SETUP: the key to add

    def expired(self, now: datetime) -> bool:
        return now - self.started_at >= SIGN_IN_LASTS


SIGN_IN_LASTS = timedelta(minutes=3)  # Cognito's challenge sessions last 3 minutes
