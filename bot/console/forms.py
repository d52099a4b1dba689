"""Forms in the console: the questions one by one (the REPL's `:form <id>`), and filling one in whole
(tests and the demo) - both through the same open/draft/submit API as Slack and Teams."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import date

from bot.console.render import render
from handlers.core import Core
from handlers.dispatch import error_reply
from handlers.errors import TacBotError
from handlers.forms import api
from handlers.forms.answers import clean, display
from handlers.forms.library import Field, Form
from handlers.model import Actor
from handlers.replies import Buttons, Reply

Read = Callable[[str], Awaitable[str]]
Write = Callable[[str], object]
MAX_ROUNDS = 3


def form_request_ids(replies: list[Reply]) -> list[str]:
    """The request ids of the *Open form* buttons in these messages, in order."""
    return [
        b.value
        for r in replies
        for block in r.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
        if b.action == "form.open"
    ]


async def fill_in(core: Core, actor: Actor, request_id: str, answers: Mapping[str, object]) -> str:
    """Open the form as ``actor`` and submit ``answers``; the reply (or the errors) as text."""
    try:
        form = api.open_form(core, actor, request_id).form
        result = await api.submit_form(core, actor, request_id, answers)
    except TacBotError as error:
        return render(error_reply(error))
    if result.reply is not None:
        return render(result.reply)
    return "Some answers need another look:\n" + "\n".join(
        f"  {_label(form, k)}: {v}" for k, v in result.errors.items()
    )


BANNER = (
    "Answer each question and press Enter (Enter alone keeps the answer shown, or skips a question that "
    "is not required).\n"
    "  :back    go back a question      :draft   save what you typed and stop\n"
    "  :cancel  stop; what you typed is kept as a draft, so :form {rid} carries on later\n"
)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")


def _prompt(f: Field, current: object | None) -> str:
    lines = [f"{f.label}{' (required)' if f.required else ''}"]
    if f.help:
        lines.append(f"  {f.help}")
    if f.choices:
        lines += [f"  {i}. {o.text}" for i, o in enumerate(f.choices, 1)]
        if f.type == "multi_choice":
            lines.append("  (one or more, by number or name, like 1,3)")
        else:
            lines.append("  (a number or the words)")
    elif f.type == "date":
        lines.append("  (a date like 15/12/2026, 15/12 or 2026-12-15)")
    elif f.type == "yes_no":
        lines.append("  (yes or no)")
    if current is not None:
        lines.append(f"  [now: {display(f, current)}; press Enter to keep it]")  # type: ignore[arg-type]
    return "\n".join(lines) + "\n> "


def _option(f: Field, word: str) -> str:
    """One choice by its number, its value or its label (any case); else the word as typed."""
    word = word.strip()
    if word.isdigit() and 0 < int(word) <= len(f.choices):
        return f.choices[int(word) - 1].value
    for o in f.choices:
        if word.lower() in (o.value.lower(), o.label.lower(), o.text.lower()):
            return o.value
    return word


def _day(line: str, *, today: date) -> str:
    """``15/12/2026``, ``15/12`` (this year) or ISO -> ISO; anything else is left for the check."""
    m = _DMY.match(line.strip())
    if not m:
        return line.strip()
    year = int(m.group(3)) if m.group(3) else today.year
    try:
        return date(year + 2000 if year < 100 else year, int(m.group(2)), int(m.group(1))).isoformat()
    except ValueError:
        return line.strip()


def _raw(f: Field, line: str, *, today: date) -> object:
    """What was typed -> the raw answer: options by number or label, UK dates as ISO, y/n."""
    if f.type == "yes_no" and line.strip().lower() in ("y", "n"):
        return "yes" if line.strip().lower() == "y" else "no"
    if f.type == "date":
        return _day(line, today=today)
    if not f.choices:
        return line
    if f.type == "multi_choice":
        return [_option(f, w) for w in line.split(",") if w.strip()]
    return _option(f, line)


def _check(f: Field, value: object) -> str | None:
    """The problem with one answer as typed, named by the question's label; None when it is fine."""
    try:
        clean(f, value)
    except ValueError as exc:
        return f"{f.label}: {exc}"
    return None


async def ask_questions(core: Core, actor: Actor, request_id: str, read: Read, write: Write) -> str:
    """The REPL's Q&A: each question in turn, each answer checked as it is typed.

    ``:back`` goes back a question, ``:draft`` saves and stops, ``:cancel`` stops keeping what was typed
    as a draft. The server checks the whole form again on submit; its errors name the question's label.
    """
    try:
        view = api.open_form(core, actor, request_id)
    except TacBotError as error:
        return render(error_reply(error))
    write(f"== {view.form.title}: {view.case_title} ==\n{view.form.introduction}\n")
    write(BANNER.format(rid=request_id))
    today = core.clock.now().astimezone(core.tz).date()
    raw: dict[str, object] = dict(view.answers)
    todo = list(view.form.fields)
    try:
        for _ in range(MAX_ROUNDS):
            at = 0
            while at < len(todo):
                f = todo[at]
                line = (await read(_prompt(f, raw.get(f.id)))).strip()
                if line == ":cancel":
                    api.save_draft(core, actor, request_id, raw)
                    return (
                        f"Form closed; nothing sent. What you typed is kept as a draft (:form {request_id})."
                    )
                if line == ":draft":
                    return render(api.save_draft(core, actor, request_id, raw))
                if line == ":back":
                    at = max(at - 1, 0)
                    continue
                if line:
                    value = _raw(f, line, today=today)
                    problem = _check(f, value)
                    if problem:
                        write(problem + "\n")
                        continue
                    raw[f.id] = value
                elif f.required and raw.get(f.id) in (None, "", []):
                    write(f"{f.label}: Please answer this question.\n")
                    continue
                at += 1
            result = await api.submit_form(core, actor, request_id, raw)
            if result.reply is not None:
                return render(result.reply)
            write("Some answers need another look:\n")
            write("".join(f"  {_label(view.form, k)}: {v}\n" for k, v in result.errors.items()))
            todo = [f for f in view.form.fields if f.id in result.errors]
        return render(api.save_draft(core, actor, request_id, raw))
    except TacBotError as error:
        return render(error_reply(error))


def _label(form: Form, field_id: str) -> str:
    found = form.field(field_id)
    return found.label if found is not None else field_id
