"""Small numbers in published figures: which counts to hide (pure; no reports, no formatting).

A published count from 1 to ``threshold - 1`` could identify a child, so it is shown as "fewer
than 5" (*primary* suppression; ``threshold`` is a council setting). Hiding it is not enough
when published figures add up: a row total minus the cells still shown gives the hidden one
back. So wherever figures are tied by a ``Line`` (``total = part + part + ...``, each a
published count), more counts are hidden (*secondary* suppression, shown as "not shown") until
no hidden count can be worked out from that line:

- a line never has exactly one hidden figure (it would be its total minus the rest);
- when its total is shown, the hidden parts add up to a known sum. A reader knows each
  "fewer than 5" is 1 to 4 and each "not shown" is 0 or at least 5; the line is safe only if
  that still leaves at least two possible values for every hidden count.

The next count hidden in a line is a non-zero one shown in it, preferably one that also sits
in another line with a hidden count (so one count settles both), then the smallest (the least
information lost); else the line's total. Hiding one count can unsettle another line it
belongs to, so the lines are checked again until none changes. This is the usual
cell-suppression heuristic, line by line; it does not solve every combination of lines at once
(no linear programming).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Line(Generic[K]):
    """Published counts that add up: ``total`` is the sum of ``parts``."""

    total: K
    parts: tuple[K, ...]


@dataclass(frozen=True)
class Suppression(Generic[K]):
    """What to hide: ``primary`` (counts from 1 to threshold - 1) and ``secondary`` (hidden so
    that a total or a difference cannot give a primary back)."""

    primary: frozenset[K]
    secondary: frozenset[K]

    def hidden(self, key: K) -> bool:
        return key in self.primary or key in self.secondary


def is_small(count: int, threshold: int) -> bool:
    """A count shown as "fewer than ``threshold``": 1 or more, below the threshold."""
    return 0 < count < threshold


def _primaries_sums(hidden_sum: int, primaries: int, secondaries: int, threshold: int) -> set[int]:
    """The totals the hidden primaries could have, as a reader sees it: each primary is 1 to
    ``threshold - 1``; the secondaries together are 0 or at least ``threshold``."""
    possible = set()
    for total in range(primaries, primaries * (threshold - 1) + 1):
        rest = hidden_sum - total
        if rest == 0 or (secondaries and rest >= threshold):
            possible.add(total)
    return possible


def _line_is_safe(
    line: Line[K], counts: Mapping[K, int], hidden: set[K], primary: frozenset[K], threshold: int
) -> bool:
    members = [line.total, *line.parts]
    hidden_members = [m for m in dict.fromkeys(members) if m in hidden]
    if not hidden_members:
        return True
    if len(hidden_members) == 1:
        return False  # the total minus the rest, or the rest added up
    if line.total in hidden:
        return True  # the hidden parts' sum is not known from this line
    hidden_parts = [p for p in dict.fromkeys(line.parts) if p in hidden]
    known_sum = sum(counts[p] for p in hidden_parts)
    n = sum(1 for p in hidden_parts if p in primary)
    k = len(hidden_parts) - n
    sums = _primaries_sums(known_sum, n, k, threshold)
    if n and sums:
        lowest = max(1, min(sums) - (n - 1) * (threshold - 1))
        highest = min(threshold - 1, max(sums) - (n - 1))
        if lowest >= highest:
            return False  # each primary has one possible value
    return not (k == 1 and len(sums) <= 1)  # the one secondary is the sum minus the primaries


def _second(
    line: Line[K], counts: Mapping[K, int], hidden: set[K], lines_of: Mapping[K, list[Line[K]]]
) -> K | None:
    """The count to hide next in ``line``: a non-zero part still shown, preferring one that
    also belongs to another line with a hidden count (one more hidden count then settles both
    lines), then the smallest (the least information lost), then the first; else the line's
    total; ``None`` when everything that could help is hidden already."""
    shown = [p for p in line.parts if p not in hidden and counts[p] > 0]
    if shown:

        def cost(part: K) -> tuple[int, int]:
            shares = any(
                other is not line and any(m in hidden for m in (other.total, *other.parts))
                for other in lines_of.get(part, [])
            )
            return (0 if shares else 1, counts[part])

        return min(shown, key=cost)  # min keeps the first of equals, in the line's order
    if line.total not in hidden:
        return line.total
    return None


def suppress(counts: Mapping[K, int], lines: Sequence[Line[K]], threshold: int) -> Suppression[K]:
    """Which of ``counts`` to hide: every count from 1 to ``threshold - 1``, and then, line by
    line, more counts until no hidden one can be worked out from a ``Line``'s total."""
    if threshold < 2:
        raise ValueError("the threshold must be 2 or more")
    for line in lines:
        for key in (line.total, *line.parts):
            if key not in counts:
                raise KeyError(f"a line names a count that is not published: {key!r}")
    primary = frozenset(key for key, count in counts.items() if is_small(count, threshold))
    hidden = set(primary)
    lines_of: dict[K, list[Line[K]]] = {}
    for line in lines:
        for key in dict.fromkeys((line.total, *line.parts)):
            lines_of.setdefault(key, []).append(line)
    changed = True
    while changed:
        changed = False
        for line in lines:
            while not _line_is_safe(line, counts, hidden, primary, threshold):
                chosen = _second(line, counts, hidden, lines_of)
                if chosen is None:
                    break
                hidden.add(chosen)
                changed = True
    return Suppression(primary=primary, secondary=frozenset(hidden - primary))
