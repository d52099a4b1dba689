"""Valid sample answers for any form, and a view of it, for the renderer and round-trip tests."""

from __future__ import annotations

from datetime import date

from handlers.forms.answers import Answers
from handlers.forms.api import FormView
from handlers.forms.hooks import MAX_TEAM_OPTIONS, fill_options
from handlers.forms.library import Field, Form, Option, builtin_library

# User text that must never ping, mention or link wherever it is shown.
NASTY = "It's <!channel> & <@U123> <https://evil.example|click> *bold* > quote"


def sample(f: Field) -> object:
    if f.type in ("short_text", "long_text"):
        return f"{f.label[:40]}: {NASTY}"[: f.limit].strip()
    if f.type == "single_choice":
        return f.choices[-1].value
    if f.type == "multi_choice":
        return [o.value for o in f.choices[:2]]
    if f.type == "date":
        return "2026-12-15"
    if f.type == "number":
        return 42 if (f.max is None or f.max >= 42) and (f.min is None or f.min <= 42) else f.min
    if f.type == "yes_no":
        return True
    return 4  # scale_1_5


def team_of(size: int) -> tuple[Option, ...]:
    """A sample team for ``options_from: team`` fields (values are person ids, as when opened)."""
    return tuple(Option(str(n), f"Person {n} {NASTY}"[:75]) for n in range(1, size + 1))


def resolved(form_id: str, team: int = 4) -> Form:
    """A built-in form as a person sees it when opened: dynamic options filled in."""
    return fill_options(builtin_library()[form_id], team_of(min(team, MAX_TEAM_OPTIONS)))


def sample_answers(form: Form) -> Answers:
    return {f.id: sample(f) for f in form.fields}  # type: ignore[misc]


def view_of(form: Form, answers: Answers | None = None) -> FormView:
    return FormView(
        request_id="42",
        form=form,
        case_title="TAC-0001 (Robin)",
        due=date(2026, 12, 15),
        state="open",
        answers=dict(answers or {}),
        version=0,
        from_draft=False,
    )
