"""``make audit``: Lighthouse CI (``@lhci/cli``) on the start page, a procedure page, the
"make a complaint" page and the question pages the API draws, run by Debian's Chromium against
the real local stack on 127.0.0.1.

Reports are written to ``build/lighthouse/reports/`` and never uploaded anywhere. Prints the
four category scores of each page, then says plainly which figure missed which aim, or that
every page met every aim (performance at least 98; accessibility, best practices and SEO 100).

    python -m tests.browser.lighthouse --lhci .venv/node/node_modules/.bin/lhci
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.localstack import ROOT, StackError, running_stack

PAGES = (
    "/",
    "/the-procedure/",
    "/make-a-complaint/",
    "/complaint/child-in-danger",
    "/complaint/who-you-are",
)
CATEGORIES = (
    ("performance", 98),
    ("accessibility", 100),
    ("best-practices", 100),
    ("seo", 100),
)
OUT = ROOT / "build" / "lighthouse"


def collect(lhci: str, base: str, preset: str) -> Path:
    env = {**os.environ, "LHCI_NO_LIGHTHOUSERC": "1", "CHROME_PATH": CHROMIUM}
    command = [
        lhci,
        "collect",
        f"--chromePath={CHROMIUM}",
        "--numberOfRuns=1",
        f"--settings.chromeFlags={' '.join(CHROMIUM_ARGS)}",
        *(f"--url={base}{page}" for page in PAGES),
    ]
    if preset == "desktop":
        command.append("--settings.preset=desktop")
    subprocess.run(command, cwd=OUT, env=env, check=True)
    reports = OUT / "reports"
    subprocess.run(
        [lhci, "upload", "--target=filesystem", f"--outputDir={reports}"],
        cwd=OUT,
        env=env,
        check=True,
    )
    return reports / "manifest.json"


def scores(manifest: Path, base: str) -> list[tuple[str, dict[str, int]]]:
    runs = json.loads(manifest.read_text(encoding="utf-8"))
    found = []
    for run in runs:
        if not run.get("isRepresentativeRun", True):
            continue
        page = run["url"].removeprefix(base) or "/"
        found.append((page, {k: round(100 * run["summary"][k]) for k, _ in CATEGORIES}))
    return sorted(found, key=lambda item: PAGES.index(item[0]) if item[0] in PAGES else 99)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lhci", required=True, help="the lhci executable")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print("Build the guide first (make site).", file=sys.stderr)
        return 1
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    try:
        with running_stack(args.site_dir.resolve(), OUT / "state") as (base, _):
            manifest = collect(str(Path(args.lhci).resolve()), base, args.preset)
            results = scores(manifest, base)
    except StackError as error:
        print(f"The local stack did not start: {error}", file=sys.stderr)
        return 1
    print(f"\nLighthouse ({args.preset}), reports in {manifest.parent.relative_to(ROOT)}/")
    print(table(results))
    print(verdict(results))
    return 0


def table(results: list[tuple[str, dict[str, int]]]) -> str:
    names = [name for name, _ in CATEGORIES]
    lines = [f"{'page':<28}" + "".join(f"{n:>16}" for n in names)]
    for page, result in results:
        lines.append(f"{page:<28}" + "".join(f"{result[n]:>16}" for n in names))
    return "\n".join(lines)


def verdict(results: list[tuple[str, dict[str, int]]]) -> str:
    """Which figure missed which aim, one line each; or that every page met every aim."""
    missed = [
        f"{page}: {name} {result[name]}, below the aim of {aim}"
        for page, result in results
        for name, aim in CATEGORIES
        if result[name] < aim
    ]
    if not missed:
        aims = ", ".join(f"{name} {aim}" for name, aim in CATEGORIES)
        return f"Every page met every aim ({aims})."
    return "Missed:\n" + "\n".join(f"- {line}" for line in missed)


if __name__ == "__main__":
    raise SystemExit(main())
