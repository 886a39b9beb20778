"""The guide builds with MkDocs (strict) and with Zensical, its successor, from the same
``mkdocs.yml``, and both show the timescales generated from the procedure data."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from complaints.procedures import load_procedures
from complaints_tools.sitegen import working_days, write_snippets
from tests.browser.readability import grade, page_text
from tests.localstack import ROOT, build_site

pytestmark = pytest.mark.browser

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
OTHER_ORIGIN = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=\"(?:https?:)?//")


def _expected_timescales() -> list[str]:
    statutory = next(p for p in load_procedures().values() if p.statutory)
    found = []
    for stage in statutory.stages:
        for milestone in stage.milestones:
            found.append(working_days(milestone.working_days))
            if milestone.extendable_to:
                found.append(working_days(milestone.extendable_to))
    return found


def _check_built(site: Path) -> None:
    procedure_page = (site / "the-procedure" / "index.html").read_text("utf-8")
    for text in _expected_timescales():
        assert text in procedure_page, f"{text} is missing from the procedure page"
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        assert "--8<--" not in html, f"raw snippet in {page}"
        assert "--8&lt;--" not in html, f"raw snippet in {page}"
        assert not INLINE_SCRIPT.findall(html), f"inline script in {page}"
        assert not OTHER_ORIGIN.findall(html), f"{page} loads from another origin"
    start = (site / "make-a-complaint" / "index.html").read_text("utf-8")
    assert 'href="/complaint/child-in-danger"' in start  # the question pages, first question
    assert "<form" not in start  # one question a page: the API draws them


def test_mkdocs_builds_strictly_with_the_generated_timescales(tmp_path: Path) -> None:
    started = time.monotonic()
    build_site(tmp_path / "site")
    print(f"mkdocs build: {time.monotonic() - started:.2f}s")
    _check_built(tmp_path / "site")


def test_zensical_builds_the_same_guide(tmp_path: Path) -> None:
    """A copy of the project's guide files, built by Zensical (which ignores MkDocs hooks:
    the snippets are plain files, so it needs none)."""
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    assert zensical, "zensical is not installed (requirements.txt pins it)"
    write_snippets(tmp_path / "build" / "snippets")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    started = time.monotonic()
    subprocess.run(
        [zensical, "build", "--strict", "--clean", "-f", "mkdocs.yml"],
        cwd=tmp_path,
        check=True,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
    )
    print(f"zensical build: {time.monotonic() - started:.2f}s")
    _check_built(tmp_path / "build" / "site")


@pytest.mark.parametrize(
    ("page", "most"),
    [
        ("children-and-young-people", 5.0),  # reading age about 9 to 11
        ("", 7.0),
        ("the-procedure", 7.0),
        ("who-can-complain", 7.0),
        ("complaining-for-a-child", 7.0),
        ("advocacy", 7.0),
        ("ombudsman", 7.0),
        ("make-a-complaint", 7.0),
        ("privacy", 8.0),
        ("accessibility", 8.0),
    ],
)
def test_pages_are_plain_english(site_dir: Path, page: str, most: float) -> None:
    text = page_text((site_dir / page / "index.html").read_text("utf-8"))
    level, words_per_sentence = grade(text)
    print(f"{page or 'start'}: grade {level:.1f}, {words_per_sentence:.1f} words a sentence")
    assert level <= most
    assert words_per_sentence <= 15
