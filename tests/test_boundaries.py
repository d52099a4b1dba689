"""The house rule: the core (handlers, storage, scheduler) never imports platform code."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp", "bot")


def imports(package: str) -> Iterator[tuple[Path, str]]:
    """(file relative to the root, imported module) for every absolute import in a package."""
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                yield from ((path.relative_to(ROOT), a.name) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path.relative_to(ROOT), node.module


def test_core_packages_import_no_platform_code() -> None:
    offenders = []
    for package in ("handlers", "storage", "scheduler"):
        for path, name in imports(package):
            offenders += [f"{path}: {name}"] if name.split(".")[0] in FORBIDDEN else []
    assert offenders == []


def test_botbuilder_is_imported_only_inside_bot_teams() -> None:
    """botbuilder-python is archived: a move to the Microsoft 365 Agents SDK touches bot/teams only."""
    offenders = []
    for path, name in imports("bot"):
        if not path.is_relative_to(Path("bot") / "teams") and name.split(".")[0] in (
            "botbuilder",
            "botframework",
            "msal",
        ):
            offenders.append(f"{path}: {name}")
    assert offenders == []


def test_the_scheduler_imports_only_storage_its_libraries_and_the_standard_library() -> None:
    """The scheduler says when and knows no use case: nothing of handlers or bot (and so of Core)."""
    import sys

    allowed = {"scheduler", "storage", "apscheduler", "holidays", "sqlalchemy", "__future__"}
    offenders = [
        f"{path}: {name}"
        for path, name in imports("scheduler")
        if name.split(".")[0] not in allowed and name.split(".")[0] not in sys.stdlib_module_names
    ]
    assert offenders == []
