"""Text from outside, made plain at the boundary (``complaints.text``)."""

from __future__ import annotations

import pytest

from complaints.text import plain_text, without_controls


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Sam\x1b[31m Jones", "Sam[31m Jones"),  # ESC (C0)
        ("a\x00b\x07c\x08d\x7fe", "abcde"),  # NUL, BEL, backspace, DEL
        ("a\x9b31mb\x85c", "a31mbc"),  # C1: CSI and NEL
        ("over\rwrite", "overwrite"),
        ("line one\r\nline two", "line one\nline two"),
        ("keep\ttabs\nand lines", "keep\ttabs\nand lines"),
        ("right\u202eto left", "rightto left"),  # a bidi override (format character)
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("  trimmed  ", "trimmed"),
        ("Cafe\u0301", "Caf\u00e9"),  # NFC
        (
            "[/bold][link=https://evil.example]x[/link]",
            "[/bold][link=https://evil.example]x[/link]",
        ),
    ],
)
def test_plain_text_drops_control_and_format_characters_only(typed: str, kept: str) -> None:
    assert plain_text(typed) == kept


def test_without_controls_changes_nothing_else() -> None:
    assert without_controls("  a\x1bb \n") == "  ab \n"
