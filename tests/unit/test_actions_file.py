"""The action table's file (``data/actions.yaml``), fed broken copies: each error names the
field, and what loads is what the lifecycle reads."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from pydantic import ValidationError

from complaints.datafiles import DataFileError
from complaints.service.lifecycle.table import ACTIONS_FILE, Action, load_table

SHIPPED = ACTIONS_FILE.read_text(encoding="utf-8")
_FOLDERS = itertools.count()


def _load(tmp_path: Path, text: str) -> str | None:
    """Load ``text`` as the table: ``None`` when it is accepted, else the error. Each file has
    a path of its own (the loader keeps what it loaded, by path)."""
    path = tmp_path / str(next(_FOLDERS)) / "actions.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    try:
        load_table(path)
    except DataFileError as error:
        return str(error)
    return None


def _resume(line: str) -> str:
    """The shipped table with the ``resume`` action's ``line`` changed (its label, verb or
    statuses)."""
    field = line.split(":")[0]
    old = {
        "label": "    label: Resume\n",
        "verb": "    verb: resume it\n",
        "statuses": "    statuses: [on_hold]\n",
    }[field]
    assert old in SHIPPED
    return SHIPPED.replace(old, f"    {line}\n")


@pytest.mark.parametrize(
    ("allowed", "refused"),
    [
        ("label: Add", "label: Ad"),  # a button says at least a verb
        ("verb: add", "verb: ad"),  # it fits "you cannot {verb} now"
        ("statuses: [on_hold]", "statuses: []"),  # an action is allowed somewhere
    ],
)
def test_each_field_of_an_action_is_checked_at_its_edge_and_the_error_names_it(
    tmp_path: Path, allowed: str, refused: str
) -> None:
    assert _load(tmp_path, _resume(allowed)) is None
    error = _load(tmp_path, _resume(refused))
    assert error is not None
    field = refused.split(":")[0]
    assert error.startswith(f"actions.yaml: actions.resume.{field}: ")


def test_an_action_the_code_does_not_know_is_refused(tmp_path: Path) -> None:
    error = _load(tmp_path, SHIPPED.replace("  advocacy:\n", "  advocate:\n")) or ""
    assert "actions.advocate" in error


def test_the_table_is_read_only_once_loaded() -> None:
    """Loaded once and shared by every request: nobody may change which action is allowed."""
    table = load_table()
    assert load_table() is table  # read from the file once per process, not per request
    with pytest.raises(ValidationError, match="frozen"):
        table.actions[Action.CLOSE].roles = ("auditor",)  # type: ignore[misc]


def test_a_table_must_say_every_action_and_a_refusal_for_every_status(tmp_path: Path) -> None:
    start = SHIPPED.index("  advocacy:\n")
    end = SHIPPED.index("  close:\n")
    without_advocacy = SHIPPED[:start] + SHIPPED[end:]
    error = _load(tmp_path, without_advocacy) or ""
    assert "actions missing from the table: ['advocacy']" in error
    line = next(x for x in SHIPPED.splitlines(keepends=True) if x.startswith("  closed: "))
    error = _load(tmp_path, SHIPPED.replace(line, "")) or ""
    assert "statuses without a refusal: ['closed']" in error


@pytest.mark.parametrize(
    ("allowed", "refused"),
    [
        ("label: Rep", "label: Re"),  # a link says at least a word
        ("verb: see", "verb: se"),  # it fits "your role cannot {verb}"
        ("roles: [manager]", "roles: []"),  # somebody may do it
    ],
)
def test_each_field_of_a_staff_action_is_checked_at_its_edge_and_the_error_names_it(
    tmp_path: Path, allowed: str, refused: str
) -> None:
    def reports(line: str) -> str:
        field = line.split(":")[0]
        old = {
            "label": "    label: Reports\n",
            "verb": "    verb: read the reports\n",
            "roles": "    roles: [manager, auditor]\n",
        }[field]
        start = SHIPPED.index("  reports:\n")
        head, tail = SHIPPED[:start], SHIPPED[start:]
        assert old in tail
        return head + tail.replace(old, f"    {line}\n", 1)

    assert _load(tmp_path, reports(allowed)) is None
    error = _load(tmp_path, reports(refused))
    assert error is not None
    field = refused.split(":")[0]
    assert error.startswith(f"actions.yaml: staff_actions.reports.{field}: ")


def test_a_table_must_say_every_staff_action(tmp_path: Path) -> None:
    start = SHIPPED.index("  letters:\n")
    end = SHIPPED.index("  reports:\n")
    error = _load(tmp_path, SHIPPED[:start] + SHIPPED[end:]) or ""
    assert "staff actions missing from the table: ['letters']" in error
