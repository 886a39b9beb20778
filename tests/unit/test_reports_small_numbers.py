"""The published annual report never shows a count from 1 to 4 (domain.md "Published figures"):
its page, CSV files, charts and JSON say "fewer than 5", and hide what would give the number
back ("not shown"); the figures staff get (``--json``) stay exact."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from complaints.models import CaseStatus, StageRecord
from complaints.service.reports import AnnualReport, annual_report
from complaints.settings import load_settings
from complaints.submission import Relationship
from complaints_tools.reports.disclosure import counts_and_lines, disclosure
from complaints_tools.reports.publish import annual_markdown, write_annual
from complaints_tools.reports.tables import annual_charts, annual_tables
from tests.unit.report_cases import make_case

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def report() -> AnnualReport:
    """40 complaints: 3 from children themselves, 30 from parents, 7 from foster carers."""
    cases = []
    people = [Relationship.CHILD_OR_YOUNG_PERSON] * 3 + [Relationship.PARENT] * 30
    people += [Relationship.FOSTER_CARER] * 7
    for number, who in enumerate(people):
        received = date(2024, 4 + number % 9, 1 + number % 27)
        answered = StageRecord(
            number=1,
            started_on=received,
            responded_on=received.replace(day=min(28, received.day + 7)),
            outcome="upheld" if number < 2 else "not_upheld",
        )
        cases.append(
            make_case(received, stages=[answered], status=CaseStatus.RESPONDED, relationship=who)
        )
    return annual_report(cases, 2024, as_of=date(2025, 6, 1))


def _csv(report: AnnualReport, slug: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(annual_tables(report)[slug].csv(disclosure(report)))))


def test_the_threshold_is_a_council_setting_of_5() -> None:
    assert load_settings().small_number_threshold == 5


def test_a_count_of_3_is_published_as_fewer_than_5(report: AnnualReport) -> None:
    rows = {r["Who complained"]: r for r in _csv(report, "complainants")}
    children = rows["Child or young person (including care leavers)"]
    assert children == {
        "Who complained": "Child or young person (including care leavers)",
        "Number": "fewer than 5",
        "% of complaints": "not shown",  # 7.5% of 40 would give the 3 back
    }
    page = annual_markdown(report)
    assert "| Child or young person (including care leavers) | fewer than 5 | not shown |" in page
    assert "**fewer than 5** from children or young people" in page
    outcomes = {(r["Stage"], r["Outcome"]): r["Number"] for r in _csv(report, "outcomes")}
    assert outcomes["Stage 1", "Upheld"] == "fewer than 5"


def test_a_second_count_is_hidden_so_the_total_cannot_give_the_first_back(
    report: AnnualReport,
) -> None:
    """40 received = 3 children + 30 parents + 7 foster carers: showing 30 and 7 would leave
    40 - 30 - 7 = 3, so the foster carers' 7 (the smallest other count) is not shown either."""
    rows = {r["Who complained"]: r["Number"] for r in _csv(report, "complainants")}
    assert rows["Foster carer"] == "not shown"
    assert rows["Parent, special guardian or someone with parental responsibility"] == "30"
    assert "40" in annual_markdown(report)  # the total stays
    shown = disclosure(report)
    _counts, lines = counts_and_lines(report)
    for line in lines:
        hidden = [k for k in (line.total, *line.parts) if shown.suppression.hidden(k)]
        assert len(hidden) != 1, line


def test_charts_draw_no_bar_for_a_hidden_count_and_say_why(report: AnnualReport) -> None:
    shown = disclosure(report)
    svg = ET.fromstring(annual_charts(report, shown)["complainants"])  # noqa: S314 - our own
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "fewer than 5" in texts
    assert "not shown" in texts
    assert len(list(svg.iter(f"{SVG}rect"))) == 1  # the parents' bar only
    description = svg.find(f"{SVG}desc")
    assert description is not None
    assert "Child or young person (including care leavers): fewer than 5" in (
        description.text or ""
    )


def test_nothing_published_holds_the_exact_small_count(
    report: AnnualReport, tmp_path: Path
) -> None:
    write_annual(report, tmp_path)
    folder = tmp_path / "annual-2024-25"
    published = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    (children,) = [
        row
        for row in published["tables"]["complainants"]["rows"]
        if row["Who complained"].startswith("Child")
    ]
    assert children["Number"] == "fewer than 5"
    detail = {
        r["Relationship to the child"]: r["Number"] for r in _csv(report, "complainants-detail")
    }
    assert detail["Child or young person"] == "fewer than 5"


def test_staff_figures_stay_exact(report: AnnualReport) -> None:
    exact = report.model_dump(mode="json")  # what `report annual --json` prints
    assert [c["count"] for c in exact["complainants"]][:3] == [3, 30, 7]


def test_a_council_can_choose_a_higher_threshold(report: AnnualReport) -> None:
    shown = disclosure(report, threshold=10)
    assert shown.count("who.foster_carer") == "fewer than 10"
    assert "fewer than 10" in annual_markdown(report, shown=shown)


def test_a_hidden_number_of_payments_hides_the_largest_payment() -> None:
    paid = make_case(
        date(2024, 5, 1),
        stages=[
            StageRecord(
                number=1,
                started_on=date(2024, 5, 1),
                responded_on=date(2024, 5, 8),
                outcome="upheld",
            )
        ],
        status=CaseStatus.RESPONDED,
        compensation_pence=25_000,
    )
    report = annual_report([paid], 2024, as_of=date(2025, 6, 1))
    rows = {r["Measure"]: r["Value"] for r in _csv(report, "compensation")}
    assert rows == {"Total paid": "250.00", "Largest single payment": "not shown"}
