"""Complaint references: short, easy to read aloud, random (never sequential).

The alphabet leaves out vowels (so no words are spelt by accident) and characters that look or
sound alike (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V). Eight characters from 21 give about 3.8 x 10^10
references; a clash is caught by the conditional write and a new one drawn.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "CDFGHJKMNPQRTWXY34679"
LENGTH = 8
_GROUP = LENGTH // 2
_PATTERN = re.compile(rf"^[{ALPHABET}]{{{_GROUP}}}-[{ALPHABET}]{{{_GROUP}}}$")


def new_reference() -> str:
    """A fresh random reference like ``KX7F-3QTM``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{chars[:_GROUP]}-{chars[_GROUP:]}"


def normalise_reference(text: str) -> str | None:
    """What a person typed (any case, spaces or no hyphen) as a reference, or ``None``."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    candidate = f"{compact[:_GROUP]}-{compact[_GROUP:]}"
    return candidate if _PATTERN.match(candidate) else None


def is_reference(text: str) -> bool:
    return bool(_PATTERN.match(text))
