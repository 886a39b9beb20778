"""Text a member of staff wrote, quoted on a published page: shown as typed, never acted on.

The annual report quotes the learning staff recorded (``report annual --include-learning``)
in a Markdown page of the public guide. Markdown lets text become a link (``[x](javascript:
...)``), an image, raw HTML with event handlers, a heading or a list; and the guide's
extensions act on whole lines too: ``pymdownx.snippets`` includes a file for ``--8<--``,
``attr_list`` puts attributes such as ``onclick`` on an element for ``{: ...}``,
``admonition`` makes a box of ``!!!``. So ``inert_markdown`` writes a quote as one line in
which every ASCII character that is not a letter, a digit or a space is a numeric character
reference (``[`` is ``&#91;``): the reader's browser shows exactly what was typed, while no
Markdown parser, extension or HTML parser finds any syntax in it. (``markupsafe.escape``
covers HTML's five characters only; Markdown's syntax is the rest of ASCII punctuation.)
"""

from __future__ import annotations

from complaints.text import without_controls


def _inert(character: str) -> str:
    if character.isascii() and not character.isalnum() and character != " ":
        return f"&#{ord(character)};"
    return character


def inert_markdown(text: str) -> str:
    """``text`` on one line (runs of white space become one space, control characters go),
    with every ASCII punctuation character as a numeric character reference."""
    line = " ".join(without_controls(text).split())
    return "".join(_inert(character) for character in line)
