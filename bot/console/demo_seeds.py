"""The demo's steps for what the seeds ask beyond the case: the service directory loaded, a concern
filled in and acknowledged (scripted, as the console's Q&A and buttons would)."""

from __future__ import annotations

from datetime import UTC

from bot.console.forms import form_request_ids
from bot.console.platform import Delivery
from bot.console.session import ConsoleBot
from handlers.clock import ManualClock
from handlers.directory.load import EXAMPLE, read_directory, store_directory
from handlers.replies import Buttons, Paragraph, Reply

CONCERN: dict[str, object] = {
    "child": "Robin, Year 4",
    "seen": "At lunch Robin said 'I don't want to go home tonight' and would not say why.",
    "when": "Today, 12:40, in the dinner hall",
    "at_risk": "Robin",
    "done": "Stayed with Robin until the bell; came straight to the form.",
}


def _show(bot: ConsoleBot, handle: str, text: str) -> None:
    print_to = bot.platform.on_delivery
    if print_to is not None:
        print_to(Delivery(room=None, user=handle, reply=Reply.text(text)))


async def load_directory(bot: ConsoleBot, clock: ManualClock) -> None:
    """What `tacbot services load services.yaml` does, with the example directory shipped with TAC Bot."""
    with bot.core.db.transaction() as s:
        store_directory(
            s, school_id=None, entries=read_directory(EXAMPLE), now=clock.now().astimezone(UTC), by="demo"
        )


async def tom_fills_in_the_concern(bot: ConsoleBot, clock: ManualClock) -> None:
    key = form_request_ids([bot.replies[-1][1]])[-1]
    _show(bot, "tom", await bot.fill_form("tom", key, CONCERN))


async def dee_acknowledges(bot: ConsoleBot, clock: ManualClock) -> None:
    concern = next(d for d in reversed(bot.sent_to(user="dee")) if "Safeguarding concern" in d.text)
    ack = next(
        b
        for block in concern.reply.blocks
        if isinstance(block, Buttons)
        for b in block.buttons
        if b.label == "Acknowledge"
    )
    await bot.press("dee", ack.action, ack.value)


async def sam_edits_the_family_update(bot: ConsoleBot, clock: ManualClock) -> None:
    """Sam presses Edit on the draft and adds a line of his own before sending it."""
    draft = bot.replies[-1][1]
    edit = next(
        b for block in draft.blocks if isinstance(block, Buttons) for b in block.buttons if b.label == "Edit"
    )
    text = "\n\n".join(str(p.spans[0]) for p in draft.blocks if isinstance(p, Paragraph))
    ours = text + "\n\nRobin chose the book for the reading log himself this week."
    _show(bot, "sam", await bot.fill_form("sam", edit.value, {"text": ours}))
