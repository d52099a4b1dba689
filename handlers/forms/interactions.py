"""Form buttons as neutral interactions (console, Teams): `form.open`, `form.draft`, `form.submit`.

The value is the request id; ``inputs`` carries the answers by field id (a multiple choice as
comma-separated option values, as Adaptive Cards send it).
"""

from __future__ import annotations

from dataclasses import replace

from handlers.core import Ask
from handlers.forms import api
from handlers.model import Interaction
from handlers.replies import Bullets, Heading, Note, Reply, Span, Strong, para, reply


def form_text(view: api.FormView) -> Reply:
    """The form as a message: what it is and its questions (platforms with a native form show that)."""
    questions: list[tuple[Span, ...]] = []
    for f in view.form.fields:
        mark = " (required)" if f.required else ""
        questions.append((Strong(f.label), mark))
    return reply(
        Heading(f"{view.form.title}: {view.case_title}"),
        para(view.form.introduction),
        Bullets(tuple(questions)),
        Note((f"Due {view.due:%a %d %b %Y}.",)),
        summary=view.form.title,
    )


async def on_form(ask: Ask, interaction: Interaction) -> Reply:
    verb = interaction.action.partition(".")[2]
    actor = interaction.actor
    if verb == "open":
        return form_text(api.open_form(ask.core, actor, interaction.value))
    if verb == "draft":
        return api.save_draft(ask.core, actor, interaction.value, interaction.inputs)
    if verb == "submit":
        result = await api.submit_form(ask.core, actor, interaction.value, interaction.inputs)
        if result.reply is not None:
            return result.reply
        view = api.open_form(ask.core, actor, interaction.value)
        items = tuple(
            (Strong(f.label), ": ", result.errors[f.id]) for f in view.form.fields if f.id in result.errors
        )
        return replace(
            reply(
                para("Some answers need another look:"),
                Bullets(items),
                summary="Some answers need another look",
            ),
            refused=True,
        )
    return replace(Reply.text("That button no longer does anything."), refused=True)
