"""The layout's promises, read from the source (every import, at the top of a module or inside a
function, counts):

- the runtime package (``complaints``, what Lambda runs) imports nothing from the tooling
  package (``complaints_tools``) and no development-only library;
- the service layer (the rules) never imports the adapters (boto3's side);
- boto3 and botocore appear only in the adapters and the handlers' wiring.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "functions" / "runtime" / "complaints"
TOOLING = ROOT / "functions" / "tooling" / "complaints_tools"
# Installed for development, the local stack and the tests; never in the Lambda layer.
DEV_ONLY = ("typer", "rich", "moto", "mkdocs", "holidays", "pytest", "hypothesis", "playwright")


def _module(path: Path) -> str:
    parts = path.relative_to(RUNTIME.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, absolute names (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                yield ".".join([*base, node.module] if node.module else base)
            elif node.module:
                yield node.module


def _runtime_modules() -> list[Path]:
    return sorted(p for p in RUNTIME.rglob("*.py") if "__pycache__" not in p.parts)


def _edges(under: str) -> Iterator[tuple[str, str]]:
    for path in _runtime_modules():
        name = _module(path)
        if name == under or name.startswith(under + "."):
            for imported in _imports(path):
                yield name, imported


def _is(imported: str, *prefixes: str) -> bool:
    return any(imported == p or imported.startswith(p + ".") for p in prefixes)


def test_the_runtime_imports_nothing_from_the_tooling_or_development_libraries() -> None:
    found = [
        f"{module} imports {imported}"
        for module, imported in _edges("complaints")
        if _is(imported, "complaints_tools", *DEV_ONLY)
    ]
    assert found == []


def test_the_service_layer_never_imports_the_adapters_or_boto3() -> None:
    found = [
        f"{module} imports {imported}"
        for module, imported in _edges("complaints.service")
        if _is(imported, "complaints.adapters", "boto3", "botocore")
    ]
    assert found == []


@pytest.mark.parametrize(
    "module", ["complaints.models", "complaints.procedures", "complaints.clock"]
)
def test_the_models_the_procedure_data_and_the_clock_depend_on_nothing_with_io(
    module: str,
) -> None:
    found = [
        imported
        for name, imported in _edges(module)
        if _is(imported, "complaints.adapters", "complaints.service", "complaints.handlers")
        or _is(imported, "boto3", "botocore")
    ]
    assert found == []


def test_the_tooling_package_is_where_the_tools_are() -> None:
    for tool in ("cli", "local", "demo", "openapi", "reports", "sitegen.py", "infra_template.py"):
        assert (TOOLING / tool).exists(), tool
        assert not (RUNTIME / tool).exists(), f"{tool} belongs to the tooling package"


def test_the_checker_sees_lazy_imports_inside_functions(tmp_path: Path) -> None:
    """The rule would be blind without this: most runtime imports are lazy."""
    sample = RUNTIME / "handlers" / "checks.py"
    assert "complaints.service.checks.sweep" in set(_imports(sample))
