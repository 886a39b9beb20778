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
    from complaints.adapters.dynamo import Repository
    from complaints.adapters.scheduler import Scheduler
    from complaints.service.outbox import Mail


@dataclass(frozen=True)
class Adapters:
    store: Repository
    mail: Mail  # Amazon SES or GOV.UK Notify: council.yaml's ``sender``
    schedules: Scheduler


_store: list[Repository] = []
_adapters: list[Adapters] = []


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


def reset() -> None:
    """Forget every adapter, AWS client and the environment read so far."""
    from complaints.adapters import clients, secrets

    _store.clear()
    _adapters.clear()
    clients.reset()
    secrets.forget()
