"""Printing to the officer's terminal: stored text is shown as text, never as markup.

Anything that came from outside (a complainant's name or complaint, a member of staff's
reason, an email's subject) goes into Rich as a ``Text``: ``[bold]``, ``[/bold]`` or
``[link=...]`` in it is printed as typed, never parsed, so it can neither crash a command nor
become a clickable link. Control characters (an escape sequence that would recolour, retitle
or hyperlink the terminal) are dropped on the way out too, in case the text was stored before
it was cleaned at the boundary.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from complaints.text import without_controls


def text(value: object, style: str = "") -> Text:
    """``value`` as plain text for a Rich table or ``print`` (``None`` as ``-``)."""
    return Text("-" if value is None else without_controls(str(value)), style=style)


def console() -> Console:
    """The console every command prints through (no emoji codes, no guessed highlighting)."""
    return Console(emoji=False, highlight=False)
