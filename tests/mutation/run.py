"""Mutation testing of the rules (``make mutation``): cosmic-ray over the clock, the procedure
data loader, the derived deadlines and the lifecycle package, against the unit tests.

Run by ``.venv-mutation/bin/python`` (cosmic-ray, pinned in ``requirements-mutation.txt``); the
tests themselves run with ``.venv/bin/python``. Each worker mutates a copy of the code under
``build/mutation/tree-N/``, never the work tree, so an interrupted run leaves no mutant behind.
Every module is a cosmic-ray session of its own (``build/mutation/sessions/``).

Counted out of the score:

- mutants inside a function's annotations, which ``from __future__ import annotations`` leaves
  as strings that nothing reads at run time (pydantic fields are evaluated, and stay in);
- the equivalent mutants listed, each with why, in ``tests/mutation/equivalents.toml``.

The score of a module is killed / (killed + survived). The run fails when an area (clock,
procedure data, deadlines, lifecycle) or the whole is below 90%, when a listed equivalent is in
fact killed, or when a mutant could not be tested.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import queue
import shlex
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "mutation"
SESSIONS = BUILD / "sessions"
EQUIVALENTS = Path(__file__).with_name("equivalents.toml")
TEST_PYTHON = ROOT / ".venv" / "bin" / "python"
COSMIC_RAY = Path(sys.executable).with_name("cosmic-ray")
THRESHOLD = 90.0

LIFECYCLE = "functions/runtime/complaints/service/lifecycle"
AREAS: dict[str, list[str]] = {
    "clock": ["functions/runtime/complaints/clock.py"],
    "procedure data": [
        "functions/runtime/complaints/procedures.py",
        "functions/runtime/complaints/datafiles.py",
    ],
    "deadlines": ["functions/runtime/complaints/service/deadlines.py"],
    "lifecycle": [
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / LIFECYCLE).glob("*.py")),
        "functions/runtime/complaints/service/triage.py",  # the decisions a complaint waits for
    ],
}
# The unit tests of these rules, quickest to fail first (``-x`` stops at the first failure).
TESTS = [
    "tests/unit/test_lifecycle_rules.py",
    "tests/unit/test_lifecycle.py",
    "tests/unit/test_time_rules.py",
    "tests/unit/test_action_table.py",
    "tests/unit/test_actions_file.py",
    "tests/unit/test_deadlines.py",
    "tests/unit/test_procedures.py",
    "tests/unit/test_procedures_file.py",
    "tests/unit/test_intake_rules.py",
    "tests/unit/test_checks.py",
    "tests/unit/test_clock.py",
    "tests/unit/test_bank_holidays.py",
    "tests/unit/test_delivery.py",  # lifecycle/contact.py: how the family was told
    "tests/unit/test_records_rules.py",  # lifecycle/records.py: staff's own records
]
# What a worker's copy needs to run those tests.
COPIED = ["functions", "tests/__init__.py", "tests/unit", "pyproject.toml"]
ANNOTATION = "annotation: a string under `from __future__ import annotations`, never evaluated"
SIGNATURE = "signature: `*` to `/` changes only how arguments may be passed, and all are named"


def modules() -> list[str]:
    return [module for paths in AREAS.values() for module in paths]


def slug(module: str) -> str:
    return (
        module.removeprefix("functions/runtime/complaints/").removesuffix(".py").replace("/", ".")
    )


def test_command() -> str:
    return shlex.join(
        [str(TEST_PYTHON), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS]
    )


def tree_env(tree: Path) -> dict[str, str]:
    """The tests import the worker's copy (before the editable install) and load no plugins
    (a third of a second less per mutant; the rules' tests need none)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTS_")}
    env["PYTHONPATH"] = os.pathsep.join(
        str(tree / "functions" / part) for part in ("runtime", "tooling")
    )
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def source_hash(module: str) -> str:
    return hashlib.sha256((ROOT / module).read_bytes()).hexdigest()


# --- setting up ------------------------------------------------------------------------------


def make_tree(number: int) -> Path:
    """A fresh copy of the code and the unit tests for worker ``number``; check the tests pass
    on it unmutated, importing the copy."""
    tree = BUILD / f"tree-{number}"
    shutil.rmtree(tree, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source, target = ROOT / name, tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            shutil.copy2(source, target)
    env = tree_env(tree)
    where = subprocess.run(
        [str(TEST_PYTHON), "-c", "import complaints; print(complaints.__file__)"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(where).is_relative_to(tree):
        sys.exit(f"the tests would import {where}, not the copy in {tree}")
    started = time.monotonic()
    ran = subprocess.run(
        shlex.split(test_command()), cwd=tree, env=env, capture_output=True, text=True, check=False
    )
    if ran.returncode != 0:
        sys.exit(f"the unit tests fail before any mutation:\n{ran.stdout[-3000:]}")
    print(f"worker {number}: unit tests pass unmutated in {time.monotonic() - started:.1f} s")
    return tree


def annotation_ranges(module: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the module's unevaluated annotations are: every function's parameter and return
    annotations, and annotated names outside pydantic models (module level, dataclasses,
    function bodies)."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    models = {"BaseModel"}
    found: list[ast.expr] = []

    def base_names(node: ast.ClassDef) -> set[str]:
        names = set()
        for base in node.bases:
            if isinstance(base, ast.Name):
                names.add(base.id)
            elif isinstance(base, ast.Attribute):
                names.add(base.attr)
        return names

    def visit(node: ast.AST, in_model: bool) -> None:
        if isinstance(node, ast.ClassDef):
            is_model = bool(base_names(node) & models)
            if is_model:
                models.add(node.name)
            for child in node.body:
                visit(child, is_model)
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            every = [
                *arguments.posonlyargs,
                *arguments.args,
                *arguments.kwonlyargs,
                *(a for a in (arguments.vararg, arguments.kwarg) if a is not None),
            ]
            found.extend(a.annotation for a in every if a.annotation is not None)
            if node.returns is not None:
                found.append(node.returns)
            for child in node.body:
                visit(child, False)
            return
        if isinstance(node, ast.AnnAssign) and not in_model:
            found.append(node.annotation)
        for child in ast.iter_child_nodes(node):
            visit(child, in_model)

    visit(tree, False)
    return [
        ((n.lineno, n.col_offset), (n.end_lineno or n.lineno, n.end_col_offset or 0)) for n in found
    ]


def is_bare_star(lines: list[str], start: tuple[int, int]) -> bool:
    """Whether the ``*`` at ``start`` is a signature's marker of keyword-only arguments (a
    multiplication is never followed by a comma)."""
    line, column = start
    text = lines[line - 1]
    return text[column : column + 1] == "*" and text[column + 1 :].lstrip().startswith(",")


@dataclass
class Target:
    module: str
    config: Path = field(init=False)
    session: Path = field(init=False)
    pending: int = 0

    def __post_init__(self) -> None:
        self.config = SESSIONS / f"{slug(self.module)}.toml"
        self.session = SESSIONS / f"{slug(self.module)}.sqlite"


def write_config(target: Target, timeout: float) -> None:
    target.config.write_text(
        "\n".join(
            [
                "[cosmic-ray]",
                f"module-path = {json.dumps(target.module)}",
                f"timeout = {timeout}",
                "excluded-modules = []",
                f"test-command = {json.dumps(test_command())}",
                "",
                "[cosmic-ray.distributor]",
                'name = "local"',
                "",
            ]
        ),
        encoding="utf-8",
    )


def initialise(target: Target) -> None:
    """A new session of every mutant of the module, annotations marked skipped."""
    target.session.unlink(missing_ok=True)
    subprocess.run(
        [str(COSMIC_RAY), "init", str(target.config), str(target.session)], cwd=ROOT, check=True
    )
    mark_skipped(target)
    stamp = target.session.with_suffix(".json")
    stamp.write_text(json.dumps({"sha256": source_hash(target.module)}), encoding="utf-8")


def mark_skipped(target: Target) -> None:
    """Mark the mutants no test could kill by construction (annotations, signature stars)."""
    ranges = annotation_ranges(target.module)
    lines = (ROOT / target.module).read_text(encoding="utf-8").splitlines()
    with use_db(str(target.session), WorkDB.Mode.open) as db:
        for item in db.work_items:
            (mutation,) = item.mutations
            start, end = tuple(mutation.start_pos), tuple(mutation.end_pos)
            if any(low <= start and end <= high for low, high in ranges):
                why = ANNOTATION
            elif mutation.operator_name.endswith("_Mul_Div") and is_bare_star(lines, start):
                why = SIGNATURE
            else:
                continue
            skipped = WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=why)
            db.set_result(item.job_id, skipped)


def forget_survivors(target: Target) -> None:
    """Keep the session, drop its survivors' results so they run again (``--again``)."""
    stamp = target.session.with_suffix(".json")
    if not target.session.exists() or not stamp.exists():
        sys.exit(f"no earlier session for {target.module}: run without --again")
    if json.loads(stamp.read_text(encoding="utf-8"))["sha256"] != source_hash(target.module):
        sys.exit(f"{target.module} changed since its session was made: run without --again")
    with sqlite3.connect(target.session) as db:
        db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'")
    mark_skipped(target)


def count_pending(target: Target) -> int:
    with use_db(str(target.session), WorkDB.Mode.open) as db:
        return db.num_work_items - db.num_results


# --- running ---------------------------------------------------------------------------------


def run(targets: list[Target], workers: int) -> None:
    work: queue.Queue[Target] = queue.Queue()
    for target in sorted(targets, key=lambda t: -t.pending):
        work.put(target)
    logs = BUILD / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    lock = threading.Lock()
    failures: list[str] = []

    def worker(number: int) -> None:
        tree = make_tree(number)
        while True:
            try:
                target = work.get_nowait()
            except queue.Empty:
                return
            started = time.monotonic()
            with (logs / f"{slug(target.module)}.log").open("w", encoding="utf-8") as log:
                done = subprocess.run(
                    [str(COSMIC_RAY), "exec", str(target.config), str(target.session)],
                    cwd=tree,
                    env=tree_env(tree),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    check=False,
                )
            with lock:
                if done.returncode != 0:
                    failures.append(target.module)
                print(
                    f"  {target.module}: {target.pending} mutants in "
                    f"{time.monotonic() - started:.0f} s (worker {number})",
                    flush=True,
                )

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(1, workers + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"cosmic-ray failed on {failures}: see {logs}")


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Equivalent:
    module: str
    was: str
    now: str
    why: str
    seen: int = 0
    killed: int = 0


def load_equivalents() -> list[Equivalent]:
    data = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8"))
    return [
        Equivalent(e["module"], e["was"], e["now"], e["why"]) for e in data.get("equivalent", [])
    ]


def changed_lines(diff: str) -> tuple[str, str]:
    """The diff's removed and added lines, each side joined with ' / '."""
    lines = diff.splitlines()
    was = [x[1:].strip() for x in lines if x.startswith("-") and not x.startswith("---")]
    now = [x[1:].strip() for x in lines if x.startswith("+") and not x.startswith("+++")]
    return " / ".join(x for x in was if x), " / ".join(x for x in now if x)


@dataclass
class Tally:
    mutants: int = 0
    killed: int = 0
    survived: int = 0
    equivalent: int = 0
    skipped: int = 0
    errors: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def score(self) -> float:
        tested = self.killed + self.survived
        return 100.0 * self.killed / tested if tested else 100.0


@dataclass
class Survivor:
    module: str
    line: int
    operator: str
    was: str
    now: str
    diff: str


def score(module: str, equivalents: list[Equivalent], survivors: list[Survivor]) -> Tally:
    tally = Tally()
    session = SESSIONS / f"{slug(module)}.sqlite"
    with use_db(str(session), WorkDB.Mode.open) as db:
        tally.mutants = db.num_work_items
        tally.errors = db.num_work_items - db.num_results  # never run
        for item, result in db.completed_work_items:
            (mutation,) = item.mutations
            if result.worker_outcome in (WorkerOutcome.SKIPPED, WorkerOutcome.NO_TEST):
                tally.skipped += 1
                continue
            if result.worker_outcome != WorkerOutcome.NORMAL or result.test_outcome not in (
                TestOutcome.KILLED,
                TestOutcome.SURVIVED,
            ):
                tally.errors += 1
                continue
            was, now = changed_lines(result.diff or "")
            listed = [e for e in equivalents if (e.module, e.was, e.now) == (module, was, now)]
            for entry in listed:
                entry.seen += 1
            timed_out = result.output == "timeout"  # a slow machine, not a test telling
            if result.test_outcome == TestOutcome.KILLED and not (listed and timed_out):
                tally.killed += 1
                for entry in listed:
                    entry.killed += 1
            elif listed:
                tally.equivalent += 1
            else:
                tally.survived += 1
                operator = mutation.operator_name.removeprefix("core/")
                line = mutation.start_pos[0]
                survivors.append(Survivor(module, line, operator, was, now, result.diff or ""))
    return tally


def row(name: str, tally: Tally) -> str:
    return (
        f"{name:<48} {tally.mutants:>7} {tally.skipped:>7} {tally.equivalent:>5} "
        f"{tally.killed:>6} {tally.survived:>8} {tally.score:>6.1f}%"
    )


def report(elapsed: float, only: set[str]) -> int:
    equivalents = load_equivalents()
    survivors: list[Survivor] = []
    header = (
        f"{'module':<48} {'mutants':>7} {'skipped':>7} {'equiv':>5} "
        f"{'killed':>6} {'survived':>8} {'score':>7}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    failed: list[str] = []
    whole = Tally()
    errors = 0
    for area, paths in AREAS.items():
        chosen = [p for p in paths if not only or p in only]
        if not chosen:
            continue
        total = Tally()
        for module in chosen:
            tally = score(module, equivalents, survivors)
            errors += tally.errors
            print(row(module.removeprefix("functions/"), tally))
            total.add(tally)
        print(row(f"  = {area}", total))
        if total.score < THRESHOLD:
            failed.append(f"{area} {total.score:.1f}%")
        whole.add(total)
    print("-" * len(header))
    print(row("overall", whole))
    if whole.score < THRESHOLD:
        failed.append(f"overall {whole.score:.1f}%")
    print(
        "\nskipped: annotations (never evaluated) and mutants with no test to run; equiv: "
        f"listed in {EQUIVALENTS.relative_to(ROOT)}; score: killed / (killed + survived)"
    )
    print(f"run time: {elapsed / 60:.1f} min")

    listing = BUILD / "survivors.txt"
    with listing.open("w", encoding="utf-8") as out:
        for s in survivors:
            out.write(f"{s.module}:{s.line} {s.operator}\n{s.diff}\n\n")
    if survivors:
        print(f"\n{len(survivors)} surviving mutants (diffs in {listing.relative_to(ROOT)}):")
        for s in survivors:
            print(f"  {s.module.removeprefix('functions/')}:{s.line} {s.operator}")
            print(f"      - {s.was}\n      + {s.now}")

    chosen_modules = {m for m in modules() if not only or m in only}
    wrong = [e for e in equivalents if e.killed and e.module in chosen_modules]
    for entry in wrong:
        print(f"\nlisted as equivalent but killed by a test: {entry.module}: {entry.was!r}")
    unseen = [e for e in equivalents if not e.seen and e.module in chosen_modules]
    for entry in unseen:
        print(f"\nlisted as equivalent but no such mutant now: {entry.module}: {entry.was!r}")
    if errors:
        print(f"\n{errors} mutants could not be tested: see {BUILD.relative_to(ROOT)}/logs")
    if failed:
        print(f"\nbelow {THRESHOLD:.0f}%: {', '.join(failed)}")
    ok = not (failed or wrong or errors)
    print("\nmutation score: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per mutant")
    parser.add_argument(
        "--only", nargs="*", default=[], help="modules to mutate (default: all of them)"
    )
    parser.add_argument(
        "--again", action="store_true", help="run only the last run's survivors again"
    )
    parser.add_argument("--report", action="store_true", help="only report the last run")
    args = parser.parse_args()
    only = {m.removeprefix("./") for m in args.only}
    unknown = only - set(modules())
    if unknown:
        sys.exit(f"not mutated by this target: {sorted(unknown)}; choose from {modules()}")
    if not 1 <= args.workers <= 2:
        sys.exit("use 1 or 2 workers: the machine is shared")
    started = time.monotonic()
    if not args.report:
        SESSIONS.mkdir(parents=True, exist_ok=True)
        targets = [Target(m) for m in modules() if not only or m in only]
        for target in targets:
            write_config(target, args.timeout)  # the tests may have changed since
            if args.again:
                forget_survivors(target)
            else:
                initialise(target)
            target.pending = count_pending(target)
        total = sum(t.pending for t in targets)
        print(f"{total} mutants to test in {len(targets)} modules, {args.workers} worker(s)")
        run([t for t in targets if t.pending], args.workers)
    return report(time.monotonic() - started, only)


if __name__ == "__main__":
    sys.exit(main())
