"""Every page is valid HTML: the Nu Html Checker (npm ``vnu-jar``, pinned in the Makefile, run
by Debian's ``default-jre-headless``) finds no error in any page of the built guide, nor in any
page the API draws (the question pages empty, with errors and filled in, the confirmation, the
complainant's pages, the refusals)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.api_pages import email_link, journey_pages, self_service_pages
from tests.localstack import ROOT, Stack

pytestmark = pytest.mark.browser

VNU = ROOT / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _errors(files: list[Path]) -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install Debian's default-jre-headless (.ci/run does)")
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run make install")
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(done.stderr or "{}").get("messages", [])
    return [
        f"{Path(m.get('url', '')).name or m.get('url')}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]


def test_every_page_of_the_guide_is_valid_html(site_dir: Path) -> None:
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) >= 10
    assert _errors(pages) == []


def test_every_page_the_api_draws_is_valid_html(stack: Stack, tmp_path: Path) -> None:
    pages = journey_pages(stack.url)

    def respond(reference: str) -> None:
        stack.cli("respond", reference, "--outcome", "not_upheld", "--use-draft")

    pages |= self_service_pages(
        stack.url,
        lambda email: email_link(stack.cli, email, "/complaint/progress"),
        respond,
    )
    files = []
    for name, html in pages.items():
        assert html.lstrip().lower().startswith("<!doctype html>"), name
        path = tmp_path / (name.replace(" ", "_").replace("(", "").replace(")", "") + ".html")
        path.write_text(html, encoding="utf-8")
        files.append(path)
    assert _errors(files) == []
