"""The procedures and council settings files: valid as shipped, clear errors when broken."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from complaints.datafiles import DataFileError
from complaints.procedures import PROCEDURES_FILE, get_procedure, load_procedures, stage_deadlines
from complaints.settings import COUNCIL_FILE, load_settings


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _procedures() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(PROCEDURES_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_statutory_procedure_has_the_domain_timescales() -> None:
    statutory = get_procedure("children-act-1989")
    stage1, stage2, stage3 = statutory.stages
    assert (stage1.response.working_days, stage1.response.extendable_to) == (10, 20)
    assert stage1.request_next_within is not None
    assert stage1.request_next_within.working_days == 20
    assert (stage2.response.working_days, stage2.response.extendable_to) == (25, 65)
    assert stage2.request_next_within is not None
    assert stage2.request_next_within.working_days == 20
    assert [(m.id, m.working_days) for m in stage3.milestones] == [
        ("panel_meeting", 30),
        ("panel_report", 5),
        ("response", 15),
    ]
    assert statutory.time_limit_to_complain.months == 12
    for stage in statutory.stages:
        for milestone in stage.milestones:
            assert "reg" in milestone.citation, f"{milestone.id} needs its regulation"


def test_corporate_procedure_has_two_stages() -> None:
    corporate = get_procedure("corporate")
    assert [s.number for s in corporate.stages] == [1, 2]
    assert not corporate.statutory


def test_stage_2_maximum_matches_the_ombudsman_example() -> None:
    stage2 = get_procedure("children-act-1989").stage(2)
    deadlines = stage_deadlines(stage2, date(2024, 8, 29), extended_to={"response": 65})
    assert deadlines["response"].due == date(2024, 11, 28)
    assert deadlines["response"].latest == date(2024, 11, 28)


def test_stage_1_deadline_and_latest_extension() -> None:
    stage1 = get_procedure("children-act-1989").stage(1)
    deadlines = stage_deadlines(stage1, date(2024, 12, 20))
    assert deadlines["response"].due == date(2025, 1, 8)
    assert deadlines["response"].latest == date(2025, 1, 22)


def test_extension_past_the_maximum_is_refused() -> None:
    stage1 = get_procedure("children-act-1989").stage(1)
    with pytest.raises(ValueError, match="at most 20 working days"):
        stage_deadlines(stage1, date(2024, 12, 2), extended_to={"response": 21})


def test_stage_3_milestones_chain_from_what_actually_happened() -> None:
    stage3 = get_procedure("children-act-1989").stage(3)
    planned = stage_deadlines(stage3, date(2025, 3, 3))
    assert planned["panel_meeting"].due == date(2025, 4, 14)
    # Panel met early, on 1 April: the report is due 5 working days after that.
    actual = stage_deadlines(stage3, date(2025, 3, 3), actual={"panel_meeting": date(2025, 4, 1)})
    assert actual["panel_report"].due == date(2025, 4, 8)
    assert actual["response"].due == date(2025, 5, 1)


def test_a_broken_procedures_file_names_the_field(tmp_path: Path) -> None:
    data = _procedures()
    data["procedures"][0]["stages"][1]["milestones"][0]["working_days"] = -5
    path = _write(tmp_path, "procedures.yaml", data)
    with pytest.raises(DataFileError) as error:
        load_procedures(path)
    assert "procedures[0].stages[1].milestones[0].working_days" in str(error.value)
    assert "greater than 0" in str(error.value)


def test_missing_citation_is_refused(tmp_path: Path) -> None:
    data = _procedures()
    del data["procedures"][0]["stages"][0]["milestones"][0]["citation"]
    path = _write(tmp_path, "procedures.yaml", data)
    with pytest.raises(DataFileError, match=r"milestones\[0\]\.citation: Field required"):
        load_procedures(path)


def test_extension_shorter_than_the_limit_is_refused(tmp_path: Path) -> None:
    data = _procedures()
    data["procedures"][0]["stages"][0]["milestones"][0]["extendable_to"] = 5
    path = _write(tmp_path, "procedures.yaml", data)
    with pytest.raises(DataFileError, match="extendable_to"):
        load_procedures(path)


def test_not_yaml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "procedures.yaml"
    path.write_text("procedures: [unclosed", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_procedures(path)


def test_council_settings_load_with_defaults() -> None:
    settings = load_settings()
    assert settings.acknowledgement_working_days == 3
    assert settings.retention_years_after_closure == 6
    assert settings.escalation_contacts


def test_broken_council_settings_name_the_field(tmp_path: Path) -> None:
    data = yaml.safe_load(COUNCIL_FILE.read_text(encoding="utf-8"))
    data["complaints_team"]["email"] = "not-an-email"
    path = _write(tmp_path, "council.yaml", data)
    with pytest.raises(DataFileError, match=r"complaints_team\.email"):
        load_settings(path)


def test_service_area_with_unknown_procedure_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(COUNCIL_FILE.read_text(encoding="utf-8"))
    data["service_areas"][0]["procedure"] = "wales-2014"
    path = _write(tmp_path, "council.yaml", data)
    with pytest.raises(DataFileError, match="wales-2014"):
        load_settings(path)


def test_stack_parameters_override_retention_and_add_the_escalation_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RETENTION_YEARS", "25")
    monkeypatch.setenv("ESCALATION_EMAIL", "director@example.gov.uk")
    load_settings.cache_clear()
    try:
        settings = load_settings()
        assert settings.retention_years_after_closure == 25
        assert settings.escalation_contacts[0].email == "director@example.gov.uk"
        assert len(settings.escalation_contacts) > 1
    finally:
        load_settings.cache_clear()


def test_empty_stack_parameters_leave_the_council_file_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RETENTION_YEARS", "")
    monkeypatch.setenv("ESCALATION_EMAIL", "")
    load_settings.cache_clear()
    try:
        assert load_settings().retention_years_after_closure == 6
    finally:
        load_settings.cache_clear()


def test_the_procedures_are_read_once_per_process() -> None:
    assert load_procedures() is load_procedures()
