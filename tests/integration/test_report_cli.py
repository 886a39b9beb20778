"""The report and demo commands against the embedded local stack (moto server on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import complaints_tools.cli.demo
import complaints_tools.cli.reports  # noqa: F401 - registers the commands
from complaints.adapters import clients
from complaints.clock import london_today
from complaints.service.reports import annual_report, backlog
from complaints_tools.cli import app
from complaints_tools.demo import generate_year
from complaints_tools.local.stack import LocalStack
from complaints_tools.local.state import STATE_DIR_ENV

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def local_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalStack]:
    saved = dict(os.environ)
    site = tmp_path / "built-site"
    site.mkdir()
    (site / "index.html").write_text("<h1>guide</h1>", encoding="utf-8")
    state = tmp_path / "state"
    monkeypatch.setenv(STATE_DIR_ENV, str(state))
    monkeypatch.delenv("COMPLAINTS_LOCAL", raising=False)
    stack = LocalStack(site_dir=site, port=0, state_directory=state, poll_interval=0.05)
    stack.start()
    try:
        yield stack
    finally:
        endpoint = os.environ[clients.ENDPOINT_ENV]
        # moto's server keeps its state in this process: forget it for the next test
        reset = f"{endpoint}/moto-api/reset"  # the embedded server on 127.0.0.1
        request = urllib.request.Request(reset, method="POST")  # noqa: S310
        urllib.request.urlopen(request, timeout=10).close()  # noqa: S310
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)
        clients.reset()


def _emails(stack: LocalStack) -> str:
    return (stack.state_directory / "emails.jsonl").read_text(encoding="utf-8")


def test_demo_seed_then_reports_without_sending_any_email(
    local_stack: LocalStack, tmp_path: Path
) -> None:
    seeded = runner.invoke(app, ["demo", "seed", "--local", "--year", "2024", "--size", "60"])
    assert seeded.exit_code == 0, seeded.output
    assert "No emails sent" in seeded.output
    time.sleep(0.5)  # give the stream poller time to act, if it were going to
    assert _emails(local_stack) == ""

    today = london_today()
    expected = generate_year(2024, today=today, size=60)

    annual = runner.invoke(
        app, ["report", "annual", "--local", "--year", "2024", "--json", "--out", str(tmp_path)]
    )
    assert annual.exit_code == 0, annual.output
    figures = json.loads(annual.output)
    truth = annual_report(expected, 2024, as_of=today)
    assert figures == truth.model_dump(mode="json")
    assert (tmp_path / "annual-2024-25" / "index.md").is_file()

    shown = runner.invoke(app, ["report", "backlog", "--local", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output) == backlog(expected, today).model_dump(mode="json")

    table = runner.invoke(app, ["report", "backlog", "--local"])
    assert table.exit_code == 0, table.output
    assert "overdue" in table.output
    for case in backlog(expected, today).overdue_cases:
        assert case.reference in table.output
    for case in expected:
        assert case.complainant.name not in table.output


def test_seeding_again_replaces_instead_of_adding(local_stack: LocalStack) -> None:
    for _ in range(2):
        done = runner.invoke(app, ["demo", "seed", "--local", "--year", "2023", "--size", "20"])
        assert done.exit_code == 0, done.output
    annual = runner.invoke(app, ["report", "annual", "--local", "--year", "2023", "--json"])
    assert json.loads(annual.output)["received"] == 20


def test_demo_data_never_goes_to_a_deployed_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPLAINTS_LOCAL", raising=False)
    refused = runner.invoke(app, ["demo", "seed", "--year", "2024"])
    assert refused.exit_code != 0
    assert "only into the local stack" in refused.output


def test_annual_report_is_published_into_the_guide(
    local_stack: LocalStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    guide = tmp_path / "guide"
    guide.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", guide / "mkdocs.yml")
    shutil.copytree(ROOT / "site", guide / "site", ignore=shutil.ignore_patterns("annual-*"))
    monkeypatch.chdir(guide)
    seeded = runner.invoke(app, ["demo", "seed", "--local", "--year", "2024", "--size", "30"])
    assert seeded.exit_code == 0, seeded.output

    published = runner.invoke(app, ["report", "annual", "--local", "--year", "2024"])

    assert published.exit_code == 0, published.output
    assert "/reports/annual-2024-25/" in published.output
    page = guide / "build" / "site" / "reports" / "annual-2024-25" / "index.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert "Demonstration data" in html
    assert "fewer than 5" in html  # 30 complaints: some counts are 1 to 4
    assert (guide / "site" / "reports" / "annual-2024-25" / "stages.csv").is_file()
    listing = (guide / "build" / "site" / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Annual report 2024 to 2025" in listing
