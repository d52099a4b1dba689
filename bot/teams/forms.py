"""Forms as Adaptive Cards 1.5 for Teams (pure: no network), and the card's submission back.

Each field is an input whose ``id`` is the field's id. *Submit* and *Save draft* are ``Action.Submit``
with ``data`` naming the action (``form.submit`` / ``form.draft``) and the request id; Teams sends the
inputs alongside them. Errors are shown back on the same card, under each field, with the answers kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.forms.answers import Answer
from handlers.forms.api import FormView
from handlers.forms.library import Field

SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
SUBMIT = "form.submit"
DRAFT = "form.draft"
RESERVED = ("action", "request", "msteams")


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _initial(f: Field, answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return {}
    if f.type == "number":
        if isinstance(answer, str):
            try:
                answer = float(answer)
            except ValueError:
                return {}
        return {} if isinstance(answer, bool) or not isinstance(answer, int | float) else {"value": answer}
    if isinstance(answer, list):
        return {"value": ",".join(answer)}
    if isinstance(answer, bool):
        return {"value": "yes" if answer else "no"}
    return {"value": str(answer)}


def _input(f: Field, answer: Answer | None) -> dict[str, Any]:
    label = f.label + (" (required)" if f.required else "")
    base: dict[str, Any] = {"id": f.id, "label": label, **_initial(f, answer)}
    if f.required and f.type != "yes_no":  # Teams checks these before sending; the server checks again
        base |= {"isRequired": True, "errorMessage": f"{f.label}: please answer this question."}
    if f.type in ("short_text", "long_text"):
        return {"type": "Input.Text", **base, "isMultiline": f.type == "long_text", "maxLength": f.limit}
    if f.type == "date":
        return {"type": "Input.Date", **base}
    if f.type == "number":
        bounds = {k: v for k, v in (("min", f.min), ("max", f.max)) if v is not None}
        return {"type": "Input.Number", **base, **bounds}
    if f.type == "yes_no":
        return {
            "type": "Input.Toggle",
            **base,
            "title": "Yes",
            "valueOn": "yes",
            "valueOff": "no",
            "value": base.get("value", "no"),
        }
    return {
        "type": "Input.ChoiceSet",
        **base,
        "choices": [{"title": o.text, "value": o.value} for o in f.choices],
        "isMultiSelect": f.type == "multi_choice",
        "style": "expanded" if len(f.choices) <= 10 else "compact",
        "wrap": True,
    }


def card(
    view: FormView,
    *,
    answers: Mapping[str, Answer] | None = None,
    errors: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The form as an Adaptive Card; pass ``answers`` and ``errors`` to show it back after a refusal."""
    filled = view.answers if answers is None else answers
    errors = errors or {}
    note = f"For {view.case_title} · due {view.due:%a %d %b %Y}"
    if view.from_draft:
        note += " · your draft"
    elif view.version:
        note += f" · your answers (version {view.version})"
    body: list[dict[str, Any]] = [
        _text(view.form.title, size="ExtraLarge", weight="Bolder", style="heading"),
        _text(note, isSubtle=True, spacing="None"),
    ]
    if errors:
        body.append(_text("Some answers need another look: see the notes in red.", color="Attention"))
    body.append(_text(view.form.introduction))
    for section in view.form.sections:
        # Headings a size above the inputs' labels (Default, bold), so sections stand out.
        body.append(_text(section.title, size="Large", weight="Bolder", style="heading", separator=True))
        if section.help:
            body.append(_text(section.help, isSubtle=True))
        for f in section.fields:
            body.append(_input(f, filled.get(f.id)))
            if f.id in errors:  # the server's word, right under its field
                body.append(_text(errors[f.id], color="Attention", weight="Bolder", spacing="None"))
            if f.help:
                body.append(_text(f.help, isSubtle=True, size="Small", spacing="None"))
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": "1.5",
        "body": body,
        "actions": [
            {
                "type": "Action.Submit",
                "title": "Submit",
                "style": "positive",
                "data": {"action": SUBMIT, "request": view.request_id},
            },
            *(
                [
                    {
                        "type": "Action.Submit",
                        "title": "Save draft",
                        "data": {"action": DRAFT, "request": view.request_id},
                    }
                ]
                if view.drafts
                else []
            ),
        ],
        "fallbackText": f"{view.form.title}: open this form in Teams to fill it in.",
    }


def from_submit(data: Mapping[str, Any]) -> tuple[str, str, dict[str, object]]:
    """Action.Submit ``data`` (the card's inputs merged in) -> (action, request id, raw answers)."""
    action = str(data.get("action", ""))
    request_id = str(data.get("request", ""))
    raw: dict[str, object] = {
        k: v for k, v in data.items() if k not in RESERVED and isinstance(v, str | int | float | bool)
    }
    return action, request_id, raw
