"""The case's alias: what it may be, and the question when it looks like the pupil's full name."""

from __future__ import annotations

import re

from handlers.confirm import ask_first
from handlers.core import Ask
from handlers.errors import UsageError
from handlers.replies import Reply, para

_ALIAS = re.compile(r"^[\w][\w .'\-]{0,39}$")
_FULL_NAME = re.compile(r"^[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)+$")


def check_alias(text: str, *, command: str) -> str:
    """The alias with its spaces tidied; ``UsageError`` when it is not 1-40 plain characters."""
    alias = " ".join(text.split())
    if not _ALIAS.match(alias) or re.match(r"(?i)^tac-\d", alias):
        raise UsageError(
            "An alias is 1-40 letters, digits, spaces or hyphens.",
            command=command,
            hint="Use a short alias, not the pupil's full name.",
        )
    return alias


def looks_like_full_name(alias: str) -> bool:
    """Two or more capitalised words ("Robin Taylor"): likely the pupil's real name, not an alias."""
    return bool(_FULL_NAME.match(alias))


def full_name_question(ask: Ask, *, alias: str, reference: str | None) -> Reply | None:
    """Ask first when the alias looks like a full name (unless confirmed); None when all is well."""
    if ask.confirmed or not looks_like_full_name(alias):
        return None
    return ask_first(
        ask,
        reference=reference,
        blocks=[
            para(
                f"“{alias}” looks like a full name. The alias is shown in every message about the case; "
                "a first name and an initial (like “Robin T”) keep the pupil private."
            )
        ],
        summary="That alias looks like a full name",
    )
