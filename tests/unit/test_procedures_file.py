"""The procedures file's validators, fed broken files: each error names the field.

``procedures.yaml`` is the one source of every timescale, so a council editing it (or writing
Wales's procedure) must be stopped at load by a plain error naming the field, never by a wrong
deadline later. Each rule below is tested at its edge: the last value allowed and the first
refused.
"""

from __future__ import annotations

import copy
import itertools
import json
from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from complaints.datafiles import DataFileError
from complaints.procedures import (
    PROCEDURES_FILE,
    get_procedure,
    load_procedures,
    stage_deadlines,
)

SHIPPED: dict[str, Any] = yaml.safe_load(PROCEDURES_FILE.read_text(encoding="utf-8"))
CHILDREN = ["procedures", 0]
STAGE_1 = [*CHILDREN, "stages", 0]
STAGE_1_RESPONSE = [*STAGE_1, "milestones", 0]
_FOLDERS = itertools.count()


def _set(data: Any, path: list[Any], value: Any) -> None:
    *parents, last = path
    for key in parents:
        data = data[key]
    data[last] = value


def _load(tmp_path: Path, data: Any) -> str | None:
    """Load ``data`` as a procedures file: ``None`` when it is accepted, else the error.
    Each file has a path of its own (the loader keeps what it loaded, by path)."""
    path = tmp_path / str(next(_FOLDERS)) / "procedures.yaml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    try:
        load_procedures(path)
    except DataFileError as error:
        return str(error)
    return None


def _changed(path: list[Any], value: Any) -> Any:
    data = copy.deepcopy(SHIPPED)
    _set(data, path, value)
    return data


