"""The embedded AWS's Scheduler, called in this process: the few ``scheduler`` client calls the
local stack makes itself, answered by moto's own backend rather than over HTTP.

The stack's scheduler emulation looks through every schedule each second, and a restart makes
one schedule per pending check. Over HTTP, with 10,000 cases (20,000 schedules), one look took
about 5 seconds and the restart's schedules about a minute; here, milliseconds. Answers have
the shapes of boto3's (errors are ``ClientError`` with the service's codes), so the adapter
(``adapters.scheduler.Scheduler``) and the emulation (``schedules.py``) use this as they use the
client. Local only: the deployed stack never loads this module.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from complaints_tools.local.template import ACCOUNT_ID


def moto_scheduler(group: str, region: str) -> Any:
    """The embedded AWS's Scheduler backend that holds ``group``."""
    from moto.scheduler.models import scheduler_backends

    accounts = [ACCOUNT_ID, *(a for a in scheduler_backends if a != ACCOUNT_ID)]
    for account in accounts:
        backend = scheduler_backends[account][region]
        if group in backend.schedule_groups:
            return backend
    raise RuntimeError(f"the embedded AWS has no schedule group {group}")


def _answer(operation: str, call: Callable[[], Any]) -> Any:
    """Moto's own errors as boto3 raises them."""
    from botocore.exceptions import ClientError
    from moto.core.exceptions import JsonRESTError

    try:
        return call()
    except JsonRESTError as error:
        detail = {"Error": {"Code": error.error_type, "Message": error.message}}
        raise ClientError(detail, operation) from None


class EmbeddedScheduler:
    """``create_schedule``, ``get_schedule``, ``delete_schedule`` and the ``list_schedules``
    paginator of a boto3 ``scheduler`` client, in process."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def create_schedule(self, **request: Any) -> dict[str, Any]:
        schedule = _answer(
            "CreateSchedule",
            lambda: self.backend.create_schedule(
                description=request.get("Description"),
                end_date=None,
                flexible_time_window=request["FlexibleTimeWindow"],
                group_name=request["GroupName"],
                kms_key_arn=None,
                name=request["Name"],
                schedule_expression=request["ScheduleExpression"],
                schedule_expression_timezone=request.get("ScheduleExpressionTimezone"),
                start_date=None,
                state=request.get("State"),
                target=json.loads(json.dumps(request["Target"])),
                action_after_completion=request.get("ActionAfterCompletion"),
            ),
        )
        return {"ScheduleArn": schedule.arn}

    def get_schedule(self, Name: str, GroupName: str) -> dict[str, Any]:  # noqa: N803 (boto3)
        schedule = _answer("GetSchedule", lambda: self.backend.get_schedule(GroupName, Name))
        answer: dict[str, Any] = json.loads(json.dumps(schedule.to_dict(), default=str))
        return answer

    def delete_schedule(self, Name: str, GroupName: str) -> dict[str, Any]:  # noqa: N803
        _answer("DeleteSchedule", lambda: self.backend.delete_schedule(GroupName, Name))
        return {}

    def get_paginator(self, operation: str) -> _Listing:
        if operation != "list_schedules":
            raise NotImplementedError(operation)
        return _Listing(self.backend)


class _Listing:
    def __init__(self, backend: Any) -> None:
        self.backend = backend

    def paginate(self, GroupName: str) -> Iterator[dict[str, Any]]:  # noqa: N803 (boto3)
        group = _answer("ListSchedules", lambda: self.backend.get_schedule_group(GroupName))
        schedules = list(group.schedules.values())  # one copy: others may add meanwhile
        yield {"Schedules": [schedule.to_dict(short=True) for schedule in schedules]}
