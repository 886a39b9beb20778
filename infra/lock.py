"""The dependencies layer's lock, ``functions/layer/requirements.txt``.

    python infra/lock.py            # `make lock`: write the lock from functions/requirements.txt
    python infra/lock.py --check    # say whether the lock is stale (as tests/infra does)
    python infra/lock.py --pins NAME ...   # the pinned NAME==VERSION lines of the requirements
    python infra/lock.py --constraints     # the lock's versions without hashes (pip -c)

The lock holds every package the functions import at run time, pinned, each with the hashes of
its files (``uv pip compile --generate-hashes``), resolved for Lambda's Python 3.12 on arm64.
It records no index or download address: pip finds the files through its own configuration
and checks each one against the lock's hashes (``functions/layer/Makefile``).

What the Lambda runtime already carries (boto3, with botocore and s3transfer) is left out:
README "What Lambda carries" says why. It stays pinned in functions/requirements.txt for the
local stack and the tests.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_REQUIREMENTS = ROOT / "functions" / "requirements.txt"
DEV_REQUIREMENTS = ROOT / "requirements.txt"
LOCK = ROOT / "functions" / "layer" / "requirements.txt"

# Pinned in functions/requirements.txt, but the python3.12 Lambda runtime has them already.
IN_THE_RUNTIME = frozenset({"boto3"})
# What those bring with them, never in the layer either.
RUNTIME_SDK = frozenset({"boto3", "botocore", "s3transfer"})

# Declared by a dependency but never imported by the functions, and left out of the layer:
# notifications-python-client names docopt for its own command line (a source-only package).
NEVER_IMPORTED = {"docopt": "notifications-python-client's command line, not its library"}

PYTHON_VERSION = "3.12"
PLATFORM = "aarch64-manylinux_2_34"  # Lambda's arm64 (Amazon Linux 2023, glibc 2.34)
COMPILE_COMMAND = "make lock"

_PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(?P<version>[^\s;#\\]+)")
_HASH = re.compile(r"--hash=sha256:(?P<digest>[0-9a-f]{64})")
# Anything that would tell pip where to download from, or name a file on one machine.
_ADDRESS = re.compile(
    r"(://|^\s*(-i|-f|--index-url|--extra-index-url|--find-links|--trusted-host)\b)"
)


def normalise(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_lines(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#") and not line.startswith("-"):
            lines.append(line)
    return lines


def pins(text: str) -> dict[str, str]:
    """``{name: version}`` of a requirements file whose every requirement is ``name==version``."""
    found: dict[str, str] = {}
    for line in _requirement_lines(text):
        match = _PIN.match(line)
        if not match:
            raise ValueError(f"{line!r} is not pinned: write it as name==version")
        found[normalise(match["name"])] = match["version"]
    return found


def layer_requirements(text: str) -> str:
    """The runtime's requirements less what the Lambda runtime carries: what the lock resolves."""
    kept = [
        line
        for line in _requirement_lines(text)
        if (match := _PIN.match(line)) and normalise(match["name"]) not in IN_THE_RUNTIME
    ]
    return "\n".join(kept) + "\n"


@dataclass
class Locked:
    version: str
    hashes: list[str] = field(default_factory=list)
    # The packages that need it (uv's "# via" lines); empty for a direct requirement.
    via: list[str] = field(default_factory=list)


def lock_entries(text: str) -> dict[str, Locked]:
    """The lock's packages: version, hashes and what needs each."""
    entries: dict[str, Locked] = {}
    current: Locked | None = None
    in_via = False
    for raw in text.splitlines():
        line = raw.strip()
        match = _PIN.match(raw)
        if match:
            current = Locked(match["version"])
            entries[normalise(match["name"])] = current
            current.hashes += [h["digest"] for h in _HASH.finditer(raw)]
            in_via = False
        elif current is not None and line.startswith("--hash="):
            current.hashes += [h["digest"] for h in _HASH.finditer(line)]
        elif current is not None and line.startswith("# via"):
            rest = line.removeprefix("# via").strip()
            in_via = not rest
            if rest:
                current.via.append(rest)
        elif current is not None and in_via and line.startswith("#   "):
            current.via.append(line.removeprefix("#").strip())
        else:
            in_via = False
    return entries


