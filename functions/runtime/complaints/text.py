"""Text that came from outside (a person on the form, a member of staff on the command line),
made plain at the boundary, before anything stores, prints or sends it.

``plain_text`` is the one cleaner: the public submission (``complaints.submission``) and every
argument of the staff command line (``complaints_tools.cli``) go through it, so a terminal escape
sequence, a right-to-left override or a lone surrogate never reaches the table, a terminal or
an email. What it keeps is still only text: it is rendered as text everywhere (Jinja
autoescape, Rich ``Text``, escaped Markdown), never as markup.
"""

from __future__ import annotations

import unicodedata

# Control characters a person means: a new line and a tab. Everything else in category Cc
# (C0, DEL and C1: ESC, CSI, BEL, backspace, carriage return, ...) is dropped.
KEPT_CONTROLS = frozenset("\n\t")
# Cc: control (C0, DEL, C1); Cf: format (bidi overrides, zero-width joiners, ...);
# Cs: lone surrogates (cannot be stored or sent as UTF-8).
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def without_controls(value: str) -> str:
    """``value`` without control, format and surrogate characters (new lines and tabs kept),
    otherwise unchanged: for showing stored text that may predate the cleaning."""
    return "".join(
        ch
        for ch in value
        if ch in KEPT_CONTROLS or unicodedata.category(ch) not in DROPPED_CATEGORIES
    )


def plain_text(value: str) -> str:
    """Unicode normalised (NFC), control and format characters dropped (new lines and tabs
    kept; Windows line ends become ``\\n``), and trimmed."""
    value = value.replace("\r\n", "\n")
    return without_controls(unicodedata.normalize("NFC", value)).strip()
