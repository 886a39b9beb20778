"""``complaints list`` / ``show`` / ``emails`` in-process, against the deployed-stack path."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from complaints.service.intake import receive
from complaints_tools.cli import _register, app
from tests.integration.conftest import Stack
from tests.integration.test_intake_storage import submission

runner = CliRunner()
_register()


@pytest.fixture
def cases(stack: Stack) -> dict[str, str]:
    old = receive(submission(), stack.repository, now=datetime(2024, 1, 8, 10, tzinfo=UTC))
    new = receive(submission(details="Recent"), stack.repository, now=datetime.now(UTC))
    return {"old": old.receipt.reference, "new": new.receipt.reference}


def test_list_every_case_as_json(cases: dict[str, str]) -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [row["reference"] for row in listed] == [cases["old"], cases["new"]]
    assert "complainant" not in listed[0]  # lists carry no personal data


def test_list_overdue_and_limit(cases: dict[str, str]) -> None:
    overdue = json.loads(runner.invoke(app, ["list", "--overdue", "--json"]).output)
    assert [row["reference"] for row in overdue] == [cases["old"]]
    limited = json.loads(runner.invoke(app, ["list", "--limit", "1", "--json"]).output)
    assert len(limited) == 1


def test_list_as_a_table(cases: dict[str, str]) -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert cases["old"] in result.output
    assert "OVERDUE" in result.output


def test_show_accepts_a_reference_typed_loosely(cases: dict[str, str]) -> None:
    typed = cases["old"].lower().replace("-", "")
    result = runner.invoke(app, ["show", typed, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["reference"] == cases["old"]
    assert shown["respond_by"] == "2024-01-22"
    assert shown["overdue"] is True
    assert [event["type"] for event in shown["events"]] == ["received"]
    assert "token_hash" not in shown


def test_show_as_text(cases: dict[str, str]) -> None:
    result = runner.invoke(app, ["show", cases["new"]])
    assert result.exit_code == 0
    assert "Recent" in result.output
    assert "received" in result.output


def test_show_unknown_reference(stack: Stack) -> None:
    result = runner.invoke(app, ["show", "KKKK-KKKK"])
    assert result.exit_code == 1
    assert "no case with reference KKKK-KKKK" in result.output


def test_no_stack_chosen_is_explained(
    stack: Stack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TABLE_NAME")
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 1
    assert "--local" in result.output
    monkeypatch.setenv("COMPLAINTS_LOCAL_STATE", str(tmp_path))
    result = runner.invoke(app, ["emails"])
    assert result.exit_code == 1
    assert "make run" in result.output
    result = runner.invoke(app, ["list"], env={"COMPLAINTS_LOCAL": "1"})
    assert result.exit_code == 1
    assert "make run" in result.output
