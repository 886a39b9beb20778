"""``make audit``: Lighthouse CI (``@lhci/cli``) on the start page, a procedure page and the
complaint form, run by Debian's Chromium against the real local stack on 127.0.0.1.

Reports are written to ``build/lighthouse/reports/`` and never uploaded anywhere. Prints the
four category scores of each page (aims: accessibility and best practices 100, performance and
SEO at least 95).

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

PAGES = ("/", "/the-procedure/", "/make-a-complaint/")
CATEGORIES = (
    ("performance", 95),
    ("accessibility", 100),
    ("best-practices", 100),
    ("seo", 95),
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
    names = [name for name, _ in CATEGORIES]
    print(f"\nLighthouse ({args.preset}), reports in {manifest.parent.relative_to(ROOT)}/")
    print(f"{'page':<22}" + "".join(f"{n:>16}" for n in names))
    for page, result in results:
        cells = "".join(
            f"{result[n]:>15}{'!' if result[n] < aim else ' '}" for n, aim in CATEGORIES
        )
        print(f"{page:<22}{cells}")
    print("(! below the aim: accessibility and best practices 100, performance and SEO 95)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
