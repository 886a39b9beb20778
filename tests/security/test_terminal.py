"""The officer's terminal: whatever a complainant typed or a member of staff pasted, the command
line prints it as text. ``[/bold]`` does not crash it, ``[link=...]`` does not become a
clickable link (even with colour forced), and control characters (escape sequences) are
dropped at the boundary and again on the way out."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.conftest import Stack
from tests.integration.helpers import body_json, post_json, valid_fields
from tests.security.conftest import cli_runner

MARKUP_NAME = "[/bold][link=https://evil.example]x[/link]"
MARKUP_DETAILS = (
    "See [link=https://evil.example]my file[/link] and [bold red]this[/bold red] :smile:"
)
HYPERLINK = "\x1b]8;"  # OSC 8: the start of a terminal hyperlink
ESCAPE = "\x1b"
# What a pasted or hostile reason could carry: OSC 8 hyperlink, a colour change, a retitle,
# a bell, a C1 CSI (8-bit escape), a backspace and a carriage return hiding what came before.
CONTROLS = (
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b[31mred\x1b[0m "
    "\x1b]0;title\x07 \x9b31m \x08\rHidden"
)


@pytest.fixture
def forced_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal that takes colour and hyperlinks, as an officer's would."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def _filed(**changes: Any) -> str:
    answer = post_json(valid_fields(**changes))
    assert answer["statusCode"] == 201, answer["body"]
    return str(body_json(answer)["reference"])


def test_a_name_made_of_markup_is_shown_as_typed_and_links_nothing(
    stack: Stack, forced_colour: None
) -> None:
    reference = _filed(complainant_name=MARKUP_NAME, details=MARKUP_DETAILS)
    code, output = cli_runner()("show", reference)
    assert code == 0, output
    assert MARKUP_NAME in output
    assert "[link=https://evil.example]my file[/link]" in output
    assert ":smile:" in output
    assert HYPERLINK not in output
    assert ESCAPE in output  # colour really was forced: the test could have seen a link


def test_control_characters_in_a_staff_reason_never_reach_the_store_or_the_terminal(
    stack: Stack, forced_colour: None
) -> None:
    reference = _filed()
    run = cli_runner()
    code, output = run(
        "hold", reference, "--grounds", "other", "--reason", f"Police {CONTROLS} investigation"
    )
    assert code == 0, output
    code, output = run("show", reference, "--json")
    assert code == 0, output
    (held,) = [e for e in json.loads(output)["events"] if e["type"] == "held"]
    assert held["reason"] == (
        "Police ]8;;https://evil.example\\click]8;;\\ [31mred[0m ]0;title 31m Hidden investigation"
    )
    code, output = run("show", reference)
    assert code == 0, output
    assert HYPERLINK not in output
    assert "\x07" not in output
    assert "\x9b" not in output
    assert "\r" not in output
    assert "]8;;https://evil.example" in output  # the harmless rest is still shown


def test_text_stored_before_the_cleaning_is_cleaned_on_the_way_out(
    stack: Stack, forced_colour: None
) -> None:
    from datetime import UTC, datetime

    from complaints.models import Event, EventType

    reference = _filed()
    repository = stack.repository
    from complaints.adapters.dynamo import event_item, to_attributes

    old = Event(
        reference=reference,
        type=EventType.RESUMED,
        at=datetime.now(UTC),
        recorded_at=datetime.now(UTC),
        by=f"someone{CONTROLS}",
        reason=CONTROLS,
    )
    repository.dynamodb.put_item(
        TableName=repository.table_name, Item=to_attributes(event_item(old, 99))
    )
    code, output = cli_runner()("show", reference)
    assert code == 0, output
    assert HYPERLINK not in output
    assert "\x1b]0;" not in output
    assert "\x1b[31m" not in output
    assert "\x9b" not in output
