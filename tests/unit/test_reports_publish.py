"""The published outputs: accessible charts, Markdown that builds into the guide, CSV, JSON,
and no personal data anywhere."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from complaints.models import Case
from complaints.service.reports import AnnualReport, annual_report
from complaints_tools.demo import generate_year
from complaints_tools.reports.charts import Bar, Group, bar_chart
from complaints_tools.reports.disclosure import Disclosure, disclosure
from complaints_tools.reports.publish import annual_markdown, reports_list_snippet, write_annual
from complaints_tools.reports.quoted import inert_markdown
from complaints_tools.reports.tables import annual_charts, annual_tables
from tests.unit.report_cases import make_case

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
AS_OF = date(2025, 9, 30)


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return generate_year(2024, seed=11, today=AS_OF)


@pytest.fixture(scope="module")
def report(cases: list[Case]) -> AnnualReport:
    return annual_report(cases, 2024, as_of=AS_OF, include_learning_statements=True)


@pytest.fixture(scope="module")
def shown(report: AnnualReport) -> Disclosure:
    return disclosure(report)


def _check_accessible(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = (root.get("aria-labelledby") or "").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert title.get("id") == title_id
    assert (title.text or "").strip()
    assert desc is not None
    assert desc.get("id") == desc_id
    assert (desc.text or "").strip()
    for element in root.iter():
        assert "style" not in element.attrib, "inline style breaks a strict CSP"
        assert not element.tag.endswith("script")
    return root


def test_every_chart_carries_a_text_alternative_with_every_value(
    report: AnnualReport, shown: Disclosure
) -> None:
    charts = annual_charts(report, shown)
    assert set(charts) >= {"stages", "complainants", "themes", "outcomes", "timeliness"}
    for slug, svg in charts.items():
        root = _check_accessible(svg)
        desc = root.find(f"{SVG}desc")
        assert desc is not None
        texts = [t.text or "" for t in root.iter(f"{SVG}text")]
        if slug == "complainants":
            for row in report.complainants:
                assert row.label in texts  # each bar is labelled in words
                words = shown.count(f"who.{row.key}")
                if words == f"{row.count:,}":
                    words += f" ({row.percent:.1f}%)"
                assert f"{row.label}: {words}" in (desc.text or "")


def test_series_differ_by_pattern_not_only_colour() -> None:
    svg = bar_chart(
        "t",
        "Title",
        "Summary.",
        [Group("G", (Bar("A", 3, "3"), Bar("B", 2, "2"), Bar("C", 1, "1")))],
        patterned=True,
    )
    root = _check_accessible(svg)
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert len(set(fills)) == 3
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert {f"url(#{p})" for p in patterns} == set(fills) - {fills[0]}
    assert [t.text for t in root.iter(f"{SVG}text")] == ["G", "A", "3", "B", "2", "C", "1"]


def test_a_chart_of_zeros_still_renders() -> None:
    svg = bar_chart("z", "Nothing", "Nothing yet.", [Group("", (Bar("A", 0, "0"),))])
    root = _check_accessible(svg)
    assert list(root.iter(f"{SVG}rect")) == []
    assert "A: 0" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_tables_and_csv_agree_with_the_figures(
    report: AnnualReport, shown: Disclosure, tmp_path: Path
) -> None:
    written = write_annual(report, tmp_path)
    folder = tmp_path / "annual-2024-25"
    assert folder / "index.md" in written
    with (folder / "complainants.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["Number"] for r in rows] == [
        shown.count(f"who.{c.key}").replace(",", "") for c in report.complainants
    ]
    published = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert published["small_number_threshold"] == 5
    assert published["tables"]["complainants"]["rows"] == annual_tables(report)[
        "complainants"
    ].records(shown)
    for slug in annual_tables(report):
        assert (folder / f"{slug}.csv").is_file()
    for slug in annual_charts(report, shown):
        _check_accessible((folder / f"{slug}.svg").read_text(encoding="utf-8").split("\n", 1)[1])


def test_no_personal_data_in_any_output(
    cases: list[Case], report: AnnualReport, tmp_path: Path
) -> None:
    write_annual(report, tmp_path)
    everything = "\n".join(
        p.read_text(encoding="utf-8") for p in tmp_path.rglob("*") if p.is_file()
    )
    for case in cases:
        assert case.complainant.name not in everything
        assert case.complainant.email not in everything
        assert case.child.name is None or case.child.name not in everything
        assert case.details not in everything
        assert case.reference not in everything


def test_markdown_has_every_section_and_a_table_beside_each_chart(
    report: AnnualReport, shown: Disclosure
) -> None:
    page = annual_markdown(report)
    for heading in (
        "Complaints received and the stages they reached",
        "Who complained",
        "What complaints were about",
        "Outcomes at each stage",
        "Timeliness",
        "Escalation between stages",
        "Recommendations",
        "The Ombudsman",
        "Learning and changes made",
        "Compensation",
    ):
        assert f"\n## {heading}\n" in page
    assert page.count("<svg") == len(annual_charts(report, shown))
    for block in page.split("</figure>")[:-1]:
        assert "<figcaption>" in block
    assert page.count("</figure>\n\n| ") == len(annual_charts(report, shown))  # a table follows
    assert "Demonstration data" in page
    assert report.learning.statements
    assert inert_markdown(report.learning.statements[0]) in page  # quoted as plain text


def test_a_year_with_only_open_cases_still_renders() -> None:
    cases = [make_case(date(2025, 4, 1)), make_case(date(2025, 5, 1))]
    page = annual_markdown(annual_report(cases, 2025, as_of=date(2025, 6, 1)))
    assert "The year is not over yet" in page
    assert "n/a" in page
    assert "Demonstration data" not in page


def test_reports_list_snippet(tmp_path: Path) -> None:
    assert "No annual report" in reports_list_snippet(tmp_path)
    for label in ("2023-24", "2024-25"):
        (tmp_path / f"annual-{label}").mkdir()
        (tmp_path / f"annual-{label}" / "index.md").write_text("# x\n", encoding="utf-8")
    assert reports_list_snippet(tmp_path).splitlines() == [
        "- [Annual report 2024 to 2025](annual-2024-25/index.md)",
        "- [Annual report 2023 to 2024](annual-2023-24/index.md)",
    ]


def test_the_page_builds_into_the_guide_with_mkdocs_strict(
    report: AnnualReport, shown: Disclosure, tmp_path: Path
) -> None:
    """A copy of the guide, with the reports index in the nav and the report page added."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", tmp_path / "site", ignore=shutil.ignore_patterns("annual-*"))
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    if "reports/index.md" not in config:
        config = config.replace("nav:\n", "nav:\n  - Annual reports: reports/index.md\n", 1)
        (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    write_annual(report, tmp_path / "site" / "reports")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "-m", "complaints_tools.sitegen"], cwd=tmp_path, check=True, env=env
    )
    built = subprocess.run(
        [str(bin_dir / "mkdocs"), "build", "--strict", "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "build/site/reports/annual-2024-25/index.html").read_text(encoding="utf-8")
    assert html.count('role="img"') == len(annual_charts(report, shown))
    assert (tmp_path / "build/site/reports/annual-2024-25/themes.csv").is_file()
    index = (tmp_path / "build/site/reports/index.html").read_text(encoding="utf-8")
    assert 'href="annual-2024-25/"' in index
    assert "Annual report 2024 to 2025" in index
    assert io.StringIO(html).read().count("<table>") >= len(annual_charts(report, shown))
    # The guide is served under `default-src 'self'`: an inline style would be blocked.
    assert 'style="' not in html
    assert 'align="right"' in html  # number columns keep their alignment


def test_the_decisions_and_holds_are_published_with_small_numbers_hidden() -> None:
    from complaints.models import Decision
    from complaints.service import lifecycle as lc
    from complaints.service.reports import annual_report
    from complaints_tools.reports.publish import annual_markdown
    from tests.unit.lifecycle_fixtures import act, new_case

    late = new_case(date(2025, 5, 6), ref="LATE0001")
    late.decisions.append(Decision(kind="late_complaint"))
    refused = lc.decide_late_complaint(late, act(date(2025, 5, 7)), accept=False, reasons="x")
    held = lc.hold(
        new_case(date(2025, 5, 6), ref="HELD0001"),
        act(date(2025, 5, 7)),
        grounds="police_investigation",
        reason="x",
    ).case
    others = [new_case(date(2025, 6, 2), ref=f"OTHR{n:04d}") for n in range(10)]
    report = annual_report([refused.case, held, *others], 2025, as_of=date(2025, 8, 1))
    page = annual_markdown(report)
    assert "## Decisions and holds" in page
    assert "Decisions the regulations require" in page
    section = page[page.index("## Decisions and holds") : page.index("## Recommendations")]
    assert "fewer than 5" in section
    assert "| 1 |" not in section
