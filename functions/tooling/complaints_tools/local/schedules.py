"""A local stand-in for EventBridge Scheduler firing one-time schedules.

The embedded AWS stores schedules but never runs them. This looks through the stack's
schedule group, and when an ``at()`` schedule's time (in its time zone) has come, calls the
target function's handler in-process with the schedule's ``Input``, then deletes the schedule
when ``ActionAfterCompletion`` is ``DELETE``. A target whose handler does not exist yet is left
alone; a failing one is retried on later passes, up to ``max_attempts``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from complaints.clock import now as business_now
from complaints_tools.local.background import BackgroundLoop
from complaints_tools.local.invoke import context, load_handler

AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
DEFAULT_CHECK_HANDLER = "complaints.handlers.checks.handler"


def fire_time(schedule: Mapping[str, Any]) -> datetime | None:
    """When a one-time schedule fires (aware), or ``None`` for other expressions."""
    found = AT.match(str(schedule.get("ScheduleExpression", "")))
    if not found:
        return None
    zone = ZoneInfo(str(schedule.get("ScheduleExpressionTimezone") or "UTC"))
    return datetime.fromisoformat(found.group(1)).replace(tzinfo=zone)


class SchedulerEmulator(BackgroundLoop):
    label = "scheduler"

    def __init__(
        self,
        scheduler: Any,
        group: str,
        handlers: Mapping[str, str],
        *,
        clock: Callable[[], datetime] = business_now,
        interval: float = 1.0,
        max_attempts: int = 3,
        on_error: Callable[[str], None] = print,
    ) -> None:
        self.scheduler = scheduler
        self.group = group
        self.handlers = dict(handlers)  # target ARN -> "module.function"
        self.clock = clock
        self.interval = interval
        self.max_attempts = max_attempts
        self.on_error = on_error
        self.attempts: dict[str, int] = {}
        self.fired: list[str] = []
        # name -> (version seen in the listing, when it fires): one GetSchedule per schedule
        # version, not one per schedule every pass (thousands of cases would hog the stack)
        self._fire_times: dict[str, tuple[str, datetime | None]] = {}
        self._prepare_thread("scheduler")

    def poll_once(self) -> bool:
        self.run_due()
        return False  # rest a full interval between passes

    def _listing(self) -> dict[str, str]:
        """Each schedule's name and version (its last change) in the group."""
        found: dict[str, str] = {}
        paginator = self.scheduler.get_paginator("list_schedules")
        for page in paginator.paginate(GroupName=self.group):
            for item in page.get("Schedules", []):
                version = item.get("LastModificationDate") or item.get("CreationDate") or ""
                found[item["Name"]] = f"{version}|{item.get('State', '')}"
        return found

    def _fire_time(self, name: str, version: str) -> datetime | None:
        known = self._fire_times.get(name)
        if known is not None and known[0] == version:
            return known[1]
        schedule = self.scheduler.get_schedule(Name=name, GroupName=self.group)
        when = None if schedule.get("State") == "DISABLED" else fire_time(schedule)
        self._fire_times[name] = (version, when)
        return when

    def run_due(self) -> int:
        """Fire every schedule due by now; returns how many fired."""
        now = self.clock()
        fired = 0
        listing = self._listing()
        for name in set(self._fire_times) - set(listing):
            del self._fire_times[name]
        for name, version in listing.items():
            if self.attempts.get(name, 0) >= self.max_attempts:
                continue
            when = self._fire_time(name, version)
            if when is None or when > now:
                continue
            schedule = self.scheduler.get_schedule(Name=name, GroupName=self.group)
            if schedule.get("State") == "DISABLED" or fire_time(schedule) != when:
                self._fire_times.pop(name, None)  # changed since: look again next pass
                continue
            target = schedule.get("Target", {})
            handler = load_handler(self.handlers.get(target.get("Arn", ""), DEFAULT_CHECK_HANDLER))
            if handler is None:
                continue  # the escalation-check function is not part of this checkout yet
            try:
                handler(json.loads(target.get("Input") or "{}"), context("complaints-check-local"))
            except Exception as error:
                self.attempts[name] = self.attempts.get(name, 0) + 1
                self.on_error(f"schedule {name} failed: {type(error).__name__}")
                continue
            fired += 1
            self.fired.append(name)
            if schedule.get("ActionAfterCompletion") == "DELETE":
                self.scheduler.delete_schedule(Name=name, GroupName=self.group)
        return fired