def problems(requirements_text: str, lock_text: str) -> list[str]:
    """Why the lock does not match the runtime's requirements (empty: it does)."""
    found: list[str] = []
    wanted = {n: v for n, v in pins(requirements_text).items() if n not in IN_THE_RUNTIME}
    locked = lock_entries(lock_text)
    for name, version in sorted(wanted.items()):
        if name not in locked:
            found.append(f"{name}=={version} is not in the lock")
        elif locked[name].version != version:
            found.append(
                f"functions/requirements.txt pins {name}=={version}, the lock has "
                f"{name}=={locked[name].version}"
            )
    # Everything in the lock is wanted, or needed by something wanted.
    needed = {name for name in locked if name in wanted}
    grew = True
    while grew:
        more = {
            name
            for name, entry in locked.items()
            if name not in needed and any(normalise(p) in needed for p in entry.via)
        }
        needed |= more
        grew = bool(more)
    for name in sorted(set(locked) - needed):
        found.append(f"{name} is in the lock, but nothing in functions/requirements.txt needs it")
    for name, entry in sorted(locked.items()):
        if not entry.hashes:
            found.append(f"{name}=={entry.version} has no hash")
        if name in RUNTIME_SDK:
            found.append(f"{name} is in the lock: the Lambda runtime carries it (IN_THE_RUNTIME)")
    for number, raw in enumerate(lock_text.splitlines(), start=1):
        if _ADDRESS.search(raw) or re.search(r"(^|\s)/\S", raw.split("#", 1)[0]):
            found.append(f"line {number} names a place to download from: {raw.strip()!r}")
    if not locked:
        found.append("the lock lists no package")
    return found


def stale() -> list[str]:
    """Why the committed lock is out of date, each with what to do."""
    if not LOCK.exists():
        return [f"{LOCK.relative_to(ROOT)} is missing: run `make lock`"]
    return [
        f"{problem}: run `make lock`"
        for problem in problems(
            RUNTIME_REQUIREMENTS.read_text(encoding="utf-8"), LOCK.read_text(encoding="utf-8")
        )
    ]


def write(extra: list[str]) -> None:
    """Resolve the layer's requirements with uv, for Lambda, and write the lock with hashes."""
    from uv import find_uv_bin

    command = [
        find_uv_bin(),
        "pip",
        "compile",
        "-",
        "--output-file",
        str(LOCK),
        "--generate-hashes",
        "--no-build",
        "--no-config",
        "--python-version",
        PYTHON_VERSION,
        "--python-platform",
        PLATFORM,
        "--custom-compile-command",
        COMPILE_COMMAND,
        "--quiet",
        *extra,
    ]
    text = layer_requirements(RUNTIME_REQUIREMENTS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as scratch:
        # A marker that never holds drops a dependency from the resolution (uv's overrides).
        overrides = Path(scratch, "overrides.txt")
        overrides.write_text(
            "".join(f'{name} ; python_version < "0"\n' for name in NEVER_IMPORTED),
            encoding="utf-8",
        )
        command += ["--override", str(overrides)]
        subprocess.run(command, input=text, text=True, check=True, cwd=ROOT)  # noqa: S603


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python infra/lock.py", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only say whether the lock is stale")
    parser.add_argument("--pins", nargs="+", metavar="NAME", help="print these packages' pins")
    parser.add_argument(
        "--constraints", action="store_true", help="print the lock's versions, without hashes"
    )
    parser.add_argument(
        "--upgrade", action="store_true", help="the newest versions of what is not pinned"
    )
    args = parser.parse_args(argv)
    if args.pins:
        pinned = {
            **pins(DEV_REQUIREMENTS.read_text(encoding="utf-8")),
            **pins(RUNTIME_REQUIREMENTS.read_text(encoding="utf-8")),
        }
        missing = [name for name in args.pins if normalise(name) not in pinned]
        if missing:
            print(f"not pinned in requirements.txt: {', '.join(missing)}", file=sys.stderr)
            return 1
        print("\n".join(f"{name}=={pinned[normalise(name)]}" for name in args.pins))
        return 0
    if args.constraints:
        locked = lock_entries(LOCK.read_text(encoding="utf-8"))
        print("\n".join(f"{name}=={entry.version}" for name, entry in locked.items()))
        return 0
    if not args.check:
        write(["--upgrade"] if args.upgrade else [])
    reasons = stale()
    for reason in reasons:
        print(reason, file=sys.stderr)
    return 1 if reasons else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
