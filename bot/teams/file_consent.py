"""The person's answer to a file consent card: on *Allow*, put the offered file in their OneDrive."""

from __future__ import annotations

import logging

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.schema.teams import FileConsentCardResponse

from bot.teams.files import info_attachment, offered
from bot.teams.platform import attachment_activity, card_activity
from handlers.platform import PlatformError
from handlers.replies import Reply

log = logging.getLogger(__name__)


async def put_file(upload_url: str, content: bytes) -> None:
    """Upload the whole file in one request to the OneDrive upload URL Teams gave for it."""
    headers = {"Content-Range": f"bytes 0-{len(content) - 1}/{len(content)}"}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session,
            session.put(upload_url, data=content, headers=headers) as response,
        ):
            status = response.status
    except aiohttp.ClientError as exc:
        raise PlatformError("OneDrive could not be reached; try again shortly.") from exc
    if status >= 400:
        log.warning("OneDrive refused a file consent upload: %s", status)
        raise PlatformError("OneDrive did not accept the file; try again shortly.")


async def accepted(turn_context: TurnContext, answer: FileConsentCardResponse) -> None:
    """Upload the file the card carried, then show it in the chat as a file card."""
    file = offered(answer.context)
    info = answer.upload_info
    if file is None or info is None or not info.upload_url:
        await turn_context.send_activity(card_activity(Reply.text("That file is no longer on offer.")))
        return
    try:
        await put_file(info.upload_url, file.content)
    except PlatformError as exc:
        await turn_context.send_activity(card_activity(Reply.text(exc.message)))
        return
    card = info_attachment(
        name=info.name or file.filename,
        content_url=info.content_url or "",
        unique_id=info.unique_id or "",
        file_type=info.file_type or file.filename.rpartition(".")[2],
    )
    await turn_context.send_activity(attachment_activity(card, summary=f"{file.filename} saved"))


async def declined(turn_context: TurnContext, answer: FileConsentCardResponse) -> None:
    await turn_context.send_activity(
        card_activity(Reply.text("Not saved. The message above still says when and where."))
    )
