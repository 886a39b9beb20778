"""The local stack's AWS resources and the environment its handlers run with.

``prepare`` creates everything ``template.yaml`` defines (``template.py``), then fills in what
only the deployed stack can know (the site's address, the sender, which has no default) with
local values, and verifies the sender on the local SES.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from complaints_tools.infra_template import TEMPLATE_FILE as TEMPLATE
from complaints_tools.infra_template import load_template
from complaints_tools.local.template import ACCOUNT_ID, LocalResources, create_resources

Clients = Callable[[str], Any]


def prepare(
    clients: Clients,
    *,
    stack_name: str,
    region: str,
    site_url: str,
    template_path: Path = TEMPLATE,
) -> tuple[LocalResources, dict[str, str], list[str]]:
    """Create the resources; return them, the handlers' environment and any notes."""
    from complaints.settings import load_settings

    resources = create_resources(
        load_template(template_path), clients, stack_name=stack_name, region=region
    )
    # One process runs every handler here, so no function's own call budget applies: the
    # embedded AWS under load answers slower than AWS, and the defaults suit it.
    env = {k: v for k, v in resources.environment.items() if not k.startswith("AWS_CALL_")}
    notes: list[str] = []
    env["TABLE_NAME"] = resources.table_name
    env["PUBLIC_BASE_URL"] = site_url
    if "ENVIRONMENT_NAME" in env:
        env["ENVIRONMENT_NAME"] = "local"
    env.setdefault(
        "CHECKS_FUNCTION_ARN",
        f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{stack_name}-checks",
    )
    env.setdefault("SCHEDULER_ROLE_ARN", f"arn:aws:iam::{ACCOUNT_ID}:role/{stack_name}-Scheduler")

    sender = env.get("SENDER_EMAIL") or (resources.identities[0] if resources.identities else None)
    sender = sender or str(load_settings().complaints_team.email)
    env["SENDER_EMAIL"] = sender
    if sender not in resources.identities and sender.split("@")[-1] not in resources.identities:
        clients("sesv2").create_email_identity(EmailIdentity=sender)
        notes.append(f"local SES: {sender} verified as the sender")

    group = env.get("SCHEDULE_GROUP") or resources.schedule_group
    if not resources.schedule_group:
        group = group or f"{stack_name}-checks"
        clients("scheduler").create_schedule_group(Name=group)
        notes.append(f"template.yaml has no schedule group: made {group} locally")
    env["SCHEDULE_GROUP"] = str(group)
    return resources, env, notes
