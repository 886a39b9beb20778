"""Amounts typed on the command line: each bad one ends the command with exit code 1 and one
plain sentence, never a traceback (``complaints.money``); nothing is recorded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.conftest import cli_runner

BAD_AMOUNTS = ["nan", "inf", "-inf", "1e308", "12.345", "-5", "lots"]
COMMANDS = [
    ["respond", "KX7F-3QTM", "--outcome", "upheld", "--use-draft", "--compensation"],
    ["ombudsman", "KX7F-3QTM", "--referred", "2025-01-06", "--compensation"],
]
COMPLAINTS = Path(sys.executable).parent / "complaints"


def _one_plain_sentence(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    (line,) = lines
    assert line.startswith("Error: The compensation "), line
    assert line.endswith("."), line
    for technical in ("Traceback", "Decimal", "InvalidOperation", "ValueError", "Overflow"):
        assert technical not in line
    return line


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
@pytest.mark.parametrize("command", COMMANDS, ids=["respond", "ombudsman"])
def test_a_bad_amount_exits_1_with_one_plain_sentence(command: list[str], amount: str) -> None:
    code, output = cli_runner()(*command, amount)
    assert code == 1
    _one_plain_sentence(output)


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_the_installed_command_prints_no_traceback(amount: str) -> None:
    done = subprocess.run(
        [str(COMPLAINTS), *COMMANDS[0], amount, "--local"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    _one_plain_sentence(done.stderr)
