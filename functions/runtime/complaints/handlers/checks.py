"""Escalation-check Lambda: the statutory clock's alarm.

Invoked by

- a one-time EventBridge Scheduler schedule, whose payload names the case and the check
  (``service.checks.plan.schedule_payload``): run that check if it should still run;
- the daily sweep (an EventBridge scheduled event, ``detail-type: Scheduled Event``, or
  ``{"sweep": true}``): run every check due by now, found through the ``ByDueDate`` index, and
  recreate missing schedules for checks due before the next sweep.

``service.checks.sweep`` and ``service.checks.run`` decide; this only wires the adapters.
Emails go out at once through the outbox (each claimed before sending, so never twice). Logs
hold references, check ids and counts: never the event, never personal data.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="complaints-checks")


def _dependencies() -> tuple[Any, Any, Any]:
    """Repository, mailer and scheduler, made once on first use (``complaints.wiring``)."""
    from complaints import wiring

    made = wiring.adapters()
    return made.store, made.mail, made.schedules


def _publish_overdue_count(store: Any, now: Any) -> int:
    """Count open cases past a deadline (``ByStatus`` index, open cases only) and publish it
    as the ``OverdueCases`` metric (CloudWatch EMF), which the overdue-cases alarm watches."""
    from aws_lambda_powertools.metrics import MetricUnit

    from complaints.clock import london_today
    from complaints.models import CaseStatus
    from complaints.service.deadlines import is_overdue

    today = london_today(now)
    overdue = sum(1 for case in store.list_cases([CaseStatus.OPEN]) if is_overdue(case, today))
    metrics = _metrics()
    metrics.add_metric(name="OverdueCases", unit=MetricUnit.Count, value=overdue)
    metrics.flush_metrics()
    return overdue


@cache
def _metrics() -> Any:
    """The function's one ``Metrics`` (CloudWatch EMF), made on the first sweep: a check fired
    by its schedule publishes none, so it does not pay for the import."""
    from aws_lambda_powertools import Metrics

    from complaints.environment import environment

    return Metrics(namespace=environment().metrics_namespace)


def _is_sweep(event: dict[str, Any]) -> bool:
    return event.get("detail-type") == "Scheduled Event" or event.get("sweep") is True


@logger.inject_lambda_context(log_event=False)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    from complaints.clock import now as clock_now
    from complaints.service.casework import sender

    now = clock_now()
    store, mail, schedules = _dependencies()
    deliver = sender(store, mail, schedules, now)
    if _is_sweep(event):
        from complaints.service.checks.sweep import sweep

        report = sweep(store, now, deliver=deliver, schedules=schedules)
        summary = {
            "read": report.read,
            "due": report.due,
            "ran": len(report.ran),
            "skipped": report.skipped,
            "emails": report.emails,
            "schedules_recreated": report.schedules_recreated,
            "outbox_unsent": report.outbox_unsent,
            "outbox_sent": report.outbox_sent,
            "failed": len(report.failed),
        }
        summary["overdue_cases"] = _publish_overdue_count(store, now)
        logger.info("sweep", extra={**summary, "failed_references": report.failed})
        return summary

    from complaints.service.checks.sweep import run_one

    try:
        reference, check_id = str(event["reference"]), str(event["check"])
    except (KeyError, TypeError):
        logger.warning("not a check payload")
        return {"ran": False}
    from complaints.service.casework import CaseNotFoundError

    try:
        applied = run_one(store, reference, check_id, now, deliver)
    except CaseNotFoundError:  # gone (retention expired): nothing to check
        logger.info("check for a case that no longer exists", extra={"reference": reference})
        return {"reference": reference, "check": check_id, "ran": False}
    ran = applied is not None
    logger.info("check", extra={"reference": reference, "check": check_id, "ran": ran})
    return {"reference": reference, "check": check_id, "ran": ran}
