"""Form cards fit in one Teams message, however long the answers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.teams.forms import card
from handlers.forms.library import builtin_library
from tests.formsamples import resolved, sample_answers, view_of


@pytest.mark.parametrize("form_id", sorted(builtin_library()))
def test_every_form_card_fits_a_teams_message_with_every_answer_at_its_limit(form_id: str) -> None:
    """Teams refuses bot messages over about 100 KB (the payload as UTF-16); measured, the largest form
    (ep-advice) with every text answer at its limit and an error under each field is about 90 KB."""
    form = resolved(form_id)
    answers: dict[str, Any] = dict(sample_answers(form))
    for f in form.fields:
        if f.type in ("short_text", "long_text"):
            answers[f.id] = "é" * f.limit
    errors = {f.id: "Please answer this question." for f in form.fields}
    full = card(view_of(form, answers), errors=errors)
    assert len(json.dumps(full, ensure_ascii=False).encode("utf-16-le")) < 100 * 1024
