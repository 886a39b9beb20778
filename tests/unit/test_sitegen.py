"""The guide's generated snippets: every timescale and contact comes from the data files, and
the pages themselves type none of them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from complaints.models import CaseStatus
from complaints.procedures import PROCEDURES_FILE, Procedure, ProceduresFile, load_procedures
from complaints.service.selfservice import STATUS_LABELS
from complaints.settings import COUNCIL_FILE, CouncilSettings, load_settings
from complaints_tools.reports.publish import LIST_SNIPPET
from complaints_tools.sitegen import (
    GUIDE_TEMPLATES,
    roughly_weeks,
    snippets,
    working_days,
    write_snippets,
)

ROOT = Path(__file__).resolve().parents[2]
# Pages people write. Published annual reports (`complaints report annual` writes
# site/reports/annual-YYYY-YY/) are generated figures, checked by the reports' own tests.
PAGES = sorted(
    p
    for p in (ROOT / "site").rglob("*.md")
    if "overrides" not in p.parts and not p.parent.name.startswith("annual-")
)
INCLUDE = re.compile(r'^--8<-- "([^"]+)"$', re.MULTILINE)


def _procedures(change: Any = None) -> dict[str, Procedure]:
    data = yaml.safe_load(PROCEDURES_FILE.read_text(encoding="utf-8"))
    if change:
        change(data)
    return dict(ProceduresFile.model_validate(data).by_id())


def _settings(change: Any = None) -> CouncilSettings:
    data = yaml.safe_load(COUNCIL_FILE.read_text(encoding="utf-8"))
    if change:
        change(data)
    return CouncilSettings.model_validate(data)


def _statutory(data: dict[str, Any]) -> dict[str, Any]:
    return next(p for p in data["procedures"] if p["statutory"])


def test_every_snippet_a_page_includes_is_generated() -> None:
    made = {**snippets(load_settings()), LIST_SNIPPET: ""}
    wanted = {name for page in PAGES for name in INCLUDE.findall(page.read_text("utf-8"))}
    assert wanted, "the pages include no snippets"
    assert wanted <= set(made), f"pages include snippets nobody makes: {wanted - set(made)}"
    assert all(text.strip() for name, text in made.items() if name != LIST_SNIPPET)


def test_every_guide_template_is_used_by_a_page_or_another_template() -> None:
    used = {name for page in PAGES for name in INCLUDE.findall(page.read_text("utf-8"))}
    for template in GUIDE_TEMPLATES.glob("*.md"):
        used |= set(re.findall(r'{% include "([^"]+)" %}', template.read_text("utf-8")))
    unused = {t.name for t in GUIDE_TEMPLATES.glob("*.md")} - used - {"council-name.md"}
    assert not unused, f"templates no page uses: {unused}"


def test_stage_timescales_follow_the_procedure_data() -> None:
    def change(data: dict[str, Any]) -> None:
        stage1, stage2, stage3 = _statutory(data)["stages"]
        stage1["milestones"][0].update(working_days=11, extendable_to=23)
        stage1["request_next_within"]["working_days"] = 17
        stage2["milestones"][0].update(working_days=27, extendable_to=61)
        stage3["milestones"][0]["working_days"] = 31
        stage3["milestones"][1]["working_days"] = 7
        stage3["milestones"][2]["working_days"] = 14

    made = snippets(load_settings(), _procedures(change))
    assert "11 working days" in made["stage-1.md"]
    assert "23 working days" in made["stage-1.md"]
    assert "17 working days" in made["stage-1.md"]
    assert "10 working days" not in made["stage-1.md"]
    assert "27 working days" in made["stage-2.md"]
    assert "61 working days" in made["stage-2.md"]
    for days in (31, 7, 14):
        assert working_days(days) in made["stage-3.md"]
    assert "11 working days" in made["three-steps.md"]
    assert "11 working days" in made["children-steps.md"]
    assert "61 working days" in made["extensions.md"]
    table = made["timescales-children-act-1989.md"]
    assert "| Stage 1: Stage 1 response | 11 working days" in table


def test_shipped_timescales_appear_as_the_data_says() -> None:
    statutory = next(p for p in load_procedures().values() if p.statutory)
    made = snippets(load_settings())
    stage1 = statutory.stage(1).response
    assert f"{stage1.working_days} working days" in made["stage-1.md"]
    assert working_days(stage1.extendable_to) in made["stage-1.md"]
    months = statutory.time_limit_to_complain.months
    assert f"{months} months" in made["time-limit.md"]


def test_council_contacts_come_from_the_settings() -> None:
    def change(data: dict[str, Any]) -> None:
        data["council"]["name"] = "Testshire County Council"
        data["council"]["children_services_front_door"]["phone"] = "01632 960 111"
        data["complaints_team"]["email"] = "listen@testshire.example"
        data["advocacy_service"]["name"] = "Testshire Voices"
        data["ombudsman"]["phone"] = "0300 000 0000"
        data["acknowledgement_working_days"] = 4
        data["retention_years_after_closure"] = 9

    made = snippets(_settings(change))
    assert "Testshire County Council" in made["council-intro.md"]
    assert "Testshire County Council" in made["data-controller.md"]
    assert "[01632 960 111](tel:01632960111)" in made["danger-box.md"]
    assert "[01632 960 111](tel:01632960111)" in made["danger-box-children.md"]
    assert "mailto:listen@testshire.example" in made["contact-us.md"]
    assert "Testshire Voices" in made["advocacy-service.md"]
    assert "0300 000 0000" in made["ombudsman.md"]
    assert "Within 4 working days" in made["three-steps.md"]
    assert "9 years" in made["retention.md"]


def test_service_areas_and_the_other_procedure_come_from_the_data() -> None:
    made = snippets(load_settings())
    corporate = next(p for p in load_procedures().values() if not p.statutory)
    for stage in corporate.stages:
        assert working_days(stage.response.working_days) in made["corporate.md"]


TIMESCALE = re.compile(
    r"\b\d+\s*(?:working\s+)?(?:day|days|week|weeks|month|months|year|years)\b", re.IGNORECASE
)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_pages_type_no_timescale(page: Path) -> None:
    text = page.read_text("utf-8")
    assert not TIMESCALE.findall(text), f"{page.name} types a timescale: use a snippet"


def _contacts(settings: CouncilSettings) -> set[str]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, str) and (
            "@" in value or re.fullmatch(r"[0-9 +()-]{7,}", value) or "://" in value
        ):
            found.add(value.rstrip("/"))

    walk(settings.model_dump(mode="json"))
    found |= {settings.council.name, settings.council.short_name}
    found |= {settings.complaints_team.name, settings.advocacy_service.name}
    found |= {settings.council.children_services_front_door.name}
    return found


def test_pages_and_theme_type_no_council_name_or_contact() -> None:
    contacts = _contacts(load_settings())
    assert len(contacts) > 8
    files = [*PAGES, *(ROOT / "site" / "overrides").rglob("*.html"), ROOT / "mkdocs.yml"]
    for path in files:
        text = path.read_text("utf-8")
        typed = sorted(c for c in contacts if c in text)
        assert not typed, f"{path.relative_to(ROOT)} types {typed}: use a snippet"


def test_status_labels_cover_every_case_status() -> None:
    assert set(STATUS_LABELS) == set(CaseStatus)


def test_saved_answers_days_come_from_the_council_settings() -> None:
    made = snippets(load_settings().model_copy(update={"saved_answers_days": 14}))
    assert "14 days" in made["saved-answers.md"]
    assert "14 days" in made["cookies.md"]


def test_weeks_for_children() -> None:
    assert roughly_weeks(10) == "about 2 weeks"
    assert roughly_weeks(3) == "about a week"
    assert roughly_weeks(65) == "about 13 weeks"
    assert working_days(1) == "1 working day"


def test_write_snippets_writes_every_file(tmp_path: Path) -> None:
    written = write_snippets(tmp_path)
    assert {p.name for p in written} == {*snippets(load_settings()), LIST_SNIPPET}


def test_snippets_have_no_template_left_or_lines_run_together() -> None:
    for name, text in snippets(load_settings()).items():
        assert "{{" not in text, name
        assert "{%" not in text, name
        assert not re.search(r"[a-z]\.\d", text), f"{name}: a line ran into the next"
