"""What ``sam build`` makes for Lambda, and its size against the budgets.

``sam build`` runs as an ops engineer runs it (README "Deploy to AWS"): aws-sam-cli from
``.venv-sam/``, Python 3.12 on ``PATH``, no Docker, the ``default`` section of
``infra/samconfig.toml``; into ``build/sam/`` with its cache beside it, so a second build
only copies what did not change. Sizes are what Lambda counts: the bytes of the files
(``unzipped``, its 250 MB limit for a function and its layers) and of the zip ``sam deploy``
uploads (``zipped``, deflated like SAM's).

    python -m bench.artefact     # build (cached) and print the sizes against the budgets
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "template.yaml"
SAMCONFIG = ROOT / "infra" / "samconfig.toml"
SAM = ROOT / ".venv-sam" / "bin" / "sam"
FIND_PYTHON312 = ROOT / "infra" / "python312.sh"
BUILD = ROOT / "build" / "sam"
ARTEFACTS = BUILD / "artefacts"
CACHE = BUILD / "cache"

MB = 1_000_000
KB = 1_000


@dataclass(frozen=True)
class Size:
    unzipped: int
    zipped: int
    files: int


@dataclass(frozen=True)
class Budget:
    unzipped: int
    zipped: int


# Each function's code (the runtime package alone: 0.37 MB, 0.15 MB zipped in December 2026),
# and the layer (the locked dependencies: 33.7 MB, 10.8 MB zipped, of which the console's
# JOSE library and cryptography are 15.8 MB). Room to grow, not to ship the tooling, boto3
# (31 MB) or every country's holidays (8.7 MB) again.
FUNCTION_BUDGET = Budget(unzipped=1 * MB, zipped=400 * KB)
LAYER_BUDGET = Budget(unzipped=36 * MB, zipped=12 * MB)
# Before the layer (CodeUri: functions/ with its requirements.txt): each of the three functions
# carried the tooling and every dependency, boto3 and holidays among them. Measured the same way.
# (The 60 MB was the space on disk: 4,309 small files round up to whole blocks.)
BEFORE = Size(unzipped=45_834_595, zipped=24_990_807, files=4_309)
FUNCTIONS_BEFORE = 3


@dataclass(frozen=True)
class Part:
    name: str
    kind: str  # "function" or "layer"
    size: Size
    budget: Budget

    @property
    def meets_budget(self) -> bool:
        return self.size.unzipped <= self.budget.unzipped and self.size.zipped <= self.budget.zipped


class SamBuildError(RuntimeError):
    """``sam build`` could not run, or failed: the message says why and what to do."""


def python312() -> Path:
    """A Python 3.12 interpreter (``infra/python312.sh``: $PYTHON312, python3.12, pyenv)."""
    found = subprocess.run(  # noqa: S603 - our own script
        ["/bin/sh", str(FIND_PYTHON312)], capture_output=True, text=True, check=False
    )
    if found.returncode != 0:
        raise SamBuildError(found.stderr.strip())
    return Path(found.stdout.strip())


def build() -> Path:
    """Run ``sam build`` (cached) and return the folder of what it built."""
    if not SAM.exists():
        raise SamBuildError(f"{SAM.relative_to(ROOT)} is missing: run `make install`")
    path = f"{python312().parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PATH": path, "SAM_CLI_TELEMETRY": "0"}
    command = [
        str(SAM),
        "build",
        "--template-file",
        str(TEMPLATE),
        "--config-file",
        str(SAMCONFIG),
        "--config-env",
        "default",
        "--build-dir",
        str(ARTEFACTS),
        "--cache-dir",
        str(CACHE),
        "--cached",
    ]
    run = subprocess.run(  # noqa: S603 - our own pinned sam
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    if run.returncode != 0:
        output = "\n".join((run.stdout + run.stderr).strip().splitlines()[-30:])
        raise SamBuildError(f"`sam build` failed (exit {run.returncode}):\n{output}")
    return ARTEFACTS


def measure(folder: Path) -> Size:
    """The bytes of every file under ``folder``, and of its zip as SAM makes it."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    unzipped = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryFile() as target:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, path.relative_to(folder).as_posix())
        zipped = target.seek(0, os.SEEK_END)
    return Size(unzipped=unzipped, zipped=zipped, files=len(files))


def built_resources() -> dict[str, str]:
    """``{logical id: kind}`` of what ``sam build`` builds: every function and layer."""
    from complaints_tools.infra_template import load_template

    kinds = {"AWS::Serverless::Function": "function", "AWS::Serverless::LayerVersion": "layer"}
    return {
        logical_id: kinds[resource["Type"]]
        for logical_id, resource in sorted(load_template(TEMPLATE)["Resources"].items())
        if resource.get("Type") in kinds
    }


def parts(artefacts: Path) -> list[Part]:
    """Each function and layer ``sam build`` made, measured, with its budget."""
    found = []
    for name, kind in built_resources().items():
        folder = artefacts / name
        if not folder.is_dir():
            raise SamBuildError(f"`sam build` made no {folder.relative_to(ROOT)}")
        budget = FUNCTION_BUDGET if kind == "function" else LAYER_BUDGET
        found.append(Part(name, kind, measure(folder), budget))
    return found


def megabytes(size: int) -> str:
    return f"{size / MB:.2f} MB"


def deployed(found: list[Part]) -> Size:
    """What a deploy uploads in all: every function's zip and the layer's."""
    return Size(
        unzipped=sum(p.size.unzipped for p in found),
        zipped=sum(p.size.zipped for p in found),
        files=sum(p.size.files for p in found),
    )


def before() -> Size:
    return Size(
        unzipped=BEFORE.unzipped * FUNCTIONS_BEFORE,
        zipped=BEFORE.zipped * FUNCTIONS_BEFORE,
        files=BEFORE.files * FUNCTIONS_BEFORE,
    )


def rows(found: list[Part]) -> list[tuple[str, str, str, str, str]]:
    """(what, files, unzipped, zipped, budget) for each part, then the totals, for printing."""
    table = [
        (
            f"{p.name} ({p.kind})",
            f"{p.size.files:,}",
            megabytes(p.size.unzipped),
            megabytes(p.size.zipped),
            f"{megabytes(p.budget.unzipped)} / {megabytes(p.budget.zipped)}",
        )
        for p in found
    ]
    now, then = deployed(found), before()
    table.append(
        ("deployed in all", f"{now.files:,}", megabytes(now.unzipped), megabytes(now.zipped), "")
    )
    table.append(
        (
            f"before: {FUNCTIONS_BEFORE} functions, each with everything",
            f"{then.files:,}",
            megabytes(then.unzipped),
            megabytes(then.zipped),
            "",
        )
    )
    return table


def main() -> int:
    try:
        found = parts(build())
    except SamBuildError as error:
        print(error, file=sys.stderr)
        return 1
    print("sam build (arm64, python3.12): unzipped and zipped sizes against budgets")
    for row, part in zip(rows(found), [*found, None, None], strict=True):
        verdict = "" if part is None else ("met" if part.meets_budget else "MISSED")
        print(f"  {row[0]:<48} {row[1]:>6} {row[2]:>10} {row[3]:>10}  {row[4]:<20} {verdict}")
    return 0 if all(p.meets_budget for p in found) else 1


if __name__ == "__main__":
    sys.exit(main())
