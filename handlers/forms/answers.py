"""Server-side checking of a form's answers, trusting nothing the client sent, and showing them back.

Platforms hand over what they received (strings, lists, booleans, numbers); ``check_answers`` turns it
into clean answers or an error per field id. Answers are JSON: text and choices are strings, multiple
choices lists of option values, dates ISO strings, numbers numbers, yes/no booleans, scales 1-5 ints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from handlers.forms.library import Field, Form
from handlers.text import clean_text

Answer = str | int | float | bool | list[str]
Answers = dict[str, Answer]

_TRUE = {"yes", "true", "on", "1"}
_FALSE = {"no", "false", "off", "0"}


@dataclass(frozen=True, slots=True)
class Checked:
    """Clean answers for the fields that were answered validly, and an error for each that was not."""

    answers: Answers = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Invalid(ValueError):
    pass


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _text(f: Field, value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid("Write your answer as text.")
    text = clean_text(value, multiline=f.type == "long_text").strip()
    if len(text) > f.limit:
        raise _Invalid(f"Keep this to {f.limit} characters at most (it has {len(text)}).")
    return text


def _choice(f: Field, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or value.strip() not in {o.value for o in f.choices}:
        raise _Invalid("Choose one of the options given.")
    return value.strip()


def _multi(f: Field, value: object) -> list[str]:
    items: list[object] = value.split(",") if isinstance(value, str) else value  # type: ignore[assignment]
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise _Invalid("Choose from the options given.")
    picked = {str(i).strip() for i in items if str(i).strip()}
    allowed = [o.value for o in f.choices]
    if not picked <= set(allowed):
        raise _Invalid("Choose only from the options given.")
    return [v for v in allowed if v in picked]


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, str) else ""
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _Invalid("Answer yes or no.")


def _scale(f: Field, value: object) -> int:
    return int(_choice(f, value))


def _date(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    try:
        if not isinstance(value, str) or len(value.strip()) != 10:
            raise ValueError
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise _Invalid("Enter a date like 2026-12-15.") from None
    if not 1900 <= day.year <= 2100:
        raise _Invalid("Enter a date between 1900 and 2100.")
    return day.isoformat()


def _number(f: Field, value: object) -> int | float:
    if isinstance(value, bool):
        raise _Invalid("Enter a number.")
    try:
        number = float(value.strip().replace(",", "")) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _Invalid("Enter a number.") from None
    if not math.isfinite(number) or abs(number) > 1e12:
        raise _Invalid("Enter a number.")
    if f.integer and not number.is_integer():
        raise _Invalid("Enter a whole number.")
    if f.min is not None and number < f.min:
        raise _Invalid(f"Enter {_num(f.min)} or more.")
    if f.max is not None and number > f.max:
        raise _Invalid(f"Enter {_num(f.max)} or less.")
    return int(number) if number.is_integer() else number


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def clean(f: Field, value: object) -> Answer:
    """One answer, cleaned; raises ValueError with a message for the person who typed it."""
    if f.type in ("short_text", "long_text"):
        return _text(f, value)
    if f.type == "single_choice":
        return _choice(f, value)
    if f.type == "multi_choice":
        return _multi(f, value)
    if f.type == "yes_no":
        return _yes_no(value)
    if f.type == "scale_1_5":
        return _scale(f, value)
    if f.type == "date":
        return _date(value)
    return _number(f, value)


def check_answers(form: Form, raw: Mapping[str, object], *, draft: bool = False) -> Checked:
    """Check every field of ``form`` in ``raw`` (unknown keys are ignored).

    A draft skips the required check and simply leaves out answers that are not valid.
    """
    answers: Answers = {}
    errors: dict[str, str] = {}
    for f in form.fields:
        value = raw.get(f.id)
        if not _blank(value):
            try:
                answer = clean(f, value)
            except ValueError as exc:
                errors[f.id] = str(exc)
                continue
            if answer != "" and answer != []:
                answers[f.id] = answer
                continue
        if f.required and not draft:
            errors[f.id] = "Please answer this question."
    return Checked(answers=answers, errors={} if draft else errors)


def display(f: Field, answer: Answer) -> str:
    """An answer as a person reads it: option labels, Yes/No, the scale's emoji and words, dates."""
    labels = {o.value: o.text for o in f.choices}
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    if isinstance(answer, list):
        return ", ".join(labels.get(v, v) for v in answer)
    if f.type == "scale_1_5":
        return f"{answer}/5 {labels.get(str(answer), '')}".rstrip()
    if f.type == "single_choice":
        return labels.get(str(answer), str(answer))
    if f.type == "date" and isinstance(answer, str):
        try:
            return f"{date.fromisoformat(answer):%a %d %b %Y}"
        except ValueError:
            return answer
    return str(answer)
