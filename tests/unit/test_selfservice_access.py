"""The self-service link's lock cannot be turned into a weapon: the right token always opens
the case; wrong ones (and unknown references, alike) slow down with a doubling backoff kept in
wall time (``service.selfservice.open_case``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from complaints.models import Case
from complaints.service.selfservice import (
    FREE_WRONG_TRIES,
    MAX_BACKOFF,
    Access,
    backoff_seconds,
    open_case,
)
from complaints.service.tokens import hash_token
from tests.unit.report_cases import make_case

TOKEN = "the-right-token"


@dataclass
class Store:
    """The access store in memory: one case, wrong tries counted per reference."""

    case: Case
    tries: dict[str, list[datetime]] = field(default_factory=dict)

    def get_case(self, reference: str) -> Case | None:
        return self.case if reference == self.case.reference else None

    def record_wrong_attempt(self, reference: str, now: datetime, window: timedelta) -> int:
        recent = [t for t in self.tries.get(reference, []) if now - t < window]
        self.tries[reference] = [*recent, now]
        return len(self.tries[reference])


@pytest.fixture
def store() -> Store:
    case = make_case(date(2025, 6, 2)).model_copy(
        update={"token_hash": hash_token(TOKEN), "reference": "KX7F-3QTM"}
    )
    return Store(case)


def test_the_backoff_doubles_after_the_free_tries_up_to_its_limit() -> None:
    assert [backoff_seconds(n) for n in range(1, FREE_WRONG_TRIES + 1)] == [0] * 5
    assert [backoff_seconds(FREE_WRONG_TRIES + n) for n in range(1, 6)] == [1, 2, 4, 8, 16]
    assert backoff_seconds(1_000_000) == int(MAX_BACKOFF.total_seconds())


def test_the_right_token_works_after_any_number_of_wrong_ones(store: Store) -> None:
    reference = store.case.reference
    answers = [open_case(store, reference, "wrong") for _ in range(20)]
    assert [a.throttled for a in answers] == [False] * 5 + [True] * 15
    right = open_case(store, reference, TOKEN)
    assert right == Access(store.case)
    assert len(store.tries[reference]) == 20  # the right token is not counted as a try


def test_an_unknown_reference_slows_down_exactly_like_a_wrong_token(store: Store) -> None:
    wrong = [open_case(store, store.case.reference, "wrong") for _ in range(9)]
    unknown = [open_case(store, "HJKM-NPQR", TOKEN) for _ in range(9)]
    assert wrong == unknown
    assert wrong[-1] == Access(None, throttled=True, retry_after=8)


def test_missing_and_empty_tokens_are_wrong_tokens(store: Store) -> None:
    assert open_case(store, store.case.reference, None) == Access(None)
    assert open_case(store, store.case.reference, "") == Access(None)
    assert len(store.tries[store.case.reference]) == 2


def test_the_window_is_wall_time_and_ends_after_the_last_wrong_try(store: Store) -> None:
    start = datetime.now(UTC)
    reference = store.case.reference
    for _ in range(8):
        open_case(store, reference, "wrong")
    (first, *_rest) = store.tries[reference]
    assert abs(first - start) < timedelta(seconds=5)  # wall time, not a business clock
    later = start + timedelta(minutes=16)
    assert open_case(store, reference, "wrong", clock=lambda: later) == Access(None)
