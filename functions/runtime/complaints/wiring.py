"""The composition root: the adapters, made once per cold start from the environment
(``complaints.environment``), and handed to the service layer by the handlers.

Nothing is made at import: the first request that needs the table (or email, or Scheduler)
makes it, so a cold start pays only for what its first request uses. ``reset`` forgets them
all, with the environment and the AWS clients (the tests, the local stack and the command line
point the process at another stack).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from complaints.adapters.cognito import Cognito
    from complaints.adapters.dynamo import Repository
    from complaints.adapters.scheduler import Scheduler
    from complaints.console.app import Console
    from complaints.service.outbox import Mail


@dataclass(frozen=True)
class Adapters:
    store: Repository
    mail: Mail  # Amazon SES or GOV.UK Notify: council.yaml's ``sender``
    schedules: Scheduler


_store: list[Repository] = []
_adapters: list[Adapters] = []
_cognito: list[Cognito] = []
_console: list[Console] = []


def store() -> Repository:
    """The complaints table (all the API needs)."""
    if not _store:
        from complaints.adapters.dynamo import Repository

        _store.append(Repository())
    return _store[0]


def adapters() -> Adapters:
    """The table, the sender and the scheduler (what the outbox and the checks need)."""
    if not _adapters:
        from complaints.adapters.scheduler import Scheduler

        _adapters.append(Adapters(store(), sender(), Scheduler()))
    return _adapters[0]


def sender() -> Mail:
    """The sender ``council.yaml`` chooses: Amazon SES (``ses``) or GOV.UK Notify (``notify``).
    Nothing is read from AWS until the first email (Notify's key, from Secrets Manager)."""
    from complaints.settings import load_settings

    if load_settings().sender == "notify":
        from complaints.adapters.notify import NotifySender

        return NotifySender()
    from complaints.adapters.mailer import Mailer

    return Mailer()


def cognito() -> Cognito:
    """The staff's user pool (``USER_POOL_ID``): the console's sign-in and staff management."""
    if not _cognito:
        from complaints.adapters.cognito import Cognito

        _cognito.append(Cognito())
    return _cognito[0]


def console() -> Console:
    """The staff console (its own function): the table (cases, sessions, the access log), the
    pool and its tokens' check, and the business clock. It sends nothing itself (its role may
    not email or schedule): what a change queues, the outbox worker sends from the stream."""
    if not _console:
        from complaints import clock
        from complaints.console.app import Console
        from complaints.console.auth import Auth
        from complaints.console.tokens import IdClaims, verify_id_token
        from complaints.environment import environment

        env = environment()
        pool = cognito()
        table = store()

        def verify(token: str) -> IdClaims:
            return verify_id_token(token, pool_id=pool.pool_id, client_id=pool.client_id)

        _console.append(
            Console(
                store=table,
                auth=Auth(table, pool, verify),
                cognito=pool,
                business_now=clock.now,
                federated=bool(env.auth_domain and env.identity_provider),
            )
        )
    return _console[0]


def reset() -> None:
    """Forget every adapter, AWS client and the environment read so far."""
    from complaints.adapters import clients, secrets

    _store.clear()
    _adapters.clear()
    _cognito.clear()
    _console.clear()
    clients.reset()
    secrets.forget()
