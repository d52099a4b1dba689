"""The users' command reference (docs/commands.md) says what `help` says, and the README links to it."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_command_reference_is_generated_from_the_usage_table() -> None:
    render = runpy.run_path(str(ROOT / "scripts" / "commands_doc.py"))["render"]
    committed = (ROOT / "docs" / "commands.md").read_text("utf-8")
    assert committed == render(), "docs/commands.md is out of date: run python scripts/commands_doc.py"


def test_every_command_has_its_section_and_the_readme_links_the_reference() -> None:
    from handlers.grammar.usage import USAGES

    committed = (ROOT / "docs" / "commands.md").read_text("utf-8")
    for usage in USAGES:
        assert f"### {usage.name}\n" in committed and usage.syntax in committed
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "docs/commands.md" in readme
    outside = ".." + "/shared"  # the design folder beside the checkout, which a user's clone lacks
    assert outside not in readme, "a user's clone has nothing beside it: link what is in the repository"
