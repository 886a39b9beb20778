"""The running local stack's state file (``.local/stack.json`` in the checkout).

``make run`` writes it; the CLI reads it (``--local``) to find the stack of the same checkout:
the embedded AWS endpoint, the table, and the environment the handlers run with; and the demo
staff who can sign in to the console (``staff_users``: username, password, groups; and the
local pool's ``totp_secret``). Those passwords are made afresh at each start and exist only
in this file (ignored by git); the embedded AWS takes any credentials.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[4]
STATE_DIR_ENV = "COMPLAINTS_LOCAL_STATE"
STATE_FILE = "stack.json"
EMAILS_FILE = "emails.jsonl"
DEAD_LETTERS_FILE = "dead-letters.jsonl"
REGION = "eu-west-2"
# The embedded AWS accepts any credentials; these make sure no real ones are ever sent to it.
LOCAL_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
}


def state_dir() -> Path:
    return Path(os.environ.get(STATE_DIR_ENV) or ROOT / ".local")


@dataclass
class StackState:
    pid: int
    site_url: str
    endpoint: str
    region: str
    table_name: str
    emails_file: str
    environment: dict[str, str] = field(default_factory=dict)
    staff_users: list[dict[str, object]] = field(default_factory=list)
    totp_secret: str | None = None
    # the template's EventBridge rules to queues: the command line's email draws the SES
    # mailbox simulator's events too (``simulator.py``)
    event_rules: list[dict[str, Any]] = field(default_factory=list)

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / STATE_FILE
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        temporary.replace(path)
        return path


class NoLocalStack(Exception):  # noqa: N818 (a state, not an error in the code)
    """No embedded stack of this checkout is running."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state(directory: Path | None = None) -> StackState:
    path = (directory or state_dir()) / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = StackState(**data)
    except (FileNotFoundError, ValueError, TypeError):
        raise NoLocalStack(
            "No local stack is running for this checkout. Start it with `make run`."
        ) from None
    if not _alive(state.pid):
        raise NoLocalStack(
            "The local stack that wrote .local/stack.json has stopped. Start it with `make run`."
        )
    return state


def remove_state(directory: Path, pid: int) -> None:
    """Remove the state file if it is still ours."""
    path = directory / STATE_FILE
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == pid:
            path.unlink()
    except (FileNotFoundError, ValueError):
        pass
