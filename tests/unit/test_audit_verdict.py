"""``make audit`` says plainly which figure missed which aim, or that every page met them."""

from __future__ import annotations

from tests.browser.lighthouse import verdict

ALL = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}


def test_every_aim_met_is_said_so() -> None:
    said = verdict([("/", ALL), ("/complaint/who-you-are", {**ALL, "performance": 98})])
    assert said.startswith("Every page met every aim")
    assert "below" not in said


def test_each_miss_names_the_page_the_figure_and_the_aim() -> None:
    said = verdict([("/", {**ALL, "performance": 97, "seo": 92}), ("/x/", ALL)])
    assert said.splitlines() == [
        "Missed:",
        "- /: performance 97, below the aim of 98",
        "- /: seo 92, below the aim of 100",
    ]
