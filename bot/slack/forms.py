"""Forms as Slack modals (pure: no network): the view for `views.open`, and the submission back.

Each field is one input block whose ``block_id`` and ``action_id`` are the field's id. A form longer than
a modal's 100 blocks is split into steps; ``private_metadata`` carries the request id and the step.
Everything in the view is ``plain_text``, so nothing a school or a person wrote can ping or link.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from handlers.forms.answers import Answer
from handlers.forms.api import FormView
from handlers.forms.library import Field, Form, Section

CALLBACK_ID = "form.submit"
DRAFT_ACTION = "form.draft"
MAX_BLOCKS = 100
MAX_RADIOS = 10  # radio buttons and checkboxes take at most 10 options
_RESERVED = 4  # intro, context, draft button, step note


def _plain(text: str, limit: int = 3000) -> PlainTextObject:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return PlainTextObject(text=text, emoji=True)


def _option(o: Any) -> Option:
    return Option(value=o.value, text=_plain(o.text, 75))


def _element(f: Field, answer: Answer | None) -> Any:
    if f.type in ("short_text", "long_text"):
        return PlainTextInputElement(
            action_id=f.id,
            multiline=f.type == "long_text",
            max_length=f.limit,
            initial_value=answer if isinstance(answer, str) and answer else None,
        )
    if f.type == "date":
        return DatePickerElement(action_id=f.id, initial_date=answer if isinstance(answer, str) else None)
    if f.type == "number":
        return NumberInputElement(
            action_id=f.id,
            is_decimal_allowed=not f.integer,
            initial_value=None if answer is None or isinstance(answer, bool) else str(answer),
            min_value=None if f.min is None else str(f.min),
            max_value=None if f.max is None else str(f.max),
        )
    options = [_option(o) for o in f.choices]
    by_value = dict(zip((o.value for o in f.choices), options, strict=True))
    if f.type == "multi_choice":
        picked = [by_value[v] for v in answer if v in by_value] if isinstance(answer, list) else []
        if len(options) <= MAX_RADIOS:
            return CheckboxesElement(action_id=f.id, options=options, initial_options=picked or None)
        return StaticMultiSelectElement(action_id=f.id, options=options, initial_options=picked or None)
    if isinstance(answer, bool):
        answer = "yes" if answer else "no"
    initial = by_value.get(str(answer)) if answer is not None else None
    if len(options) <= MAX_RADIOS:
        return RadioButtonsElement(action_id=f.id, options=options, initial_option=initial)
    return StaticSelectElement(action_id=f.id, options=options, initial_option=initial)


def _input(f: Field, answer: Answer | None) -> InputBlock:
    return InputBlock(
        block_id=f.id,
        label=_plain(f.label, 2000),
        element=_element(f, answer),
        hint=_plain(f.help, 2000) if f.help else None,
        optional=not f.required,
    )


def _section_blocks(section: Section, fields: Sequence[Field], answers: Mapping[str, Answer]) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text=_plain(section.title, 150))]
    if section.help:
        blocks.append(ContextBlock(elements=[_plain(section.help, 2000)]))
    blocks += [_input(f, answers.get(f.id)) for f in fields]
    return blocks


def steps(form: Form) -> list[list[tuple[Section, list[Field]]]]:
    """The form cut into modal-sized steps (whole sections where they fit, else parts of one)."""
    budget = MAX_BLOCKS - _RESERVED
    pages: list[list[tuple[Section, list[Field]]]] = [[]]
    used = 0
    for section in form.sections:
        head = 1 + (1 if section.help else 0)
        fields = list(section.fields)
        whole = head + len(fields)
        if used and used + whole > budget >= whole:  # keep a section whole when a fresh step can
            pages.append([])
            used = 0
        while fields:
            if used + head + 1 > budget:
                pages.append([])
                used = 0
            take = fields[: budget - used - head]
            pages[-1].append((section, take))
            used += head + len(take)
            fields = fields[len(take) :]
    return [p for p in pages if p]


def step_of(form: Form, field_ids: Iterable[str]) -> int:
    """The first step showing any of these fields (where to send someone back to fix an answer)."""
    wanted = set(field_ids)
    for n, page in enumerate(steps(form)):
        if any(f.id in wanted for _, fields in page for f in fields):
            return n
    return 0


def modal(view: FormView, *, step: int = 0) -> dict[str, Any]:
    """The ``view`` argument of `views.open` / `views.update` for one step of the form."""
    pages = steps(view.form)
    step = min(max(step, 0), len(pages) - 1)
    last = step == len(pages) - 1
    blocks: list[Block] = []
    if step == 0:
        blocks.append(SectionBlock(text=_plain(view.form.introduction)))
    note = f"For {view.case_title} · due {view.due:%a %d %b %Y}"
    if len(pages) > 1:
        note += f" · step {step + 1} of {len(pages)}"
    if view.from_draft:
        note += " · your draft"
    elif view.version:
        note += f" · your answers (version {view.version})"
    blocks.append(ContextBlock(elements=[_plain(note, 2000)]))
    for section, fields in pages[step]:
        blocks += _section_blocks(section, fields, view.answers)
    if view.drafts:
        blocks.append(
            ActionsBlock(
                block_id="form.actions",
                elements=[ButtonElement(text="Save draft", action_id=DRAFT_ACTION, value=view.request_id)],
            )
        )
    built = View(
        type="modal",
        callback_id=CALLBACK_ID,
        title=_plain(view.form.short_title, 24),
        submit=_plain("Submit" if last else "Next", 24),
        close=_plain("Cancel", 24),
        private_metadata=json.dumps({"request": view.request_id, "step": step}),
        blocks=blocks,
    )
    return built.to_dict()


def metadata(view_payload: Mapping[str, Any]) -> tuple[str, int]:
    """(request id, step) from a view_submission's ``view``; ('', 0) when it is not ours."""
    try:
        data = json.loads(view_payload.get("private_metadata") or "{}")
        return str(data.get("request", "")), int(data.get("step", 0))
    except (ValueError, TypeError, AttributeError):
        return "", 0


def _value(state: Mapping[str, Any]) -> object:
    kind = state.get("type")
    if kind == "datepicker":
        return state.get("selected_date")
    if kind in ("checkboxes", "multi_static_select"):
        return [o.get("value") for o in state.get("selected_options") or [] if isinstance(o, Mapping)]
    if kind in ("radio_buttons", "static_select"):
        selected = state.get("selected_option")
        return selected.get("value") if isinstance(selected, Mapping) else None
    return state.get("value")


def answers_from_state(values: Mapping[str, Any]) -> dict[str, object]:
    """``view.state.values`` -> raw answers by field id (checked later by the core, trusting nothing)."""
    raw: dict[str, object] = {}
    for block_id, actions in values.items():
        if isinstance(actions, Mapping) and isinstance(actions.get(block_id), Mapping):
            raw[block_id] = _value(actions[block_id])
    return raw


def errors_response(errors: Mapping[str, str], *, view: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ack body that shows each error under its field; limited to the blocks of ``view`` if given."""
    shown = dict(errors)
    if view is not None:
        present = {b.get("block_id") for b in view.get("blocks", []) if isinstance(b, Mapping)}
        shown = {k: v for k, v in errors.items() if k in present} or shown
    return {"response_action": "errors", "errors": shown}
