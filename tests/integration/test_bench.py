"""``make bench`` keeps working, and two of its goals hold on a small scale in every test run:
the sweep's reads do not grow with the table, and no handler's first request loads the
``holidays`` package (the precomputed table stands in for it)."""

from __future__ import annotations

from pathlib import Path

from bench import cold_start, local_state, sweep


def test_the_sweep_reads_the_same_with_ten_times_the_cases() -> None:
    small, large = sweep.run(stored=60, due=3), sweep.run(stored=600, due=3)
    assert small.meets_goal
    assert large.meets_goal
    assert (small.items_read, small.index_items_read) == (large.items_read, large.index_items_read)
    assert large.checks_ran == large.due_checks == 9  # 3 cases: acknowledgement, reminder, deadline


def test_every_handler_does_its_first_request_without_the_holidays_package() -> None:
    handlers = cold_start.template_handlers()
    assert [h.split(".")[-2] for h in handlers] == [
        "api",
        "checks",
        "console",
        "delivery",
        "notify_callback",
        "outbox",
    ]
    loaded = cold_start.first_request_modules(handlers)  # raises unless each did its job
    for handler, modules in loaded.items():
        assert "boto3" in modules, handler  # it really reached AWS (moto)
        assert "holidays" not in modules, handler


def test_the_caseload_reads_the_same_with_ten_times_the_cases() -> None:
    from bench import caseload

    small, large = caseload.run(stored=120), caseload.run(stored=1200)
    assert small.meets_goal
    assert large.meets_goal
    assert large.count_calls == small.count_calls == 2  # the counts read a fixed few keys
    assert large.worst_page <= 4 * caseload.PAGE
    assert {v.view: v.queries for v in large.views}["team"] == 1


def test_the_saved_table_bench_restores_what_it_saved(tmp_path: Path) -> None:
    from complaints_tools.local import snapshot

    lines = local_state.saved_lines(12)
    state = tmp_path / "state"
    snapshot.write(snapshot.table_path(state), lines)
    site = local_state._fake_site(tmp_path / "site")
    start, schedules, save, idle, saving = local_state._in_process(site, state, 12)
    assert schedules == 36  # each case's acknowledgement, and its stage 1 reminder and deadline
    assert min(start, save, idle, saving) > 0
    saved = snapshot.read(snapshot.table_path(state))
    assert saved is not None
    assert sorted(saved.lines) == sorted(lines)


def test_the_submit_load_and_its_floor_run_on_a_small_scale() -> None:
    from bench import load

    figures = load.run(submissions=6, clients=2, wait_limit=120)
    assert figures.meets_goal, figures
    assert figures.items_per_submission >= 8  # the case, event, outbox items, checks, records
    assert figures.floor_p50_ms > 0
    assert figures.latency_ratio > 0
