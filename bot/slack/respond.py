"""Answering a person after the ack: along the ``response_url`` when there is one, else by DM."""

from __future__ import annotations

import aiohttp
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack.render import messages
from handlers.core import Core
from handlers.model import Actor
from handlers.replies import Reply

RESPONSE_URL_USES = 5  # Slack accepts five messages per response_url


class Http:
    """The one aiohttp session for Slack calls, opened and closed with the server (None: one per call)."""

    def __init__(self) -> None:
        self.session: aiohttp.ClientSession | None = None

    def webhook(self, url: str) -> AsyncWebhookClient:
        return AsyncWebhookClient(url, session=self.session)


async def answer(respond: AsyncWebhookClient, reply: Reply) -> None:
    """Send the reply back along the response_url: ephemeral when private, else to the channel."""
    kind = "ephemeral" if reply.private else "in_channel"
    batch = messages(reply)
    if len(batch) > RESPONSE_URL_USES:
        rest = "That was long: the rest did not fit. Ask for less (one case, one command) to see it."
        batch = [*batch[: RESPONSE_URL_USES - 1], *messages(Reply.text(rest))]
    for message in batch:
        await respond.send(
            text=message.text, blocks=message.blocks, response_type=kind, replace_original=False
        )


async def tell(core: Core, http: Http, actor: Actor, reply: Reply, response_url: str | None = None) -> None:
    """The reply for one person: ephemeral along ``response_url`` if given, else a direct message."""
    if response_url:
        await answer(http.webhook(response_url), reply)
        return
    await core.platform("slack").direct_message(workspace=actor.workspace, user_id=actor.user_id, reply=reply)
