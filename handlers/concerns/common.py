"""What the concern use cases share: who the DSLs are, the form, and how a concern is named."""

from __future__ import annotations

from handlers.core import Core
from handlers.model import Actor

FORM_ID = "concern"
PREFIX = "concern"  # a concern's form id for the forms API: "concern-<row id>"
FOR_WHOM = "the Designated Safeguarding Lead only"


def dsl_ids(core: Core, platform: str) -> list[str]:
    """The user ids of the DSLs (`TACBOT_DSL`) on this platform."""
    return [user_id for where, user_id in core.dsls if where == platform]


def is_dsl(core: Core, actor: Actor) -> bool:
    return actor.user_id in dsl_ids(core, actor.platform)


def form_key(concern_id: int) -> str:
    return f"{PREFIX}-{concern_id}"


def concern_id(key: str) -> int | None:
    prefix, _, number = key.partition("-")
    return int(number) if prefix == PREFIX and number.isdigit() and len(number) <= 12 else None
