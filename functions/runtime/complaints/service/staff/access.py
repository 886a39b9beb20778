"""The access log: every view of a case and every action on it, by whom and when. Children's
records need it. Append-only: entries are only ever added (no code path updates or deletes
one; the functions' IAM policies deny it too), and auditors read it per case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

AccessKind = Literal["viewed", "acted", "printed"]
# Where it happened: the console, the command line (`complaints show`), ...
Channel = Literal["console", "cli"]


@dataclass(frozen=True)
class AccessEntry:
    reference: str
    at: datetime  # security time (wall clock): when it really happened
    by: str  # the person's name (never "root")
    username: str  # their sign-in name, or the operator's login on the command line
    kind: AccessKind
    what: str  # e.g. "case page", "acknowledge", "complaints show": never case contents
    channel: Channel = "console"


class AccessLog(Protocol):
    def record_access(self, entry: AccessEntry) -> None: ...

    def access_entries(self, reference: str) -> list[AccessEntry]: ...
