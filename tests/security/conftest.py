"""Security tests: the integration fixtures (moto in-process, the stack of ``template.yaml``),
plus ``heard``: every log record, from any logger, and every warning while a test runs."""

from __future__ import annotations

import json
import logging
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.integration.conftest import Stack, aws, stack

__all__ = ["Heard", "Stack", "aws", "heard", "stack"]

# Our own loggers: the powertools Logger of each Lambda, by service name.
OWN_LOGGERS = ("complaints-api", "complaints-outbox", "complaints-checks", "complaints-console")
# Libraries' own tracing. botocore and urllib3 log every request's parameters and body at
# DEBUG (their "wire log"): that is personal data by design, and it is off in production
# (the Lambda runtime's root logger is at WARNING unless ApplicationLogLevel is DEBUG, which
# template.yaml never sets; powertools' package logger discards everything unless
# POWERTOOLS_DEBUG is set). They are held at INFO here, stricter than production, so their
# INFO and above is still checked while our own code is checked at DEBUG.
LIBRARY_LOGGERS = (
    "botocore",
    "boto3",
    "urllib3",
    "s3transfer",
    "moto",
    "werkzeug",
    "aws_lambda_powertools",
)


@dataclass
class Heard:
    """What the system said, other than its answers: log lines and warnings."""

    records: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join([*self.records, *self.warnings])


def _everything_in(logger: logging.Logger, record: logging.LogRecord) -> str:
    """The record as any handler could write it: message, every attribute (``extra`` keys
    land here), the traceback, and each of the logger's own formatters' output (powertools
    adds its appended keys there)."""
    parts = [logger.name]
    try:
        parts.append(record.getMessage())
    except Exception:  # a broken format string still shows its parts
        parts.append(repr((record.msg, record.args)))
    parts.append(json.dumps(vars(record), default=repr, ensure_ascii=False))
    if record.exc_info and record.exc_info[1] is not None:
        parts.append("".join(traceback.format_exception(record.exc_info[1])))
    for handler in logger.handlers:
        if handler.formatter is not None:
            try:
                parts.append(handler.formatter.format(record))
            except Exception as error:  # never hide a record because a formatter failed
                parts.append(f"<formatter failed: {type(error).__name__}>")
    return "\n".join(parts)


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Iterator[Heard]:
    """Listen to every log record of every logger (whatever its handlers or ``propagate``:
    ``Logger.callHandlers`` is where each record goes out) and every warning."""
    import complaints.handlers.api
    import complaints.handlers.checks
    import complaints.handlers.outbox  # noqa: F401  (their loggers exist from here)

    found = Heard()
    original = logging.Logger.callHandlers

    def listening(self: logging.Logger, record: logging.LogRecord) -> None:
        found.records.append(_everything_in(self, record))
        original(self, record)

    monkeypatch.setattr(logging.Logger, "callHandlers", listening)
    levels: dict[str, int] = {}
    for name, level in [
        ("", logging.DEBUG),
        *((own, logging.DEBUG) for own in OWN_LOGGERS),
        *((library, logging.INFO) for library in LIBRARY_LOGGERS),
    ]:
        logger = logging.getLogger(name or None)
        levels[name] = logger.level
        logger.setLevel(level)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield found
            found.warnings.extend(
                f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught
            )
    finally:
        for name, level in levels.items():
            logging.getLogger(name or None).setLevel(level)


def cli_runner() -> Any:
    """Run the staff CLI in this process (Typer's runner): ``run(*args) -> (exit code, text)``,
    the text being everything it wrote to stdout and stderr."""
    from typer.testing import CliRunner

    from complaints_tools.cli import _register, app

    _register()
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    return run


@pytest.fixture
def ses_requests(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The parameters of every email sent to SES from now on (``SendEmail`` of SES v2, and
    v1's ``SendEmail``/``SendRawEmail`` should anything use them), as boto3 sends them."""
    import botocore.client

    sent: list[dict[str, Any]] = []
    original = botocore.client.BaseClient._make_api_call

    def recording(self: Any, operation_name: str, api_params: Any) -> Any:
        service = self.meta.service_model.service_name
        if service in {"sesv2", "ses"} and operation_name.startswith("Send"):
            sent.append({"operation": f"{service}:{operation_name}", **api_params})
        return original(self, operation_name, api_params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", recording)
    return sent
