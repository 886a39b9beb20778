"""The CloudFront Function in template.yaml maps MkDocs' directory URLs onto S3 keys. Run its
JavaScript (in the system Chromium's V8) on the kinds of request the guide receives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        yield browser.new_page()
        browser.close()


@pytest.fixture(scope="module")
def code(template: dict[str, Any]) -> str:
    function = template["Resources"]["SiteUrlRewriteFunction"]["Properties"]
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    return str(function["FunctionCode"])


def _run(page: Page, code: str, uri: str) -> dict[str, Any]:
    event = {"request": {"method": "GET", "uri": uri, "querystring": {}, "headers": {}}}
    result: dict[str, Any] = page.evaluate(
        f"(() => {{ {code}\n return handler({json.dumps(event)}); }})()"
    )
    return result


@pytest.mark.parametrize(
    ("uri", "key"),
    [
        ("/", "/index.html"),
        ("/complain/", "/complain/index.html"),
        ("/guide/stage-2/", "/guide/stage-2/index.html"),
        ("/assets/stylesheets/main.css", "/assets/stylesheets/main.css"),
        ("/404.html", "/404.html"),
    ],
)
def test_pages_and_files_map_to_their_keys(page: Page, code: str, uri: str, key: str) -> None:
    assert _run(page, code, uri)["uri"] == key


def test_a_directory_without_its_slash_is_redirected(page: Page, code: str) -> None:
    answer = _run(page, code, "/complain")
    assert answer["statusCode"] == 301
    assert answer["headers"]["location"]["value"] == "/complain/"
