"""Validate cards against the published Adaptive Cards 1.5 schema (../shared/specs)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft6Validator

from tests.conftest import shared_spec


@cache
def _validator() -> Draft6Validator:
    return Draft6Validator(json.loads(shared_spec("adaptive-card-1.5.json").read_text("utf-8")))


def assert_valid_card(card: dict[str, Any]) -> None:
    """Teams' documented host extension ``msteams`` (mention entities) is the one key outside the schema."""
    generic = {k: v for k, v in card.items() if k != "msteams"}
    errors = sorted(_validator().iter_errors(generic), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
