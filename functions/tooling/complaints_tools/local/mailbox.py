"""The local stack's record of sent email (``.local/emails.jsonl``), for ``complaints emails``.

The embedded SES accepts ``SendEmail`` but keeps only the HTML part; this records what the
mailer actually sent (both parts, and the kind and reference tags) from the SES client's own
events, after SES has accepted it; and then, with a ``simulator``, lets the SES mailbox
simulator's addresses draw the events real SES would publish (``simulator.py``). Local only:
the deployed stack never loads this module.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaints import clock

if TYPE_CHECKING:
    from complaints_tools.local.simulator import SesSimulator

_KEY = "complaints_local_email"


def install(sesv2: Any, path: Path, simulator: SesSimulator | None = None) -> None:
    """Record every email ``sesv2`` sends successfully into ``path`` (idempotent); with a
    ``simulator``, publish the events SES would for its simulator addresses."""
    events = sesv2.meta.events
    sesv2._complaints_simulator = simulator or getattr(sesv2, "_complaints_simulator", None)
    if getattr(sesv2, "_complaints_mailbox", None) == str(path):
        return
    sesv2._complaints_mailbox = str(path)

    def remember(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context[_KEY] = params

    def record(
        http_response: Any, parsed: dict[str, Any], context: dict[str, Any], **_: Any
    ) -> None:
        params = context.get(_KEY)
        if not params or http_response.status_code >= 300:
            return
        simple = params.get("Content", {}).get("Simple", {})
        body = simple.get("Body", {})
        tags = {tag["Name"]: tag["Value"] for tag in params.get("EmailTags", [])}
        entry = {
            "message_id": parsed.get("MessageId"),
            "sent_at": clock.now().isoformat(),
            "from": params.get("FromEmailAddress"),
            "to": list(params.get("Destination", {}).get("ToAddresses", [])),
            "subject": simple.get("Subject", {}).get("Data", ""),
            "body": body.get("Text", {}).get("Data", ""),
            "html": body.get("Html", {}).get("Data", ""),
            "kind": tags.get("kind"),
            "reference": tags.get("reference"),
        }
        append(path, entry)
        simulator = getattr(sesv2, "_complaints_simulator", None)
        if simulator is not None:
            simulator.after_send(params, str(parsed.get("MessageId") or ""), clock.now())

    events.register("before-parameter-build.sesv2.SendEmail", remember)
    events.register("after-call.sesv2.SendEmail", record)


def append(path: Path, entry: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(json.dumps(entry) + "\n")
        handle.flush()
        fcntl.flock(handle, fcntl.LOCK_UN)


def read(path: Path) -> list[dict[str, Any]]:
    """Every recorded email, oldest first."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in lines if line.strip()]
