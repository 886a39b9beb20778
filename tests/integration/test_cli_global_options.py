"""The global options (``--local``, ``--json``, ``--by``) work before the command as well as
after it: ``complaints --json show REF`` is ``complaints show REF --json`` (interfaces.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from complaints.service.intake import receive
from complaints_tools.cli import _register, app
from tests.integration.conftest import Stack
from tests.integration.test_intake_storage import submission

runner = CliRunner()
_register()


@pytest.fixture
def reference(stack: Stack) -> str:
    return receive(submission(), stack.repository, now=datetime.now(UTC)).receipt.reference


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_json_before_or_after_the_command_is_the_same(reference: str) -> None:
    before = json.loads(_run("--json", "show", reference))
    after = json.loads(_run("show", reference, "--json"))
    assert before == after
    assert before["reference"] == reference
    assert json.loads(_run("--json", "list")) == json.loads(_run("list", "--json"))
    assert json.loads(_run("--json", "checks", "run"))["due"] == 0  # a nested command too


def test_by_before_the_command_names_who_acted(reference: str) -> None:
    _run("--by", "Jo Adams", "acknowledge", reference, "--summary", "x")
    _run("assign", reference, "--owner", "jo.adams@example.gov.uk", "--by", "Sam Lee")
    events = json.loads(_run("show", reference, "--json"))["events"]
    assert [(e["type"], e["by"]) for e in events[1:]] == [
        ("acknowledged", "Jo Adams"),
        ("assigned", "Sam Lee"),
    ]


def test_the_commands_own_option_wins_over_the_global_one(reference: str) -> None:
    _run("--by", "Jo Adams", "acknowledge", reference, "--summary", "x", "--by", "Sam Lee")
    events = json.loads(_run("show", reference, "--json"))["events"]
    assert events[-1]["by"] == "Sam Lee"


@pytest.mark.parametrize(
    "args", [["--local", "show", "KX7F-3QTM"], ["show", "KX7F-3QTM", "--local"]]
)
def test_local_before_or_after_the_command_looks_for_the_local_stack(
    args: list[str], tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLAINTS_LOCAL_STATE", str(tmp_path))
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "No local stack is running" in result.output
    assert "No such option" not in result.output
