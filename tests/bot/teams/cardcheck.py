"""Validate cards against the published Adaptive Cards 1.5 schema (tests/specs)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft6Validator

from tests.conftest import spec


@cache
def _validator() -> Draft6Validator:
    return Draft6Validator(json.loads(spec("adaptive-card-1.5.json").read_text("utf-8")))


def card_errors(card: dict[str, Any]) -> list[str]:
    """Teams' documented host extension ``msteams`` (mention entities) is the one key outside the schema."""
    generic = {k: v for k, v in card.items() if k != "msteams"}
    errors = sorted(_validator().iter_errors(generic), key=str)
    return [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def assert_valid_card(card: dict[str, Any]) -> None:
    errors = card_errors(card)
    assert not errors, "\n".join(errors[:5])
