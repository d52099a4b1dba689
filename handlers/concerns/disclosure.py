"""A message to the bot in a case room whose words look like a disclosure (``data/disclosure.yaml``) is
not acted on; its sender is reminded, privately, to use `concern` instead."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from handlers.replies import Code, Note, Reply, para

WORDS = Path(__file__).resolve().parents[1] / "data" / "disclosure.yaml"


@cache
def _pattern() -> re.Pattern[str]:
    phrases = yaml.safe_load(WORDS.read_text("utf-8"))["phrases"]
    spaced = (r"\s+".join(re.escape(word) for word in str(p).lower().split()) for p in phrases)
    return re.compile(r"(?<![\w-])(?:" + "|".join(spaced) + r")(?![\w-])", re.IGNORECASE)


def looks_like_disclosure(text: str) -> bool:
    return _pattern().search(text) is not None


def reminder() -> Reply:
    """The private reminder; it repeats nothing of what was typed."""
    return Reply(
        blocks=(
            para(
                "That sounds like it could be a safeguarding concern, so I have not posted or stored it. "
                "Please don't share it in the case room: type ",
                Code("concern"),
                " to tell the Designated Safeguarding Lead privately.",
            ),
            Note(("If a child is in immediate danger, call 999 and tell the DSL in person now.",)),
        ),
        summary="Use `concern` for a safeguarding worry",
        refused=True,
        direct=True,
    )
