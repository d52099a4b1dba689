"""Forms in the console: the questions one by one (the REPL's `:form <id>`), and filling one in whole
(tests and the demo) - both through the same open/draft/submit API as Slack and Teams."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from bot.console.render import render
from handlers.core import Core
from handlers.dispatch import error_reply
from handlers.errors import TacBotError
from handlers.forms import api
from handlers.forms.answers import display
from handlers.forms.library import Field
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
        api.open_form(core, actor, request_id)
        result = await api.submit_form(core, actor, request_id, answers)
    except TacBotError as error:
        return render(error_reply(error))
    if result.reply is not None:
        return render(result.reply)
    return "Some answers need another look:\n" + "\n".join(f"  {k}: {v}" for k, v in result.errors.items())


def _prompt(f: Field, current: object | None) -> str:
    lines = [f"{f.label}{' (required)' if f.required else ''}"]
    if f.help:
        lines.append(f"  {f.help}")
    if f.choices:
        lines += [f"  {i}. {o.text}" for i, o in enumerate(f.choices, 1)]
        if f.type == "multi_choice":
            lines.append("  (one or more numbers, like 1,3)")
    elif f.type == "date":
        lines.append("  (a date like 2026-12-15)")
    if current is not None:
        lines.append(f"  [now: {display(f, current)}; press Enter to keep it]")  # type: ignore[arg-type]
    return "\n".join(lines) + "\n> "


def _raw(f: Field, line: str) -> object:
    """What was typed -> the raw answer: option numbers become option values."""
    if not f.choices:
        return line
    values = [o.value for o in f.choices]
    words = [w.strip() for w in line.split(",")] if f.type == "multi_choice" else [line.strip()]
    picked = [values[int(w) - 1] if w.isdigit() and 0 < int(w) <= len(values) else w for w in words]
    if f.type == "yes_no" and line.strip().lower() in ("y", "n"):
        return "yes" if line.strip().lower() == "y" else "no"
    return picked if f.type == "multi_choice" else picked[0]


async def ask_questions(core: Core, actor: Actor, request_id: str, read: Read, write: Write) -> str:
    """The REPL's Q&A: each question in turn; `:draft` saves and stops, `:cancel` stops."""
    try:
        view = api.open_form(core, actor, request_id)
    except TacBotError as error:
        return render(error_reply(error))
    write(f"== {view.form.title}: {view.case_title} ==\n{view.form.introduction}\n")
    raw: dict[str, object] = dict(view.answers)
    todo = list(view.form.fields)
    try:
        for _ in range(MAX_ROUNDS):
            for f in todo:
                line = (await read(_prompt(f, raw.get(f.id)))).strip()
                if line == ":cancel":
                    return "Form closed; nothing was sent."
                if line == ":draft":
                    return render(api.save_draft(core, actor, request_id, raw))
                if line:
                    raw[f.id] = _raw(f, line)
            result = await api.submit_form(core, actor, request_id, raw)
            if result.reply is not None:
                return render(result.reply)
            write("Some answers need another look:\n")
            write("".join(f"  {k}: {v}\n" for k, v in result.errors.items()))
            todo = [f for f in view.form.fields if f.id in result.errors]
        return render(api.save_draft(core, actor, request_id, raw))
    except TacBotError as error:
        return render(error_reply(error))
