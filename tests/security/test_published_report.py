"""Staff text quoted in a published report is plain text: the annual report page, built into a
copy of the guide by the real ``mkdocs build`` (the guide's ``mkdocs.yml`` and its Markdown
extensions), has no link, image, HTML element or attribute, included file, admonition or
attribute list made from what staff typed; the text shows exactly as typed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from complaints.models import CaseStatus, StageRecord
from complaints.service.reports import AnnualReport, annual_report
from complaints_tools.reports.publish import write_annual
from complaints_tools.reports.quoted import inert_markdown
from tests.unit.report_cases import make_case

ROOT = Path(__file__).resolve().parents[2]
ATTACKS = (
    "[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "See [our new site](https://evil.example/login) and ![logo](https://evil.example/x.png)",
    '<a href="https://evil.example" onclick="steal()">the council</a>',
    "<script>alert(1)</script><b>bold</b>",
    '--8<-- "mkdocs.yml"',
    '{: onclick="alert(1)" }',
    '!!! danger "Hacked"',
    "Visit https://evil.example or www.evil.example or <https://evil.example>",
    "*emphasis* __strong__ `code` ~~gone~~ # heading | a | b |",
    '<div markdown="1">*inside*</div>',
    "[link][ref] [ref]: javascript:alert(1)",
    "&lt;b&gt; is how &amp; is written",
    "Back\\slash and 1. numbered - dash + plus > quote",
)


@dataclass
class Page(HTMLParser):
    """What the built page holds: every element with its attributes, and the text."""

    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _report_with(statements: tuple[str, ...]) -> AnnualReport:
    cases = []
    for number, statement in enumerate(statements):
        received = date(2024, 4, 1 + number)
        stage = StageRecord(
            number=1,
            started_on=received,
            responded_on=date(2024, 5, 1),
            outcome="upheld",
            learning=statement,
        )
        cases.append(make_case(received, stages=[stage], status=CaseStatus.RESPONDED))
    return annual_report(cases, 2024, as_of=date(2025, 6, 1), include_learning_statements=True)


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the guide with the report page in it, built as the CLI builds it."""
    guide = tmp_path_factory.mktemp("guide")
    shutil.copy(ROOT / "mkdocs.yml", guide / "mkdocs.yml")
    shutil.copytree(ROOT / "site", guide / "site", ignore=shutil.ignore_patterns("annual-*"))
    write_annual(_report_with(ATTACKS), guide / "site" / "reports")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "-m", "complaints_tools.sitegen"], cwd=guide, check=True, env=env
    )
    done = subprocess.run(
        [str(bin_dir / "mkdocs"), "build", "--strict", "--quiet"],
        cwd=guide,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    html = (guide / "build/site/reports/annual-2024-25/index.html").read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def _parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture(scope="module")
def built(article: str) -> Page:
    """The page's own content (the theme adds its scripts around it)."""
    return _parsed(article)


@pytest.fixture(scope="module")
def quoted(article: str) -> Page:
    """The list of quotes, under "Examples of what was learned" (the page's own words
    elsewhere use emphasis and links)."""
    start = article.index("<ul>", article.index("Examples of what was learned"))
    return _parsed(article[start : article.index("</ul>", start) + len("</ul>")])


def test_no_link_points_anywhere_staff_typed(built: Page) -> None:
    for tag, attributes in built.elements:
        for name in ("href", "src", "action", "formaction", "xlink:href"):
            value = (attributes.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), (tag, attributes)
            assert "evil.example" not in value, (tag, attributes)


def test_no_element_or_attribute_made_from_staff_text(built: Page, quoted: Page) -> None:
    assert {"img", "script", "b"}.isdisjoint(tag for tag, _ in built.elements)
    assert [tag for tag, _ in quoted.elements] == ["ul"] + ["li"] * len(ATTACKS)
    assert all(attributes == {} for _, attributes in quoted.elements)
    for tag, attributes in built.elements:
        assert not any(name.startswith("on") for name in attributes), (tag, attributes)
        assert "admonition" not in (attributes.get("class") or ""), (tag, attributes)


def test_every_quote_reads_exactly_as_typed(built: Page) -> None:
    text = " ".join("".join(built.text).split())
    for attack in ATTACKS:
        assert " ".join(attack.split()) in text, attack


def test_no_file_was_included_and_no_box_was_made(built: Page) -> None:
    text = "".join(built.text)
    assert "site_name:" not in text  # mkdocs.yml was not pulled in by --8<--
    classes = " ".join(str(attributes.get("class") or "") for _, attributes in built.elements)
    assert "danger" not in classes
    assert "Hacked" not in [a.get("title") for _, a in built.elements]


def test_a_quote_is_one_inert_line() -> None:
    quoted = inert_markdown("First line\n\n# Second\x1b[31m <b>")
    assert "\n" not in quoted
    assert quoted == "First line &#35; Second&#91;31m &#60;b&#62;"
    assert all(ch.isalnum() or ch in " &#;" for ch in quoted)
