"""The house rule: the core (handlers, storage, scheduler) never imports platform code."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp", "bot")


def test_core_packages_import_no_platform_code() -> None:
    offenders = []
    for package in ("handlers", "storage", "scheduler"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_botbuilder_is_imported_only_inside_bot_teams() -> None:
    """botbuilder-python is archived: a move to the Microsoft 365 Agents SDK touches bot/teams only."""
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        if path.is_relative_to(ROOT / "bot" / "teams"):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}: {n}"
                for n in names
                if n.split(".")[0] in ("botbuilder", "botframework", "msal")
            ]
    assert offenders == []