def _field(path: list[Any]) -> str:
    """How the error names the field at ``path``: ``procedures[0].stages[0].number``."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


# Each field at its edge: (where, the last value allowed, the first value refused).
EDGES = [
    # working days: more than none, and no more than a year of them
    ([*STAGE_1, "request_next_within", "working_days"], 1, 0),
    ([*STAGE_1, "request_next_within", "working_days"], 365, 366),
    ([*STAGE_1_RESPONSE, "working_days"], 1, 0),
    # a time limit in months, to complain and to go to the Ombudsman: 1 to 120 (ten years)
    ([*CHILDREN, "time_limit_to_complain", "months"], 1, 0),
    ([*CHILDREN, "time_limit_to_complain", "months"], 120, 121),
    ([*CHILDREN, "after_final_stage", "months"], 1, 0),
    ([*CHILDREN, "after_final_stage", "months"], 120, 121),
    # every timescale cites where it comes from (at least "reg")
    ([*STAGE_1, "request_next_within", "citation"], "reg", "re"),
    ([*CHILDREN, "time_limit_to_complain", "citation"], "reg", "re"),
    ([*CHILDREN, "hold_grounds", "citation"], "reg", "re"),
    ([*STAGE_1_RESPONSE, "citation"], "reg", "re"),
    # what a complainant is told about a hold is a sentence, not a word
    ([*CHILDREN, "hold_grounds", "grounds", 0, "told"], "ten words.", "nine word"),
]


@pytest.mark.parametrize(
    ("where", "allowed", "refused"), EDGES, ids=[f"{_field(e[0])}={e[2]}" for e in EDGES]
)
def test_each_field_is_checked_at_its_edge_and_the_error_names_it(
    tmp_path: Path, where: list[Any], allowed: Any, refused: Any
) -> None:
    assert _load(tmp_path, _changed(where, allowed)) is None
    error = _load(tmp_path, _changed(where, refused))
    assert error is not None
    assert error.startswith("procedures.yaml: ")
    assert f"{_field(where)}: " in error


def test_a_stage_numbered_0_is_refused_at_its_number(tmp_path: Path) -> None:
    data = _changed([*STAGE_1, "number"], 0)
    error = _load(tmp_path, data)
    assert error is not None
    assert "procedures[0].stages[0].number: Input should be greater than or equal to 1" in error


def test_a_procedure_has_at_most_five_stages(tmp_path: Path) -> None:
    data = copy.deepcopy(SHIPPED)
    stages = data["procedures"][0]["stages"]
    for number in (4, 5):
        stages.append({**copy.deepcopy(stages[-1]), "number": number})
    assert _load(tmp_path, data) is None
    stages.append({**copy.deepcopy(stages[-1]), "number": 6})
    error = _load(tmp_path, data)
    assert error is not None
    assert "procedures[0].stages[5].number: Input should be less than or equal to 5" in error


def test_a_procedure_of_one_stage_in_a_file_of_one_procedure_is_enough(tmp_path: Path) -> None:
    data = {"procedures": [copy.deepcopy(SHIPPED["procedures"][1])]}
    data["procedures"][0]["stages"] = data["procedures"][0]["stages"][:1]
    data["procedures"][0]["hold_grounds"]["grounds"] = data["procedures"][0]["hold_grounds"][
        "grounds"
    ][:1]
    assert _load(tmp_path, data) is None
    (only,) = load_procedures(next(tmp_path.glob("*/procedures.yaml"))).values()
    assert (only.id, only.final_stage) == ("corporate", 1)


@pytest.mark.parametrize(
    "where",
    [
        ["procedures"],
        [*CHILDREN, "stages"],
        [*STAGE_1, "milestones"],
        [*CHILDREN, "hold_grounds", "grounds"],
    ],
    ids=_field,
)
def test_an_empty_list_is_refused_naming_it(tmp_path: Path, where: list[Any]) -> None:
    error = _load(tmp_path, _changed(where, []))
    assert error is not None
    assert f"{_field(where)}: Tuple should have at least 1 item" in error


def test_procedure_ids_are_unique(tmp_path: Path) -> None:
    data = _changed([*CHILDREN[:1], 1, "id"], "children-act-1989")
    assert "procedure ids must be unique" in (_load(tmp_path, data) or "")


def test_hold_grounds_are_unique(tmp_path: Path) -> None:
    data = _changed([*CHILDREN, "hold_grounds", "grounds", 1, "id"], "court_proceedings")
    error = _load(tmp_path, data) or ""
    assert "procedures[0].hold_grounds: Value error, hold grounds must be unique" in error


def test_stages_are_numbered_1_2_3_in_order(tmp_path: Path) -> None:
    twice = _changed([*CHILDREN, "stages", 1, "number"], 1)
    error = _load(tmp_path, twice) or ""
    assert "procedures[0]: Value error, stages must be numbered 1, 2, 3... in order" in error
    assert "found [1, 1, 3]" in error
    swapped = copy.deepcopy(SHIPPED)
    stages = swapped["procedures"][0]["stages"]
    stages[0]["number"], stages[1]["number"] = 2, 1
    assert "found [2, 1, 3]" in (_load(tmp_path, swapped) or "")


@pytest.mark.parametrize("last", ["panel_report", "review"])
def test_the_last_milestone_of_a_stage_is_its_response(tmp_path: Path, last: str) -> None:
    data = _changed([*STAGE_1_RESPONSE, "id"], last)
    error = _load(tmp_path, data) or ""
    assert "procedures[0].stages[0]: Value error, the last milestone of stage 1" in error


def test_a_milestone_counts_only_from_the_start_or_an_earlier_milestone(tmp_path: Path) -> None:
    panel = [*CHILDREN, "stages", 2, "milestones"]
    ahead = _changed([*panel, 0, "from"], "panel_report")
    error = _load(tmp_path, ahead) or ""
    assert "milestone 'panel_meeting' counts from 'panel_report', which is not" in error
    assert "procedures[0].stages[2]: " in error
    repeated = _changed([*panel, 1, "id"], "panel_meeting")
    assert "milestone 'panel_meeting' of stage 3 is repeated" in (_load(tmp_path, repeated) or "")
    named_start = _changed([*panel, 0, "id"], "start")
    assert "milestone 'start' of stage 3 is repeated" in (_load(tmp_path, named_start) or "")


def test_an_extension_is_never_shorter_than_the_deadline_it_extends(tmp_path: Path) -> None:
    assert _load(tmp_path, _changed([*STAGE_1_RESPONSE, "extendable_to"], 10)) is None
    error = _load(tmp_path, _changed([*STAGE_1_RESPONSE, "extendable_to"], 9)) or ""
    assert "extendable_to (9) is shorter than working_days (10) for milestone 'response'" in error


def test_a_file_that_is_not_there_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"^procedures\.yaml: file not found at "):
        load_procedures(tmp_path / "procedures.yaml")


def test_an_error_at_the_top_of_the_file_says_so(tmp_path: Path) -> None:
    assert _load(tmp_path, ["not", "a", "mapping"]) == (
        "procedures.yaml: (top level): Input should be a valid dictionary or instance of "
        "ProceduresFile"
    )


def test_every_field_in_error_is_named_at_once(tmp_path: Path) -> None:
    data = _changed([*STAGE_1_RESPONSE, "working_days"], 0)
    _set(data, [*CHILDREN, "after_final_stage", "months"], 0)
    error = _load(tmp_path, data) or ""
    assert "; " in error
    assert "procedures[0].stages[0].milestones[0].working_days" in error
    assert "procedures[0].after_final_stage.months" in error


# --- what a loaded procedure answers ---------------------------------------------------------


def test_a_stage_the_procedure_does_not_have_is_an_error_never_another_stage() -> None:
    children = get_procedure("children-act-1989")
    assert [children.stage(n).number for n in (1, 2, 3)] == [1, 2, 3]
    for missing in (0, 4):
        with pytest.raises(KeyError, match=f"children-act-1989 has no stage {missing}"):
            children.stage(missing)


def test_an_unknown_procedure_is_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="unknown procedure 'wales-2014'"):
        get_procedure("wales-2014")


def test_each_hold_ground_has_its_own_words_for_the_complainant() -> None:
    grounds = get_procedure("children-act-1989").hold_grounds
    typed = json.loads('["court_proceedings", "police_investigation", "other"]')  # a request's
    told = [grounds.told(ground) for ground in typed]
    assert "court proceedings" in told[0]
    assert "police are investigating" in told[1]
    assert "another process" in told[2]
    with pytest.raises(KeyError):
        grounds.told("holiday")


def test_the_loaded_rules_and_the_deadlines_computed_from_them_cannot_be_changed() -> None:
    """The procedures are loaded once and shared by every request: nobody may change them."""
    stage = get_procedure("children-act-1989").stage(1)
    with pytest.raises(ValidationError, match="frozen"):
        stage.response.working_days = 30  # type: ignore[misc]
    deadline = stage_deadlines(stage, date(2025, 1, 6))["response"]
    with pytest.raises(FrozenInstanceError):
        deadline.due = date(2025, 12, 31)  # type: ignore[misc]
