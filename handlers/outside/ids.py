"""How an external member is told apart: their ``Person.external_id`` starts with ``ext.``.

No Slack, Teams or console user id has that shape, so an external member lives on the school's platform
like anyone else (memberships, owners, requests) and only the way they are reached differs.
"""

from __future__ import annotations

import secrets

PREFIX = "ext."


def is_external(user_id: str) -> bool:
    return user_id.startswith(PREFIX)


def new_external_id() -> str:
    return PREFIX + secrets.token_hex(8)
