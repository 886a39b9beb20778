"""Signing in and staying signed in.

1. ``/staff/sign-in``: username and password go to Cognito (``AdminInitiateAuth``). The pool
   requires MFA, so Cognito answers with a challenge: the TOTP code, or at a first sign-in a
   new password and then an authenticator to set up. The challenge's Cognito session is kept
   in the table behind a short-lived ``staff_signin`` cookie, never in the page.
2. When Cognito issues tokens, the ID token is verified (``tokens``) and a session is made:
   a random id in the ``staff_session`` cookie (``HttpOnly``, ``SameSite=Lax``, and over https
   ``Secure`` with the ``__Host-`` prefix), its hash as the table's key, the person's name,
   email and groups, a CSRF token, and the refresh token.
3. Every request finds the session by the cookie and refuses it past the idle or absolute
   timeout (council settings). After the ID token expires (an hour), the refresh token gets
   new tokens, verified again: a disabled user, or a group taken away, takes effect then.
4. Sign-out deletes the session (and its refresh token).

Times here are security time (``clock.wall_now``), never the movable business clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from complaints.clock import wall_now
from complaints.console.web import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    Request,
    clear_cookie,
    cookie_name,
    set_cookie,
)
from complaints.service.staff.permissions import Staff
from complaints.service.staff.sessions import (
    Session,
    SignIn,
    Timeouts,
    new_secret,
    same_secret,
    session_key,
)

if TYPE_CHECKING:
    from complaints.adapters.cognito import Challenge, Cognito, Tokens
    from complaints.console.tokens import IdClaims

Verify = Callable[[str], "IdClaims"]


class SignInError(Exception):
    """A sign-in step refused: ``message`` is for the person, in plain words."""

    def __init__(self, message: str, field: str = "password") -> None:
        super().__init__(message)
        self.message, self.field = message, field


COGNITO_WORDS = {
    "NotAuthorizedException": "Enter a correct username and password.",
    "UserNotFoundException": "Enter a correct username and password.",
    "CodeMismatchException": "Enter the 6-digit code your authenticator app shows now.",
    "EnableSoftwareTokenMFAException": "Enter the 6-digit code your authenticator app shows now.",
    "ExpiredCodeException": "That code has expired. Enter the code your app shows now.",
    "InvalidPasswordException": (
        "Choose a password of at least 14 characters with upper and lower case letters, "
        "a number and a symbol."
    ),
    "PasswordResetRequiredException": "Your password must be reset: ask a complaints manager.",
    "TooManyRequestsException": "Too many tries. Wait a few minutes, then try again.",
    "LimitExceededException": "Too many tries. Wait a few minutes, then try again.",
    "TooManyFailedAttemptsException": "Too many tries. Wait a few minutes, then try again.",
}


def plain(code: str) -> str:
    return COGNITO_WORDS.get(code, "Signing in did not work. Try again.")


@dataclass(frozen=True)
class Signed:
    """A request's signed-in person and their session (with cookies to set, if any)."""

    staff: Staff
    session: Session
    cookies: tuple[str, ...] = ()


