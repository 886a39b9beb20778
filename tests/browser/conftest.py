"""Browser tests: the guide built once from the data, the real local stack
(``python -m complaints_tools.local``) on a free 127.0.0.1 port, and Debian's Chromium driven by
Playwright. No browser is downloaded; nothing leaves 127.0.0.1 (requests to any other origin
are refused and reported)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.localstack import Stack, build_site, stack_for_tests

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 375, 320)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(out)
    return out


@pytest.fixture(scope="session")
def stack(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real local stack, as ``make run`` starts it, serving the freshly built guide."""
    with stack_for_tests(site_dir, tmp_path_factory.mktemp("local-state")) as started:
        yield started


# Package scope: Playwright's sync API allows one instance at a time, so the browser closes
# when the browser tests are done and other suites (tests/infra) can start their own.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A page plus what went wrong on it: refused requests to other origins, CSP violations,
    script errors and console errors."""

    context: BrowserContext
    page: Page
    base: str
    problems: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def unexpected_problems(self, allow: Callable[[str], bool] = lambda _: False) -> list[str]:
        return [p for p in self.problems if not allow(p)]


@pytest.fixture
def open_tab(browser: Browser, stack: Stack) -> Iterator[Callable[..., Tab]]:
    """``open_tab(width=1280, javascript=True)``: a fresh browser context on the stack."""
    contexts: list[BrowserContext] = []

    def make(width: int = 1280, javascript: bool = True) -> Tab:
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            locale="en-GB",
            timezone_id="Europe/London",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        tab = Tab(context, page, stack.url)

        def guard(route: Route) -> None:
            if route.request.url.startswith(stack.url + "/"):
                route.continue_()
            else:
                tab.problems.append(f"request to another origin: {route.request.url}")
                route.abort()

        context.route("**/*", guard)
        page.on(
            "console",
            lambda m: (
                tab.problems.append(f"console {m.type}: {m.text}")
                if m.type in {"error", "warning"}
                else None
            ),
        )
        page.on("pageerror", lambda e: tab.problems.append(f"script error: {e}"))
        return tab

    yield make
    for context in contexts:
        context.close()


def sideways_scroll(page: Page) -> int:
    """How many pixels the page scrolls sideways (0: none)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def axe_violations(page: Page) -> list[str]:
    """Every axe-core violation of WCAG 2.0, 2.1 and 2.2 A and AA on the page, readable."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
    ]
