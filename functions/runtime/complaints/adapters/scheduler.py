"""EventBridge Scheduler: one-time ``at()`` schedules that fire escalation checks.

Schedules live in the stack's own group (``SCHEDULE_GROUP``), target the escalation-check
function (``CHECKS_FUNCTION_ARN``) through ``SCHEDULER_ROLE_ARN``, run in Europe/London time and
delete themselves after running (``ActionAfterCompletion: DELETE``). Names are deterministic,
so creating one that already exists counts as done.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from complaints.adapters.clients import client
from complaints.clock import LONDON
from complaints.environment import environment

GROUP_ENV = "SCHEDULE_GROUP"
TARGET_ENV = "CHECKS_FUNCTION_ARN"
ROLE_ENV = "SCHEDULER_ROLE_ARN"
DLQ_ENV = "SCHEDULER_DLQ_ARN"
TIME_ZONE = "Europe/London"


def at_expression(moment: datetime) -> str:
    """``at(yyyy-mm-ddThh:mm:ss)`` in Europe/London wall-clock time."""
    if moment.tzinfo is None:
        raise ValueError("needs an aware datetime")
    return f"at({moment.astimezone(LONDON):%Y-%m-%dT%H:%M:%S})"


class Scheduler:
    def __init__(self, group: str | None = None, scheduler: Any = None) -> None:
        self.settings = environment()
        self.group = group or self.settings.required(self.settings.schedule_group, GROUP_ENV)
        self._scheduler = scheduler

    @property
    def scheduler(self) -> Any:
        if self._scheduler is None:
            self._scheduler = client("scheduler")
        return self._scheduler

    def create_once(self, name: str, at: datetime, payload: Mapping[str, Any]) -> bool:
        """Create a one-time schedule; ``False`` when it already exists (created before)."""
        from botocore.exceptions import ClientError

        target: dict[str, Any] = {
            "Arn": self.settings.required(self.settings.checks_function_arn, TARGET_ENV),
            "RoleArn": self.settings.required(self.settings.scheduler_role_arn, ROLE_ENV),
            "Input": json.dumps(dict(payload), sort_keys=True),
            "RetryPolicy": {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185},
        }
        dead_letters = self.settings.scheduler_dead_letters_arn
        if dead_letters:
            target["DeadLetterConfig"] = {"Arn": dead_letters}
        try:
            self.scheduler.create_schedule(
                Name=name,
                GroupName=self.group,
                ScheduleExpression=at_expression(at),
                ScheduleExpressionTimezone=TIME_ZONE,
                FlexibleTimeWindow={"Mode": "OFF"},
                ActionAfterCompletion="DELETE",
                State="ENABLED",
                Target=target,
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConflictException":
                return False
            raise
        return True

    def delete(self, name: str) -> bool:
        """Delete a schedule; ``False`` when it was already gone (ran, or never made)."""
        from botocore.exceptions import ClientError

        try:
            self.scheduler.delete_schedule(Name=name, GroupName=self.group)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return False
            raise
        return True