class Auth:
    """Sessions and sign-ins over the table (``store``) and Cognito (``cognito``)."""

    def __init__(
        self,
        store: Any,
        cognito: Cognito,
        verify: Verify,
        timeouts: Timeouts | None = None,
        now: Callable[[], datetime] = wall_now,
    ) -> None:
        self.store, self.cognito, self.verify = store, cognito, verify
        self.timeouts = timeouts or Timeouts.from_settings()
        self.now = now

    # ---- the session of a request ------------------------------------------------------

    def current(self, request: Request) -> Signed | None:
        """The signed-in person, or ``None`` (no cookie, an unknown, expired or ended
        session, or tokens that can no longer be renewed)."""
        session_id = request.cookies.get(cookie_name(SESSION_COOKIE))
        if not session_id:
            return None
        key = session_key(session_id)
        session = self.store.get_session(key)
        now = self.now()
        if session is None:
            return None
        if session.expired(now, self.timeouts):
            self.store.end_session(key)
            return None
        if session.needs_refresh(now):
            renewed = self._renew(session)
            if renewed is None:
                self.store.end_session(key)
                return None
            session = renewed.seen(now)
            self.store.save_session(session, session.ends_at(self.timeouts))
        elif session.needs_touch(now):
            session = session.seen(now)
            self.store.touch_session(key, now)
        staff = Staff.from_groups(
            session.username, session.name, session.email, list(session.groups)
        )
        return Signed(staff, session)

    def _renew(self, session: Session) -> Session | None:
        from complaints.adapters.cognito import CognitoError
        from complaints.console.tokens import TokenError

        try:
            tokens = self.cognito.refresh(session.refresh_token)
            claims = self.verify(tokens.id_token)
        except (CognitoError, TokenError):
            return None
        if claims.username != session.username:
            return None
        return replace(
            session,
            name=claims.name,
            email=claims.email,
            groups=claims.groups,
            tokens_expire_at=claims.expires_at,
        )

    def csrf_ok(self, signed: Signed | SignIn, request: Request) -> bool:
        expected = signed.session.csrf if isinstance(signed, Signed) else signed.csrf
        return same_secret(request.value("csrf_token"), expected)

    # ---- signing in --------------------------------------------------------------------

    def begin(self, username: str, password: str) -> tuple[SignIn | None, list[str]]:
        """Check the password: a sign-in under way (a challenge to answer) and its cookie,
        or, when Cognito needs nothing more, a session's cookie (never without MFA in a
        deployed pool: the pool requires it)."""
        from complaints.adapters.cognito import CognitoError

        username = username.strip()
        if not username or not password:
            raise SignInError(
                "Enter your username and password.", "username" if not username else "password"
            )
        try:
            answer = self.cognito.sign_in(username, password)
        except CognitoError as error:
            raise SignInError(plain(error.code)) from None
        return self._next(username, answer)

    def _next(
        self, username: str, answer: Tokens | Challenge, secret_code: str | None = None
    ) -> tuple[SignIn | None, list[str]]:
        from complaints.adapters.cognito import Challenge, CognitoError

        if isinstance(answer, Challenge):
            if answer.name not in ("SOFTWARE_TOKEN_MFA", "MFA_SETUP", "NEW_PASSWORD_REQUIRED"):
                raise SignInError("This account cannot sign in here. Ask a complaints manager.")
            session = answer.session
            if answer.name == "MFA_SETUP":
                try:
                    secret_code, session = self.cognito.authenticator_secret(session)
                except CognitoError as error:
                    raise SignInError(plain(error.code)) from None
            sign_in_id = new_secret()
            sign_in = SignIn(
                key=session_key(sign_in_id),
                username=username,
                challenge=answer.name,
                cognito_session=session,
                csrf=new_secret(),
                started_at=self.now(),
                secret_code=secret_code,
            )
            self.store.save_sign_in(sign_in)
            return sign_in, [set_cookie(SIGN_IN_COOKIE, sign_in_id, max_age=180)]
        return None, self.start_session(answer)

    def sign_in_under_way(self, request: Request) -> SignIn | None:
        sign_in_id = request.cookies.get(cookie_name(SIGN_IN_COOKIE))
        if not sign_in_id:
            return None
        found = self.store.get_sign_in(session_key(sign_in_id))
        if found is None or found.expired(self.now()):
            return None
        return found  # type: ignore[no-any-return]

    def answer(self, sign_in: SignIn, value: str) -> tuple[SignIn | None, list[str]]:
        """Answer the sign-in's challenge (the code, or the new password)."""
        from complaints.adapters.cognito import CognitoError

        value = value.strip() if sign_in.challenge != "NEW_PASSWORD_REQUIRED" else value
        if sign_in.challenge != "NEW_PASSWORD_REQUIRED" and not (
            len(value) == 6 and value.isdigit()
        ):
            raise SignInError("Enter the 6-digit code your authenticator app shows now.", "code")
        try:
            if sign_in.challenge == "SOFTWARE_TOKEN_MFA":
                answer = self.cognito.answer_code(sign_in.cognito_session, sign_in.username, value)
            elif sign_in.challenge == "MFA_SETUP":
                answer = self.cognito.finish_authenticator(
                    sign_in.cognito_session, sign_in.username, value
                )
            else:
                if not value:
                    raise SignInError("Choose a new password.", "password")
                answer = self.cognito.new_password(sign_in.cognito_session, sign_in.username, value)
        except CognitoError as error:
            field = "password" if sign_in.challenge == "NEW_PASSWORD_REQUIRED" else "code"
            raise SignInError(plain(error.code), field) from None
        self.store.end_sign_in(sign_in.key)
        following, cookies = self._next(sign_in.username, answer)
        if following is None:
            cookies.append(clear_cookie(SIGN_IN_COOKIE))
        return following, cookies

    def start_session(self, tokens: Tokens) -> list[str]:
        """A new session from verified tokens; its cookie."""
        from complaints.console.tokens import TokenError

        try:
            claims = self.verify(tokens.id_token)
        except TokenError:
            raise SignInError("Signing in did not work. Try again.") from None
        if not tokens.refresh_token:
            raise SignInError("Signing in did not work. Try again.")
        now = self.now()
        session_id = new_secret()
        session = Session(
            key=session_key(session_id),
            username=claims.username,
            name=claims.name,
            email=claims.email,
            groups=claims.groups,
            csrf=new_secret(),
            created_at=now,
            last_seen=now,
            tokens_expire_at=min(claims.expires_at, now + timedelta(seconds=tokens.expires_in)),
            refresh_token=tokens.refresh_token,
        )
        self.store.save_session(session, session.ends_at(self.timeouts))
        return [
            set_cookie(
                SESSION_COOKIE, session_id, max_age=int(self.timeouts.absolute.total_seconds())
            )
        ]

    def sign_out(self, signed: Signed) -> list[str]:
        self.store.end_session(signed.session.key)
        return [clear_cookie(SESSION_COOKIE)]
