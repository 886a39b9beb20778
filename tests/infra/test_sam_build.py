"""``sam build`` as an ops engineer runs it (aws-sam-cli 1.170.0 from .venv-sam, Python 3.12 on
PATH, no Docker), and what it made: each function carries the runtime package alone, the layer
the locked dependencies alone (arm64, checked against their hashes), all within budget.

Needs the package registry the first time (the layer's wheels); later builds reuse
``build/sam/`` (``bench.artefact``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from bench import artefact
from tests.infra.conftest import ROOT, load_infra_script

pytestmark = pytest.mark.infra

RUNTIME = ROOT / "functions" / "runtime" / "complaints"
# Never in Lambda: the tooling's and the tests' libraries, and the SDK the runtime carries.
NEVER_DEPLOYED = {"typer", "rich", "moto", "mkdocs", "holidays", "pytest", "boto3", "botocore"}
EM_AARCH64 = 183  # the ELF machine number of arm64


@pytest.fixture(scope="module")
def built() -> Path:
    try:
        return artefact.build()
    except artefact.SamBuildError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="module")
def lock() -> ModuleType:
    return load_infra_script("lock")


@pytest.fixture(scope="module")
def functions() -> list[str]:
    found = [name for name, kind in artefact.built_resources().items() if kind == "function"]
    assert len(found) >= 3
    return found


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _source_files() -> set[str]:
    return {
        f"complaints/{name}"
        for name in _files(RUNTIME)
        if "__pycache__" not in name and not name.endswith(".pyc")
    }


def test_each_function_carries_the_runtime_package_alone(built: Path, functions: list[str]) -> None:
    expected = _source_files()
    assert "complaints/handlers/api.py" in expected
    for name in functions:
        folder = built / name
        assert sorted(p.name for p in folder.iterdir()) == ["complaints"], name
        files = _files(folder)
        assert not [f for f in files if "requirements" in f.rsplit("/", 1)[-1]], name
        assert not [f for f in files if "complaints_tools" in f or f.startswith("tests/")], name
        assert files == expected, f"{name} differs from functions/runtime/complaints/"


def _installed(layer: Path) -> dict[str, str]:
    """``{name: version}`` of every distribution in the layer, from its dist-info."""
    found = {}
    for info in (layer / "python").glob("*.dist-info"):
        metadata = (info / "METADATA").read_text(encoding="utf-8")
        name = re.search(r"^Name: (.+)$", metadata, re.MULTILINE)
        version = re.search(r"^Version: (.+)$", metadata, re.MULTILINE)
        assert name, info
        assert version, info
        found[name[1].strip()] = version[1].strip()
    return found


def test_the_layer_holds_exactly_the_locked_dependencies(built: Path, lock: ModuleType) -> None:
    layer = built / "DependenciesLayer"
    assert sorted(p.name for p in layer.iterdir()) == ["python"]
    locked = {
        name: entry.version
        for name, entry in lock.lock_entries(lock.LOCK.read_text(encoding="utf-8")).items()
    }
    installed = {lock.normalise(name): version for name, version in _installed(layer).items()}
    assert installed == locked
    assert not list(layer.rglob("requirements*.txt"))
    assert not (layer / "python" / "bin").exists()


def test_nothing_from_the_development_requirements_is_in_the_layer(
    built: Path, lock: ModuleType
) -> None:
    python = built / "DependenciesLayer" / "python"
    dev_only = set(lock.pins(lock.DEV_REQUIREMENTS.read_text(encoding="utf-8"))) - set(
        lock.lock_entries(lock.LOCK.read_text(encoding="utf-8"))
    )
    assert NEVER_DEPLOYED - {"boto3", "botocore"} <= dev_only  # the parse sees them
    installed = {lock.normalise(name) for name in _installed(built / "DependenciesLayer")}
    top_level = {lock.normalise(p.name.removesuffix(".py")) for p in python.iterdir()}
    assert installed & (dev_only | NEVER_DEPLOYED) == set()
    assert top_level & NEVER_DEPLOYED == set()


def test_the_layers_compiled_code_is_for_arm64_and_python_3_12(built: Path) -> None:
    extensions = sorted((built / "DependenciesLayer" / "python").rglob("*.so"))
    assert extensions, "pydantic-core, MarkupSafe and PyYAML ship compiled code"
    for path in extensions:
        header = path.read_bytes()[:20]
        assert header[:4] == b"\x7fELF", path.name
        machine = int.from_bytes(header[18:20], "little")
        assert machine == EM_AARCH64, f"{path.name} is not for arm64 (ELF machine {machine})"
        assert "cpython-312" in path.name or ".abi3." in path.name, path.name


def test_each_part_is_within_its_budget(built: Path, functions: list[str]) -> None:
    parts = artefact.parts(built)
    assert sorted(p.name for p in parts) == sorted([*functions, "DependenciesLayer"])
    for part in parts:
        assert part.meets_budget, (
            f"{part.name}: {artefact.megabytes(part.size.unzipped)} unzipped, "
            f"{artefact.megabytes(part.size.zipped)} zipped; budget "
            f"{artefact.megabytes(part.budget.unzipped)}, {artefact.megabytes(part.budget.zipped)}"
        )
    total = artefact.deployed(parts)
    # Under a fifth of what three copies were (a tenth before the console's JOSE library and
    # cryptography, 5.2 MB zipped, came in with a sixth function).
    assert total.zipped * 5 < artefact.before().zipped


def test_the_layer_build_refuses_a_wheel_whose_hash_is_not_in_the_lock(
    tmp_path: Path, lock: ModuleType
) -> None:
    """pip checks every file it fetches for the layer, the arm64 wheels of compiled packages
    too (which ``BuildMethod: python3.12`` would fetch unchecked)."""
    text = lock.LOCK.read_text(encoding="utf-8")
    tampered, inside = [], False
    for line in text.splitlines():
        if re.match(r"^[a-z]", line):
            inside = line.startswith("pydantic-core==")
        if inside:
            line = re.sub(r"sha256:[0-9a-f]{64}", "sha256:" + "0" * 64, line)
        tampered.append(line)
    assert tampered != text.splitlines()
    source = tmp_path / "layer"
    source.mkdir()
    shutil.copy(lock.LOCK.parent / "Makefile", source / "Makefile")
    (source / "requirements.txt").write_text("\n".join(tampered) + "\n", encoding="utf-8")
    path = f"{artefact.python312().parent}{os.pathsep}{os.environ.get('PATH', '')}"
    run = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "build-DependenciesLayer",
            f"ARTIFACTS_DIR={tmp_path}/out",
        ],
        cwd=source,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode != 0
    assert "DO NOT MATCH THE HASHES" in run.stderr
    assert not (tmp_path / "out" / "python" / "pydantic_core").exists()
