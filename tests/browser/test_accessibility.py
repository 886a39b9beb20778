"""Every page of the guide: zero axe-core violations (WCAG 2.0, 2.1 and 2.2, A and AA) on a
desktop and two phone-sized screens (375 and 320 pixels), no sideways scrolling, under the
strict Content-Security-Policy the local server sends, with no request to any other origin and
no script or console error. The pages the API draws are checked the same way in
``test_question_pages``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.browser.conftest import WIDTHS, Tab, axe_violations, sideways_scroll
from tests.localstack import ROOT

pytestmark = pytest.mark.browser


def _page_url(source: Path) -> str:
    """``site/foo.md`` -> ``/foo/``, ``site/reports/index.md`` -> ``/reports/``."""
    relative = source.relative_to(SITE).with_suffix("")
    parts = [p for p in relative.parts if p != "index"]
    return "/" + "".join(f"{p}/" for p in parts)


# Every page of the guide, found from its sources, so a new page is checked too.
SITE = ROOT / "site"
PAGES = sorted(
    _page_url(p)
    for p in SITE.rglob("*.md")
    if "overrides" not in p.relative_to(SITE).parts and p.stem != "page-shell"
)
STATES: list[str] = []


def test_every_built_page_is_checked(site_dir: Path) -> None:
    folders = {p.parent.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html")}
    built = {"/" if folder == "." else f"/{folder}/" for folder in folders}
    assert built == set(PAGES)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES + STATES)
def test_page_has_no_accessibility_violations(
    open_tab: Callable[..., Tab], path: str, width: int
) -> None:
    tab = open_tab(width=width)
    page = tab.goto(path)
    page.wait_for_load_state("load")
    assert axe_violations(page) == []
    assert sideways_scroll(page) == 0
    assert tab.problems == []


@pytest.mark.parametrize("width", WIDTHS)
def test_not_found_page_has_no_accessibility_violations(
    open_tab: Callable[..., Tab], width: int
) -> None:
    tab = open_tab(width=width)
    response = tab.page.goto(tab.base + "/no-such-page/")
    assert response is not None
    assert response.status == 404
    assert axe_violations(tab.page) == []


def test_pages_read_without_javascript(open_tab: Callable[..., Tab]) -> None:
    """The guide is plain pages: the danger box, the steps and the form are all there."""
    tab = open_tab(javascript=False)
    page = tab.goto("/")
    assert page.get_by_role("heading", name="If a child is in danger now").is_visible()
    assert page.get_by_role("link", name="Make a complaint").first.is_visible()
    page = tab.goto("/make-a-complaint/")
    assert page.get_by_role("button", name="Start now").is_visible()
    assert tab.problems == []


def test_touch_targets_are_at_least_24_pixels(open_tab: Callable[..., Tab]) -> None:
    """WCAG 2.5.8: radios, buttons and the footer links are at least 24 by 24 pixels."""
    tab = open_tab(width=375)
    page = tab.goto("/complaint/who-you-are")  # no answers yet: the first question page
    for selector in ("input[type=radio]", ".cf-button", ".guide-footer__links a"):
        for box in [e.bounding_box() for e in page.locator(selector).all()]:
            assert box is not None
            assert box["width"] >= 24
            assert box["height"] >= 24
