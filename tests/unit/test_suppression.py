"""Small-number suppression (``complaints_tools.reports.suppression``): counts 1 to 4 hidden,
and then enough other counts that no total or difference gives a hidden one back."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import pytest

from complaints_tools.reports.suppression import Line, Suppression, is_small, suppress

T = 5  # "fewer than 5"


def _possible_values(
    counts: Mapping[str, int], lines: Sequence[Line[str]], result: Suppression[str], key: str
) -> set[int]:
    """Every value ``key`` could have, to a reader who sees what is shown and the labels
    ("fewer than 5" is 1 to 4; "not shown" is 0 or 5 and over): brute force over the hidden
    counts (each up to 40), keeping assignments that satisfy every line."""
    hidden = sorted(result.primary | result.secondary)
    ranges = [
        range(1, T) if h in result.primary else [0, *range(T, 41)]
        for h in hidden  # a secondary could be 0 or 5 and over, as far as a reader knows
    ]
    found = set()
    for values in itertools.product(*ranges):
        guess = {**counts, **dict(zip(hidden, values, strict=True))}
        if all(guess[line.total] == sum(guess[p] for p in line.parts) for line in lines):
            found.add(guess[key])
    return found


def _nothing_worked_out(
    counts: Mapping[str, int], lines: Sequence[Line[str]], result: Suppression[str]
) -> None:
    for key in result.primary | result.secondary:
        assert len(_possible_values(counts, lines, result, key)) > 1, key


def test_counts_from_1_to_4_are_small() -> None:
    assert [n for n in range(8) if is_small(n, T)] == [1, 2, 3, 4]


def test_without_lines_only_small_counts_are_hidden() -> None:
    counts = {"a": 0, "b": 1, "c": 4, "d": 5, "e": 120}
    result = suppress(counts, [], T)
    assert result.primary == {"b", "c"}
    assert result.secondary == set()
    assert not result.hidden("a")  # a zero identifies nobody


def test_a_row_total_minus_the_cells_shown_must_not_give_back_the_hidden_one() -> None:
    """The classic case: total 40 = 3 + 12 + 25. Hiding only the 3 leaves 40 - 12 - 25 = 3,
    so a second cell (the smallest shown, 12) is hidden too."""
    counts = {"total": 40, "a": 3, "b": 12, "c": 25}
    line = Line("total", ("a", "b", "c"))
    result = suppress(counts, [line], T)
    assert result.primary == {"a"}
    assert result.secondary == {"b"}
    _nothing_worked_out(counts, [line], result)


def test_a_second_hidden_cell_too_small_to_hide_the_first_is_not_enough() -> None:
    """Total 11 = 1 + 5 + 5: hiding 1 and one 5 leaves a sum of 6, and "not shown" means 0 or
    at least 5, so the hidden 1 would be given back: the other 5 goes as well."""
    counts = {"total": 11, "a": 1, "b": 5, "c": 5}
    line = Line("total", ("a", "b", "c"))
    result = suppress(counts, [line], T)
    assert result.secondary == {"b", "c"}
    _nothing_worked_out(counts, [line], result)


def test_two_small_cells_adding_up_to_their_smallest_sum_are_protected() -> None:
    """1 + 1 hidden, total 12 = 1 + 1 + 10 shown: the hidden pair adds up to 2, so each is 1."""
    counts = {"total": 12, "a": 1, "b": 1, "c": 10}
    line = Line("total", ("a", "b", "c"))
    result = suppress(counts, [line], T)
    assert result.secondary == {"c"}
    _nothing_worked_out(counts, [line], result)


def test_when_nothing_else_can_hide_it_the_total_goes() -> None:
    counts = {"total": 6, "a": 1, "b": 5, "c": 0}
    line = Line("total", ("a", "b", "c"))
    result = suppress(counts, [line], T)
    assert result.secondary == {"b", "total"}
    _nothing_worked_out(counts, [line], result)


def test_rows_and_columns_with_totals() -> None:
    """A table with row totals, column totals and a grand total: hiding a cell for its row
    unsettles its column, and so on, until no line gives anything back.

            x    y    z  | row
        r1  2   10   20  |  32
        r2  9   11   30  |  50
        ----------------------
        col 11  21   50  |  82
    """
    rows, columns = ("r1", "r2"), ("x", "y", "z")
    cells = {("r1", "x"): 2, ("r1", "y"): 10, ("r1", "z"): 20}
    cells |= {("r2", "x"): 9, ("r2", "y"): 11, ("r2", "z"): 30}
    counts: dict[str, int] = {f"{r}.{c}": n for (r, c), n in cells.items()}
    for r in rows:
        counts[f"{r}.all"] = sum(cells[r, c] for c in columns)
    for c in columns:
        counts[f"all.{c}"] = sum(cells[r, c] for r in rows)
    counts["all.all"] = sum(cells.values())
    lines = [Line(f"{r}.all", tuple(f"{r}.{c}" for c in columns)) for r in rows]
    lines += [Line(f"all.{c}", tuple(f"{r}.{c}" for r in rows)) for c in columns]
    lines += [Line("all.all", tuple(f"{r}.all" for r in rows))]
    lines += [Line("all.all", tuple(f"all.{c}" for c in columns))]
    result = suppress(counts, lines, T)
    assert result.primary == {"r1.x"}
    # r1's row: the smallest other cell (10); x's column: 9; then y's column and r2's row
    # have one hidden cell each: 11 closes both.
    assert result.secondary == {"r1.y", "r2.x", "r2.y"}
    for line in lines:
        assert sum(1 for k in (line.total, *line.parts) if result.hidden(k)) != 1
    _nothing_worked_out(counts, lines, result)


def test_an_identity_hides_both_sides() -> None:
    """The same figure published twice under two names (a line with one part)."""
    counts = {"received": 3, "stage1": 3, "months_total": 3}
    result = suppress(counts, [Line("received", ("stage1",))], T)
    assert result.primary == {"received", "stage1", "months_total"}


def test_a_line_must_name_published_counts() -> None:
    with pytest.raises(KeyError):
        suppress({"a": 1}, [Line("a", ("b",))], T)


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_never_give_a_hidden_count_back(seed: int) -> None:
    import random

    chooser = random.Random(seed)
    parts = [chooser.choice([0, 1, 2, 3, 4, 5, 6, 8, 13, 30]) for _ in range(4)]
    counts = {f"p{i}": n for i, n in enumerate(parts)} | {"total": sum(parts)}
    line = Line("total", tuple(f"p{i}" for i in range(4)))
    result = suppress(counts, [line], T)
    assert {k for k, n in counts.items() if 0 < n < T} == result.primary
    _nothing_worked_out(counts, [line], result)
