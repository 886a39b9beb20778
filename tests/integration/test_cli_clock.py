"""The clock from the staff CLI on a deployed stack (moto in-process): real time, always.

``checks run --now`` may be now or earlier (catching up), never later: a later one is refused
and nothing is done. A local clock file left in the environment is never read there.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from complaints import clock
from complaints.adapters.dynamo import Repository
from complaints.service.intake import receive
from tests.integration.conftest import Stack
from tests.integration.test_intake_storage import submission

runner = CliRunner()


@pytest.fixture
def cli(stack: Stack) -> Any:
    from complaints_tools.cli import _register, app

    _register()

    def run(*args: str) -> Any:
        return runner.invoke(app, list(args))

    return run


@pytest.fixture
def moved_clock_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local clock file 30 days ahead, named in the environment as if left by ``--local``."""
    path = tmp_path / "clock.json"
    path.write_text(json.dumps({"offset_seconds": 30 * 86400}), encoding="utf-8")
    monkeypatch.setenv(clock.CLOCK_FILE_ENV, str(path))
    return path


def test_a_later_now_is_refused_and_nothing_is_done(cli: Any) -> None:
    filed = receive(submission(), Repository(), now=datetime.now(UTC) - timedelta(days=60))
    reference = filed.receipt.reference
    tomorrow = (clock.london_today() + timedelta(days=1)).isoformat()

    refused = cli("checks", "run", "--now", tomorrow)
    assert refused.exit_code == 1
    assert "is in the future" in refused.output
    assert "deployed stack runs on real time" in refused.output
    shown = json.loads(cli("show", reference, "--json").stdout)
    assert "overdue" not in [e["type"] for e in shown["events"]]  # no check ran

    yesterday = (clock.london_today() - timedelta(days=1)).isoformat()
    caught_up = cli("checks", "run", "--now", yesterday, "--json")
    assert caught_up.exit_code == 0, caught_up.output
    assert len(json.loads(caught_up.stdout)["ran"]) == 3  # acknowledgement, reminder, deadline


def test_a_local_clock_file_is_never_read_on_a_deployed_stack(
    cli: Any, moved_clock_file: Path
) -> None:
    assert clock.now() - clock.wall_now() > timedelta(days=29)  # what --local would read
    ran = cli("checks", "run", "--json")
    assert ran.exit_code == 0, ran.output
    assert datetime.fromisoformat(json.loads(ran.stdout)["now"]) - clock.wall_now() < timedelta(
        minutes=1
    )
    assert clock.CLOCK_FILE_ENV not in os.environ


def test_the_deployed_clock_is_real_time(cli: Any, moved_clock_file: Path) -> None:
    shown = cli("clock", "--json")
    assert shown.exit_code == 0, shown.output
    reading = json.loads(shown.stdout)
    assert (reading["local"], reading["moved"], reading["offset_seconds"]) == (False, False, 0)
    assert abs(datetime.fromisoformat(reading["now"]) - clock.wall_now()) < timedelta(minutes=1)
    text = cli("clock")
    assert "real time, always" in text.output
    assert "(London time)" in text.output
