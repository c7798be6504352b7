"""The tree reads as the data flow (docgen -> reader -> archive -> index -> the shell): a
core module imports only its own stage and the stages before it, never the web, the CLI or
the settings module, and every import uses the one installed name, samverkan.*."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Each core stage and the stages it may import (its own included).
FLOW = {
    "docgen": {"docgen"},
    "reader": {"docgen", "reader"},
    "archive": {"docgen", "reader", "archive"},
    "index": {"docgen", "reader", "archive", "index"},
}
GENERIC = {"archive", "docgen", "index", "reader", "templates", "examples"}


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, absolute, with its line (also inside functions and
    TYPE_CHECKING blocks: a type-only import is still an arrow between stages)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def core_files() -> list[tuple[str, Path]]:
    return [(stage, path) for stage in FLOW for path in sorted((REPO / stage).rglob("*.py"))]


def test_the_core_is_where_the_tests_look() -> None:
    assert len(core_files()) > 80


@pytest.mark.parametrize("stage", sorted(FLOW))
def test_core_imports_only_earlier_stages(stage: str) -> None:
    wrong = []
    for owner, path in core_files():
        if owner != stage:
            continue
        for line, module in imports_of(path):
            parts = module.split(".")
            if parts[0] in GENERIC:
                wrong.append(f"{path.relative_to(REPO)}:{line} imports {module} "
                             "(use samverkan.*)")
            elif parts[0] == "samverkan":
                target = parts[1] if len(parts) > 1 else ""
                if target not in FLOW[stage]:
                    wrong.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    assert wrong == []


def test_the_shell_and_tests_use_the_installed_names() -> None:
    wrong = []
    for folder in ("samverkan", "tests", "bench"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if "out" in path.relative_to(REPO).parts:
                continue
            for line, module in imports_of(path):
                if module.split(".")[0] in GENERIC:
                    wrong.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    assert wrong == []
