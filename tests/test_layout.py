"""The tests' own layout: a test module imports shared helpers from tests.fixtures, never from
another test module or from a conftest (pytest loads those itself)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def misplaced_imports(source: str, package: str) -> list[str]:
    """What `source`, a module of `package`, imports from the tests package outside
    tests.fixtures (absolute or relative imports, at any depth)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[: len(parts) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found += [f"{module}.{alias.name}" for alias in node.names]  # `from pkg import test_x`
    return [
        module
        for module in found
        if module.split(".")[0] == "tests" and module.split(".")[:2] != ["tests", "fixtures"]
    ]


def _package(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).parent.parts)


def test_modules_import_shared_helpers_only_from_fixtures() -> None:
    modules = [*TESTS.rglob("test_*.py"), *(TESTS / "fixtures").rglob("*.py")]
    assert len(modules) > 50  # the walk found the suite
    misplaced = {
        str(path.relative_to(TESTS)): bad
        for path in sorted(modules)
        if (bad := misplaced_imports(path.read_text(encoding="utf-8"), _package(path)))
    }
    assert misplaced == {}


@pytest.mark.parametrize(
    "source",
    [
        "from tests.enrich.test_job import RAN\n",
        "import tests.ingest.test_upload_api\n",
        "from tests.conftest import AppClient\n",
        "from tests.enrich import test_job\n",
        "from .test_job import RAN\n",
        "from . import test_job\n",
        "def f() -> None:\n    from tests.stats import test_compute\n",
    ],
)
def test_the_check_catches_an_import_of_another_test_module(source: str) -> None:
    assert misplaced_imports(source, "tests.enrich")


def test_the_check_lets_fixtures_through() -> None:
    source = "from tests.fixtures.tmdb import FakeTmdb\nfrom ..fixtures import apps\nimport httpx\n"
    assert misplaced_imports(source, "tests.enrich") == []
